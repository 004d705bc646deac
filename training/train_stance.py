"""Train the learned stance decision (issue 20; docs/stance.md, "A learned decision") on the Qawl News Corpus.

    QAWL_SHARED=../shared .venv/bin/python training/train_stance.py [--grid] [--errors] [--test] [--out DIR]

Needs the [train] extra (scikit-learn) and ../shared (the corpus text). Fits on the train split,
chooses C and the threshold on dev (--grid prints the whole grid), prints the dev ablation
(rules / learned / combined; triple, pair and holder F1) and the candidate ceiling; --test scores the
chosen configuration on the test split as well (once, at the end: test is never used to choose).
The pipeline's analyses (rules only: the shipped learned step is off) are cached in --cache (default
/tmp/qawl-stance). The weights the pipeline ships are written to --out (default
service/qawl_service/nlp/data/stance_model.npz) with their data, configuration and scores next to them
(stance_model.json), and --reference (tests/data/stance/learned_reference.json.gz) gets the trained
model's own probabilities on a sample of the seed texts' candidates with their features: the test that
the runtime (numpy, no scikit-learn) scores them identically.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from qawl_service.stance_learn.dense import SPEC, WordVectors, dense_matrix
from qawl_service.stance_learn.model import (
    CLASSES,
    N_FEATURES,
    RANK_C,
    RANK_WEIGHT,
    DenseScale,
    StanceModel,
    decode,
    feature_rows,
    hasher,
    matrix,
    with_dense,
)
from qawl_service.stance_learn.run import Split, evaluate, learned_stances, rule_stances, union

GRID_C = (0.1, 0.3, 1.0)
GRID_THRESHOLD = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
# Chosen on both dev sets (docs/stance.md, stop 19): corpus dev with --grid is flat over the
# threshold (combined 0.217 at 0.3, 0.213 at 0.4), tests/data dev (make eval-stance) needs the
# precision of 0.4 to stay over its bar with the step on.
CHOSEN = (0.1, 0.4)
# The dense columns (stance_learn/dense.py: mean word vectors of the target, the words before it, the
# holder and the context) next to the hashed ones (stop 22, docs/stance.md "Stop 22: dense features").
DENSE = True


def dense_scale(train: Split, dense: bool = DENSE) -> DenseScale | None:
    """The dense columns' scale fitted on ``train`` (the shipped model's word vectors), None without."""
    return DenseScale.fit(train.cands, train.texts, WordVectors.load()) if dense else None


def row(name: str, e: dict) -> str:
    t = e["triple"]
    return (
        f"| {name} | {t['pred']} | {t['tp']} | {t['p']:.3f} | {t['r']:.3f} | **{t['f']:.3f}** "
        f"| {e['pair']['f']:.3f} | {e['holder']['f']:.3f} |"
    )


def ablation(split: Split, model: StanceModel, scores: dict | None = None) -> list[str]:
    x = matrix(split.cands, split.texts, model.dense)
    proba = model.scores(x, split.cands)
    learned = learned_stances(split, decode(split.cands, proba, model.threshold, split.excluded))
    rules = [rule_stances(a) for a in split.analyses]
    if scores is not None:
        scores[split.name] = {
            "docs": len(split.articles),
            "gold_stances": split.gold_n,
            "candidates": len(split.cands),
            "candidate_ceiling": split.hit,
            "rules": evaluate(split, rules),
            "learned": evaluate(split, learned),
            "combined": evaluate(split, union(rules, learned)),
        }
    return [
        f"{split.name}: {len(split.articles)} docs, {split.gold_n} gold stances, "
        f"{len(split.cands)} candidates, "
        f"candidate ceiling {split.hit}/{split.gold_n} = {split.hit / max(split.gold_n, 1):.3f}",
        "| system | pred | tp | P | R | triple F1 | pair F1 | holder F1 |",
        "|---|---|---|---|---|---|---|---|",
        row("rules only (shipped)", evaluate(split, rules)),
        row("learned only", evaluate(split, learned)),
        row("combined (rules ∪ learned)", evaluate(split, union(rules, learned))),
    ]


def error_causes(split: Split, model: StanceModel, sample: int = 20) -> list[str]:
    """Every error of the learned decision on ``split`` by cause, and a seeded sample of them."""
    import random
    from collections import Counter

    from qawl_service.corpus.score import name_matches
    from qawl_service.stance_learn.labels import gold_stances, matches

    proba = model.scores(matrix(split.cands, split.texts, model.dense), split.cands)
    learned = learned_stances(split, decode(split.cands, proba, model.threshold, split.excluded))
    per_doc: dict[int, list] = {}
    for c in split.cands:
        per_doc.setdefault(c.doc_index, []).append(c)
    causes: Counter[str] = Counter()
    errors = []
    for i, a in enumerate(split.articles):
        golds, preds, used = gold_stances(a), learned[i], set()
        cands = per_doc.get(i, [])
        for g in golds:
            hit = next(
                (j for j, s in enumerate(preds) if j not in used and s["label"] == g["label"]
                 and matches(s["holder"], s["target"], g)),
                None,
            )  # fmt: skip
            if hit is not None:
                used.add(hit)
                continue
            if not any(name_matches(c.holder, g["names"]) for c in cands):
                cause = "FN holder not proposed"
            elif not any(matches(c.holder, c.target, g) for c in cands):
                cause = "FN target not proposed"
            elif any(matches(s["holder"], s["target"], g) for s in preds):
                cause = "FN predicted with the wrong label"
            else:
                cause = "FN candidate below the threshold or lost in dedup"
            causes[cause] += 1
            errors.append(f"{cause} | {a.record.id} | {g['holder']} | {g['target']} | {g['label']}")
        for j, s in enumerate(preds):
            if j in used:
                continue
            if not any(name_matches(s["holder"], g["names"]) for g in golds):
                cause = "FP holder is no gold holder"
            elif any(matches(s["holder"], s["target"], g) for g in golds):
                cause = "FP a gold pair with the wrong label (or matched twice)"
            else:
                cause = "FP target is no gold target of that holder"
            causes[cause] += 1
            errors.append(f"{cause} | {a.record.id} | {s['holder']} | {s['target']} | {s['label']}")
    out = [f"{k}: {v}" for k, v in causes.most_common()]
    random.seed(20)
    return [*out, "sample:", *random.sample(errors, min(sample, len(errors)))]


def reference(model: StanceModel, seeds: Path, out: Path, n: int = 300) -> int:
    """The trained model's probabilities (scikit-learn's hasher and estimator) on ``n`` candidates of the
    seed texts (in the repo; the corpus text is not), with their feature strings and, with dense
    columns, their raw dense rows (rounded to 4 decimals: the probabilities are of the rounded rows)."""
    import gzip
    import random

    from qawl_service.stance_learn.analyses import analyze_texts
    from qawl_service.stance_learn.candidates import candidates

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    cands = [c for i, an in enumerate(analyze_texts(texts)) for c in candidates(i, texts[i], an)]
    random.seed(20)
    cands = random.sample(cands, min(n, len(cands)))
    rows = feature_rows(cands, texts)
    x = hasher().transform(rows)
    dense = None
    if model.dense is not None:
        dense = np.round(dense_matrix(cands, texts, model.dense.vectors).astype(np.float64), 4)
        x = with_dense(x, dense, model.dense)
    proba = model.proba(x)
    out_rows = [{"features": r, "proba": [float(v) for v in p]} for r, p in zip(rows, proba, strict=True)]
    if model.rank is not None:  # the ranker's score of the same rows (stop 27)
        for o, v in zip(out_rows, model.rank_scores(x), strict=True):
            o["rank"] = float(v)
    if dense is not None:
        for o, d in zip(out_rows, dense, strict=True):
            o["dense"] = [float(v) for v in d]
    data = {"n_features": N_FEATURES, "classes": list(CLASSES), "rows": out_rows}
    out.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), mtime=0))
    return len(rows)


def git_commit() -> str:
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "service", "training"], capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/qawl-stance"))
    ap.add_argument("--out", type=Path, default=Path("service/qawl_service/nlp/data/stance_model.npz"))
    ap.add_argument("--reference", type=Path, default=Path("tests/data/stance/learned_reference.json.gz"))
    ap.add_argument("--seeds", type=Path, default=Path("seeds"), help="texts of the --reference sample")
    ap.add_argument("--grid", action="store_true", help="print the dev grid over C and threshold")
    ap.add_argument("--errors", action="store_true", help="print the dev errors by cause and a sample of 20")
    ap.add_argument("--test", action="store_true", help="also score the chosen configuration on test")
    ap.add_argument("--no-dense", action="store_true", help="the hashed features alone (before stop 22)")
    ap.add_argument("--no-rank", action="store_true", help="no target ranker (before stop 27)")
    args = ap.parse_args()
    started = time.perf_counter()
    train, dev = Split("train", args.cache), Split("dev", args.cache)
    dense = dense_scale(train, not args.no_dense)
    x, y = matrix(train.cands, train.texts, dense), [c.gold for c in train.cands]
    xd = matrix(dev.cands, dev.texts, dense)
    rules = [rule_stances(a) for a in dev.analyses]
    if args.grid:
        for c in GRID_C:
            m = StanceModel.fit(x, y, c, dense=dense)
            if not args.no_rank:
                m.fit_ranker(x, train.cands)
            p = m.scores(xd, dev.cands)
            for thr in GRID_THRESHOLD:
                learned = learned_stances(dev, decode(dev.cands, p, thr, dev.excluded))
                e, u = evaluate(dev, learned), evaluate(dev, union(rules, learned))
                print(f"C={c} threshold={thr}: learned {json.dumps(e['triple'])}")
                print(f"C={c} threshold={thr}: combined {json.dumps(u['triple'])}")
    c, thr = CHOSEN
    model = StanceModel.fit(x, y, c, thr, dense)
    if not args.no_rank:
        model.fit_ranker(x, train.cands)
    print(f"C={c} threshold={thr}" + ("" if args.no_rank else f", ranker C={RANK_C} weight={RANK_WEIGHT}"))
    print(f"train: {len(train.cands)} candidates, ceiling {train.hit}/{train.gold_n}")
    scores: dict = {}
    print("\n".join(ablation(dev, model, scores)))
    if args.errors:
        print("\n".join(error_causes(dev, model)))
    if args.test:
        print("\n".join(ablation(Split("test", args.cache), model, scores)))
    import sklearn

    meta = {
        "what": "the learned stance step of qawl_stance (issue 20): logistic regression, rules ∪ learned",
        "trained_by": "training/train_stance.py" + (" --test" if args.test else ""),
        "commit": git_commit(),
        "data": {
            "corpus": "Qawl News Corpus (corpus/qnc), ANT articles only; text from ../shared",
            "train": {"docs": len(train.articles), "candidates": len(train.cands),
                      "positive": sum(g != "none" for g in y), "gold_stances": train.gold_n},
            "candidates_from": "the shipped pipeline's entities, quotes and rule stances (learned step off)",
        },
        "config": {
            "C": c, "threshold": thr, "n_features": N_FEATURES, "classes": list(CLASSES),
            "dense": None if dense is None else {
                "columns": list(SPEC), "dim": dense.vectors.dim,
                "vectors": "the shipped model's vocab/vectors (floret), by the normalized word",
                "fingerprint": dense.vectors.fingerprint(),
            },
            "solver": "lbfgs", "max_iter": 2000,
            "ranker": None if model.rank is None else {
                "C": RANK_C, "weight": RANK_WEIGHT,
                "what": "pairwise logistic regression (right target minus another candidate of its "
                        "holder and context, no intercept); decode reads logit(s) + weight * (r - the "
                        "group's log-mean-exp of r)",
            },
            "hash": "abs(murmurhash3_32(utf-8, seed 0, signed)) % n_features, +1 per occurrence "
                    "(sklearn FeatureHasher, alternate_sign=False)",
            "chosen_on": "dev (--grid: C in 0.1/0.3/1, threshold 0.15-0.4)",
        },
        "scikit_learn": sklearn.__version__,
        "scores": scores,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out, meta)
    print(f"weights {args.out} ({args.out.stat().st_size} bytes), meta {args.out.with_suffix('.json')}")
    n = reference(model, args.seeds, args.reference)
    print(f"reference: {n} seed candidates -> {args.reference}")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
