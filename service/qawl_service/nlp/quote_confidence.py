"""Quote confidence calibrated on the corpus dev split (issue 19; reliability tables in docs/quotes.md).

The rules' hand-set score orders quotes by kind, cue and speaker but said little about how often a
quote is right (corpus dev: precision 0.86-0.92 in every score bin). A logistic model over the
quote's features, fitted on dev by ``training/fit_quote_confidence.py`` (``make train``) and stored in
``data/quote_confidence.json``, turns them into P(the quote matches a gold quote).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import msgspec

from .arabic import normalize
from .fitted import load_fit
from .quote_text import COMPLEMENTIZERS, _Found

DATA = Path(__file__).parent / "data" / "quote_confidence.json"
_OPEN_MARKS = "«“„\"'"

FEATURES = (
    "rule_score",  # the rules' hand-set score (kind, cue, speaker)
    "origin_learned",  # a learned content start the rules did not find
    "origin_both",  # a learned start over a rules' quote (rules-only: neither)
    "direct",
    "mixed",
    "no_speaker",
    "anaphoric",
    "nominal",
    "entity_speaker",  # the speaker is linked to an entity
    "no_cue",
    "log_length",  # log(1 + content characters) / 5
    # a direct quote of at most three words whose mark follows a word: mostly a name in marks
    # (وكالة أنباء «إرنا»، مراسل «الجوهرة أف أم»), not a statement (قال: «نعم»)
    "quoted_name",
    "short_indirect",  # an indirect content of at most two words («30»، «كما تم»)
    "after_complementizer",  # the word before the content is أن/إن (قال كيري إن الهدنة ضرورية)
)


class Calibration(msgspec.Struct, frozen=True):
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    # quotes below it are dropped: far more likely wrong than right (training/fit_quote_confidence.py)
    threshold: float = 0.0


def features(f: _Found, text: str) -> list[float]:
    spk = f.speaker
    words = len(text[f.start : f.end].split())
    before = text[max(0, f.start - 12) : f.start].split()
    lead = text[max(0, f.start - 3) : f.start].rstrip().rstrip(_OPEN_MARKS).rstrip()
    return [
        f.score,
        float(f.origin == "learned"),
        float(f.origin == "both"),
        float(f.kind == "direct"),
        float(f.kind == "mixed"),
        float(spk is None),
        float(spk is not None and spk.resolution == "anaphoric"),
        float(spk is not None and spk.resolution == "nominal"),
        float(spk is not None and spk.entity_id is not None),
        float(f.cue is None),
        math.log1p(f.end - f.start) / 5,
        float(f.kind == "direct" and words <= 3 and lead[-1:].isalpha()),
        float(f.kind == "indirect" and words <= 2),
        float(bool(before) and normalize(before[-1]) in COMPLEMENTIZERS),
    ]


def probability(c: Calibration, x: list[float]) -> float:
    z = c.bias + sum(w * v for w, v in zip(c.weights, x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def calibrate(found: list[_Found], text: str, c: Calibration) -> list[_Found]:
    """The quotes whose calibrated probability reaches the threshold, that probability as their score
    (two decimals, at most 0.99)."""
    kept = []
    for f in found:
        p = probability(c, features(f, text))
        if p >= c.threshold:
            f.score = round(min(0.99, p), 2)
            kept.append(f)
    return kept


@cache
def default_calibration() -> Calibration | None:
    """The shipped calibration; None (the rules' score stands) when the file is absent."""
    return load_fit(DATA, "calibration", Calibration, FEATURES)
