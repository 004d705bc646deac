"""The named affix tests of nlp/morphology.py and the function words of nlp/wordclasses.py that the
rule components use instead of spelling letters in their bodies."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qawl_service.nlp import morphology, wordclasses
from qawl_service.nlp.arabic import PROCLITICS, normalize
from qawl_service.nlp.morphology import (
    article_after_clitic,
    article_form,
    has_article,
    has_fused_lil,
    is_definite_form,
    is_nisba,
)

NLP = Path(morphology.__file__).parent


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الوزير", True),
        ("الامم", True),
        ("ال", True),
        ("والوزير", False),
        ("للامم", False),
        ("امل", False),
        ("", False),
    ],
)
def test_has_article(word: str, expected: bool) -> None:
    assert has_article(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("للامم", True), ("لليونان", True), ("لبنان", False), ("الامم", False), ("ل", False)],
)
def test_has_fused_lil(word: str, expected: bool) -> None:
    assert has_fused_lil(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"), [("الامم", True), ("للامم", True), ("والامم", False), ("امم", False), ("", False)]
)
def test_is_definite_form(word: str, expected: bool) -> None:
    assert is_definite_form(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والوزير", True),
        ("بالمنطقه", True),
        ("لالامم", True),
        ("للامم", False),
        ("الوزير", False),
        ("و", False),
    ],
)
def test_article_after_clitic(word: str, expected: bool) -> None:
    assert article_after_clitic(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("الاميركي", True), ("السعوديه", True), ("الروسيين", True), ("الوزير", False), ("الروسيون", False)],
)
def test_is_nisba(word: str, expected: bool) -> None:
    assert is_nisba(word) is expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("لليونان", "اليونان"), ("للأمم", "الأمم"), ("لل", "لل"), ("لبنان", "لبنان"), ("اليونان", "اليونان")],
)
def test_article_form(surface: str, expected: str) -> None:
    assert article_form(surface) == expected


def test_affix_constants_are_normalized() -> None:
    """The rules compare the constants with normalized words; the as-written ones (hamza, ة, a token
    written with a tatweel: لـ, the tanween) are named so."""
    as_written = {"ALEF_MADDA", "ALEF_HAMZA_BELOW", "TA_MARBUTA_WRITTEN", "TANWEEN_FATH", "DETACHED_LAM_BA"}
    for name, value in vars(morphology).items():
        if not name.isupper() or name in as_written or "TATWEEL" in name or name.startswith("DETACHED"):
            continue
        strings = [value] if isinstance(value, str) else [v for v in _flat(value) if isinstance(v, str)]
        for s in strings:
            assert normalize(s) == s, (name, s)
    for name in ("FI", "MIN", "AN", "ALA", "ILA", "MA", "IDHA", "ANNA", "BI_ANNA", "ADAM"):
        value = getattr(wordclasses, name)
        assert normalize(value) == value, name


def test_lam_and_article_pieces_agree() -> None:
    assert morphology.LAM + morphology.ARTICLE[1:] == morphology.FUSED_LIL
    assert set(morphology.CLITIC_LETTERS) == set(morphology.CONJUNCTION_LETTERS + morphology.LAM_BA)
    assert set(morphology.PROCLITIC_LETTERS) == {c for p in PROCLITICS for c in p}
    assert morphology.IMPERFECT_SUFFIXES == ("ون", "وا", "ان")


_AR = re.compile(r"[\u0600-\u06FF]")
_EXEMPT = {"quote_roles.py", "quote_learned.py", "stance_learned.py"}  # changed elsewhere


def test_no_arabic_literal_in_a_function_body() -> None:
    """Word lists and affixes live in data/words, wordclasses.py and morphology.py (docstrings aside)."""
    found = []
    for path in sorted(NLP.glob("*.py")):
        if path.name in _EXEMPT:
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(fn, clean=False)
            for node in ast.walk(fn):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and _AR.search(value) and value != doc:
                    found.append(f"{path.name}:{getattr(node, 'lineno', 0)} {value!r}")
    assert not found, found


def _flat(value: object) -> list[object]:
    if isinstance(value, (tuple, list, frozenset, set)):
        return [x for v in value for x in _flat(v)]
    return [value]


def test_no_module_level_arabic_word_list() -> None:
    """Word lists are class files (data/words): a module-level constant holding two or more Arabic
    words is a word list in code (morphology.py's letters and affixes, wordclasses.py's single
    function words, and the cue inventories' generated affixes aside)."""
    arabic = re.compile(r"[\u0621-\u064a]{2}")
    allowed = {"morphology.py", "wordclasses.py", "arabic.py", "stance_cues.py", "reporting_cues.py"}
    offenders = []
    for path in sorted(NLP.glob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            words = [
                c.value
                for c in ast.walk(node)
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and arabic.search(c.value)
            ]
            if len(words) >= 2:
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_per_lemma_behaviour_is_a_cue_table_flag() -> None:
    """نقل عن X (relay), رفض التعليق (refuse_acts), دعم X بـ (reinforce_ba), ثمن (price), يجب (modal), لم
    يتوان (negated standalone): flags in cues.tsv / stance_cues.tsv, read by their loaders."""
    from qawl_service.nlp.reporting_cues import default_cues
    from qawl_service.nlp.stance_cues import default_stance_cues

    cues = default_cues()
    relay, said = cues.lookup(normalize("نقلت")), cues.lookup(normalize("قالت"))
    assert relay is not None and relay[0].relay and relay[0].feminine
    assert said is not None and not said[0].relay  # control
    stance = default_stance_cues()

    def flags(word: str) -> set[str]:
        return {flag for form in stance.forms[normalize(word)] for flag in form.entry.flags}

    assert {"refuse_acts"} <= flags("رفض") and {"reinforce_ba"} <= flags("دعم") and {"price"} <= flags("ثمن")
    assert "modal" in flags("يجب") and {"negated", "standalone"} <= flags("لم")
    assert not flags("أيد") & {"refuse_acts", "reinforce_ba", "price", "modal", "negated"}  # control
