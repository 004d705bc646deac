"""Proclitic decisions with the lexicon shipped inside the model."""

from __future__ import annotations

import pytest

from qawl_service.analyzer import Analyzer
from qawl_service.nlp.clitics import CliticLexicon


@pytest.fixture(scope="module")
def lexicon(analyzer: Analyzer) -> CliticLexicon:
    lex: CliticLexicon = analyzer.nlp.get_pipe("qawl_entities").lexicon
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
    ],
)
def test_strip_offset(lexicon: CliticLexicon, word: str, offset: int) -> None:
    assert lexicon.strip_offset(word) == offset


def test_empty_lexicon_never_strips_a_whole_word() -> None:
    lex = CliticLexicon()
    assert lex.strip_offset("و") == 0
    assert lex.strip_offset("ب") == 0


def test_lexicon_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lex = CliticLexicon({"كيري"}, {"كيري": 5})
    lex.to_disk(tmp_path)
    again = CliticLexicon.from_disk(tmp_path)
    assert again.names == {"كيري"} and again.counts == {"كيري": 5}
    assert again.strip_offset("وكيري") == 1
