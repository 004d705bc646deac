"""The team's synthetic name passages (training/synthetic/, stage 4 of the entity model): every
committed file passes its validator, and the validator's span finder reads names as written."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

DIR = Path(__file__).resolve().parents[1] / "training" / "synthetic"


def _validator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic_validate", DIR / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_passages_pass_the_validator(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(DIR.glob("*.jsonl"))
    assert len(files) >= 3
    assert _validator().main([str(f) for f in files]) == 0, capsys.readouterr().out
    passages = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(passages) >= 1000
    assert len({e["text"] for p in passages for e in p["entities"] if e["label"] == "ORG"}) >= 500


def test_spans_read_names_at_word_boundaries_with_clitics_and_arabic_punctuation() -> None:
    spans = _validator().spans
    text = "في المنامة، وقال كيري؛ ولبيروت وفي بيروتي"
    ents = [
        {"text": "المنامة", "label": "LOC"},
        {"text": "كيري", "label": "PER"},
        {"text": "بيروت", "label": "LOC"},
    ]
    found = [(text[s:e], label) for s, e, label in spans(text, ents)]
    # بيروتي (an adjective) is no mention of بيروت
    assert found == [("المنامة", "LOC"), ("كيري", "PER"), ("بيروت", "LOC")]


def test_the_validator_rejects_a_surface_that_is_not_in_the_text(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    record = {"id": "x-1", "text": "زار كيري جنيف", "entities": [{"text": "كير", "label": "PER"}]}
    bad.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _validator().main([str(bad)]) == 1
    good = tmp_path / "good.jsonl"  # control
    record["entities"] = [{"text": "كيري", "label": "PER"}, {"text": "جنيف", "label": "LOC"}]
    good.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _validator().main([str(good)]) == 0


def test_facility_descriptors_follow_the_corpus_reading() -> None:
    validator = _validator()

    def errors(text: str, ents: list[dict[str, str]]) -> list[str]:
        return list(validator.check({"id": "x-1", "text": text, "entities": ents}, set()))

    # a building's word belongs in its span; a crossing's word stays out
    assert errors("وصل الجرحى إلى مستشفى الشفاء", [{"text": "الشفاء", "label": "LOC"}])
    assert errors("أغلق معبر رفح", [{"text": "معبر رفح", "label": "LOC"}])
    assert errors("وصل الجرحى إلى بمستشفى الشفاء", [{"text": "الشفاء", "label": "LOC"}])
    # controls: the same texts annotated as the corpus gold reads them, and an ORG untouched
    assert errors("وصل الجرحى إلى مستشفى الشفاء", [{"text": "مستشفى الشفاء", "label": "LOC"}]) == []
    assert errors("أغلق معبر رفح", [{"text": "رفح", "label": "LOC"}]) == []
    assert errors("قالت إدارة مستشفى الشفاء", [{"text": "إدارة مستشفى الشفاء", "label": "ORG"}]) == []
