"""The learned stance step as shipped (issue 20; docs/stance.md "The learned step in the pipeline"):
numpy-only scoring equal to the trained model's, the hash equal to scikit-learn's, the packaged weights
and their record, and the step inside ``qawl_stance``."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qawl_service.analyzer import Analyzer
from qawl_service.nlp.stance_learned import DEFAULT_WEIGHTS, LearnedStances
from qawl_service.stance_learn.model import CLASSES, N_FEATURES, Scorer, feature_index

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "stance" / "learned_reference.json.gz"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _reference() -> dict:
    return json.loads(gzip.decompress(REFERENCE.read_bytes()))


def test_runtime_scores_equal_the_trained_models() -> None:
    """training/train_stance.py stored scikit-learn's predict_proba (its FeatureHasher, the fitted
    LogisticRegression) on 300 candidates of the seeds; the runtime hashes and scores them with numpy."""
    ref = _reference()
    assert ref["n_features"] == N_FEATURES and tuple(ref["classes"]) == CLASSES
    rows = [r["features"] for r in ref["rows"]]
    want = np.array([r["proba"] for r in ref["rows"]])
    assert len(rows) >= 300
    got = Scorer.load(DEFAULT_WEIGHTS).proba(rows)
    assert np.abs(got - want).max() <= 1e-9
    # and not trivially: the sample holds stances above the threshold and confident nones
    assert (1 - want[:, 0] >= 0.3).sum() >= 5 and (want[:, 0] > 0.9).sum() >= 50


def test_hash_is_scikit_learns_feature_hasher() -> None:
    sklearn_hashing = pytest.importorskip("sklearn.feature_extraction")
    rng = random.Random(20)
    strings = [f for r in _reference()["rows"] for f in r["features"]]
    strings += ["", "bias", "x" * 500, "t:الحكومة", "lcue3:verb:against|neg=True", "\u200f«»"]
    strings += [
        "".join(chr(rng.randint(0x20, 0x6FF)) for _ in range(rng.randint(0, 30))) for _ in range(20000)
    ]
    for n in (N_FEATURES, 2**10, 7):
        x = sklearn_hashing.FeatureHasher(n_features=n, input_type="string", alternate_sign=False)
        got = x.transform([[s] for s in strings])
        assert list(got.indices) == [feature_index(s, n) for s in strings]
        assert set(got.data) == {1.0}
    # duplicates add up, as in the runtime's row sums
    rows = [["a", "b", "a", "ب", "a"]]
    dense = sklearn_hashing.FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)
    m = dense.transform(rows)
    assert m[0, feature_index("a")] == 3.0 and m[0, feature_index("ب")] == 1.0


def test_runtime_needs_no_scikit_learn() -> None:
    code = (
        "import sys; sys.modules['sklearn'] = None; sys.modules['scipy'] = None\n"
        "from qawl_service.nlp.stance_learned import LearnedStances\n"
        "s = LearnedStances.load(); print(s.scorer.proba([['bias']]).shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(1, 3)"


def test_weights_are_packaged_with_their_record() -> None:
    assert DEFAULT_WEIGHTS.stat().st_size < 5_000_000
    meta = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text(encoding="utf-8"))
    scorer = Scorer.load(DEFAULT_WEIGHTS)
    assert meta["config"]["threshold"] == scorer.threshold
    assert meta["config"]["n_features"] == scorer.n_features == N_FEATURES
    dev = meta["scores"]["dev"]
    assert dev["combined"]["triple"]["f"] > dev["rules"]["triple"]["f"]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"nlp/data/**/*"' in pyproject  # package data: the weights ship with the package


def test_context_sums_equal_whole_rows() -> None:
    """The runtime scores a context's features once for all its candidates: the same probabilities."""
    scorer = Scorer.load(DEFAULT_WEIGHTS)
    rows = [r["features"] for r in _reference()["rows"]][:50]
    contexts = [["c:حلب", "ccue:verb:against", "c:حلب"], [], ["c:الحكومة"]]
    own = [r[:20] for r in rows]
    ctx_of = [i % 3 for i in range(len(rows))]
    whole = scorer.proba([o + contexts[k] for o, k in zip(own, ctx_of, strict=True)])
    assert np.abs(scorer.proba_parts(own, contexts, ctx_of) - whole).max() <= 1e-12


@pytest.fixture()
def learned_on(analyzer: Analyzer) -> Iterator[Analyzer]:
    pipe = analyzer.nlp.get_pipe("qawl_stance")
    assert pipe.learned is None  # type: ignore[attr-defined]  # off by default (docs/stance.md)
    pipe.learned = LearnedStances.load()  # type: ignore[attr-defined]
    try:
        yield analyzer
    finally:
        pipe.learned = None  # type: ignore[attr-defined]


def test_the_stance_component_runs_the_learned_step(learned_on: Analyzer) -> None:
    learned = 0
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        stances = learned_on.stance(text, None)[2]
        for s in stances:
            assert 0.0 <= s.confidence <= 1.0
            assert text[s.evidence.start : s.evidence.end] == s.evidence.text
            m = s.target.mention
            assert m is not None and text[m.start : m.end] == m.text
        learned += sum(s.cue is None for s in stances)
        starts = [s.evidence.start for s in stances]
        assert starts == sorted(starts)
    assert learned > 0


def test_the_rule_stances_stay_and_targets_filter_after_the_merge(analyzer: Analyzer) -> None:
    text = SEEDS[2].read_text(encoding="utf-8")
    rules = analyzer.stance(text, None)[2]
    pipe = analyzer.nlp.get_pipe("qawl_stance")
    pipe.learned = LearnedStances.load()  # type: ignore[attr-defined]
    try:
        merged = analyzer.stance(text, None)[2]
        targeted = analyzer.stance(text, ["حلب"])[2]
    finally:
        pipe.learned = None  # type: ignore[attr-defined]
    key = [(s.holder.name, s.target.text, s.label) for s in merged]
    assert all((s.holder.name, s.target.text, s.label) in key for s in rules)
    assert len(merged) > len(rules)
    assert targeted and all(s.target.text == "حلب" for s in targeted)


def test_learned_step_is_switched_on_by_the_environment() -> None:
    code = (
        "from qawl_service.nlp.pipeline import load_pipeline\n"
        "nlp = load_pipeline(); print(type(nlp.get_pipe('qawl_stance').learned).__name__)\n"
    )
    env = {**os.environ, "QAWL_STANCE_LEARNED": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "LearnedStances"
