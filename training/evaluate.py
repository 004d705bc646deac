"""Entity-level P/R/F1 per label on a DocBin (default: ANERcorp test), plus words/second.

    python training/evaluate.py MODEL_DIR [--data training/corpus/test.spacy] [--json out.json]

Scores are exact span + label matches on the model's token spans (the benchmark's convention;
the API additionally cuts attached clitics off mentions).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from qawl_service.nlp import components, language, tok2vec, vectors  # noqa: F401  (registers Qawl functions)
from qawl_service.nlp.blas import numpy_ops


def evaluate(nlp: spacy.Language, data: Path | list[Doc]) -> dict[str, Any]:
    gold = list(DocBin().from_disk(data).get_docs(nlp.vocab)) if isinstance(data, Path) else data
    texts = [d.text for d in gold]
    words = sum(len(d) for d in gold)
    # Benchmark convention: the model's token spans (the API's clitic cutting is not part of it).
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in ("tok2vec", "ner")]):
        started = time.perf_counter()
        preds = list(nlp.pipe(texts, batch_size=64))
        elapsed = time.perf_counter() - started
    examples = [Example(p, g) for p, g in zip(preds, gold, strict=True)]
    scores = Scorer.score_spans(examples, "ents")
    per_type = {
        k: {m: round(v * 100, 2) for m, v in prf.items()}
        for k, prf in (scores["ents_per_type"] or {}).items()
    }
    return {
        "ents_p": round(scores["ents_p"] * 100, 2),
        "ents_r": round(scores["ents_r"] * 100, 2),
        "ents_f": round(scores["ents_f"] * 100, 2),
        "ents_per_type": per_type,
        "words": words,
        "words_per_second": round(words / elapsed),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--data", type=Path, default=Path("training/corpus/test.spacy"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with numpy_ops():  # as the service builds it (qawl_service/nlp/blas.py)
        nlp = spacy.load(args.model)
    result = evaluate(nlp, args.data)
    print(f"{args.data}: P {result['ents_p']:.1f}  R {result['ents_r']:.1f}  F1 {result['ents_f']:.1f}")
    for label, prf in sorted(result["ents_per_type"].items()):
        print(f"  {label:5s} P {prf['p']:5.1f}  R {prf['r']:5.1f}  F1 {prf['f']:5.1f}")
    print(f"speed: {result['words_per_second']} words/s (tok2vec+ner, one process, {result['words']} words)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
