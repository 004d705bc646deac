"""Floret vectors with a per-word cache (``[nlp.vectors] @vectors = "qawl.cached_vectors.v1"``).

A floret vector is the mean of the rows of the word's hashed character n-grams, and spaCy rebuilds
it for every token of every document: on a 400-word article that was 5 ms, a sixth of the whole
pipeline. News text repeats its words, so each worker keeps the vectors it has computed in a table
(``CACHE_ROWS`` words, 64 floats each: 6.4 MB) and computes only the words it has not seen. The
result is the same array, bit for bit: a word's mean does not depend on the other words of the batch.
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


class CachedVectors(Vectors):  # type: ignore[misc]  # spaCy's class is untyped Cython
    _index: dict[int, int]
    _table: numpy.ndarray[Any, numpy.dtype[numpy.float32]]

    def get_batch(self, batch: Iterable[int | str]) -> Any:
        if self.mode != Mode.floret:
            return super().get_batch(batch)
        keys = [self.strings.as_int(k) if isinstance(k, str) else int(k) for k in batch]
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
        return self._table[[index[k] for k in keys]]


@registry.vectors("qawl.cached_vectors.v1")  # type: ignore[untyped-decorator]
def cached_vectors() -> Callable[[Vocab], Vectors]:
    def make(vocab: Vocab) -> Vectors:
        return CachedVectors(strings=vocab.strings)

    return make
