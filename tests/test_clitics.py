"""Proclitic decisions with the lexicon shipped inside the model."""

from __future__ import annotations

import pytest

from qawl_service.nlp.lexicon import Lexicon, default_lexicon
from qawl_service.nlp.morphology import core, cut


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    lex = default_lexicon()
    assert len(lex.names) > 10_000, "the package ships its lexicon"
    return lex


@pytest.mark.parametrize(
    ("word", "offset"),
    [
        ("وكيري", 1),
        ("بجنيف", 1),
        ("ولبنان", 1),
        ("وبالقاهرة", 2),
        ("وروسيا", 1),
        ("لروسيا", 1),
        ("وَكيري", 2),  # the diacritic goes with the conjunction
        ("وليد", 0),
        ("فرنسا", 0),
        ("لبنان", 0),
        ("كيري", 0),
        ("بيروت", 0),
        ("باول", 0),
        ("بريطانيا", 0),
        ("لليونان", 0),  # ل + ال fused: no bare substring, the mention keeps لل
        ("ولليونان", 1),
        ("للأمم", 0),
        ("فلاي", 0),  # a name (فلاي دبي), not ف + لاي
        ("فلبنان", 1),  # ف before a known name is cut
        ("لوكالة", 1),  # before an organization head, however common the glued form (issue 21)
        ("بوزارة", 1),
        ("وبالهيئة", 2),
        ("ولوكالة", 2),
        ("وكالة", 0),  # the head alone stays whole
        ("للوزارة", 0),  # fused لل stays
    ],
)
def test_cut(lexicon: Lexicon, word: str, offset: int) -> None:
    assert cut(word, lexicon) == offset


@pytest.mark.parametrize(
    ("word", "expected"),
    [("والوزير", "وزير"), ("للأمم", "امم"), ("بالمنطقة", "منطقه"), ("ولبنان", "ولبنان"), ("كيري", "كيري")],
)
def test_core(word: str, expected: str) -> None:
    assert core(word) == expected


def test_empty_lexicon_never_strips_a_whole_word() -> None:
    lex = Lexicon()
    assert cut("و", lex) == 0
    assert cut("ب", lex) == 0


def test_lexicon_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lex = Lexicon({"كيري"}, {"كيري": 5})
    lex.to_disk(tmp_path)
    again = Lexicon.from_disk(tmp_path)
    assert again.names == {"كيري"} and again.counts == {"كيري": 5}
    assert cut("وكيري", again) == 1


def test_gazetteer_features(lexicon: Lexicon) -> None:
    assert "P" in lexicon.gazetteer_class("محمد")
    assert "L" in lexicon.gazetteer_class("جنيف")
    assert lexicon.gazetteer_class("الحالي") == ""
    assert lexicon.rarity("في") == 3 and lexicon.rarity("ززززز") == 0
