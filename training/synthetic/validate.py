"""Validator of the team's synthetic name sentences (issue 21, docs/ner.md).

Each line of a ``*.jsonl`` file here is one short news passage the team wrote to put many real names
into news contexts, annotated to ../shared/guidelines/ANNOTATION.md (PER/ORG/LOC):

    {"id": "org-0001", "text": "...", "entities": [{"text": "وزارة الخارجية المصرية", "label": "ORG"}]}

An entity is given by its surface; every occurrence of that surface in the text at word boundaries
(a glued proclitic و ف ب ل ك, or وب/ول/وك/فب/فل, allowed before it) is that entity, the longest surface
winning where two overlap. ``spans()`` computes the code-point offsets; this script checks every line:

    python training/synthetic/validate.py training/synthetic/*.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from qawl_service.nlp.arabic import WORD_CHARS

LABELS = {"PER", "ORG", "LOC"}
ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3]")
PROCLITIC = "(?:[وف][بلك]?|[بلك])?"
# word characters as the service reads them (nlp/arabic.py): letters, digits, tatweel and diacritics;
# not the Arabic comma, semicolon or question mark, which end a name like any punctuation
WORD_CHAR = WORD_CHARS
BOUNDARY_BEFORE = rf"(?<!{WORD_CHAR})"
BOUNDARY_AFTER = rf"(?!{WORD_CHAR})"
# Facility descriptors, read as the corpus gold does (docs/ner.md, "Facility descriptors"): a building's
# own word stays in its LOC span (مستشفى الشفاء, قصر الإليزيه); a crossing, prison or base word, or one
# of the guideline's out-of-list descriptors, stays out (معبر رفح → رفح). Name-dependent words (ميناء،
# ملعب، سد، مخيم، شارع، محطة: out before a place name, in before a name of the facility's own) are
# not checked here.
DESCRIPTOR_IN = frozenset(
    [
        "مطار",
        "متنزه",
        "منتزه",
        "قصر",
        "مستشفى",
        "مسجد",
        "جامع",
        "كنيسة",
        "كاتدرائية",
        "متحف",
        "جسر",
        "برج",
        "فندق",
        "ساحة",
        "قلعة",
        "مسرح",
        "قاعة",
        "حقل",
        "مصفاة",
    ]
)
DESCRIPTOR_OUT = frozenset(["معبر", "سجن", "قاعدة", "معسكر", "حاجز", "قرية", "إقليم"])


def spans(text: str, entities: list[dict[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, label) of every occurrence of every entity surface, longest first, no overlaps."""
    found: list[tuple[int, int, str]] = []
    for ent in sorted(entities, key=lambda e: -len(e["text"])):
        surface = ent["text"]
        for m in re.finditer(
            BOUNDARY_BEFORE + PROCLITIC + "(" + re.escape(surface) + ")" + BOUNDARY_AFTER, text
        ):
            start, end = m.span(1)
            if all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, ent["label"]))
    return sorted(found)


def check(record: Any, seen_text: set[str]) -> list[str]:
    if not isinstance(record, dict) or set(record) != {"id", "text", "entities"}:
        return ["keys must be exactly id, text, entities"]
    text, entities = record["text"], record["entities"]
    errors: list[str] = []
    if not isinstance(text, str) or not ARABIC_WORD.search(text) or len(text) > 1200:
        return ["text must be Arabic, at most 1200 characters"]
    if text != text.strip() or "  " in text or "\n" in text:
        errors.append("text: no leading/trailing/double spaces or newlines")
    if text in seen_text:
        errors.append("duplicate text")
    seen_text.add(text)
    if not isinstance(entities, list) or not entities:
        return [*errors, "entities: a non-empty list"]
    surfaces: set[str] = set()
    for ent in entities:
        if not isinstance(ent, dict) or set(ent) != {"text", "label"}:
            errors.append(f"entity {ent!r}: keys must be exactly text, label")
            continue
        surface, label = ent["text"], ent["label"]
        if label not in LABELS:
            errors.append(f"entity {surface!r}: label {label!r} not in {sorted(LABELS)}")
        if surface in surfaces:
            errors.append(f"entity {surface!r} listed twice")
        surfaces.add(surface)
        if surface != surface.strip() or not surface:
            errors.append(f"entity {surface!r}: surrounding spaces")
        if re.search(r"[«»\"'()\[\]،,.:؛!?؟]", surface):
            errors.append(f"entity {surface!r}: punctuation inside")
        if surface not in text:
            errors.append(f"entity {surface!r} is not a substring of the text")
    if errors:
        return errors
    located = spans(text, entities)
    for ent in entities:
        if not any(text[s:e] == ent["text"] for s, e, _ in located):
            errors.append(
                f"entity {ent['text']!r}: never at word boundaries (or only inside a longer entity)"
            )
    return errors + descriptor_errors(text, located)


def descriptor_errors(text: str, located: list[tuple[int, int, str]]) -> list[str]:
    """A LOC span left without its building word before it, or one that begins with an out word."""
    errors = []
    for start, end, label in located:
        if label != "LOC":
            continue
        words = text[start:end].split()
        before = re.search(rf"{BOUNDARY_BEFORE}{PROCLITIC}(\S+) $", text[:start])
        if before and before.group(1) in DESCRIPTOR_IN:
            word = before.group(1)
            errors.append(f"entity {text[start:end]!r}: the descriptor {word!r} belongs in the span")
        if len(words) > 1 and words[0] in DESCRIPTOR_OUT:
            errors.append(f"entity {text[start:end]!r}: the descriptor {words[0]!r} stays out of the span")
    return errors


def main(paths: list[str]) -> int:
    bad = 0
    for name in paths:
        seen: set[str] = set()
        ids: set[str] = set()
        labels: Counter[str] = Counter()
        names: dict[str, set[str]] = {k: set() for k in LABELS}
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{name}:{n}: not JSON: {exc}")
                bad += 1
                continue
            if isinstance(record, dict) and record.get("id") in ids:
                print(f"{name}:{n}: duplicate id {record.get('id')}")
                bad += 1
            ids.add(str(record.get("id") if isinstance(record, dict) else None))
            for err in check(record, seen):
                print(f"{name}:{n}: {err}")
                bad += 1
            if isinstance(record, dict) and isinstance(record.get("entities"), list):
                for ent in record["entities"]:
                    if isinstance(ent, dict) and ent.get("label") in LABELS:
                        labels[ent["label"]] += 1
                        names[ent["label"]].add(ent["text"])
        distinct = {k: len(v) for k, v in sorted(names.items())}
        print(
            f"{name}: {len(lines)} passages, entities {dict(sorted(labels.items()))},"
            f" distinct names {distinct}"
        )
    print("OK" if not bad else f"{bad} errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
