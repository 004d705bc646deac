"""The classifier: a multinomial logistic regression over hashed candidate features, and the decoding
of its scores into one stance per (holder, target) per document.

Training (``StanceModel.fit``, training/train_stance.py) uses scikit-learn's ``FeatureHasher`` and
``LogisticRegression``; the shipped runtime (``Scorer``) needs numpy alone. The hash is the same:
``FeatureHasher(input_type="string", alternate_sign=False)`` maps a feature string to
``abs(murmurhash3_32(utf8, seed=0)) % n_features`` (signed 32-bit MurmurHash3, x86 variant) with value +1
per occurrence; ``feature_index`` computes it with the ``murmurhash`` package spaCy already depends on
(tests/test_stance_learned.py checks both against each other and the scores against the trained model's).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from murmurhash.mrmr import hash as murmurhash3_32

from .candidates import Candidate, definite_holder
from .features import (
    DocTokens,
    FeatureTable,
    HeadKey,
    TargetKey,
    context_items,
    features,
    head_features,
    own_parts,
    span_items,
    target_features,
)

N_FEATURES = 2**18
CLASSES = ("none", "favor", "against")
_INT32_MIN = -(2**31)


def hasher() -> Any:
    """scikit-learn's hasher (training only)."""
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def feature_index(feature: str, n_features: int = N_FEATURES) -> int:
    """The column ``FeatureHasher`` gives ``feature`` (sklearn/feature_extraction/_hashing_fast.pyx)."""
    h = int(murmurhash3_32(feature, 0))
    if h == _INT32_MIN:  # abs(-2**31) overflows in int32: sklearn defines it as below
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


def feature_rows(cands: list[Candidate], texts: list[str]) -> list[list[str]]:
    cache: dict[int, DocTokens] = {}
    rows = []
    for c in cands:
        dt = cache.get(c.doc_index)
        if dt is None:
            dt = cache[c.doc_index] = DocTokens(texts[c.doc_index])
        rows.append(features(c, dt))
    return rows


def matrix(cands: list[Candidate], texts: list[str]) -> Any:
    """The training matrix (scikit-learn's hasher)."""
    return hasher().transform(feature_rows(cands, texts))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass
