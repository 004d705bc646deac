"""The speaker linker (nlp/speaker_linker.py): tree scoring, which readings it may replace, the
shipped trees. The rule side is fed hand-given entities (given_entities.py)."""

from __future__ import annotations

import json

import pytest
from given_entities import ents  # tests/ is on sys.path (no package)

from qawl_service.nlp.quotes import extract_quotes
from qawl_service.nlp.speaker_linker import DATA, FEATURES, Trees, default_linker

MET = "قال جون كيري إن المحادثات جادة. والتقى سيرغي لافروف بالصحفيين في جنيف. وأضاف أن الحل السياسي ضروري."
NAMED = "قال جون كيري إن المحادثات جادة. وقال سيرغي لافروف إن الحل السياسي ضروري."
PEOPLE = (("جون كيري", "PER"), ("سيرغي لافروف", "PER"), ("جنيف", "LOC"))


def stump(feature: str, above: float) -> Trees:
    """One split on ``feature`` at 0.5: log-odds ``above`` over it, ``-above`` at or under it."""
    return Trees(
        features=FEATURES,
        init=0.0,
        learning_rate=1.0,
        feature=((FEATURES.index(feature), -1, -1),),
        threshold=((0.5, -2.0, -2.0),),
        left=((1, -1, -1),),
        right=((2, -1, -1),),
        value=((0.0, -above, above),),
    )


def speakers(text: str, trees: Trees | None) -> list[tuple[str | None, str | None]]:
    qs = extract_quotes(text, ents(text, *PEOPLE), linker=trees)
    return [(q.speaker.name, q.speaker.resolution) if q.speaker else (None, None) for q in qs]


def test_trees_sum_leaf_values_into_a_probability() -> None:
    t = stump("per", 2.0)
    x = [0.0] * len(FEATURES)
    assert t.probability(x) == pytest.approx(1 / (1 + 2.718281828**2.0), rel=1e-6)
    x[FEATURES.index("per")] = 1.0
    assert t.probability(x) == pytest.approx(1 / (1 + 2.718281828**-2.0), rel=1e-6)


def test_an_anaphoric_reading_is_replaced_by_the_best_candidate() -> None:
    rules = speakers(MET, None)
    assert rules[1] == ("جون كيري", "anaphoric")  # the agent stack: the last speaker
    # trees that prefer anyone but the previous speaker pick the other person of the text
    assert speakers(MET, stump("previous_speaker", -5.0))[1] == ("سيرغي لافروف", "anaphoric")
    # positive control: trees that prefer the rules' own choice change nothing
    assert speakers(MET, stump("is_rules", 5.0)) == rules


def test_an_explicit_reading_is_never_replaced() -> None:
    rules = speakers(NAMED, None)
    assert rules[1] == ("سيرغي لافروف", "explicit")
    assert speakers(NAMED, stump("previous_speaker", 5.0)) == rules  # would pick كيري if it could


def test_the_shipped_linker_loads_with_its_record() -> None:
    trees = default_linker()
    assert trees is not None and trees.features == FEATURES and len(trees.feature) >= 50
    meta = json.loads(DATA.read_text(encoding="utf-8"))
    assert "train" in meta["data"] and meta["dev_strict_speaker_accuracy"]["linker"] > 0
    assert 0.0 < trees.probability([0.0] * len(FEATURES)) < 1.0


def test_compiled_trees_score_as_the_walk_does() -> None:
    import math
    import random

    trees = default_linker()
    assert trees is not None
    rng = random.Random(7)
    for _ in range(2000):
        x = [rng.choice([0.0, 1.0, 8.0, rng.random() * 10, float(rng.randint(0, 20))]) for _ in FEATURES]
        assert trees.probability(x) == 1.0 / (1.0 + math.exp(-trees.walk(x)))


def test_trees_without_literals_are_walked() -> None:
    t = stump("per", float("inf"))
    x = [0.0] * len(FEATURES)
    assert t.probability(x) == 0.0  # at or under the split: log-odds -inf
