"""Score the shipped pipeline on a QNC split with the guideline's scoring (``make eval-corpus``).

    python -m qawl_service.corpus eval --split dev [--split test] [--json OUT]

Entities: every (surface, label) of the response's mentions; quotes: content offsets, kind and the
speaker's name (lenient and strict) and the cue; stances: holder name, target text, label.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
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
                "confidence": q.confidence,
                "cue_start": q.cue.start if q.cue else None,
                "cue_end": q.cue.end if q.cue else None,
            }
            for q in analysis.quotes
        ],
        "stances": [
            {"holder": s.holder.name, "target": s.target.text, "label": s.label, "confidence": s.confidence}
            for s in analysis.stances
        ],
    }


def evaluate(split: str, model: str | None = None, quotes_mode: str | None = None) -> dict[str, Any]:
    """Score the pipeline on ``split``; ``quotes_mode`` (rules / learned / combined) overrides the
    quote component's use of the learned roles, for the ablation of docs/quotes.md."""
    from qawl_service.analyzer import Analyzer

    articles = load_corpus(split, synthetic=False)
    analyzer = Analyzer.load(model)
    if quotes_mode is not None:
        quotes: Any = analyzer.nlp.get_pipe("qawl_quotes")
        quotes.mode = quotes_mode
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


def before_quotes(analyzer: Any, split: str) -> Iterator[tuple[Any, Any, list[dict[str, Any]]]]:
    """Each article of ``split``: the Doc as the components before ``qawl_quotes`` leave it (what the
    quotes read: entities, segmentation, learned roles) and its gold quotes in the scoring view. The
    training of the speaker linker and the confidence fit read them."""
    names = analyzer.nlp.pipe_names
    articles = load_corpus(split, synthetic=False)
    with analyzer.nlp.select_pipes(enable=names[: names.index("qawl_quotes")]):
        for a, doc in zip(articles, analyzer.nlp.pipe(a.text for a in articles), strict=True):
            yield a, doc, view(to_annotation(a.record, a.text), a.text)["quotes"]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures of one split's :func:`evaluate` result that the model's meta keeps (and /v1/info
    reports as ``corpus_<split>_<key>``)."""
    return {
        "entities_f": result["entities"]["f"],
        "entities_by_label_f": {k: v["f"] for k, v in result["entities_by_label"].items()},
        "quotes_f": result["quotes"]["f"],
        "speaker_accuracy": result["speaker_accuracy"],
        "speaker_accuracy_strict": result["speaker_accuracy_strict"],
        "kind_accuracy": result["kind_accuracy"],
        "cue_accuracy": result["cue_accuracy"],
        "stances_f": result["stances"]["f"],
    }


def write_meta(model_dir: Path, results: list[dict[str, Any]]) -> None:
    """Store the splits' summaries in ``model_dir/meta.json`` under ``qawl.corpus``: rule components
    change without retraining, so the meta is re-scored with the pipeline as it ships."""
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    corpus = meta.setdefault("qawl", {}).setdefault("corpus", {})
    for r in results:
        corpus[r["split"]] = summary(r)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
