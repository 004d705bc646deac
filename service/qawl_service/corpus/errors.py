"""Quote errors of the shipped pipeline on a corpus split, by cause (docs/quotes.md, error analysis).

    python -m qawl_service.corpus errors --split dev

Speaker errors (strict reading) over matched quotes, by the reading that produced the speaker and
whether the gold speaker is implicit; missed gold quotes by kind, by whether a prediction overlaps
them at all, and by their cue. Dev only by habit: the test split is for reporting, not for reading.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from qawl_service.corpus.load import load_corpus
from qawl_service.corpus.resolve import to_annotation
from qawl_service.corpus.score import _match_quotes, name_matches, name_matches_strict, view
from qawl_service.nlp.arabic import normalize


def quote_errors(split: str, model: str | None = None) -> dict[str, Any]:
    from qawl_service.analyzer import Analyzer

    articles = load_corpus(split, synthetic=False)
    analyzer = Analyzer.load(model)
    results = analyzer.analyze_many(
        [a.text for a in articles], ["entities", "quotes"], [a.record.id for a in articles]
    )
    speakers: Counter[str] = Counter()
    missed_kind: Counter[str] = Counter()
    missed_near: Counter[str] = Counter()
    missed_cue: Counter[str] = Counter()
    matched = 0
    examples: list[dict[str, str]] = []
    for a, r in zip(articles, results, strict=True):
        gold = view(to_annotation(a.record, a.text), a.text)["quotes"]
        quotes = r.quotes if isinstance(r.quotes, list) else []  # requested, so always set
        pred = [{"start": q.content.start, "end": q.content.end} for q in quotes]
        pairs = _match_quotes(gold, pred)
        matched += len(pairs)
        for i, j in pairs:
            names = [gold[i]["speaker"], *gold[i]["speaker_aliases"]]
            spk = quotes[j].speaker
            name = spk.name if spk else ""
            if name_matches_strict(name, names):
                continue
            reading = spk.resolution if spk else "none"
            gold_side = "implicit" if a.record.quotes[i].implicit else "named"
            verdict = "lenient only" if name_matches(name, names) else "wrong"
            speakers[f"{reading} / gold {gold_side} / {verdict}"] += 1
            q = quotes[j]
            anchor = q.cue.start if q.cue else q.content.start
            examples.append(
                {
                    "id": a.record.id,
                    "cause": f"{reading} / gold {gold_side} / {verdict}",
                    "predicted": name,
                    "gold": " | ".join(names),
                    "before": a.text[max(0, anchor - 160) : anchor].replace("\n", " / "),
                    "cue": q.cue.text if q.cue else "",
                    "content": q.content.text[:80],
                }
            )
        found = {i for i, _ in pairs}
        for i, g in enumerate(gold):
            if i in found:
                continue
            missed_kind[g["kind"]] += 1
            near = any(min(g["end"], p["end"]) > max(g["start"], p["start"]) for p in pred)
            missed_near["boundary (overlap under half)" if near else "no prediction"] += 1
            cue = a.record.quotes[i].cue
            missed_cue[normalize(cue.text) if cue else "(no cue)"] += 1
    return {
        "split": split,
        "matched": matched,
        "speaker_errors": dict(speakers.most_common()),
        "missed_by_kind": dict(missed_kind.most_common()),
        "missed_by_overlap": dict(missed_near.most_common()),
        "missed_by_cue": dict(missed_cue.most_common(25)),
        "speaker_examples": examples,
    }
