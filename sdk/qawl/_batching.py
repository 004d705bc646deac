"""Splitting many documents into ``/v1/batch`` requests, and reporting progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO, TypeAlias

from .types import BatchDocument, BatchItem

DocumentInput: TypeAlias = str | tuple[str, str] | BatchDocument
"""A text, an ``(id, text)`` pair, or a :class:`~qawl.types.BatchDocument`."""

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each finished request."""

DEFAULT_BATCH_SIZE = 32


def to_documents(items: Iterable[DocumentInput]) -> list[BatchDocument]:
    docs: list[BatchDocument] = []
    for item in items:
        if isinstance(item, BatchDocument):
            docs.append(item)
        elif isinstance(item, str):
            docs.append(BatchDocument(text=item))
        elif isinstance(item, tuple) and len(item) == 2:
            docs.append(BatchDocument(id=item[0], text=item[1]))
        else:
            raise TypeError(f"expected a text, an (id, text) pair or a BatchDocument, got {item!r}")
    return docs


def chunks(docs: Sequence[BatchDocument], size: int) -> list[list[BatchDocument]]:
    if size < 1:
        raise ValueError(f"batch_size must be >= 1, got {size}")
    return [list(docs[i : i + size]) for i in range(0, len(docs), size)]


class ProgressBar:
    """A dependency-free progress bar on stderr: ``[#####.....] 120/240 documents``."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        end = "\n" if done >= total else ""
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} documents{end}")
        self.stream.flush()


def progress_callback(progress: bool | ProgressCallback | None) -> ProgressCallback | None:
    if progress is True:
        return ProgressBar()
    if progress is False or progress is None:
        return None
    return progress


def flatten(results: Sequence[Sequence[BatchItem]]) -> list[BatchItem]:
    return [item for chunk in results for item in chunk]
