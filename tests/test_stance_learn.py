"""The learned stance experiment's building blocks (issue 20): candidates, gold labels under the corpus
scorer's matching, and decoding. Fitting needs the [train] extra and the corpus: training/train_stance.py."""

from __future__ import annotations

import numpy as np

from qawl.types import Analysis, Entity, Mention, Quote, Speaker
from qawl_service.nlp.arabic import normalize
from qawl_service.stance_learn.candidates import VERB, VERB_INSIDE, candidates, chunks, verb_kind
from qawl_service.stance_learn.features import DocTokens, cue_hits, features
from qawl_service.stance_learn.labels import ceiling, label, matches
from qawl_service.stance_learn.model import decode, same_target
from qawl_service.stance_learn.run import union

TEXT = 'قال وزير الخارجية خالد الصغير إن "الحكومة تدعم الترفيع في حصة تونس من التن الأحمر".'


def _mention(text: str, s: str) -> Mention:
    i = text.index(s)
    return Mention(start=i, end=i + len(s), text=s)


def _analysis(text: str = TEXT) -> Analysis:
    speaker = _mention(text, "خالد الصغير")
    content = _mention(text, "الحكومة تدعم الترفيع في حصة تونس من التن الأحمر")
    return Analysis(
        id="d1",
        model="m",
        entities=[
            Entity(id="E1", label="PER", name="خالد الصغير", mentions=[speaker]),
            Entity(id="E2", label="LOC", name="تونس", mentions=[_mention(text, "تونس")]),
        ],
        quotes=[
            Quote(
                id="Q1",
                kind="indirect",
                content=content,
                cue=_mention(text, "قال"),
                speaker=Speaker(name="خالد الصغير", entity_id="E1", mention=speaker),
                confidence=0.9,
            )
        ],
        stances=[],
    )


def test_chunks_stop_at_function_words_and_extend_over_one_preposition() -> None:
    got = {TEXT[a:b] for a, b in chunks(TEXT, 0, len(TEXT))}
    # a finite verb ends a run: its subject and its object are chunks, the clause is none
    assert "الحكومة" in got and "الترفيع في حصة تونس" in got
    assert not any("تدعم" in c for c in got)
    assert "حصة تونس" in got
    assert "حصة تونس من التن الأحمر" in got  # extended over من
    assert not any(" إن " in f" {c} " for c in got)  # a complementizer is never inside a chunk


def test_finite_verbs_are_not_inside_chunks() -> None:
    """The learned step's clause targets on the seeds (docs/stance.md): a chunk with a finite verb."""
    text = "وقال إن حلب تستهدف جبهة النصرة المجموعة الجهادية وإن نظام الاسد يواصل تصعيد النزاع"
    got = [text[a:b] for a, b in chunks(text, 0, len(text))]
    assert "حلب" in got and "جبهة النصرة المجموعة الجهادية" in got and "نظام الاسد" in got
    assert not any(w in c for c in got for w in ("تستهدف", "يواصل"))
    for w in ("تستهدف", "يواصل", "سيواصل", "وستستمر", "ليواصل", "يمكن"):
        assert verb_kind(normalize(w)) == VERB, w
    for w in ("تونس", "تصعيد", "سيارة", "يوم", "تنظيم", "نظام", "حلب"):
        assert verb_kind(normalize(w)) == 0, w
    # a ت-form of a Form V/VI verbal noun's shape starts a target as that noun (تجنب الغوص), and is a
    # verb inside a run (الحكومة تتجنب ...)
    assert verb_kind(normalize("تجنب")) == verb_kind(normalize("تراجع")) == VERB_INSIDE
    got = [text[a:b] for text in ["وطالب بـ تجنب الغوص في الصباح"] for a, b in chunks(text, 0, len(text))]
    assert "تجنب الغوص" in got


def test_candidates_pair_the_speaker_with_targets_in_the_quote() -> None:
    cands = candidates(0, TEXT, _analysis())
    assert cands, "a quote with a speaker gives candidates"
    assert {c.holder for c in cands if c.source in ("entity", "chunk")} == {"خالد الصغير"}
    assert any(c.target == "تونس" and c.target_label == "LOC" for c in cands)
    assert all(len(c.target.split()) <= 7 for c in cands)
    # no quotes, no rule stances: nothing to propose (and the positive control above has candidates)
    empty = Analysis(id="d", model="m", entities=[], quotes=[], stances=[])
    assert candidates(0, TEXT, empty) == []


