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
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from qawl_service.analyzer import Analyzer
from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.stance_learned import DEFAULT_WEIGHTS
from qawl_service.stance_learn.candidates import Candidate, Tokens, candidates, definite_holder, tokenize
from qawl_service.stance_learn.dense import dense_matrix
from qawl_service.stance_learn.features import (
    DocTokens,
    context_features,
    context_key,
    cue_hits,
    cue_table,
    features,
    own_features,
)
from qawl_service.stance_learn.model import (
    CLASSES,
    N_FEATURES,
    NEGATION_WINDOW,
    NOMINAL_THRESHOLD,
    RANK_WEIGHT,
    Scorer,
    decode,
    feature_index,
    negated,
    rank_adjust,
)

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "stance" / "learned_reference.json.gz"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _reference() -> dict:
    return json.loads(gzip.decompress(REFERENCE.read_bytes()))


def _reference_dense(ref: dict) -> np.ndarray | None:
    """The reference rows' dense columns (stop 22), None for weights without them."""
    return np.array([r["dense"] for r in ref["rows"]]) if "dense" in ref["rows"][0] else None


def test_runtime_scores_equal_the_trained_models() -> None:
    """training/train_stance.py stored scikit-learn's predict_proba (its FeatureHasher, the fitted
    LogisticRegression) on 300 candidates of the seeds; the runtime hashes and scores them with numpy."""
    ref = _reference()
    assert ref["n_features"] == N_FEATURES and tuple(ref["classes"]) == CLASSES
    rows = [r["features"] for r in ref["rows"]]
    want = np.array([r["proba"] for r in ref["rows"]])
    assert len(rows) >= 300
    scorer = Scorer.load(DEFAULT_WEIGHTS)
    got = scorer.proba(rows, _reference_dense(ref))
    assert np.abs(got - want).max() <= 1e-9
    # and not trivially: the sample holds stances above the threshold and confident nones
    assert (1 - want[:, 0] >= 0.3).sum() >= 5 and (want[:, 0] > 0.9).sum() >= 50
    # the target ranker's scores (stop 27: training x @ rank, standardized dense columns) likewise
    assert scorer.rank is not None
    want_rank = np.array([r["rank"] for r in ref["rows"]])
    assert np.abs(scorer.rank_scores(rows, _reference_dense(ref)) - want_rank).max() <= 1e-9
    assert want_rank.std() > 0.1


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
        "import numpy as np; s = LearnedStances.load(); t = s.scorer.dense_t\n"
        "print(s.scorer.proba([['bias']], None if t is None else np.zeros((1, len(t)))).shape)\n"
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
    ref = _reference()
    rows = [r["features"] for r in ref["rows"]][:50]
    dense = _reference_dense(ref)
    dense = None if dense is None else dense[:50]
    contexts = [["c:حلب", "ccue:verb:against", "c:حلب"], [], ["c:الحكومة"]]
    own = [r[:20] for r in rows]
    ctx_of = [i % 3 for i in range(len(rows))]
    whole = scorer.proba([o + contexts[k] for o, k in zip(own, ctx_of, strict=True)], dense)
    assert np.abs(scorer.proba_parts(own, contexts, ctx_of, dense) - whole).max() <= 1e-12


def _seed_candidates(analyzer: Analyzer) -> Iterator[tuple[str, list[Candidate], DocTokens]]:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        with rules_only(analyzer):
            a = analyzer.analyze(text, ["entities", "quotes", "stance"], None)
        dt = DocTokens(text)
        cands = candidates(0, text, a, tokens=dt)
        assert cands == candidates(0, text, a)  # the chunks read from the text's tokens: the same
        yield text, cands, dt


