"""``load_corpus(split)``: QNC records with their article text, for training and evaluation."""

from __future__ import annotations

from pathlib import Path

import msgspec

from qawl_service.corpus.schema import SPLITS, Record, decoder
from qawl_service.corpus.sources import REPO, texts

CORPUS_DIR = REPO / "corpus" / "qnc"


class Article(msgspec.Struct):
    record: Record
    text: str


class CorpusUnavailable(RuntimeError):
    """The article text is read from ../shared, which is not here."""


def read_records(split: str, corpus_dir: Path = CORPUS_DIR) -> list[Record]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    path = corpus_dir / f"{split}.jsonl"
    if not path.exists():
        return []
    with open(path, "rb") as f:
        return [decoder.decode(line) for line in f if line.strip()]


def load_corpus(
    split: str, *, corpus_dir: Path = CORPUS_DIR, shared: Path | None = None, synthetic: bool = True
) -> list[Article]:
    """The annotated articles of ``split`` with their text (raises CorpusUnavailable without ../shared).

    Every span is checked against the text it was annotated on: a head that no longer matches
    raises ValueError rather than training on shifted offsets.
    """
    records = [r for r in read_records(split, corpus_dir) if synthetic or r.source != "synthetic"]
    available = texts(shared)
    missing = [r.id for r in records if r.id not in available]
    if missing:
        raise CorpusUnavailable(
            f"{len(missing)} {split} articles have no text here (first: {missing[0]}); ../shared is needed"
        )
    from qawl_service.corpus.validate import record_errors

    out = []
    for r in records:
        errors = record_errors(r, available[r.id])
        if errors:
            raise ValueError(f"{r.id}: {errors[0]}")
        out.append(Article(record=r, text=available[r.id]))
    return out
