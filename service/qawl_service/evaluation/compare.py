"""Is model B better than model A? A paired bootstrap over sentences, per data file.

    python -m qawl_service.evaluation.compare MODEL_A MODEL_B [--data training/corpus/dev.spacy ...]

Prints each model's entity F1 (exact span and label, as qawl_service.evaluation.ner), B - A, and the 95%
interval of B - A over 2,000 resamples of the sentences. The dev slice (969 entities) and the
ANERcorp test file (2,285) are small: one model's F1 on the test file has a 95% interval of about
+-2.2 points, and a difference between two models needs about 1.5 points to be told from noise.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from qawl_service.evaluation.ner import predict  # also registers the Qawl functions
from qawl_service.nlp.blas import numpy_ops

Counts = list[tuple[int, int, int]]  # per sentence: (correct, predicted, gold)


def sentence_counts(nlp: Language, gold: list[Doc]) -> Counts:
    out = []
    for pred, ref in zip(predict(nlp, [g.text for g in gold]), gold, strict=True):
        found = {(e.start, e.end, e.label_) for e in pred.ents}
        wanted = {(e.start, e.end, e.label_) for e in ref.ents}
        out.append((len(found & wanted), len(found), len(wanted)))
    return out


def f1(rows: Counts) -> float:
    correct, predicted, gold = (sum(col) for col in zip(*rows, strict=True))
    return 200 * correct / (predicted + gold) if predicted + gold else 0.0


def paired_bootstrap(a: Counts, b: Counts, samples: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """(share of resamples where B beats A, 2.5th and 97.5th percentile of F1(B) - F1(A))."""
    rng = random.Random(seed)
    n = len(a)
    diffs = []
    for _ in range(samples):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(f1([b[i] for i in idx]) - f1([a[i] for i in idx]))
    diffs.sort()
    return sum(d > 0 for d in diffs) / samples, diffs[int(0.025 * samples)], diffs[int(0.975 * samples)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model_a", type=Path)
    ap.add_argument("model_b", type=Path)
    ap.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[Path("training/corpus/dev.spacy"), Path("training/corpus/test.spacy")],
    )
    args = ap.parse_args()
    with numpy_ops():  # as the service builds it (qawl_service/nlp/blas.py)
        nlp_a, nlp_b = spacy.load(args.model_a), spacy.load(args.model_b)
    for path in args.data:
        gold = list(DocBin().from_disk(path).get_docs(nlp_a.vocab))
        a, b = sentence_counts(nlp_a, gold), sentence_counts(nlp_b, gold)
        share, low, high = paired_bootstrap(a, b)
        print(
            f"{path}: A {f1(a):.2f}  B {f1(b):.2f}  B-A {f1(b) - f1(a):+.2f}"
            f"  95% interval [{low:+.2f}, {high:+.2f}]  B better in {share:.0%} of resamples"
        )


if __name__ == "__main__":
    main()
