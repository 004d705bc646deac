"""Pipeline components report errors through spaCy's error handler, and write the shared segmentation."""

from __future__ import annotations

import logging

import pytest
from spacy.language import Language

from qawl_service.analyzer import Analyzer
from qawl_service.nlp import stance
from qawl_service.nlp.pipeline import log_component_error, raise_component_error
from qawl_service.nlp.segment import BOILERPLATE, segment_text

TEXT = "ندد وزير الخارجية جون كيري بالقصف على حلب. وقال كيري إن الهدنة ضرورية."


@pytest.fixture()
def nlp(analyzer: Analyzer) -> Language:
    return analyzer.nlp


def _boom(*args: object, **kwargs: object) -> list[object]:
    raise RuntimeError("stance rule failed")


def test_a_failing_component_raises_under_the_test_handler(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert nlp(TEXT)._.stances, "positive control: the text has a stance"
    monkeypatch.setattr(stance, "extract_stances", _boom)
    with pytest.raises(RuntimeError, match="stance rule failed"):
        nlp(TEXT)
    with pytest.raises(RuntimeError, match="stance rule failed"):
        list(nlp.pipe([TEXT, TEXT]))


def test_the_service_handler_logs_and_keeps_the_other_results(
    nlp: Language, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(stance, "extract_stances", _boom)
    tagger = nlp.get_pipe("qawl_stance")
    tagger.set_error_handler(log_component_error)
    try:
        with caplog.at_level(logging.ERROR, logger="qawl.pipeline"):
            doc = nlp(TEXT)
            docs = list(nlp.pipe([TEXT, "نص ثان"]))
    finally:
        tagger.set_error_handler(raise_component_error)
    assert doc._.stances == [] and doc._.quotes, "stances empty, quotes kept"
    assert len(docs) == 2, "nlp.pipe keeps one document per input"
    assert sum("qawl_stance failed" in r.getMessage() for r in caplog.records) == 3


def test_segmenter_writes_sentences_and_boilerplate(nlp: Language) -> None:
    text = "قال كيري إن المحادثات جادة. وأضاف د. محمد: «نعم.»\nفقرة ثانية\n\nحول الموقع\nتبرعوا الآن"
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]  # a newline token ends the sentence before it
    assert sents[0] == "قال كيري إن المحادثات جادة."
    assert sents[1] == "وأضاف د. محمد: «نعم.»"  # د. is no sentence end; the glued closer stays
    assert "فقرة ثانية" in sents[2]
    [furniture] = list(doc.spans[BOILERPLATE])
    assert furniture.text.startswith("حول الموقع")
    seg = segment_text(text)  # the same segmentation without a Doc
    assert seg.sent_starts == [s.start_char for s in doc.sents]
    assert seg.limit == furniture.start_char
    clean = nlp("قال كيري إن المحادثات جادة.")
    assert list(clean.spans[BOILERPLATE]) == []  # positive control above: the group is filled when due


def test_glued_full_stop_between_words_ends_a_sentence(nlp: Language) -> None:
    doc = nlp("أغلقت 3600 مدرسة.وأكد البيان أن المنظمة ساعدت.")
    assert [t.text for t in doc][:4] == ["أغلقت", "3600", "مدرسة", "."]
    assert len(list(doc.sents)) == 2
    assert [t.text for t in nlp("انظر www.example.com/a.html")][1] == "www.example.com/a.html"


def test_sentences_of_is_sentence_of_for_each_offset() -> None:
    from qawl_service.nlp.segment import Segmentation

    for starts in ([], [0], [0, 10, 25], [5, 9]):
        seg = Segmentation(starts, 100)
        offsets = [0, 1, 4, 5, 9, 10, 24, 25, 99]
        assert seg.sentences_of(offsets) == [seg.sentence_of(c) for c in offsets]
