"""The story view on the five seeds against tests/data/story/seeds_story.json: issue 22's "Done when"
and floors under the merge scores (docs/story.md has the figures)."""

from __future__ import annotations

from typing import Any

import pytest

from qawl_service.analyzer import Analyzer
from qawl_service.evaluation.story import DONE_WHEN_ACTORS, evaluate, load_gold, norm, report, run_story


@pytest.fixture(scope="module")
def result(analyzer: Analyzer) -> dict[str, Any]:
    gold = load_gold()
    story, _ = run_story(gold, analyzer)
    return evaluate(gold, story)


def test_the_gold_file_is_consistent() -> None:
    gold = load_gold()
    assert len(gold["texts"]) == 5
    for st in gold["statements"]:  # every source located in its document
        for src in st["sources"]:
            assert gold["texts"][src["doc"]][src["start"] : src["end"]] == src["text"]
    names = {(e["label"], e["name"]) for e in gold["entities"]}
    assert {(label, name) for label, name, _ in DONE_WHEN_ACTORS} <= names
    assert norm("للأمم المتحدة") == norm("الامم المتحدة")


@pytest.mark.parametrize(
    "check",
    [
        "one entity: جون كيري",
        "one entity: ستيفان دي ميستورا",
        "one entity: عادل الجبير",
        "one entity: جون كيربي",
        "one entity: روسيا",
        "one entity: الأمم المتحدة",
        "one entity: بشار الأسد",
        "no entity merges two people",
        "Kerry's statements from several outlets",
        "Kerry's stances from more than one outlet",
        "Russia's stances from more than one outlet",
    ],
)
def test_done_when(result: dict[str, Any], check: str) -> None:
    assert result["done_when"][check]["ok"], result["done_when"][check]


def test_done_when_details(result: dict[str, Any]) -> None:
    done = result["done_when"]
    assert len(done["one entity: جون كيري"]["docs"]) == 5
    mistura = done["one entity: ستيفان دي ميستورا"]
    assert len(mistura["docs"]) == 5
    assert {"ستافان دي ميستورا", "ستيفان دي ميستورا", "دي مستورا"} <= set(mistura["spellings"])
    assert {"الأمم المتحدة", "الامم المتحدة"} <= set(done["one entity: الأمم المتحدة"]["spellings"])


def test_merge_scores_do_not_fall(result: dict[str, Any]) -> None:
    """Floors a little under the figures of docs/story.md: a change that loses merges fails here."""
    e, q, s = result["entities"], result["statements"], result["stances"]
    assert e["pairwise"]["p"] >= 0.99 and e["pairwise"]["r"] >= 0.95
    assert q["pairwise"]["p"] >= 0.8 and q["pairwise"]["r"] >= 0.6
    assert s["pairwise"]["p"] >= 0.99 and s["pairwise"]["r"] >= 0.99
    assert q["gold_multi_source_whole"] >= 4


def test_the_report_prints_every_score(result: dict[str, Any]) -> None:
    import io

    out = io.StringIO()
    report(result, out)
    text = out.getvalue()
    for title in ("entities, pairwise", "statements, pairwise", "stances, pairwise", "done when:"):
        assert title in text
    assert text.count("[x]") == len(result["done_when"])


def test_the_checks_can_fail(analyzer: Analyzer) -> None:
    """Positive controls: a story that merges Kerry and Kirby, or splits Kerry, fails the checks."""
    from qawl_service.evaluation.story import done_when, score_entities
    from qawl_service.story import Story

    gold = load_gold()
    story, _ = run_story(gold, analyzer)
    kerry = next(e for e in story.entities if e.name == "جون كيري")
    kirby = next(e for e in story.entities if e.name == "جون كيربي")
    merged = [e for e in story.entities if e is not kirby]
    kerry_plus = type(kerry)(
        id=kerry.id,
        label="PER",
        name=kerry.name,
        variants=kerry.variants,
        mentions=kerry.mentions + kirby.mentions,
    )
    bad = Story(entities=[kerry_plus if e is kerry else e for e in merged], statements=[], stances=[])
    checks = done_when(gold, bad)
    assert not checks["no entity merges two people"]["ok"]
    assert not checks["Kerry's statements from several outlets"]["ok"]
    assert score_entities(gold, bad)["pairwise"]["p"] < 1.0
    first, rest = kerry.mentions[:1], kerry.mentions[1:]
    split = [
        type(kerry)(id="X1", label="PER", name=kerry.name, variants=[], mentions=first),
        type(kerry)(id="X2", label="PER", name=kerry.name, variants=[], mentions=rest),
    ]
    checks = done_when(gold, Story(entities=split + story.entities[1:], statements=[], stances=[]))
    assert not checks["one entity: جون كيري"]["ok"]
