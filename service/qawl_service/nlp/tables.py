"""The cue tables' format (``data/cues.tsv``, ``data/stance_cues.tsv``): tab-separated, the first
non-comment line names the columns, ``#`` lines and blank lines are skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def load_table(path: Path, parse: Callable[[Iterable[str]], T], empty: Callable[[], T]) -> T:
    """``parse`` over the lines of the table at ``path``; ``empty()`` when the file is missing."""
    try:
        with open(path, encoding="utf-8") as f:
            return parse(f)
    except OSError:
        return empty()


def tsv_rows(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """Each data row as {column: value}; a short row lacks its last columns (read with ``.get``)."""
    header: list[str] | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        yield dict(zip(header, cols, strict=False))
