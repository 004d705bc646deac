"""Proclitic decisions with the lexicon shipped inside the model."""

from __future__ import annotations

import pytest

from qawl_service.nlp.lexicon import Lexicon, default_lexicon
from qawl_service.nlp.morphology import (
    clitic_forms,
    core,
    cut,
    key,
    lexical_core,
    member,
    name_key,
    preposition_glued,
    skeleton_key,
)


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
        ("لبطولة", 1),  # before an event's head (a MISC name: لبطولة الرابطة المحترفة)
        ("بمهرجان", 1),
        ("بطولة", 0),  # the head alone stays whole
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


# ---------------------------------------------------------------------------- one clitic analysis
# A word-initial و/ف/ب/ل/ك is a clitic when the article follows, or when the rest is a plausible word:
# the lexicon says so (lexical_core, skeleton_key) or the word class asked about does (member).
@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وزير", "وزير"),  # the و is the root's (the old stance copy gave زير)
        ("فريق", "فريق"),
        ("وسط", "وسط"),
        ("فرنسا", "فرنسا"),  # the old stance copy gave رنسا
        ("والوزير", "وزير"),  # positive controls: a clitic before the article, a bare clitic
        ("ووزير", "وزير"),
        ("لوزير", "وزير"),
        ("وعدم", "عدم"),
        ("بعدم", "عدم"),
    ],
)
def test_lexical_core_cuts_a_bare_clitic_only_before_a_plausible_word(word: str, expected: str) -> None:
    assert lexical_core(word) == expected


def test_title_keys_link_a_bare_title_to_its_definite_form() -> None:
    """Stance title linking could not link الوزير to وزير X: the old key stripped the و of وزير."""
    assert skeleton_key("وزير") == skeleton_key("الوزير") == skeleton_key("ووزير") == skeleton_key("لوزير")
    assert skeleton_key("فرنسا") == skeleton_key("الفرنسيين")  # nisba folded, the ف kept
    assert skeleton_key("السعودية") == skeleton_key("السعودي")  # positive control of the folding
    assert skeleton_key("وزير") != skeleton_key("زير")


def test_member_cuts_a_clitic_only_into_the_class() -> None:
    departure = frozenset({"رحيل"})
    assert member("برحيل", departure) and member("والرحيل", departure) and member("وبرحيل", departure)
    assert not member("ورحيلا", departure)
    titles = frozenset({"وزير"})
    assert member("وزير", titles) and member("لوزير", titles) and member("الوزير", titles)
    assert not member("زير", titles)
    assert not member("وزير", frozenset({"زر"}))  # a clitic is cut only when the rest is a member
    assert member("وزيرا", frozenset({"وزير"}), key)  # key form: the tanween alef off
    assert clitic_forms("وزير") == ("وزير", "زير") and clitic_forms("وقف") == ("وقف",)


def test_preposition_glued_to_a_title() -> None:
    assert preposition_glued("لوزيرة") and preposition_glued("للوزيرة") and preposition_glued("بالوزير")
    assert not preposition_glued("لواء") and not preposition_glued("وزير") and not preposition_glued("الوزير")


def test_name_keys_with_and_without_clitics() -> None:
    assert name_key("والتنمية") == name_key("التنمية")
    assert name_key("والتنمية", clitics=False) != name_key("التنمية", clitics=False)  # a mention's inner و
    assert name_key("للأمم", clitics=False) == name_key("الأمم", clitics=False)
    assert core("والتنمية", clitics=False) == "والتنميه" and core("للأمم", clitics=False) == "امم"