def test_runtime_columns_are_the_training_features(analyzer: Analyzer) -> None:
    """The runtime hashes a candidate's head, target span and context once each (``proba_candidates``):
    the same columns in the same order as the training features' strings, so the same float sums as
    ``proba_parts`` over ``own_features`` + ``context_features``, bit for bit."""
    scorer = Scorer.load(DEFAULT_WEIGHTS)
    n = 0
    for text, cands, dt in _seed_candidates(analyzer):
        keys: dict[tuple[int, int], int] = {}
        ctx_of = [keys.setdefault(context_key(c, dt), len(keys)) for c in cands]
        contexts = [context_features(dt, *k) for k in keys]
        own = [own_features(c, dt) for c in cands]
        dense = None if scorer.vectors is None else dense_matrix(cands, [text] * 1, scorer.vectors)
        want = scorer.proba_parts(own, contexts, ctx_of, dense)
        assert np.array_equal(scorer.proba_candidates(cands, DocTokens(text)), want)
        whole = scorer.proba([features(c, DocTokens(text)) for c in cands], dense)
        assert np.abs(whole - want).max() <= 1e-12
        # what decode reads: the same probabilities with the ranker's share of the same rows (stop 27)
        rank = scorer.rank_scores([features(c, DocTokens(text)) for c in cands], dense)
        adjusted = scorer.scores_candidates(cands, DocTokens(text))
        assert np.abs(adjusted - rank_adjust(cands, want, rank, RANK_WEIGHT)).max() <= 1e-9
        n += len(cands)
    assert n >= 300


def test_span_tokens_and_cue_lookup_equal_the_plain_ones() -> None:
    """``Tokens.span`` (the document's tokens cut to a span) is ``tokenize`` of the span, a cut word
    included; ``cue_hits`` by the lemma's first letters is the scan of the whole cue table."""
    rng = random.Random(21)
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        toks = Tokens(text)
        for _ in range(300):
            a = rng.randint(0, len(text))
            b = min(len(text), a + rng.randint(0, 80))
            assert toks.span(a, b) == tokenize(text, a, b)
        assert toks.span(len(text), len(text)) == [] and toks.span(0, len(text)) == tokenize(text)
        assert toks.tokens == tokenize(text)  # one re.split and running lengths: the same offsets
    for text in ("", " ", "كلمة", " x، y ", "...", "٣ أيام"):
        assert Tokens(text).tokens == tokenize(text)

    def scan(word: str) -> tuple[str, ...]:
        out = []
        for lemma, cls, pol in cue_table():
            i = word.find(lemma[:3])
            if 0 <= i <= 3 and lemma[: max(3, len(lemma) - 1)] in word:
                out += [f"{cls}:{pol}", f"lemma:{lemma}"]
        return tuple(out)

    words = {t.norm for p in SEEDS for t in tokenize(p.read_text(encoding="utf-8"))}
    words |= {"و" + lemma for lemma, _, _ in cue_table()} | {"", "اب", "والاستنكار", "يدينون"}
    assert sum(bool(scan(w)) for w in words) >= 100
    for w in words:
        assert cue_hits(w) == scan(w), w


@contextmanager
def rules_only(analyzer: Analyzer) -> Iterator[Analyzer]:
    """The stance component without its learned step (what the training candidates read)."""
    pipe = analyzer.nlp.get_pipe("qawl_stance")
    learned = pipe.learned  # type: ignore[attr-defined]
    assert learned is not None  # on by default (docs/stance.md)
    pipe.learned = None  # type: ignore[attr-defined]
    try:
        yield analyzer
    finally:
        pipe.learned = learned  # type: ignore[attr-defined]


def test_the_stance_component_runs_the_learned_step(analyzer: Analyzer) -> None:
    learned = 0
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        stances = analyzer.stance(text, None)[2]
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
    with rules_only(analyzer):
        rules = analyzer.stance(text, None)[2]
    merged = analyzer.stance(text, None)[2]
    targeted = analyzer.stance(text, ["حلب"])[2]
    key = [(s.holder.name, s.target.text, s.label) for s in merged]
    assert all((s.holder.name, s.target.text, s.label) in key for s in rules)
    assert len(merged) > len(rules)
    assert targeted and all(s.target.text == "حلب" for s in targeted)


@pytest.mark.parametrize(
    ("value", "step"), [(None, "LearnedStances"), ("1", "LearnedStances"), ("0", "NoneType")]
)
def test_learned_step_is_on_unless_the_environment_switches_it_off(value: str | None, step: str) -> None:
    code = (
        "from qawl_service.nlp.pipeline import load_pipeline\n"
        "nlp = load_pipeline(); print(type(nlp.get_pipe('qawl_stance').learned).__name__)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QAWL_STANCE_LEARNED"}
    if value is not None:
        env["QAWL_STANCE_LEARNED"] = value
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == step


def test_arabic_punctuation_breaks_candidate_words() -> None:
    words = [t.norm for t in tokenize("الغرفة التجارية بأبها، حاثا الجميع؛ لماذا؟")]
    assert len(words) == 6 and not any(ch in w for w in words for ch in "،؛؟"), words
    assert len(tokenize("حلب, دمشق")) == 2  # control: the Latin comma always did


