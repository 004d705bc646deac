"""The classifier: a multinomial logistic regression over hashed candidate features, and the decoding
of its scores into one stance per (holder, target) per document."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .candidates import Candidate
from .features import DocTokens, features

N_FEATURES = 2**18
CLASSES = ("none", "favor", "against")


def hasher() -> Any:
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def matrix(cands: list[Candidate], texts: list[str]) -> Any:
    cache: dict[int, DocTokens] = {}
    rows = []
    for c in cands:
        dt = cache.get(c.doc_index)
        if dt is None:
            dt = cache[c.doc_index] = DocTokens(texts[c.doc_index])
        rows.append(features(c, dt))
    return hasher().transform(rows)


@dataclass
class StanceModel:
    coef: np.ndarray  # (3, N_FEATURES) float32, rows in CLASSES order
    intercept: np.ndarray
    threshold: float

    @classmethod
    def fit(cls, x: Any, y: list[str], c: float, threshold: float = 0.5) -> StanceModel:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
        clf.fit(x, y)
        order = [list(clf.classes_).index(k) for k in CLASSES]
        return cls(clf.coef_[order].astype(np.float32), clf.intercept_[order].astype(np.float32), threshold)

    def proba(self, x: Any) -> np.ndarray:
        z = x @ self.coef.T + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        from scipy import sparse

        coef = sparse.csr_matrix(self.coef)  # most hashed columns are never seen: stored sparse
        with open(path, "wb") as f:
            pickle.dump({"coef": coef, "intercept": self.intercept, "threshold": self.threshold}, f)

    @classmethod
    def load(cls, path: Path) -> StanceModel:
        with open(path, "rb") as f:
            d = pickle.load(f)
        return cls(np.asarray(d["coef"].todense(), dtype=np.float32), d["intercept"], d["threshold"])


def decode(cands: list[Candidate], proba: np.ndarray, threshold: float) -> list[tuple[Candidate, str, float]]:
    """Candidates whose stance probability (1 - P(none)) reaches ``threshold``, best first, one per holder
    and overlapping target in a document; the label is the likelier of favor and against."""
    from qawl_service.nlp.arabic import normalize

    scored = []
    for c, p in zip(cands, proba, strict=True):
        s = 1.0 - float(p[0])
        if s >= threshold:
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
