"""Splitting many documents into ``/v1/batch`` requests, and reporting progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TextIO, TypeAlias

import msgspec

from .types import BatchDocument, BatchItem, Problem, StoryDocument

DocumentInput: TypeAlias = str | tuple[str, str] | BatchDocument
"""A text, an ``(id, text)`` pair, or a :class:`~qawl.types.BatchDocument`."""

StoryDocumentInput: TypeAlias = Mapping[str, str] | tuple[str, str] | StoryDocument
"""A ``{"id": ..., "text": ...}`` mapping, an ``(id, text)`` pair, or a :class:`~qawl.types.StoryDocument`:
a story's documents always have ids (the view's offsets name their document by it)."""

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each finished request."""

DEFAULT_BATCH_SIZE = 32
DEFAULT_MAX_BATCH_BYTES = 1_500_000
"""Body bytes per ``/v1/batch`` request: below the service's default 2 MiB body limit."""
_ENVELOPE_BYTES = 256  # {"documents":[...],"features":[...],"targets":[...]} around the documents
_encode = msgspec.json.Encoder().encode


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


def to_story_documents(items: Iterable[StoryDocumentInput]) -> list[StoryDocument]:
    docs: list[StoryDocument] = []
    for n, item in enumerate(items):
        if isinstance(item, StoryDocument):
            docs.append(item)
        elif isinstance(item, tuple) and len(item) == 2:
            docs.append(StoryDocument(id=item[0], text=item[1]))
        elif isinstance(item, Mapping):
            missing = [k for k in ("id", "text") if k not in item]
            if missing:
                raise TypeError(f"documents[{n}] has no {' or '.join(repr(k) for k in missing)}: {item!r}")
            extra = set(item) - {"id", "text"}
            if extra:
                raise TypeError(
                    f"documents[{n}] has unknown keys {sorted(extra)}: a story document is id and text"
                )
            docs.append(StoryDocument(id=item["id"], text=item["text"]))
        else:
            raise TypeError(
                f"expected an {{'id', 'text'}} mapping, an (id, text) pair or a StoryDocument, got {item!r}"
            )
    return docs


def chunks(
    docs: Sequence[BatchDocument], size: int, max_bytes: int = DEFAULT_MAX_BATCH_BYTES
) -> list[list[BatchDocument]]:
    """Consecutive groups of at most ``size`` documents whose JSON body stays under ``max_bytes``
    (a single document over it goes alone: the service answers for it)."""
    if size < 1:
        raise ValueError(f"batch_size must be >= 1, got {size}")
    if max_bytes < 1:
        raise ValueError(f"max_batch_bytes must be >= 1, got {max_bytes}")
    out: list[list[BatchDocument]] = []
    current: list[BatchDocument] = []
    used = _ENVELOPE_BYTES
    for doc in docs:
        n = len(_encode(doc)) + 1
        if current and (len(current) >= size or used + n > max_bytes):
            out.append(current)
            current, used = [], _ENVELOPE_BYTES
        current.append(doc)
        used += n
    if current:
        out.append(current)
    return out


def halves(chunk: Sequence[BatchDocument]) -> tuple[list[BatchDocument], list[BatchDocument]]:
    mid = len(chunk) // 2
    return list(chunk[:mid]), list(chunk[mid:])


def too_large(doc: BatchDocument, problem: Problem | None) -> BatchItem:
    """The result of a document the service refused alone with a 413: an error, not an exception."""
    error = problem or Problem(
        status=413, title="Payload too large", detail="The document is over the body limit."
    )
    return BatchItem(id=doc.id, ok=False, error=error)


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
