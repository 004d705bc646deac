"""Score the shipped pipeline on a QNC split with the guideline's scoring (``make eval-corpus``).

    python -m qawl_service.corpus eval --split dev [--split test] [--json OUT]

Entities: every (surface, label) of the response's mentions; quotes: content offsets, kind and the
speaker's name; stances: holder name, target text, label.
"""

from __future__ import annotations

import time
from typing import Any

from qawl_service.corpus.load import load_corpus
from qawl_service.corpus.resolve import to_annotation
from qawl_service.corpus.score import score, view


def system_view(analysis: Any, text: str) -> dict[str, Any]:
    entities = {(m.text, e.label) for e in analysis.entities for m in e.mentions}
    return {
        "text": text,
        "entities": [{"text": t, "label": lab} for t, lab in sorted(entities)],
        "quotes": [
            {
                "start": q.content.start,
                "end": q.content.end,
                "kind": q.kind,
                "speaker": q.speaker.name if q.speaker else "",
                "speaker_aliases": [],
            }
            for q in analysis.quotes
        ],
        "stances": [
            {"holder": s.holder.name, "target": s.target.text, "label": s.label} for s in analysis.stances
        ],
    }


def evaluate(split: str, model: str | None = None) -> dict[str, Any]:
    from qawl_service.analyzer import Analyzer

    articles = load_corpus(split, synthetic=False)
    analyzer = Analyzer.load(model)
    gold, pred = [], []
    started = time.perf_counter()
    texts = [a.text for a in articles]
    results = analyzer.analyze_many(texts, ["entities", "quotes", "stance"], [a.record.id for a in articles])
    for a, result in zip(articles, results, strict=True):
        gold.append(view(to_annotation(a.record, a.text), a.text))
        pred.append(system_view(result, a.text))
    out = score(gold, pred)
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["split"] = split
    return out
