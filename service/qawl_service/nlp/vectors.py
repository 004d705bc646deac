"""Floret vectors with a per-word cache (``[nlp.vectors] @vectors = "qawl.cached_vectors.v1"``).

A floret vector is the mean of the rows of the word's hashed character n-grams, and spaCy rebuilds
it for every token of every document: on a 400-word article that was 5 ms, a sixth of the whole
pipeline. News text repeats its words, so each worker keeps the vectors it has computed in a table
(``CACHE_ROWS`` words, 64 floats each: 6.4 MB) and computes only the words it has not seen. The
result is the same array, bit for bit: a word's mean does not depend on the other words of the batch.

Both tok2vecs (the entities' and the quote roles') embed the same tokens with the same static vectors:
the last few batches' rows are kept by their keys, so the second look-up of a document is one compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy
from spacy.util import registry
from spacy.vectors import Mode, Vectors

if TYPE_CHECKING:
    from spacy.vocab import Vocab

CACHE_ROWS = 25_000
RECENT_BATCHES = 4  # a long document reaches the tok2vecs in slices (tok2vec.py): each is a batch


class CachedVectors(Vectors):  # type: ignore[misc]  # spaCy's class is untyped Cython
    _index: dict[int, int]
    _table: numpy.ndarray[Any, numpy.dtype[numpy.float32]]
    _recent: dict[bytes, Any]

    def get_batch(self, batch: Iterable[int | str]) -> Any:
        if self.mode != Mode.floret:
            return super().get_batch(batch)
        if not isinstance(batch, numpy.ndarray):
            return self._rows([self.strings.as_int(k) if isinstance(k, str) else int(k) for k in batch])
        recent: dict[bytes, Any] = getattr(self, "_recent", {})
        self._recent = recent
        key = batch.astype(numpy.uint64, copy=False).tobytes()
        rows = recent.get(key)
        if rows is None:  # the rows are read, never written, by the layers (spacy.ml.staticvectors)
            rows = recent[key] = self._rows(batch.tolist())
            if len(recent) > RECENT_BATCHES:
                del recent[next(iter(recent))]
        return rows

    def _rows(self, keys: list[int]) -> Any:
        index: dict[int, int] = getattr(self, "_index", {})
        missing = list(dict.fromkeys(k for k in keys if k not in index))
        if not hasattr(self, "_table") or len(index) + len(missing) > len(self._table):
            index = self._index = {}  # first use, or full: start over
            missing = list(dict.fromkeys(keys))
            self._table = numpy.zeros((max(CACHE_ROWS, len(missing)), self.data.shape[1]), dtype="float32")
        if missing:
            start = len(index)
            self._table[start : start + len(missing)] = super().get_batch(missing)
            index.update(zip(missing, range(start, start + len(missing)), strict=True))
        return self._table[numpy.fromiter(map(index.__getitem__, keys), dtype=numpy.intp, count=len(keys))]


@registry.vectors("qawl.cached_vectors.v1")  # type: ignore[untyped-decorator]
def cached_vectors() -> Callable[[Vocab], Vectors]:
    def make(vocab: Vocab) -> Vectors:
        return CachedVectors(strings=vocab.strings)

    return make