def test_labels_use_the_scorers_matching() -> None:
    gold = {
        "holder": "خالد الصغير",
        "names": ["خالد الصغير", "الوزير خالد الصغير"],
        "target": "الترفيع في حصة تونس",
        "target_tokens": ["ترفيع", "في", "حصه", "تونس"],
        "label": "favor",
    }
    assert matches("الوزير خالد الصغير", "حصة تونس من التن الأحمر", gold)  # 2 of 4 gold tokens: half
    assert not matches("خالد الصغير", "التن الأحمر", gold)  # no gold token
    assert not matches("محمد", "الترفيع في حصة تونس", gold)  # another holder
    cands = candidates(0, TEXT, _analysis())
    label(cands, [gold])
    assert {c.gold for c in cands} == {"favor", "none"}
    assert ceiling(cands, [gold]) == (1, 1)


def test_features_see_the_cue_before_the_target() -> None:
    assert any(h.startswith("verb:favor") for h in cue_hits("تدعم"))
    assert cue_hits("الأحمر") == ()
    cands = candidates(0, TEXT, _analysis())
    c = next(c for c in cands if c.target == "حصة تونس")
    f = features(c, DocTokens(TEXT))
    assert "lcue:verb:favor" in f and "kind=indirect" in f and "t:حصه" in f and "tlab=LOC" in f


def test_decode_keeps_one_stance_per_holder_and_overlapping_target() -> None:
    cands = candidates(0, TEXT, _analysis())
    a = next(i for i, c in enumerate(cands) if c.target == "حصة تونس من التن الأحمر")
    b = next(i for i, c in enumerate(cands) if c.target == "حصة تونس")
    proba = np.tile([0.99, 0.005, 0.005], (len(cands), 1))
    proba[a] = [0.1, 0.2, 0.7]
    proba[b] = [0.3, 0.6, 0.1]
    kept = decode(cands, proba, 0.5)
    assert [(c.target, lab) for c, lab, _ in kept] == [("حصة تونس من التن الأحمر", "against")]
    assert decode(cands, proba, 0.95) == []


def test_no_quote_chunk_target_runs_past_a_persons_name() -> None:
    text = 'قال جون كيري إن "اللقاء مع دي ميستورا ومنسق المعارضة كان مثمرا لدعم الهدنة".'
    kerry, envoy = _mention(text, "جون كيري"), _mention(text, "دي ميستورا")
    analysis = Analysis(
        id="d2",
        model="m",
        entities=[
            Entity(id="E1", label="PER", name="جون كيري", mentions=[kerry]),
            Entity(id="E2", label="PER", name="دي ميستورا", mentions=[envoy]),
        ],
        quotes=[
            Quote(
                id="Q1",
                kind="indirect",
                content=_mention(text, "اللقاء مع دي ميستورا ومنسق المعارضة كان مثمرا لدعم الهدنة"),
                cue=_mention(text, "قال"),
                speaker=Speaker(name="جون كيري", entity_id="E1", mention=kerry),
                confidence=0.9,
            )
        ],
        stances=[],
    )
    targets = {c.target for c in candidates(0, text, analysis) if c.source in ("entity", "chunk")}
    assert "دي ميستورا" in targets  # the person alone stays a target (positive control)
    assert any("الهدنة" in t for t in targets)
    assert not any(t.startswith("دي ميستورا ") or "ميستورا ومنسق" in t for t in targets), targets


def test_same_target_needs_half_the_smaller_target() -> None:
    assert same_target({"مساعده", "تونس"}, {"مساعده", "تونس", "تجاوز", "ازمه"})  # one inside the other
    # one shared word of three and four: two targets ("صورة تونس في بريطانيا", "مساعدة تونس على تجاوز الأزمة")
    assert not same_target({"صوره", "تونس", "بريطانيا"}, {"مساعده", "تونس", "تجاوز", "ازمه"})
    assert same_target({"داعش"}, {"تنظيم", "داعش"})
    assert not same_target(set(), {"داعش"}) and not same_target({"داعش"}, {"نصره"})


def test_union_keeps_a_second_target_that_shares_one_word() -> None:
    rules = [[{"holder": "هشام الحداد", "target": "صورة تونس في بريطانيا", "label": "favor"}]]
    other = {"holder": "هشام الحداد", "target": "مساعدة تونس على تجاوز الأزمة", "label": "favor"}
    same = {"holder": "هشام الحداد", "target": "تونس", "label": "favor"}
    another_holder = {"holder": "مهدي جمعة", "target": "تونس", "label": "favor"}
    assert union(rules, [[other, same, another_holder]]) == [[*rules[0], other, another_holder]]
