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
from .features import DocTokens

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
    """word -> its floret vector (float32), computed once per word (at most ``cap`` words kept)."""

    def __init__(self, vectors: Any, cap: int = 200_000) -> None:
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


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 0 and nb > 0 else 0.0


def dense_row(c: Candidate, dt: DocTokens, wv: WordVectors) -> np.ndarray:
    """The candidate's dense columns (``width`` float32 values, ``BLOCKS`` then ``COSINES``). The means
    of its target span and context are kept in ``dt`` (the holders of a chunk share them), the
    holder's in ``dt`` by name."""
    i0, i1 = dt.index(c.target_start), dt.index(c.target_end)
    k0, k1 = dt.index(c.ctx_start), dt.index(c.ctx_end)
    norms, cache = dt.norms, dt.dense
    span = cache.get((i0, i1, k0, k1))
    if span is None:
        t = wv.mean(norms[i0:i1])
        left, near = wv.mean(norms[max(k0, i0 - LEFT) : i0]), wv.mean(norms[max(k0, i0 - NEAR) : i0])
        ctx = cache.get((k0, k1))
        if ctx is None:
            ctx = cache[(k0, k1)] = wv.mean(norms[k0:k1])
        right = wv.mean(norms[i1 : min(k1, i1 + RIGHT)])
        span = cache[(i0, i1, k0, k1)] = (t, left, right, ctx, near)
    t, left, right, ctx, near = span
    holder = cache.get(c.holder)
    if holder is None:
        holder = cache[c.holder] = wv.mean(Tokens(c.holder).norms)
    cos = np.array([_cos(t, v) for v in (left, ctx, holder, near)], dtype=np.float32)
    return np.concatenate((t, left, right, ctx, holder, near, t * left, t * holder, cos))


def dense_matrix(cands: list[Candidate], texts: list[str], wv: WordVectors) -> np.ndarray:
    """The ``dense_row`` of every candidate (float32, a row each)."""
    out = np.zeros((len(cands), width(wv.dim)), dtype=np.float32)
    dts: dict[int, DocTokens] = {}
    for r, c in enumerate(cands):
        dt = dts.get(c.doc_index)
        if dt is None:
            dts.clear()
            dt = dts[c.doc_index] = DocTokens(texts[c.doc_index])
        out[r] = dense_row(c, dt, wv)
    return out
