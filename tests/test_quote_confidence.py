"""The quote confidence (nlp/quote_confidence.py): calibrated probabilities and the threshold."""

from __future__ import annotations

from qawl_service.nlp.quote_confidence import (
    FEATURES,
    Calibration,
    calibrate,
    features,
    probability,
)
from qawl_service.nlp.quote_text import _Found, _Spk

TEXT = "وقال جون كيري إن المحادثات مع روسيا جادة ومثمرة، وإن الحل السياسي ضروري لإنهاء الحرب " * 5
SPK = _Spk("جون كيري", "E1", (0, 8), "explicit", True, frozenset())


def found(start: int, end: int, origin: str = "rules", speaker: _Spk | None = SPK) -> _Found:
    return _Found("indirect", start, end, (0, 4), speaker, 0.7, 0, origin)


def test_features_read_origin_speaker_and_length() -> None:
    x = dict(zip(FEATURES, features(found(10, 60, "both"), TEXT), strict=True))
    assert x["origin_both"] == 1.0 and x["origin_learned"] == 0.0
    assert x["entity_speaker"] == 1.0 and x["no_speaker"] == 0.0
    y = dict(zip(FEATURES, features(found(10, 12, "learned", None), TEXT), strict=True))
    assert y["origin_learned"] == 1.0 and y["no_speaker"] == 1.0
    assert y["log_length"] < x["log_length"]
    assert y["short_indirect"] == 1.0 and x["short_indirect"] == 0.0


def test_calibrate_drops_quotes_below_the_threshold_and_keeps_the_rest() -> None:
    length = FEATURES.index("log_length")
    weights = tuple(4.0 if i == length else 0.0 for i in range(len(FEATURES)))
    c = Calibration(FEATURES, weights, bias=-3.0, threshold=0.5)
    short, long = found(0, 3), found(0, 400)
    assert probability(c, features(short, TEXT)) < 0.5 < probability(c, features(long, TEXT))
    kept = calibrate([short, long], TEXT, c)
    assert kept == [long]  # the short one dropped, the long one (positive control) kept
    assert long.score == round(probability(c, features(long, TEXT)), 2)


def test_a_name_in_marks_is_told_from_a_short_statement() -> None:
    name = "ونقلت أسوشيتد برس عن وكالة أنباء “إرنا” أن الوضع مستقر."
    said = "وقال كيري: “نتحدث مع الروس”."
    q_name = _Found("direct", name.index("إرنا"), name.index("إرنا") + 4, None, SPK, 0.7)
    q_said = _Found("direct", said.index("نتحدث"), said.index("”"), None, SPK, 0.7)
    assert dict(zip(FEATURES, features(q_name, name), strict=True))["quoted_name"] == 1.0
    assert dict(zip(FEATURES, features(q_said, said), strict=True))["quoted_name"] == 0.0  # after a colon


def test_the_pipeline_keeps_a_short_plain_statement_with_a_calibrated_confidence() -> None:
    """With the learned roles (the service's path), a two-word statement of a named speaker stays."""
    from qawl_service.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    quotes = nlp.get_pipe("qawl_quotes")
    assert quotes.calibration is not None  # type: ignore[attr-defined]
    qs = nlp("ندد وزير الخارجية جون كيري بالقصف على حلب. وقال كيري إن الهدنة ضرورية.")._.quotes
    # ندد بـ X is an expressive act with content (the guideline), then the short statement
    assert [q.content.text for q in qs] == ["القصف على حلب", "الهدنة ضرورية"]
    assert quotes.calibration.threshold <= qs[1].confidence <= 0.99  # type: ignore[attr-defined]
    # the drop: one marked word after a cue and a noun is no statement (the rules take it for one; a
    # marked name the recognizer read, “البنتاغون”, they no longer take: the test below)
    text = "وأكدت وزارة الدفاع الأمريكية “التقرير”."
    assert [q.content.text for q in nlp(text)._.quotes] == []
    calibration = quotes.calibration  # type: ignore[attr-defined]
    quotes.calibration = None  # type: ignore[attr-defined]
    try:
        assert [q.content.text for q in nlp(text)._.quotes] == ["التقرير"]
    finally:
        quotes.calibration = calibration  # type: ignore[attr-defined]
    # a name in marks right after the subject is its other name, the noun phrase after it the content
    text = "وأكدت وزارة الدفاع الأمريكية “البنتاغون” مقتل ثلاثة جنود في ليبيا."
    assert [q.content.text for q in nlp(text)._.quotes] == ["مقتل ثلاثة جنود في ليبيا"]
