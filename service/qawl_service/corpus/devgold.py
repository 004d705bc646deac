"""Re-annotating the repo's dev gold sets (tests/data) to ../shared/guidelines/ANNOTATION.md.

    python -m qawl_service.corpus gold-show {quotes,quotes-heldout,stance}
    python -m qawl_service.corpus gold-write {quotes,quotes-heldout,stance} FILE

``gold-show`` prints each document of a gold set with its key (the repo path of a seed, or the URL of
a research-only news article, whose text is read from ../shared and never stored). Annotators write
the guideline's JSON with that key as ``id``; ``gold-write`` validates it and writes the gold file in
the format the evaluations read (offsets and short heads, names as written).
"""

from __future__ import annotations

import json
from typing import Any

from qawl_service.corpus.resolve import occurrences
from qawl_service.corpus.sources import REPO, shared_dir
from qawl_service.corpus.validate import annotation_problems, read_jsonl

GOLD = {
    "quotes": REPO / "tests" / "data" / "quotes" / "gold.jsonl",
    "quotes-heldout": REPO / "tests" / "data" / "quotes" / "heldout.jsonl",
    "stance": REPO / "tests" / "data" / "stance" / "gold.jsonl",
}


def documents(name: str) -> list[dict[str, Any]]:
    """The gold set's documents, each with ``key``, ``text`` and its original row (``row``)."""
    if name.startswith("quotes"):
        from qawl_service.evaluation.quotes import load_gold
    else:
        from qawl_service.evaluation.stance import load_gold
    docs, skipped = load_gold(GOLD[name], shared_dir(), REPO)
    if skipped:
        raise RuntimeError("; ".join(skipped))
    return [{"key": d.get("doc") or d["url"], "text": d["text"], "row": d} for d in docs]


def _nearest(text: str, s: str, a: int) -> int:
    hits = occurrences(text, s)
    return min(hits, key=lambda h: (abs(h - a), h))


def to_rows(name: str, anns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    docs = {d["key"]: d for d in documents(name)}
    rows = []
    for ann in anns:
        d = docs[ann["id"]]
        text, old = d["text"], d["row"]
        errors, _ = annotation_problems(ann, text)
        if errors:
            raise ValueError(f"{ann['id']}: {errors[0]}")
        key = (
            {"doc": old["doc"]}
            if "doc" in old
            else {"source": old.get("source", "saudinewsnet"), "url": old["url"]}
        )
        if "split" in old:
            key["split"] = old["split"]
        if name.startswith("quotes"):
            quotes, used = [], set()
            for q in ann["quotes"]:
                hits = occurrences(text, q["content"])
                start = next((h for h in hits if h not in used), hits[0])
                used.add(start)
                end = start + len(q["content"])
                quotes.append(
                    {
                        "start": start,
                        "end": end,
                        "head": text[start : start + 20],
                        "kind": q["kind"],
                        "cue": q["cue"],
                        "speaker": q["speaker"],
                        "aliases": q["speaker_aliases"],
                    }
                )
            rows.append({**key, "quotes": sorted(quotes, key=lambda q: q["start"])})
        else:
            aliases: dict[str, list[str]] = {}
            for q in ann["quotes"]:
                aliases.setdefault(q["speaker"], [])
                aliases[q["speaker"]] += [a for a in q["speaker_aliases"] if a not in aliases[q["speaker"]]]
            stances = []
            for s in ann["stances"]:
                ev = text.find(s["evidence"])
                t = _nearest(text, s["target"], ev)
                stances.append(
                    {
                        "holder": s["holder"],
                        "aliases": aliases.get(s["holder"], []),
                        "label": s["label"],
                        "target": s["target"],
                        "target_start": t,
                        "target_end": t + len(s["target"]),
                        "evidence_start": ev,
                        "evidence_end": ev + len(s["evidence"]),
                        "evidence_head": text[ev : ev + 20],
                    }
                )
            rows.append({**key, "stances": stances})
    return rows


def show(name: str) -> str:
    out = []
    for i, d in enumerate(documents(name), 1):
        out.append(f"===== [{i}] id: {d['key']} =====\n{d['text']}\n")
    return "\n".join(out)


def write(name: str, path: str) -> int:
    anns = read_jsonl(path)
    keys = {d["key"] for d in documents(name)}
    missing = keys - {a["id"] for a in anns}
    if missing:
        raise ValueError(f"{len(missing)} documents not annotated, e.g. {sorted(missing)[0]}")
    rows = to_rows(name, anns)
    with open(GOLD[name], "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)


def validate(name: str, path: str) -> list[str]:
    docs = {d["key"]: d["text"] for d in documents(name)}
    problems = []
    anns = read_jsonl(path)
    for a in anns:
        if a.get("id") not in docs:
            problems.append(f"unknown id {a.get('id')!r}")
            continue
        errors, warnings = annotation_problems(a, docs[a["id"]])
        problems += [f"ERROR {a['id']} {e}" for e in errors] + [f"warning {a['id']} {w}" for w in warnings]
    missing = sorted(set(docs) - {a.get("id") for a in anns})
    if missing:
        problems.append(f"ERROR {len(missing)} documents missing: {missing[:3]} ...")
    return problems
