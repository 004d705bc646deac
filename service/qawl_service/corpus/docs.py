"""Corpus records as spaCy Docs, for training and evaluating pipeline components.

``to_doc(nlp, article)`` tokenizes the article with the pipeline's tokenizer and writes the
annotations into the Doc the way the components write their output:

- ``doc.ents``: the entity mentions, widened to whole tokens (a mention without its clitic, كيري in
  وكيري, covers the token وكيري: the NER is trained on tokens as they come, and ``qawl_entities``
  cuts the clitic afterwards); overlapping mentions keep the longest;
- ``doc.spans["quotes"]`` (label = kind), ``doc.spans["cues"]``, ``doc.spans["speakers"]`` (label =
  the quote's index), ``doc.spans["stance_targets"]`` (label = favor/against) and
  ``doc.spans["stance_holders"]``.

Spans that do not align with tokens even when widened are counted in ``stats`` and left out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from qawl_service.corpus.load import Article, load_corpus


def _span(doc: Doc, start: int, end: int, label: str, stats: Counter[str], kind: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or not span.text.strip():
        stats[f"{kind} unaligned"] += 1
        return None
    return span


def to_doc(nlp: Language, article: Article, stats: Counter[str] | None = None) -> Doc:
    stats = stats if stats is not None else Counter()
    record, text = article.record, article.text
    doc = nlp.make_doc(text)
    ents = [
        s for m in record.entities if (s := _span(doc, m.start, m.end, m.label, stats, "entity")) is not None
    ]
    kept = filter_spans(ents)
    stats["entity dropped (overlap)"] += len(ents) - len(kept)
    doc.ents = kept
    groups: dict[str, list[Span]] = {
        k: [] for k in ("quotes", "cues", "speakers", "stance_targets", "stance_holders")
    }
    for i, q in enumerate(record.quotes):
        for group, part, label in (
            ("quotes", q.content, q.kind),
            ("cues", q.cue, str(i)),
            ("speakers", q.speaker, str(i)),
        ):
            if (
                part is not None
                and (span := _span(doc, part.start, part.end, label, stats, group)) is not None
            ):
                groups[group].append(span)
    for stance in record.stances:
        for group, where in (("stance_targets", stance.target), ("stance_holders", stance.holder)):
            if (found := _span(doc, where.start, where.end, stance.label, stats, group)) is not None:
                groups[group].append(found)
    for name, spans in groups.items():
        doc.spans[name] = spans
    doc.user_data["qnc_id"] = record.id
    return doc


def summary(stats: Counter[str]) -> dict[str, Any]:
    return dict(sorted(stats.items()))


def write_docbins(
    out: Path, convert: Callable[[Article, Counter[str]], Doc], *, store_user_data: bool = False
) -> dict[str, Any]:
    """Every split's articles through ``convert`` into ``out/<split>.spacy``, with the counts it
    keeps (and ``docs``) per split in ``out/report.json``; returns that report."""
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    for split in ("train", "dev", "test"):
        stats: Counter[str] = Counter()
        db = DocBin(store_user_data=store_user_data)
        for article in load_corpus(split):
            db.add(convert(article, stats))
            stats["docs"] += 1
        db.to_disk(out / f"{split}.spacy")
        report[split] = summary(stats)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return report
