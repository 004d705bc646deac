"""Dump every quote and stance the shipped pipeline finds, one JSON line each, for a before/after diff
of a refactor of the rule layer (issue 18: the shared phrase machinery must not change outputs).

    python scripts/phrase_outputs.py --out /tmp/before.jsonl [--shared /work/shared]

Texts: the seeds (seeds/*.txt), the quote and stance gold sets (tests/data/quotes/*.jsonl,
tests/data/stance/gold.jsonl: their repo documents always, their news articles only with --shared)
and, with --shared, the corpus dev split (never the test split). Each line carries the data set and
document id, so ``diff`` of two dumps names what moved.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parents[1]


def _mention(m: Any) -> list[Any] | None:
    return None if m is None else [m.start, m.end, m.text]


def _speaker(s: Any) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"name": s.name, "entity": s.entity_id, "mention": _mention(s.mention), "resolution": s.resolution}


def texts_by_set(shared: Path | None) -> dict[str, list[tuple[str, str]]]:
    from qawl_service.evaluation.gold import read_gold_texts

    sets: dict[str, list[tuple[str, str]]] = {}
    sets["seeds"] = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    golds = sorted((ROOT / "tests" / "data" / "quotes").glob("*.jsonl"))
    golds.append(ROOT / "tests" / "data" / "stance" / "gold.jsonl")
    for gold in golds:
        docs, skipped = read_gold_texts(gold, shared, ROOT)
        for msg in skipped:
            print(f"{gold.relative_to(ROOT)}: {msg}", file=sys.stderr)
        sets[str(gold.relative_to(ROOT))] = [(d["name"], d["text"]) for d in docs]
    if shared is not None:
        os.environ.setdefault("QAWL_SHARED", str(shared))
        from qawl_service.corpus.load import load_corpus

        sets["corpus-dev"] = [(a.record.id, a.text) for a in load_corpus("dev", synthetic=False)]
    return sets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=None, help="the shared data dir (news texts, corpus)")
    args = ap.parse_args()
    from qawl_service.analyzer import Analyzer

    analyzer = Analyzer.load(None)
    n = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for name, docs in texts_by_set(args.shared).items():
            ids: list[str | None] = [d for d, _ in docs]
            results = analyzer.analyze_many([t for _, t in docs], ["entities", "quotes", "stance"], ids)
            for (doc, _), res in zip(docs, results, strict=True):
                for q in res.quotes or []:
                    row = {
                        "set": name,
                        "doc": doc,
                        "quote": q.id,
                        "kind": q.kind,
                        "content": _mention(q.content),
                        "cue": _mention(q.cue),
                        "speaker": _speaker(q.speaker),
                        "confidence": q.confidence,
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
                for s in res.stances or []:
                    row = {
                        "set": name,
                        "doc": doc,
                        "holder": _speaker(s.holder),
                        "target": msgspec.to_builtins(s.target),
                        "label": s.label,
                        "evidence": _mention(s.evidence),
                        "cue": _mention(s.cue),
                        "quote": s.quote_id,
                        "confidence": s.confidence,
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
            print(f"{name}: {len(docs)} documents", file=sys.stderr)
    print(f"{n} rows -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