def test_no_candidate_target_names_its_own_holder(analyzer: Analyzer) -> None:
    for _text, cands, _dt in _seed_candidates(analyzer):
        for c in cands:
            if c.source != "rule" and c.holder.strip():
                assert normalize(c.holder) not in normalize(c.target), (c.holder, c.target)


def test_decode_needs_a_named_holder_and_more_evidence_against_a_person() -> None:
    def cand(holder_label: str | None, target_label: str | None, start: int) -> Candidate:
        return Candidate(
            0, "كيري", holder_label, start, start + 4, "هدف", 0, 50, None, None, target_label, "chunk"
        )

    cands = [cand("PER", "ORG", 0), cand(None, "ORG", 10), cand("PER", "PER", 20), cand("PER", "PER", 30)]
    # P(none), P(favor), P(against): stance probabilities 0.45, 0.9, 0.45, 0.6
    proba = np.array([[0.55, 0.05, 0.4], [0.1, 0.1, 0.8], [0.55, 0.05, 0.4], [0.4, 0.1, 0.5]])
    kept = [(c.target_start, lab) for c, lab, _ in decode(cands, proba, 0.4)]
    # an ORG target at 0.45 stays (control); no holder entity: dropped; a person: 0.45 dropped, 0.6 kept
    assert sorted(kept) == [(0, "against"), (30, "against")]


def test_decode_admits_a_definite_description_as_holder() -> None:
    """Stop 22: a holder that is no entity holds a learned stance when it is a definite description (a
    quote speaker read as a phrase: الموقعون، أهالي الجهة) and its stance probability reaches
    NOMINAL_THRESHOLD; an indefinite or demonstrative phrase never (the seeds' anonymous false holders)."""

    def cand(holder: str, start: int) -> Candidate:
        return Candidate(0, holder, None, start, start + 4, "هدف", 0, 50, None, None, None, "chunk")

    holders = ["الموقعون", "أهالي الجهة", "مسؤولا عسكريا روسيا", "تقارير إعلامية موازية", "هذه الزيادة"]
    cands = [cand(h, 10 * k) for k, h in enumerate(holders)] + [cand("المتدخلون", 60)]
    # stance probability 0.3 for the five (over NOMINAL_THRESHOLD, under the threshold), 0.2 for the last
    proba = np.array([[0.7, 0.3, 0.0]] * len(holders) + [[0.8, 0.2, 0.0]])
    assert NOMINAL_THRESHOLD is not None and 0.2 < NOMINAL_THRESHOLD <= 0.3
    kept = [c.holder for c, _, _ in decode(cands, proba, 0.4)]
    assert kept == ["الموقعون", "أهالي الجهة"]
    assert [definite_holder(h) for h in holders] == [True, True, False, False, False]


def test_decode_drops_a_candidate_with_a_negation_before_its_target() -> None:
    """Stop 22 (dense features): a negation (لن، لم، لا، عدم ...) among the NEGATION_WINDOW words before a
    target in its context: no learned stance (the guideline's negated statements; tests/test_stance.py's
    negation case), whatever its probability; a negation further back or outside the context does not
    count."""
    text = "لن نقبل ذلك. وأعلنت روسيا أنها لن تطلب من النظام التوقف عن قصف حلب وطالبت بدعم الحكومة السورية."
    ctx0 = text.index("وأعلنت")

    def cand(target: str) -> Candidate:
        t0 = text.index(target)
        return Candidate(
            0, "روسيا", "LOC", t0, t0 + len(target), target, ctx0, len(text), None, None, None, "chunk"
        )

    cands = [cand("النظام"), cand("الحكومة"), cand("وأعلنت روسيا")]
    tokens = Tokens(text)
    assert NEGATION_WINDOW == 4
    assert [negated(c, tokens) for c in cands] == [True, False, False]
    proba = np.array([[0.1, 0.1, 0.8], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1]])
    kept = [c.target for c, _, _ in decode(cands, proba, 0.4, [negated(c, tokens) for c in cands])]
    assert kept == ["وأعلنت روسيا", "الحكومة"]
    assert len(decode(cands, proba, 0.4)) == 3  # without the flags: as before


