"""Fit the stance confidence (nlp/stance_confidence.py) on the corpus dev split; ``make train`` runs it.

    QAWL_SHARED=../shared python training/fit_stance_confidence.py [--model DIR]

Runs the pipeline (rules ∪ learned) over every dev article, takes each stance's features and whether
it matches a gold stance (the guideline's matching, corpus/score.py), fits a logistic regression
(scikit-learn, the ``train`` extra) and writes service/qawl_service/nlp/data/stance_confidence.json:
the weights, the data and command they came from, and the dev reliability table before and after
(confidence bin -> observed precision). The test split is not read here; `make eval-corpus` prints its
reliability table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import msgspec
from sklearn.linear_model import LogisticRegression

from qawl_service.analyzer import Analyzer
from qawl_service.corpus.evaluate import system_view
from qawl_service.corpus.load import load_corpus
from qawl_service.corpus.resolve import to_annotation
from qawl_service.corpus.score import STANCE_BINS, _match_stances, reliability_table, view
from qawl_service.nlp import stance_confidence
from qawl_service.nlp.quote_confidence import Calibration, probability
from qawl_service.nlp.stance_confidence import DATA, FEATURES, features

C = 1.0  # L2 strength: dev 5-fold log-loss 0.6221 at C 0.3-3 (a constant: 0.6240)


def dev_examples(model: str | None) -> tuple[list[list[float]], list[int], list[float], int]:
    """Features, labels and raw confidences of the dev stances (the shipped calibration not applied)."""
    stance_confidence.DATA = Path("/nonexistent")
    stance_confidence.default_calibration.cache_clear()
    analyzer = Analyzer.load(model)
    articles = load_corpus("dev", synthetic=False)
    results = analyzer.analyze_many(
        [a.text for a in articles], ["entities", "quotes", "stance"], [a.record.id for a in articles]
    )
    xs: list[list[float]] = []
    ys: list[int] = []
    raw: list[float] = []
    for a, r in zip(articles, results, strict=True):
        gold = view(to_annotation(a.record, a.text), a.text)
        pred = system_view(r, a.text)
        matched = _match_stances(gold["stances"], pred["stances"], gold["quotes"])
        for j, s in enumerate(r.stances):
            xs.append(features(s))
            ys.append(int(j in matched))
            raw.append(s.confidence)
    return xs, ys, raw, len(articles)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args()
    xs, ys, raw, n_docs = dev_examples(args.model)
    lr = LogisticRegression(C=C, max_iter=1000).fit(xs, ys)
    cal = Calibration(
        features=FEATURES,
        weights=tuple(round(float(w), 5) for w in lr.coef_[0]),
        bias=round(float(lr.intercept_[0]), 5),
    )
    probs = [probability(cal, x) for x in xs]
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    out = {
        "calibration": msgspec.to_builtins(cal),
        "data": f"corpus/qnc dev: {n_docs} articles, {len(ys)} stances, {sum(ys)} match a gold stance",
        "target": "the stance matches a gold stance (ANNOTATION.md scoring: label, holder, half its target)",
        "fit": f"sklearn LogisticRegression(C={C}), features of nlp/stance_confidence.py",
        "command": "QAWL_SHARED=../shared python training/fit_stance_confidence.py",
        "commit": git.stdout.strip(),
        "dev_reliability": reliability_table(probs, ys, STANCE_BINS),
        "dev_reliability_before": reliability_table(raw, ys, STANCE_BINS),
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "calibration"}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
