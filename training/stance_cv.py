"""Cross-validation of the learned stance step on the corpus train split (stop 21, docs/stance.md).

    QAWL_SHARED=../shared .venv/bin/python training/stance_cv.py [--folds 5] [--cache DIR]

The dev split has 363 gold stances: one stance more or less moves its triple F1 by about 0.003, so a
change is also read on train, 5-fold by document (document i in fold i % folds): each fold is scored by a
model (the shipped configuration, ``train_stance.CHOSEN``) fitted on the other folds, and the out-of-fold
probabilities are decoded and merged with the rules as the pipeline does (``run.union``). Needs the
[train] extra. Prints rules ∪ learned triple F1 at a few thresholds; never reads dev or test.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from train_stance import CHOSEN, DENSE, dense_scale

from qawl_service.stance_learn.model import StanceModel, decode, matrix
from qawl_service.stance_learn.run import Split, evaluate, learned_stances, rule_stances, union


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/qawl-stance"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-dense", action="store_true", help="the hashed features alone (before stop 22)")
    ap.add_argument("--no-rank", action="store_true", help="no target ranker (before stop 27)")
    args = ap.parse_args()
    train = Split("train", args.cache)
    # the dense columns' scale from the whole split (a column's mean and sd, no label): as train_stance.py
    dense = dense_scale(train, DENSE and not args.no_dense)
    x, y = matrix(train.cands, train.texts, dense), np.asarray([c.gold for c in train.cands])
    fold = np.asarray([c.doc_index % args.folds for c in train.cands])
    proba = np.zeros((len(y), 3))
    for k in range(args.folds):
        model = StanceModel.fit(x[fold != k], list(y[fold != k]), CHOSEN[0])
        if not args.no_rank:  # the target ranker (stop 27), fitted on the same folds
            model.fit_ranker(x[fold != k], [c for c, f in zip(train.cands, fold, strict=True) if f != k])
        proba[fold == k] = model.scores(
            x[fold == k], [c for c in train.cands if c.doc_index % args.folds == k]
        )
    rules = [rule_stances(a) for a in train.analyses]
    print(
        f"train: {len(train.cands)} candidates, ceiling {train.hit}/{train.gold_n}, C={CHOSEN[0]}, "
        f"dense {dense is not None}"
    )
    for thr in (0.3, 0.35, 0.4, 0.5):
        kept = decode(train.cands, proba, thr, train.excluded)
        e = evaluate(train, union(rules, learned_stances(train, kept)))["triple"]
        print(
            f"threshold {thr}: rules ∪ learned F1 {e['f']:.4f} (P {e['p']:.3f}, R {e['r']:.3f}; "
            f"{e['pred']} predicted, {e['tp']} right)"
        )


if __name__ == "__main__":
    main()
