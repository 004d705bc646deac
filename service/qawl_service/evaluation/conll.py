"""CoNLL-style NER files (ANERcorp and the like): sentences of (token, BIO tag) and gold Docs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

ANER_MAP = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
EDGE_PUNCT = set("()[]{}«»“”\"'‘’،؛؟.,:!-")


def read_conll(path: Path, sep: str | None = None) -> list[list[tuple[str, str]]]:
    """Sentences of (token, BIO tag); blank lines separate sentences."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if not line:
            if cur:
                sents.append(cur)
                cur = []
            continue
        parts = line.split(sep) if sep else line.rsplit(" ", 1)
        if len(parts) != 2:
            parts = line.split()
            if len(parts) < 2:
                continue
            parts = [" ".join(parts[:-1]), parts[-1]]
        cur.append((parts[0].strip(), parts[1].strip()))
    if cur:
        sents.append(cur)
    return sents


def to_doc(
    nlp: Language,
    sent: list[tuple[str, str]],
    label_map: dict[str, str],
    stats: Counter[str],
    missing_types: frozenset[str] = frozenset(),
) -> Doc:
    """A Doc with gold entities; spans of ``missing_types`` are marked unknown (no loss either way):
    a set whose MISC definition differs from ANERcorp's still teaches PER/ORG/LOC."""
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    open_span: list[int | str] | None = None
    for tok, tag in sent:
        start, end = pos, pos + len(tok)
        text_parts.append(tok)
        pos = end + 1
        prefix, _, typ = tag.partition("-")
        label = (label_map.get(typ) or ("?" if typ in missing_types else None)) if typ else None
        if prefix == "I" and open_span is not None and open_span[2] == label:
            open_span[1] = end
            continue
        if open_span is not None:
            spans.append((int(open_span[0]), int(open_span[1]), str(open_span[2])))
            open_span = None
        if prefix in ("B", "I") and label:
            open_span = [start, end, label]
    if open_span is not None:
        spans.append((int(open_span[0]), int(open_span[1]), str(open_span[2])))
    text = " ".join(text_parts)
    doc = nlp.make_doc(text)
    ents = []
    missing = []
    taken: set[int] = set()
    for s, e, label in spans:
        while s < e and text[s] in EDGE_PUNCT:
            s += 1
        while e > s and text[e - 1] in EDGE_PUNCT:
            e -= 1
        if s >= e:
            stats["empty_span"] += 1
            continue
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is None or any(i in taken for i in range(span.start, span.end)):
            stats["unaligned"] += 1
            continue
        taken.update(range(span.start, span.end))
        if label == "?":
            missing.append(doc[span.start : span.end])
            stats["missing"] += 1
            continue
        ents.append(span)
        stats[label] += 1
    doc.set_ents(ents, missing=missing, default="outside")
    return doc