class StanceModel:
    coef: np.ndarray  # (3, N_FEATURES) float64, rows in CLASSES order
    intercept: np.ndarray  # (3,) float64
    threshold: float
    clf: Any = None  # the fitted scikit-learn estimator (training only)

    @classmethod
    def fit(cls, x: Any, y: list[str], c: float, threshold: float = 0.5) -> StanceModel:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
        clf.fit(x, y)
        order = [list(clf.classes_).index(k) for k in CLASSES]
        coef = np.asarray(clf.coef_[order], dtype=np.float64)
        return cls(coef, np.asarray(clf.intercept_[order], dtype=np.float64), threshold, clf)

    def proba(self, x: Any) -> np.ndarray:
        """Class probabilities (CLASSES order) of a hashed matrix; the fitted estimator's own when there."""
        if self.clf is not None:
            order = [list(self.clf.classes_).index(k) for k in CLASSES]
            return np.asarray(self.clf.predict_proba(x))[:, order]
        return softmax(np.asarray(x @ self.coef.T) + self.intercept)

    def save(self, path: Path, meta: dict[str, Any] | None = None) -> None:
        """Weights as ``.npz`` (float64; only the columns a training feature reached: the rest are 0)."""
        cols = np.flatnonzero(np.any(self.coef != 0, axis=0)).astype(np.int32)
        np.savez_compressed(
            path,
            columns=cols,
            coef=self.coef[:, cols],
            intercept=self.intercept,
            threshold=np.float64(self.threshold),
            n_features=np.int64(self.coef.shape[1]),
            classes=np.array(CLASSES),
        )
        if meta is not None:
            path.with_suffix(".json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )


class _Columns(dict[str, int]):
    """Feature string -> its hashed column, hashed on the first look-up; at most ``cap`` kept (the
    commonest features, bias, src=..., cue classes, the frequent words, come first and recur)."""

    def __init__(self, n_features: int, cap: int = 200_000) -> None:
        super().__init__()
        self.n_features = n_features
        self.cap = cap

    def __missing__(self, feature: str) -> int:
        i = feature_index(feature, self.n_features)
        if len(self) < self.cap:
            self[feature] = i
        return i


class Scorer:
    """The shipped runtime: the saved weights and the hash, numpy only (no scikit-learn)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, threshold: float, n_features: int) -> None:
        self.coef_t = np.ascontiguousarray(coef.T)  # (n_features, 3): a row per hashed column
        self.intercept = intercept
        self.threshold = threshold
        self.n_features = n_features
        self._index = _Columns(n_features)
        # the span and context features' columns by word
        self.table = FeatureTable(partial(feature_index, n_features=n_features))
        self._heads: dict[HeadKey, tuple[int, ...]] = {}  # head_features' columns by their arguments
        self._targets: dict[TargetKey, tuple[int, ...]] = {}  # target_features' columns likewise

    @classmethod
    def load(cls, path: Path) -> Scorer:
        with np.load(path, allow_pickle=False) as d:
            if tuple(str(c) for c in d["classes"]) != CLASSES:
                raise ValueError(f"{path}: classes {list(d['classes'])}, expected {list(CLASSES)}")
            n = int(d["n_features"])
            coef = np.zeros((len(CLASSES), n), dtype=np.float64)
            coef[:, d["columns"]] = d["coef"]
            return cls(coef, np.asarray(d["intercept"], dtype=np.float64), float(d["threshold"]), n)

    def index(self, feature: str) -> int:
        return self._index[feature]

    def proba(self, rows: list[list[str]]) -> np.ndarray:
        """Class probabilities (CLASSES order) of feature rows: softmax(x @ coef.T + intercept); a
        repeated feature counts each time."""
        return softmax(self._sums(rows) + self.intercept)

    def _sums(self, rows: list[list[str]]) -> np.ndarray:
        """The summed coefficients (n_rows, classes) of feature rows: one index array, one gather, one
        ``reduceat`` for all rows."""
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        col = self._index.__getitem__
        cols = (col(f) for r in rows for f in r)
        return self._reduce(np.fromiter(cols, dtype=np.int64, count=int(lengths.sum())), lengths)

    def _reduce(self, idx: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Row sums of ``coef_t[idx]`` over consecutive runs of ``lengths`` columns (a row's columns in
        its features' order: the same order gives the same float sums)."""
        out = np.zeros((len(lengths), len(CLASSES)), dtype=np.float64)
        if len(idx) == 0:
            return out
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        full = lengths > 0
        out[full] = np.add.reduceat(self.coef_t[idx], starts[full], axis=0)
        return out

    def columns(self, features: Iterable[str]) -> tuple[int, ...]:
        return tuple(map(self._index.__getitem__, features))

    def proba_parts(self, own: list[list[str]], contexts: list[list[str]], ctx_of: list[int]) -> np.ndarray:
        """``proba`` of rows ``own[r] + contexts[ctx_of[r]]``, each context's sum computed once."""
        z = self._sums(own) + self._sums(contexts)[np.asarray(ctx_of, dtype=np.int64)]
        return softmax(z + self.intercept)

    def proba_candidates(self, cands: list[Candidate], dt: DocTokens) -> np.ndarray:
        """``proba_parts`` of the candidates of one document (``own_features`` and ``context_features``):
        the same columns in the same order, but a candidate's head features hashed once per scorer
        (``head_features``: few distinct values), its target's span features once per document (the
        holders of a chunk share them) and its context's once per document."""
        heads, targets, cols = self._heads, self._targets, dt.columns
        flat: list[int] = []
        own_len: list[int] = []  # Python lists, made arrays once: a numpy item store costs a list append's 3x
        contexts: dict[tuple[int, int], int] = {}
        ctx_of: list[int] = []
        for c in cands:
            head, target, span = own_parts(c, dt)
            h = heads.get(head)
            if h is None:
                h = self.columns(head_features(*head))
                if len(heads) < 100_000:
                    heads[head] = h
            t = targets.get(target)
            if t is None:
                t = self.columns(target_features(*target))
                if len(targets) < 100_000:
                    targets[target] = t
            sp = cols.get(span)
            if sp is None:
                sp = cols[span] = span_items(dt, *span, self.table)
            flat += h
            flat += t
            flat += sp
            own_len.append(len(h) + len(t) + len(sp))
            ctx_of.append(contexts.setdefault(span[2:], len(contexts)))
        ctx_flat: list[int] = []
        ctx_len = np.empty(len(contexts), dtype=np.int64)
        for j, k in enumerate(contexts):
            cc = cols.get(k)
            if cc is None:
                cc = cols[k] = context_items(dt, *k, self.table)
            ctx_flat += cc
            ctx_len[j] = len(cc)
        own = self._reduce(
            np.fromiter(flat, dtype=np.int64, count=len(flat)), np.array(own_len, dtype=np.int64)
        )
        ctx = self._reduce(np.fromiter(ctx_flat, dtype=np.int64, count=len(ctx_flat)), ctx_len)
        return softmax(own + ctx[np.array(ctx_of, dtype=np.int64)] + self.intercept)


# A learned stance needs a holder that is an entity or a definite description, and one against or for a
# person a probability of at least PERSON_THRESHOLD: on the seeds the step's false stances were a holder
# against the people it met or quoted and anonymous holders (مسؤولا عسكريا روسيا، تقارير إعلامية), on
# corpus dev the two rules cost one right stance of 66 (stop 20). A definite description (a quote
# speaker or rule holder that is no entity: الموقعون، المتدخلون، أهالي الجهة، الضابط; ``definite_holder``)
# needs a probability of NOMINAL_THRESHOLD, lower than the threshold: the model scores every holder that
# is no entity low (most of them are indefinite or no holder at all: ذلك أول، هذه الزيادة), and 0.25
# measured best on corpus dev with train cross-validation not lower (stop 22, docs/stance.md). None: no
# holder that is no entity (as before stop 22).
PERSON_THRESHOLD = 0.5
NOMINAL_THRESHOLD: float | None = 0.25


def holder_admitted(c: Candidate) -> bool:
    """Whether a candidate's holder may hold a learned stance at all: an entity, or a definite description
    while ``NOMINAL_THRESHOLD`` is set. The others are not scored."""
    return c.holder_label is not None or (NOMINAL_THRESHOLD is not None and definite_holder(c.holder))


def _admitted(c: Candidate, s: float, threshold: float) -> bool:
    if c.holder_label is not None:
        if s < threshold:
            return False
    elif NOMINAL_THRESHOLD is None or s < NOMINAL_THRESHOLD or not definite_holder(c.holder):
        return False
    return c.target_label != "PER" or s >= max(threshold, PERSON_THRESHOLD)


def same_target(a: set[str], b: set[str]) -> bool:
    """Whether two stances of one holder are about the same target: their target tokens
    (``corpus.score._target_tokens``) share at least half of the smaller set. One shared word is not
    always enough ("صورة تونس في بريطانيا" and "مساعدة تونس على تجاوز الأزمة" are two targets): stop 21,
    docs/stance.md."""
    shared = len(a & b)
    return shared > 0 and 2 * shared >= min(len(a), len(b))


def decode(cands: list[Candidate], proba: np.ndarray, threshold: float) -> list[tuple[Candidate, str, float]]:
    """Candidates whose stance probability (1 - P(none)) reaches ``threshold`` (and the two rules above),
    best first, one per holder and overlapping target in a document; the label is the likelier of favor
    and against."""
    from qawl_service.nlp.arabic import normalize

    scored = []
    for c, p in zip(cands, proba, strict=True):
        s = 1.0 - float(p[0])
        if _admitted(c, s, threshold):
            scored.append((s, c, "favor" if p[1] >= p[2] else "against"))
    scored.sort(key=lambda x: -x[0])
    kept: list[tuple[Candidate, str, float]] = []
    for s, c, lab in scored:
        h = normalize(c.holder)
        if any(
            k.doc_index == c.doc_index
            and normalize(k.holder) == h
            and k.target_start < c.target_end
            and c.target_start < k.target_end
            for k, _, _ in kept
        ):
            continue
        kept.append((c, lab, s))
    return kept
