"""Entity-level P/R/F1 per label on a DocBin (default: ANERcorp test), plus words/second.

    python -m qawl_service.evaluation.ner MODEL_DIR [--data training/corpus/test.spacy] [--json out.json]
                                          [--seen-in training/corpus/train.spacy]

Scores are exact span + label matches on the model's token spans (the benchmark's convention;
the API additionally cuts attached clitics off mentions). With ``--seen-in``, recall is also split
by whether the gold entity's name (clitic-free stems) occurs as an entity in that training data:
names the model never saw are where the remaining errors are (docs/ner.md).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from qawl_service.nlp import components, language, quote_roles, tok2vec, vectors  # noqa: F401  (registers Qawl functions)
from qawl_service.nlp.blas import numpy_ops
from qawl_service.nlp.language import _stem


def _name_key(span: Span) -> str:
    return " ".join(_stem(t.text) for t in span)


def seen_recall(examples: list[Example], train: list[Doc]) -> dict[str, dict[str, Any]]:
    """Recall per label on gold entities whose name occurs in ``train`` ("seen") or not ("unseen")."""
    seen = {_name_key(e) for d in train for e in d.ents}
    counts: dict[tuple[str, str], list[int]] = {}
    for ex in examples:
        found = {(e.start, e.end, e.label_) for e in ex.predicted.ents}
        for e in ex.reference.ents:
            key = ("seen" if _name_key(e) in seen else "unseen", e.label_)
            hit_total = counts.setdefault(key, [0, 0])
            hit_total[0] += (e.start, e.end, e.label_) in found
            hit_total[1] += 1
    out: dict[str, dict[str, Any]] = {}
    for group in ("seen", "unseen"):
        rows = {label: ht for (g, label), ht in counts.items() if g == group}
        hits, total = sum(h for h, _ in rows.values()), sum(t for _, t in rows.values())
        out[group] = {
            "entities": total,
            "recall": round(100 * hits / total, 2) if total else 0.0,
            "per_type": {
                label: {"entities": t, "recall": round(100 * h / t, 2)}
                for label, (h, t) in sorted(rows.items())
            },
        }
    return out


def predict(nlp: Language, texts: list[str]) -> list[Doc]:
    """Benchmark convention: the model's token spans (the API's clitic cutting is not part of it)."""
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in ("tok2vec", "ner")]):
        return list(nlp.pipe(texts, batch_size=64))


def evaluate(nlp: Language, data: Path | list[Doc], seen_in: list[Doc] | None = None) -> dict[str, Any]:
    gold = list(DocBin().from_disk(data).get_docs(nlp.vocab)) if isinstance(data, Path) else data
    texts = [d.text for d in gold]
    words = sum(len(d) for d in gold)
    started = time.perf_counter()
    preds = predict(nlp, texts)
    elapsed = time.perf_counter() - started
    examples = [Example(p, g) for p, g in zip(preds, gold, strict=True)]
    scores = Scorer.score_spans(examples, "ents")
    per_type = {
        k: {m: round(v * 100, 2) for m, v in prf.items()}
        for k, prf in (scores["ents_per_type"] or {}).items()
    }
    result = {
        "ents_p": round(scores["ents_p"] * 100, 2),
        "ents_r": round(scores["ents_r"] * 100, 2),
        "ents_f": round(scores["ents_f"] * 100, 2),
        "ents_per_type": per_type,
        "words": words,
        "words_per_second": round(words / elapsed),
    }
    if seen_in is not None:
        result["recall_by_novelty"] = seen_recall(examples, seen_in)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--data", type=Path, default=Path("training/corpus/test.spacy"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--seen-in", type=Path, help="training DocBin: split recall by names seen in it")
    args = ap.parse_args()
    with numpy_ops():  # as the service builds it (qawl_service/nlp/blas.py)
        nlp = spacy.load(args.model)
    train = list(DocBin().from_disk(args.seen_in).get_docs(nlp.vocab)) if args.seen_in else None
    result = evaluate(nlp, args.data, train)
    print(f"{args.data}: P {result['ents_p']:.1f}  R {result['ents_r']:.1f}  F1 {result['ents_f']:.1f}")
    for label, prf in sorted(result["ents_per_type"].items()):
        print(f"  {label:5s} P {prf['p']:5.1f}  R {prf['r']:5.1f}  F1 {prf['f']:5.1f}")
    for group, rec in result.get("recall_by_novelty", {}).items():
        labels = "  ".join(f"{k} {v['recall']:.1f} ({v['entities']})" for k, v in rec["per_type"].items())
        print(f"recall on names {group} in training: {rec['recall']:.1f} of {rec['entities']}  ({labels})")
    print(f"speed: {result['words_per_second']} words/s (tok2vec+ner, one process, {result['words']} words)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
