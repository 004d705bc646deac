"""Annotators' exact substrings -> stored records with code-point offsets (and back, for review).

Annotators write the guideline's JSON (strings, no offsets). Resolution is deterministic:
- an entity surface marks every occurrence on word bounds, after an optional attached proclitic
  (وكيري -> كيري), longer surfaces first, no overlaps; a surface with the article also marks its
  fused لل form (للحكومة) as written;
- a quote content takes its first occurrence not taken by an earlier quote; its cue, speaker and
  aliases the occurrence nearest to the content (before it preferred: attribution precedes content
  in most news sentences);
- a stance evidence takes its first occurrence; its target the occurrence nearest to the evidence
  (inside it preferred), its holder the nearest occurrence.
"""

from __future__ import annotations

import re
from typing import Any

from qawl_service.corpus.schema import Mention, Name, Quote, Record, Span, Stance, head

_LETTER = "\u0621-\u064a\u0671-\u06d3"
_PROCLITIC = "(?:وب|ول|وك|فب|فل|فك|و|ف|ب|ل|ك)?"


def occurrences(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def nearest(text: str, s: str, start: int, end: int) -> int:
    """The occurrence of ``s`` nearest to [start, end): inside it first, then before it, then after."""
    hits = occurrences(text, s)
    if not hits:
        raise ValueError(f"{s!r} is not in the text")
    inside = [h for h in hits if start <= h and h + len(s) <= end]
    if inside:
        return inside[0]

    def distance(h: int) -> tuple[int, int]:
        if h + len(s) <= start:
            return (start - (h + len(s)), 0)  # before: preferred on ties
        return (max(h - end, 0), 1)

    return min(hits, key=distance)


def _name(text: str, s: str, start: int, end: int) -> Name:
    i = nearest(text, s, start, end)
    return Name(i, i + len(s), s)


def entity_mentions(text: str, entities: list[dict[str, str]]) -> list[Mention]:
    taken = [False] * len(text)
    out: list[Mention] = []
    for e in sorted(entities, key=lambda e: -len(e["text"])):
        forms = [e["text"]]
        if e["text"].startswith("ال") and len(e["text"]) > 3:
            forms.append("لل" + e["text"][2:])
        for form in forms:
            pattern = rf"(?<![{_LETTER}]){_PROCLITIC}({re.escape(form)})(?![{_LETTER}])"
            for m in re.finditer(pattern, text):
                a, b = m.span(1)
                if any(taken[a:b]):
                    continue
                taken[a:b] = [True] * (b - a)
                out.append(Mention(a, b, text[a:b], e["label"]))  # type: ignore[arg-type]
    return sorted(out, key=lambda m: (m.start, m.end))


def to_record(ann: dict[str, Any], text: str, source: str, split: str, passes: list[str]) -> Record:
    quotes: list[Quote] = []
    used: set[int] = set()
    for q in ann["quotes"]:
        hits = [h for h in occurrences(text, q["content"]) if h not in used] or occurrences(
            text, q["content"]
        )
        a = hits[0]
        used.add(a)
        b = a + len(q["content"])
        quotes.append(
            Quote(
                content=Span(a, b, head(text, a, b)),
                kind=q["kind"],
                cue=_name(text, q["cue"], a, b) if q["cue"] else None,
                speaker=_name(text, q["speaker"], a, b),
                aliases=[_name(text, x, a, b) for x in q["speaker_aliases"]],
                implicit=q["speaker_implicit"],
            )
        )
    stances: list[Stance] = []
    for s in ann["stances"]:
        a = text.find(s["evidence"])
        b = a + len(s["evidence"])
        t = nearest(text, s["target"], a, b)
        stances.append(
            Stance(
                holder=_name(text, s["holder"], a, b),
                target=Span(t, t + len(s["target"]), head(text, t, t + len(s["target"]))),
                label=s["label"],
                evidence=Span(a, b, head(text, a, b)),
            )
        )
    return Record(
        id=ann["id"],
        source=source,  # type: ignore[arg-type]
        split=split,  # type: ignore[arg-type]
        entities=entity_mentions(text, ann["entities"]),
        quotes=quotes,
        stances=stances,
        passes=passes,
    )


def to_annotation(r: Record, text: str) -> dict[str, Any]:
    """A stored record back in the guideline's JSON format (for review and scoring)."""
    surfaces: dict[tuple[str, str], None] = {}
    for m in r.entities:
        surfaces[(m.text, m.label)] = None
    return {
        "id": r.id,
        "entities": [{"text": t, "label": lab} for t, lab in surfaces],
        "quotes": [
            {
                "content": text[q.content.start : q.content.end],
                "kind": q.kind,
                "cue": q.cue.text if q.cue else None,
                "speaker": q.speaker.text,
                "speaker_aliases": [a.text for a in q.aliases],
                "speaker_implicit": q.implicit,
            }
            for q in r.quotes
        ],
        "stances": [
            {
                "holder": s.holder.text,
                "target": text[s.target.start : s.target.end],
                "label": s.label,
                "evidence": text[s.evidence.start : s.evidence.end],
            }
            for s in r.stances
        ],
    }
