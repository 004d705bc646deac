"""Stance confidence calibrated on the corpus dev split (issue 20; reliability tables in docs/stance.md).

A stance's raw confidence is the rules' hand-set score for a rule stance and the classifier's stance
probability for a learned one: two scales, neither of them how often such a stance is right (corpus
dev: a third of the stances of either source are right, while their raw confidence reads 0.4-0.99).
A logistic model over the rules' score, where the stance came from and how its holder was found,
fitted on dev by ``training/fit_stance_confidence.py`` (``make train``) and stored in
``data/stance_confidence.json``, turns them into P(the stance matches a gold stance). On corpus dev
no feature ranks the stances well (cross-validated AUC 0.55): the calibrated confidence mostly says
how often such a stance is right (about a third). It runs last, on the final stances: the learned
step reads the rules' raw confidence (its features were trained on it), and no stance is dropped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

from qawl.types import Stance

from .fitted import load_fit
from .quote_confidence import Calibration, probability

DATA = Path(__file__).parent / "data" / "stance_confidence.json"

FEATURES = (
    # the rules' hand-set score of a rule stance (0 for a learned one): it ranks rule stances a little on
    # corpus dev (AUC 0.62; precision 0.26 at 0.5-0.6, 0.47 at 0.8 and over)
    "rule_raw",
    # found by the learned step (no cue); its probability does not rank its stances on corpus dev (AUC
    # 0.47), so it is not a feature
    "learned",
    "holder_anaphoric",  # the holder was read from context (an earlier speaker or agent): right less often
)


def features(s: Stance) -> list[float]:
    learned = s.cue is None
    return [
        0.0 if learned else s.confidence,
        float(learned),
        float(s.holder.resolution == "anaphoric"),
    ]


def calibrate(stances: list[Stance], c: Calibration) -> list[Stance]:
    """The stances with their calibrated probability as ``confidence`` (two decimals, at most 0.99)."""
    return [
        msgspec.structs.replace(s, confidence=round(min(0.99, probability(c, features(s))), 2))
        for s in stances
    ]


@cache
def default_calibration() -> Calibration | None:
    """The shipped calibration; None (the raw confidence stands) when the file is absent."""
    return load_fit(DATA, "calibration", Calibration, FEATURES)
