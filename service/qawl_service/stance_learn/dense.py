"""Dense features of a candidate: the mean static word vectors of its target, the words around it, its
holder and its context, two products and four cosines (stop 22, docs/stance.md "Stop 22: dense
features").

The vectors are the pipeline's own floret table (the model directory's ``vocab/vectors``, the table
both tok2vecs embed; nlp/vectors.py), looked up by the normalized word as the pipeline does (its NORM).
A floret row is the mean of the rows of the word's hashed character n-grams: spaCy's ``Vectors`` computes
it once per word here and the row is kept (``WordVectors``). The scorer's dense weights were trained on
the vectors of one model: ``fingerprint`` (saved with the weights) says which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .candidates import Candidate, Tokens
from .features import DocTokens, own_parts

VOCAB = Path(__file__).resolve().parents[1] / "models" / "qawl_ar_news" / "vocab"
LEFT, NEAR, RIGHT = 8, 3, 2  # the windows around the target (features.py's lb:, l1:-l3:, r1:-r2:)
# The columns, in order: the mean vectors of the target's words, the LEFT words before it in the context,
# the RIGHT after it, the whole context (the quote content or the sentence), the holder phrase and the
# NEAR words before the target; the element-wise products target × left and target × holder; the cosines
# of the target with the left window, the context, the holder and the near window.
BLOCKS = ("target", "left", "right", "context", "holder", "near", "target*left", "target*holder")
COSINES = ("left", "context", "holder", "near")
SPEC = (*BLOCKS, *(f"cos:{b}" for b in COSINES))  # saved with the weights, checked when they load


class WordVectors:
    """word -> its floret vector (float32), computed once per word (at most ``cap`` words kept: 50,000
    rows of 64 floats are 13 MB, nlp/vectors.py keeps 25,000 for the tok2vecs)."""

    def __init__(self, vectors: Any, cap: int = 50_000) -> None:
        self.vectors = vectors
        self.dim = int(vectors.shape[1])
        self.cap = cap
        self._rows: dict[str, np.ndarray] = {}
        self._zero = np.zeros(self.dim, dtype=np.float32)

    @classmethod
    def load(cls, vocab: Path = VOCAB) -> WordVectors:
        from spacy.strings import StringStore
        from spacy.vectors import Vectors

        return cls(Vectors(strings=StringStore()).from_disk(vocab))

    def fingerprint(self) -> str:
        """The table's identity: its shape, floret settings and the SHA-1 of its rows."""
        v = self.vectors
        data = np.ascontiguousarray(np.asarray(v.data, dtype=np.float32))
        head = f"{v.mode}:{v.shape[0]}x{v.shape[1]}:{v.minn}-{v.maxn}:{v.hash_count}:{v.hash_seed}"
        return head + ":" + hashlib.sha1(data.tobytes()).hexdigest()

    def rows(self, words: Sequence[str]) -> list[np.ndarray]:
        got = self._rows
        missing = [w for w in dict.fromkeys(words) if w not in got]
        if not missing:
            return [got[w] for w in words]
        new = dict(zip(missing, np.asarray(self.vectors.get_batch(missing), dtype=np.float32), strict=True))
        out = [got[w] if w in got else new[w] for w in words]
        if len(got) + len(new) > self.cap:
            got.clear()  # full: start over
        got.update(new)
        return out

    def mean(self, words: Sequence[str]) -> np.ndarray:
        """The mean vector of ``words`` (summed in float64, rounded to float32), zeros for none."""
        if not words:
            return self._zero
        return np.asarray(np.mean(np.asarray(self.rows(words), dtype=np.float64), axis=0), dtype=np.float32)


def width(dim: int) -> int:
    """The number of dense columns for vectors of ``dim`` values."""
    return len(BLOCKS) * dim + len(COSINES)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosines of two (n, dim) arrays, 0 where either row is zeros."""
    den = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    dot = np.einsum("ij,ij->i", a, b)
    return np.asarray(np.divide(dot, den, out=np.zeros_like(dot), where=den > 0))


def _prefix(dt: DocTokens, wv: WordVectors) -> np.ndarray:
    """(tokens + 1, dim) float64: the running sums of the document's word vectors (kept in ``dt``), so
    the mean of any token range is one difference."""
    got = dt.dense.get("prefix")
    if got is None:
        rows = wv.rows(dt.norms)
        got = np.zeros((len(rows) + 1, wv.dim), dtype=np.float64)
        if rows:
            np.cumsum(np.asarray(rows, dtype=np.float64), axis=0, out=got[1:])
        dt.dense["prefix"] = got
    return got


def _means(prefix: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The mean vectors (float32) of the token ranges [a, b), zeros for an empty one."""
    n = np.maximum(b - a, 0)
    sums = prefix[np.maximum(a, b)] - prefix[a]  # a range with b <= a sums to zeros
    return np.asarray(sums / np.maximum(n, 1)[:, None], dtype=np.float32)


def dense_rows(cands: list[Candidate], dt: DocTokens, wv: WordVectors) -> np.ndarray:
    """The dense columns of candidates of one document ((n, ``width``) float32: ``BLOCKS``, then
    ``COSINES``), all rows at once: a token range's mean is a difference of the document's running sums
    (``_prefix``); a holder's mean is made once per name (kept in ``dt``)."""
    if not cands:
        return np.zeros((0, width(wv.dim)), dtype=np.float32)
    span = np.array([own_parts(c, dt)[2] for c in cands], dtype=np.int64).reshape(len(cands), 4)
    i0, i1, k0, k1 = span[:, 0], span[:, 1], span[:, 2], span[:, 3]
    prefix = _prefix(dt, wv)
    t = _means(prefix, i0, i1)
    left = _means(prefix, np.maximum(k0, i0 - LEFT), i0)
    right = _means(prefix, i1, np.minimum(k1, i1 + RIGHT))
    ctx = _means(prefix, k0, k1)
    near = _means(prefix, np.maximum(k0, i0 - NEAR), i0)
    cache = dt.dense
    holders: dict[str, int] = {}
    hi = [holders.setdefault(c.holder, len(holders)) for c in cands]
    hm = []
    for name in holders:
        h = cache.get(name)
        if h is None:
            h = cache[name] = wv.mean(Tokens(name).norms)
        hm.append(h)
    h = np.stack(hm)[np.asarray(hi)]
    cos = np.stack([_cosines(t, v) for v in (left, ctx, h, near)], axis=1)
    return np.concatenate((t, left, right, ctx, h, near, t * left, t * h, cos), axis=1, dtype=np.float32)


def dense_row(c: Candidate, dt: DocTokens, wv: WordVectors) -> np.ndarray:
    """One candidate's ``dense_rows`` (the same values as its row among others')."""
    return np.asarray(dense_rows([c], dt, wv)[0])


def dense_matrix(cands: list[Candidate], texts: list[str], wv: WordVectors) -> np.ndarray:
    """The ``dense_rows`` of candidates of any documents (float32, a row each, in their order)."""
    out = np.zeros((len(cands), width(wv.dim)), dtype=np.float32)
    by_doc: dict[int, list[int]] = {}
    for r, c in enumerate(cands):
        by_doc.setdefault(c.doc_index, []).append(r)
    for d, rows in by_doc.items():
        out[rows] = dense_rows([cands[r] for r in rows], DocTokens(texts[d]), wv)
    return out
