"""The stance confidence (nlp/stance_confidence.py): calibrated on corpus dev, applied last."""

from __future__ import annotations

import msgspec
import pytest

from qawl.types import Mention, Speaker, Stance, Target
from qawl_service.nlp.quote_confidence import Calibration, probability
from qawl_service.nlp.stance_confidence import FEATURES, calibrate, default_calibration, features


def stance(confidence: float, cue: bool = True, resolution: str = "explicit") -> Stance:
    return Stance(
        holder=Speaker(name="جون كيري", entity_id="E1", resolution=resolution),  # type: ignore[arg-type]
        target=Target(text="الهدنة"),
        label="favor",
        evidence=Mention(start=0, end=10, text="x" * 10),
        cue=Mention(start=0, end=3, text="أيد") if cue else None,
        quote_id=None,
        confidence=confidence,
    )


def test_features_read_the_rules_score_the_source_and_the_holder() -> None:
    rule = dict(zip(FEATURES, features(stance(0.8)), strict=True))
    assert rule == {"rule_raw": 0.8, "learned": 0.0, "holder_anaphoric": 0.0}
    learned = dict(zip(FEATURES, features(stance(0.8, cue=False, resolution="anaphoric")), strict=True))
    # the classifier's probability is no feature: it did not rank its stances on dev
    assert learned == {"rule_raw": 0.0, "learned": 1.0, "holder_anaphoric": 1.0}


def test_calibrate_replaces_the_confidence_and_keeps_every_stance() -> None:
    c = Calibration(FEATURES, (2.0, 0.0, -1.0), bias=-1.5)
    low, high, implicit = stance(0.5), stance(0.9), stance(0.9, resolution="anaphoric")
    out = calibrate([low, high, implicit], c)
    assert len(out) == 3 and [s.target.text for s in out] == ["الهدنة"] * 3
    expected = [round(probability(c, features(s)), 2) for s in (low, high, implicit)]
    assert [s.confidence for s in out] == expected
    assert out[0].confidence < out[1].confidence and out[2].confidence < out[1].confidence
    assert low.confidence == 0.5  # the input is not changed


def test_the_pipeline_calibrates_stances_with_the_learned_step_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's pipeline gives the calibrated probability; the rules alone (the learned step's training
    analyses) keep the raw score the learned features were trained on."""
    from qawl_service.nlp.pipeline import LEARNED_ENV, load_pipeline

    text = "وأعلن وزير الخارجية الأمريكي جون كيري تأييده للهدنة في حلب، ورفض الحصار المفروض على المدينة."
    calibrated = load_pipeline()(text)._.stances
    assert calibrated, "a positive control: the sentence has stances"
    c = default_calibration()
    assert c is not None
    monkeypatch.setenv(LEARNED_ENV, "0")
    raw = load_pipeline()(text)._.stances
    rule = [s for s in calibrated if s.cue is not None]
    assert rule and len(rule) == len(raw)
    for s, r in zip(rule, raw, strict=True):
        assert (s.holder.name, s.target.text, s.label) == (r.holder.name, r.target.text, r.label)
        before = msgspec.structs.replace(s, confidence=r.confidence)
        assert s.confidence == round(probability(c, features(before)), 2)
    assert any(s.confidence != r.confidence for s, r in zip(rule, raw, strict=True))
