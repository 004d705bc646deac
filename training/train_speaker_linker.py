"""Train the speaker linker (nlp/speaker_linker.py) on the corpus train split; ``make train`` runs it.

    QAWL_SHARED=../shared python training/train_speaker_linker.py [--model DIR]

For every quote of the shipped pipeline that matches a gold quote, each candidate (the rules'
speaker, the document's PER/ORG entities) is an example, positive when its name is the gold speaker
by the strict reading (corpus/score.py: right source, clean name). Gradient-boosted trees
(scikit-learn, the ``train`` extra) are fitted on train and written, as plain node arrays, to
service/qawl_service/nlp/data/speaker_linker.json with the data, command and the dev accuracy of
choosing the best candidate against the rules' choice (dev chose the trees' size; test is not read).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
from pathlib import Path
from typing import Any

import msgspec
from sklearn.ensemble import GradientBoostingClassifier

from qawl_service.analyzer import Analyzer
from qawl_service.corpus.evaluate import before_quotes
from qawl_service.corpus.score import _match_quotes, name_matches_strict
from qawl_service.nlp import speaker_linker
from qawl_service.nlp.quote_text import _clean_name
from qawl_service.nlp.quotes import QuoteAttributor, run_quotes
from qawl_service.nlp.speaker_linker import DATA, FEATURES, Linker, Trees, speaker_spans

# 100 trees: dev accuracy as with 200 (0.882 either way, first feature set) at half the scoring cost
# (the trees were 4.8 % of the full pipeline's profile in make bench with 200)
TREES = {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.1, "subsample": 0.8, "random_state": 1}

Group = tuple[list[list[float]], list[int]]  # one matched quote: candidates' features and labels


def groups(analyzer: Analyzer, split: str) -> list[Group]:
    quotes: QuoteAttributor = analyzer.nlp.get_pipe("qawl_quotes")  # type: ignore[assignment]
    out: list[Group] = []
    for _, doc, gold in before_quotes(analyzer, split):
        inputs = quotes.inputs(doc)
        ex, found = run_quotes(**inputs)
        if ex is None:
            continue
        linker = Linker(ex, speaker_spans(inputs["roles"]))
        pred = [{"start": f.start, "end": f.end} for f in found]
        gold_of = {j: i for i, j in _match_quotes(gold, pred)}
        for j, f in enumerate(found):
            cands = linker.candidates(f)
            if j in gold_of:
                g = gold[gold_of[j]]
                truth = [g["speaker"], *g["speaker_aliases"]]
                labels = []
                for c in cands:
                    entity = ex.t.entities[c.entity] if c.entity >= 0 else None
                    name = _clean_name(entity.name) if entity else f.speaker.name  # type: ignore[union-attr]
                    labels.append(int(name_matches_strict(name, truth)))
                out.append(([c.x for c in cands], labels))
            linker.choose(f, cands, None)
    return out


def accuracy(gs: list[Group], score: Any) -> dict[str, float]:
    """Strict speaker accuracy over matched quotes: the rules' choice, and the best-scored candidate."""
    rules = chosen = 0
    for xs, ys in gs:
        rules += any(y and x[0] for x, y in zip(xs, ys, strict=True))
        if xs:
            ps = score(xs)
            chosen += ys[max(range(len(xs)), key=lambda i: ps[i])]
    return {"quotes": len(gs), "rules": round(rules / len(gs), 4), "linker": round(chosen / len(gs), 4)}


def export(gb: GradientBoostingClassifier) -> Trees:
    trees = [est[0].tree_ for est in gb.estimators_]
    prior = gb.init_.class_prior_[1]
    return Trees(
        features=FEATURES,
        init=round(math.log(prior / (1 - prior)), 6),
        learning_rate=float(gb.learning_rate),
        feature=tuple(tuple(int(v) for v in t.feature) for t in trees),
        threshold=tuple(tuple(round(float(v), 6) for v in t.threshold) for t in trees),
        left=tuple(tuple(int(v) for v in t.children_left) for t in trees),
        right=tuple(tuple(int(v) for v in t.children_right) for t in trees),
        value=tuple(tuple(round(float(v), 6) for v in t.value[:, 0, 0]) for t in trees),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args()
    # the training data's reading is the rules' speakers: the shipped trees (possibly over other
    # features) are not loaded
    speaker_linker.DATA = Path("/nonexistent")
    analyzer = Analyzer.load(args.model)
    train, dev = groups(analyzer, "train"), groups(analyzer, "dev")
    xs = [x for g in train for x in g[0]]
    ys = [y for g in train for y in g[1]]
    gb = GradientBoostingClassifier(**TREES).fit(xs, ys)
    trees = export(gb)
    check = [trees.probability(x) for x in xs[:200]]
    sk = gb.predict_proba(xs[:200])[:, 1]
    assert max(abs(a - b) for a, b in zip(check, sk, strict=True)) < 1e-4, "exported trees differ"
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    out = {
        "trees": msgspec.to_builtins(trees),
        "data": f"corpus/qnc train: {len(train)} matched quotes, {len(ys)} candidates, {sum(ys)} positive",
        "fit": f"sklearn GradientBoostingClassifier({TREES})",
        "command": "QAWL_SHARED=../shared python training/train_speaker_linker.py",
        "commit": git.stdout.strip(),
        "dev_strict_speaker_accuracy": accuracy(dev, lambda x: [trees.probability(v) for v in x]),
        "train_strict_speaker_accuracy": accuracy(train, lambda x: [trees.probability(v) for v in x]),
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    print({k: v for k, v in out.items() if k != "trees"})


if __name__ == "__main__":
    main()
