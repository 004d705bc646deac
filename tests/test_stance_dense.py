"""The learned stance step's dense columns (stop 22, docs/stance.md "Stop 22: dense features"): the mean
word vectors of a candidate's target, windows, holder and context from the shipped floret table, and
weights fitted on standardized columns scoring the raw rows at runtime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qawl_service.nlp.arabic import normalize
from qawl_service.stance_learn.candidates import Candidate
from qawl_service.stance_learn.dense import (
    BLOCKS,
    COSINES,
    SPEC,
    WordVectors,
    dense_matrix,
    dense_row,
    width,
)
from qawl_service.stance_learn.features import DocTokens
from qawl_service.stance_learn.model import N_FEATURES, DenseScale, Scorer, StanceModel, hasher, with_dense

TEXT = "وقال وزير الخارجية إن الحكومة ترفض بشدة قرار مجلس الأمن الأخير بشأن العقوبات على البلاد."


@pytest.fixture(scope="module")
def vectors() -> WordVectors:
    return WordVectors.load()


def _candidate(holder: str = "وزير الخارجية") -> Candidate:
    ctx0 = TEXT.index("الحكومة")
    t0 = TEXT.index("قرار")
    t1 = TEXT.index("الأخير") + len("الأخير")
    return Candidate(
        0, holder, "PER", t0, t1, TEXT[t0:t1], ctx0, len(TEXT) - 1, "indirect", "قال", None, "chunk"
    )


def test_dense_row_is_the_mean_floret_vectors_of_the_windows(vectors: WordVectors) -> None:
    """Each block is the mean of spaCy's floret vectors of the normalized words (the pipeline's NORM):
    the target قرار مجلس الأمن الأخير, the words before it in the context (at most 8, here 3; the near
    window 3), the two after it, the whole context, the holder phrase; then target × left, target ×
    holder and the four cosines."""
    table = vectors.vectors  # spaCy's own floret lookup

    def mean(words: str) -> np.ndarray:
        keys = [normalize(w) for w in words.split()]
        return np.asarray(table.get_batch(keys), dtype=np.float64).mean(axis=0)

    target = mean("قرار مجلس الأمن الأخير")
    left = mean("الحكومة ترفض بشدة")
    right = mean("بشأن العقوبات")
    context = mean("الحكومة ترفض بشدة قرار مجلس الأمن الأخير بشأن العقوبات على البلاد")
    holder = mean("وزير الخارجية")
    row = dense_row(_candidate(), DocTokens(TEXT), vectors)
    assert row.dtype == np.float32 and row.shape == (width(vectors.dim),)
    assert width(vectors.dim) == len(BLOCKS) * vectors.dim + len(COSINES) and len(SPEC) == 12
    d = vectors.dim
    blocks = dict(zip(BLOCKS, (row[k * d : (k + 1) * d] for k in range(len(BLOCKS))), strict=True))
    for name, want in [
        ("target", target),
        ("left", left),
        ("right", right),
        ("context", context),
        ("holder", holder),
        ("near", left),
        ("target*left", target * left),
        ("target*holder", target * holder),
    ]:
        assert np.allclose(blocks[name], want, atol=1e-5), name
    cos = row[len(BLOCKS) * d :]

    def cosine(a: np.ndarray, b: np.ndarray) -> float:
        return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))

    assert np.allclose(cos, [cosine(target, v) for v in (left, context, holder, left)], atol=1e-5)
    assert np.abs(target).sum() > 0 and not np.allclose(target, holder)


def test_dense_rows_are_shared_and_cached_per_document(vectors: WordVectors) -> None:
    """Two holders of one target share the target's blocks and differ in the holder's; the matrix is
    the rows; a word's vector is computed once and an empty window is zeros."""
    a, b = _candidate(), _candidate("الحكومة")
    dt = DocTokens(TEXT)
    ra, rb = dense_row(a, dt, vectors), dense_row(b, dt, vectors)
    d = vectors.dim
    assert np.array_equal(ra[: 4 * d], rb[: 4 * d]) and not np.array_equal(
        ra[4 * d : 5 * d], rb[4 * d : 5 * d]
    )
    m = dense_matrix([a, b], [TEXT], vectors)
    assert np.array_equal(m, np.stack([ra, rb]))
    first = Candidate(0, "x", None, 0, 4, TEXT[:4], 0, len(TEXT), None, None, None, "chunk")
    row = dense_row(first, DocTokens(TEXT), vectors)
    assert not row[d : 2 * d].any()  # nothing before the first word
    assert vectors.rows(["الحكومة"])[0] is vectors.rows(["الحكومة"])[0]


def test_saved_dense_weights_score_raw_rows_as_the_standardized_fit(
    vectors: WordVectors, tmp_path: Path
) -> None:
    """Training standardizes the dense columns (the train mean and sd); the saved weights fold that into
    the dense coefficients and the intercept, so the runtime scores raw rows as scikit-learn scored the
    standardized ones."""
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(22)
    n, w = 600, width(vectors.dim)
    rows = [["bias", f"t:{k % 7}", f"c:{k % 5}"] for k in range(n)]
    raw = rng.normal(3.0, 2.0, size=(n, w)).astype(np.float32)
    # favor when the first column is high, against when the second is, none otherwise
    y = np.where(raw[:, 0] > 4.5, "favor", np.where(raw[:, 1] > 4.5, "against", "none")).tolist()
    mean, sd = raw.astype(np.float64).mean(axis=0), raw.astype(np.float64).std(axis=0) + 1e-6
    scale = DenseScale(vectors, mean, sd)
    x = with_dense(hasher().transform(rows), raw, scale)
    assert x.shape == (n, N_FEATURES + w)
    model = StanceModel.fit(x, y, 1.0, 0.4, scale)
    path = tmp_path / "m.npz"
    model.save(path)
    scorer = Scorer.load(path, vectors)
    want = model.proba(x)
    assert np.abs(scorer.proba(rows, raw) - want).max() <= 1e-9
    assert want[:, 1].max() > 0.5  # not trivially: the dense columns decide
    with pytest.raises(ValueError, match="dense columns"):
        scorer.proba(rows)


def test_dense_weights_need_the_vectors_they_were_trained_with(vectors: WordVectors, tmp_path: Path) -> None:
    w = width(vectors.dim)
    model = StanceModel(
        np.zeros((3, N_FEATURES + w)),
        np.zeros(3),
        0.4,
        dense=DenseScale(vectors, np.zeros(w), np.ones(w)),
    )
    path = tmp_path / "m.npz"
    model.save(path)
    assert Scorer.load(path, vectors).dense_t is not None

    class Other:
        mode, shape, minn, maxn, hash_count, hash_seed = "floret", (2, vectors.dim), 3, 5, 2, 1
        data = np.ones((2, vectors.dim), dtype=np.float32)

    with pytest.raises(ValueError, match="other word vectors"):
        Scorer.load(path, WordVectors(Other()))
