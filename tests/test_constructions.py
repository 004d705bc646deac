"""The fixed constructions of the quote rules (nlp/data/patterns/quote_constructions.jsonl)."""

from __future__ import annotations

from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.constructions import constructions


def _match(text: str, cues: dict[int, tuple[str, str, bool]]) -> dict[tuple[int, str], str]:
    words = [normalize(w) for w in text.split()]
    hits = constructions("quote_constructions").match(words, [(i, *c) for i, c in cues.items()])
    return {k: r.id for k, r in hits.items()}


def test_the_more_specific_rule_of_a_role_wins() -> None:
    # وفقا لـ X: the separate ل matches both "ل" and "^ل"; the rule listed first wins
    assert _match("وفقا ل المرصد", {0: ("وفقا", "attrib", False)}) == {
        (0, "attribution"): "attribution.wifqan_li"
    }
    assert _match("وفقا للمرصد", {0: ("وفقا", "attrib", False)}) == {
        (0, "attribution"): "attribution.wifqan_li_glued"
    }
    # حسب ما ذكرت: the source is after the verb; حسب ما without a verb names none
    hit = constructions("quote_constructions").rules["attribution.bihasab_ma"]
    assert hit.source == 3
    assert _match("حسب ما ذكرت الوزارة", {0: ("حسب", "attrib", False), 2: ("ذكر", "verb", True)}) == {
        (0, "attribution"): "attribution.bihasab_ma"
    }
    assert _match("حسب ما لديها", {0: ("حسب", "attrib", False)}) == {
        (0, "attribution"): "attribution.bihasab_ma_other"
    }


def test_postposed_needs_a_past_reporting_verb() -> None:
    assert _match("كما قال المرصد", {1: ("قال", "verb", True)}) == {(0, "postposed"): "postposed.kama_qala"}
    assert _match("كما يقول المرصد", {1: ("قال", "verb", False)}) == {}  # control: present tense
    assert _match("كما أن المرصد", {}) == {}


def test_source_chains_after_the_subject() -> None:
    assert _match("مصادر نقلا عن الوزير", {}) == {(1, "relay"): "relay.naqlan_an"}
    assert _match("جاء ذلك على لسان الوزير", {}) == {(2, "voice"): "voice.ala_lisan"}
    assert _match("جاء ذلك على طاولة الوزير", {}) == {}  # control
