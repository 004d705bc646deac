"""Normalization, tokenizer rules and clitic decisions: the Arabic specifics."""

from __future__ import annotations

import pytest
import spacy
from spacy.lang.lex_attrs import word_shape

from qawl_service.nlp.arabic import _NORMALIZE, normalize, skeleton
from qawl_service.nlp.language import blank_pipeline
from qawl_service.nlp.morphology import feature_stem


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أحمد", "احمد"),
        ("إسرائيل", "اسرائيل"),
        ("آمال", "امال"),
        ("مصطفى", "مصطفي"),
        ("حمزة", "حمزه"),
        ("كيـــري", "كيري"),
        ("مُحَمَّد", "محمد"),
        ("ك\u200dيري", "كيري"),
        ("٢٠١٦", "2016"),
    ],
)
def test_normalize_folds_variants(variant: str, plain: str) -> None:
    assert normalize(variant) == normalize(plain) == plain


def test_normalize_memo_gives_what_translate_gives() -> None:
    words = ["أَحْمَد", "الأمم", "وزير", "ـــ", "", "x" * 40, "إِ" * 30, "٢٠١٦", "\u200fكيري"]
    for w in words * 2:  # the second round reads the memo
        assert normalize(w) == w.translate(_NORMALIZE)


@pytest.mark.parametrize(
    ("a", "b"),
    [("الاميركي", "الأمريكي"), ("ستافان", "ستيفان"), ("ميستورا", "مستورا")],
)
def test_skeleton_matches_transliteration_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_skeleton_keeps_distinct_names_apart() -> None:
    assert skeleton("كيري") != skeleton("كيربي")


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return blank_pipeline()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("في الوقت الحالي”. واضاف", ["في", "الوقت", "الحالي", "”", ".", "واضاف"]),
        ("“نتحدث مع الروس”", ["“", "نتحدث", "مع", "الروس", "”"]),
        ("«حلب» تحترق", ["«", "حلب", "»", "تحترق"]),
        ("قال، ثم؛ لماذا؟", ["قال", "،", "ثم", "؛", "لماذا", "؟"]),
        ("(د ب أ)", ["(", "د", "ب", "أ", ")"]),
        ("كيري(الوزير)", ["كيري", "(", "الوزير", ")"]),
        ('قال "نعم"', ["قال", '"', "نعم", '"']),
        ("المرصد:", ["المرصد", ":"]),
    ],
)
def test_tokenizer_splits_news_punctuation(nlp, text: str, tokens: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [t.text for t in nlp(text)] == tokens


def test_tokenizer_keeps_numbers_and_urls(nlp) -> None:  # type: ignore[no-untyped-def]
    assert [t.text for t in nlp("3.5 مليون 12/5/2016")] == ["3.5", "مليون", "12/5/2016"]


def test_lexical_features_ignore_orthography(nlp) -> None:  # type: ignore[no-untyped-def]
    a, b = nlp("الأمم المتحدة"), nlp("الامـم المتّحدَه")
    for x, y in zip(a, b, strict=True):
        assert (x.norm_, x.prefix_, x.suffix_, x.shape_, x.lower_) == (
            y.norm_,
            y.prefix_,
            y.suffix_,
            y.shape_,
            y.lower_,
        )


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_lexical_features_are_each_their_own(version: str) -> None:
    # language._features computes the attributes once per word and caches them: each is still its own
    # (the norm, its first two and last three letters, the shape (v2: with gazetteer class and rarity),
    # the stem), and a word freed with its document's memory zone comes back with the same values.
    nlp = spacy.blank(
        "ar", config={"nlp": {"before_creation": {"@callbacks": f"qawl.arabic_defaults.{version}"}}}
    )
    n = normalize("والأمم")
    for _ in range(2):
        with nlp.memory_zone():
            w = nlp("والأمم")[0]
            assert (w.norm_, w.prefix_, w.suffix_, w.lower_) == (n, n[:2], n[-3:], feature_stem("والأمم"))
            parts = w.shape_.split("|")
            assert parts[0] == word_shape(n) and len(parts) == (3 if version == "v2" else 1)