def test_decode_needs_more_evidence_in_a_context_without_a_cue_word() -> None:
    """Stop 26: a context (quote content or sentence) where no word hits a favor or against row of the
    stance cue table (``Candidate.evaluative``) holds a learned stance only at UNEVALUATED_THRESHOLD; a
    context with such a word (تدعم) keeps the plain threshold (control)."""
    from qawl_service.stance_learn.candidates import _mark_evaluative
    from qawl_service.stance_learn.model import UNEVALUATED_THRESHOLD

    text = "قال الوزير إن الحكومة تدعم المشروع الجديد. وقال الوزير إن الاجتماع عقد في العاصمة أمس."
    s1 = text.index(".") + 1

    def cand(target: str, c0: int, c1: int) -> Candidate:
        t0 = text.index(target)
        return Candidate(0, "الوزير", "PER", t0, t0 + len(target), target, c0, c1, None, None, None, "chunk")

    cands = [cand("المشروع الجديد", 0, s1), cand("الاجتماع", s1, len(text)), cand("العاصمة", s1, len(text))]
    _mark_evaluative(cands, Tokens(text))
    assert [c.evaluative for c in cands] == [True, False, False]
    assert UNEVALUATED_THRESHOLD is not None and 0.5 < UNEVALUATED_THRESHOLD <= 0.65
    # stance probabilities 0.5, 0.5, 0.65: over the threshold (0.4) all three
    proba = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.35, 0.65, 0.0]])
    kept = [c.target for c, _, _ in decode(cands, proba, 0.4)]
    assert kept == ["العاصمة", "المشروع الجديد"]


def test_the_ranker_moves_a_stance_inside_its_group() -> None:
    """Stop 27: decode reads logit(s) + RANK_WEIGHT * (r - the group's log-mean-exp of r), a group being
    one holder's candidates in one context. Two targets of one quote at the same stance probability: the
    one the ranker puts first passes the threshold, the other does not (without the ranker both pass);
    a candidate alone in its group (another context) keeps its probability (control)."""
    text = "قال الوزير إن الحكومة تدعم المشروع الجديد والخطة. وقال الوزير إنه يؤيد الاتفاق."
    s1 = text.index(".") + 1

    def cand(target: str, c0: int, c1: int) -> Candidate:
        t0 = text.index(target)
        return Candidate(0, "الوزير", "PER", t0, t0 + len(target), target, c0, c1, None, None, None, "chunk")

    cands = [cand("المشروع الجديد", 0, s1), cand("الخطة", 0, s1), cand("الاتفاق", s1, len(text))]
    proba = np.array([[0.58, 0.42, 0.0], [0.58, 0.42, 0.0], [0.58, 0.12, 0.3]])
    rank = np.array([2.0, -2.0, 5.0])
    assert [c.target for c, _, _ in decode(cands, proba, 0.4)] == ["المشروع الجديد", "الخطة", "الاتفاق"]
    assert RANK_WEIGHT > 0
    adjusted = rank_adjust(cands, proba, rank)
    assert [c.target for c, _, _ in decode(cands, adjusted, 0.4)] == ["المشروع الجديد", "الاتفاق"]
    assert adjusted[0, 0] < 0.58 < adjusted[1, 0]
    assert np.allclose(adjusted[2], proba[2])  # alone in its group: unchanged, favor:against kept
    assert np.allclose(adjusted.sum(axis=1), 1.0)
    assert np.allclose(rank_adjust(cands, proba, rank, 0.0), proba)


def test_a_long_run_gives_the_noun_phrase_at_its_end() -> None:
    """A run longer than MAX_TARGET words is cut to its first MAX_TARGET: the noun phrase at its end comes
    from the parts that start at a word with a preposition or conjunction prefix (لتسوية ...) and from its
    last MAX_TARGET words (stop 24). A run within MAX_TARGET words gives no such part (control)."""
    from qawl_service.stance_learn.candidates import MAX_TARGET, chunks

    text = "وأكد الرئيس في العاصمة بيرن استعداد بلاده لتسوية ملف الأملاك التونسية المجمدة."
    spans = [text[a:b] for a, b in chunks(text, 0, len(text))]
    assert "لتسوية ملف الأملاك التونسية المجمدة" in spans
    assert "بلاده لتسوية ملف الأملاك التونسية المجمدة" in spans
    assert all(len(s.split()) <= MAX_TARGET for s in spans)
    short = "وأكد الرئيس استعداد بلاده لتسوية الملف."
    assert [short[a:b] for a, b in chunks(short, 0, len(short))] == [
        "وأكد الرئيس استعداد بلاده لتسوية الملف",
        "وأكد الرئيس",
    ]
