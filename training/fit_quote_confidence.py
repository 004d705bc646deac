"""Fit the quote confidence (nlp/quote_confidence.py) on the corpus dev split; ``make train`` runs it.

    QAWL_SHARED=../shared python training/fit_quote_confidence.py [--model DIR]

Runs the pipeline over every dev article, takes each quote's features and whether it matches a gold
quote (the guideline's matching, corpus/score.py), fits a logistic regression (scikit-learn, the
``train`` extra) and writes service/qawl_service/nlp/data/quote_confidence.json: the weights, the data
and command they came from, and the dev reliability table (confidence bin -> observed precision).
The test split is not read here; `make eval-corpus` prints its reliability table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import msgspec
from sklearn.linear_model import LogisticRegression

from qawl_service.analyzer import Analyzer
from qawl_service.corpus.evaluate import before_quotes
from qawl_service.corpus.score import _match_quotes, reliability_table
from qawl_service.nlp import quote_confidence
from qawl_service.nlp.quote_confidence import DATA, FEATURES, Calibration, features, probability
from qawl_service.nlp.quotes import QuoteAttributor

C = 1.0  # L2 strength; few features, so the fit barely moves with it (0.1-10 on dev: same bins)
# Quotes below it are dropped. Dev: under 0.3, 24 quotes of which 2 right (quoted names and scores:
# «وات»، مراسل «الجوهرة أف أم»، «6-4»); 0.3 takes nearly all of 0.5's gain (26, 2 right) and keeps
# a margin for short plain statements, which sit near 0.5 (قال كيري إن الهدنة ضرورية: 0.56).
THRESHOLD = 0.3


def dev_examples(model: str | None) -> tuple[list[list[float]], list[int], int]:
    # the fit reads the quotes before calibration: the shipped file, possibly over other features,
    # is not loaded
    quote_confidence.DATA = Path("/nonexistent")
    analyzer = Analyzer.load(model)
    quotes: QuoteAttributor = analyzer.nlp.get_pipe("qawl_quotes")  # type: ignore[assignment]
    xs: list[list[float]] = []
    ys: list[int] = []
    n_docs = 0
    for a, doc, gold in before_quotes(analyzer, "dev"):
        n_docs += 1
        found = quotes.find(doc)
        matched = {j for _, j in _match_quotes(gold, [{"start": f.start, "end": f.end} for f in found])}
        for j, f in enumerate(found):
            xs.append(features(f, a.text))
            ys.append(int(j in matched))
    return xs, ys, n_docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args()
    xs, ys, n_docs = dev_examples(args.model)
    lr = LogisticRegression(C=C, max_iter=1000).fit(xs, ys)
    cal = Calibration(
        FEATURES, tuple(round(float(w), 5) for w in lr.coef_[0]), round(float(lr.intercept_[0]), 5)
    )
    probs = [probability(cal, x) for x in xs]
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    out = {
        "calibration": {**msgspec.to_builtins(cal), "threshold": THRESHOLD},
        "data": f"corpus/qnc dev: {n_docs} articles, {len(ys)} quotes, {sum(ys)} match a gold quote",
        "target": "the quote matches a gold quote (ANNOTATION.md scoring: half the gold span, one to one)",
        "fit": f"sklearn LogisticRegression(C={C}), features of nlp/quote_confidence.py",
        "command": "QAWL_SHARED=../shared python training/fit_quote_confidence.py",
        "commit": git.stdout.strip(),
        "dev_reliability": reliability_table(probs, ys),
        "dev_reliability_before": reliability_table([x[0] for x in xs], ys),
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
