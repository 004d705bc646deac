"""Checks for every span: the annotators' JSON (guideline format) and the stored records.

Annotators run ``python -m qawl_service.corpus validate FILE --batch bNNN`` before handing a batch
in; ``make corpus-check`` runs :func:`record_errors` over every stored record.
"""

from __future__ import annotations

import json
import re
from typing import Any

from qawl_service.corpus.schema import KINDS, LABELS, POLARITIES, Record, head

PROCLITIC_RE = re.compile(r"^(?:وب|ول|وك|فب|فل|فك|و|ف|ب|ل|ك)(?=\S)")
_AR = re.compile(r"[\u0621-\u064A]")


def _is_str(x: Any) -> bool:
    return isinstance(x, str) and x != ""


def annotation_problems(ann: dict[str, Any], text: str) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one article annotated in the guideline's JSON format."""
    errors: list[str] = []
    warnings: list[str] = []

    def present(value: Any, where: str) -> bool:
        if not _is_str(value):
            errors.append(f"{where}: must be a non-empty string, got {value!r}")
            return False
        if value not in text:
            errors.append(f"{where}: {value!r} is not an exact substring of the article")
            return False
        if value != value.strip():
            errors.append(f"{where}: {value!r} has leading or trailing whitespace")
        return True

    for key in ("entities", "quotes", "stances"):
        if not isinstance(ann.get(key), list):
            errors.append(f"{key}: must be a list")
            return errors, warnings
    unknown = set(ann) - {"id", "entities", "quotes", "stances", "notes"}
    if unknown:
        errors.append(f"unknown keys {sorted(unknown)}")
    seen_entities = set()
    for i, e in enumerate(ann["entities"]):
        where = f"entities[{i}]"
        if not isinstance(e, dict) or set(e) != {"text", "label"}:
            errors.append(f"{where}: must be {{'text', 'label'}}")
            continue
        if e["label"] not in LABELS:
            errors.append(f"{where}: label {e['label']!r} not in {LABELS}")
        if present(e["text"], where):
            if (e["text"], e["label"]) in seen_entities:
                errors.append(f"{where}: {e['text']!r} listed twice")
            seen_entities.add((e["text"], e["label"]))
            m = PROCLITIC_RE.match(e["text"])
            if m and not e["text"].startswith("لل") and e["text"][m.end() :] in text:
                bare = e["text"][m.end() :]
                if re.search(rf"(?<![\u0621-\u064A]){re.escape(bare)}", text):
                    warnings.append(
                        f"{where}: {e['text']!r} may carry a proclitic ({bare!r} also occurs bare): "
                        "spans carry no attached و ف ب ل ك"
                    )
    contents: list[str] = []
    for i, q in enumerate(ann["quotes"]):
        where = f"quotes[{i}]"
        need = {"content", "kind", "cue", "speaker", "speaker_aliases", "speaker_implicit"}
        if not isinstance(q, dict) or set(q) != need:
            errors.append(f"{where}: keys must be exactly {sorted(need)}")
            continue
        if q["kind"] not in KINDS:
            errors.append(f"{where}: kind {q['kind']!r} not in {KINDS}")
        if present(q["content"], f"{where}.content"):
            if contents.count(q["content"]) >= text.count(q["content"]):
                errors.append(f"{where}.content: the same content more often than it occurs in the article")
            contents.append(q["content"])
            if not _AR.search(q["content"]):
                errors.append(f"{where}.content: no Arabic letter in {q['content']!r}")
        if q["cue"] is not None:
            present(q["cue"], f"{where}.cue")
        present(q["speaker"], f"{where}.speaker")
        if not isinstance(q["speaker_aliases"], list):
            errors.append(f"{where}.speaker_aliases: must be a list")
        else:
            for j, a in enumerate(q["speaker_aliases"]):
                present(a, f"{where}.speaker_aliases[{j}]")
        if not isinstance(q["speaker_implicit"], bool):
            errors.append(f"{where}.speaker_implicit: must be true or false")
    pairs = set()
    for i, s in enumerate(ann["stances"]):
        where = f"stances[{i}]"
        need = {"holder", "target", "label", "evidence"}
        if not isinstance(s, dict) or set(s) != need:
            errors.append(f"{where}: keys must be exactly {sorted(need)}")
            continue
        if s["label"] not in POLARITIES:
            errors.append(f"{where}: label {s['label']!r} not in {POLARITIES}")
        ok = all([present(s["holder"], f"{where}.holder"), present(s["target"], f"{where}.target")])
        present(s["evidence"], f"{where}.evidence")
        if ok:
            if (s["holder"], s["target"]) in pairs:
                errors.append(f"{where}: the pair ({s['holder']!r}, {s['target']!r}) twice (each pair once)")
            pairs.add((s["holder"], s["target"]))
            if len(s["target"].split()) > 8:
                warnings.append(
                    f"{where}.target: {len(s['target'].split())} words;"
                    " a target is a noun phrase (2-6 typical)"
                )
    return errors, warnings


def validate_batch(
    anns: list[dict[str, Any]], texts: dict[str, str], ids: list[str] | None
) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for n, ann in enumerate(anns):
        doc = ann.get("id") if isinstance(ann, dict) else None
        if not isinstance(doc, str) or doc not in texts:
            errors.append(f"line {n + 1}: unknown id {doc!r}")
            continue
        if doc in seen:
            errors.append(f"{doc}: annotated twice")
        seen.add(doc)
        e, w = annotation_problems(ann, texts[doc])
        errors += [f"{doc} {x}" for x in e]
        warnings += [f"{doc} {x}" for x in w]
    if ids is not None:
        missing = [i for i in ids if i not in seen]
        extra = sorted(seen - set(ids))
        if missing:
            errors.append(f"{len(missing)} articles of the batch missing: {missing}")
        if extra:
            errors.append(f"ids not in the batch: {extra}")
    return errors, warnings


def read_jsonl(path: str) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
    return out


def record_errors(r: Record, text: str) -> list[str]:
    """Every stored span must slice the text, match its head, and lie on the right characters."""
    errors: list[str] = []

    def span(s: Any, where: str, named: bool) -> None:
        if not (0 <= s.start < s.end <= len(text)):
            errors.append(f"{where}: offsets {s.start}:{s.end} outside the text ({len(text)})")
            return
        got = text[s.start : s.end]
        if named and got != s.text:
            errors.append(f"{where}: text[{s.start}:{s.end}] is {got!r}, not {s.text!r}")
        if not named and head(text, s.start, s.end) != s.head:
            errors.append(f"{where}: head {s.head!r} does not match {head(text, s.start, s.end)!r}")
        if got != got.strip():
            errors.append(f"{where}: {got!r} has leading or trailing whitespace")

    for i, m in enumerate(r.entities):
        span(m, f"entities[{i}]", True)
    for i, q in enumerate(r.quotes):
        span(q.content, f"quotes[{i}].content", False)
        if q.cue is not None:
            span(q.cue, f"quotes[{i}].cue", True)
        span(q.speaker, f"quotes[{i}].speaker", True)
        for j, a in enumerate(q.aliases):
            span(a, f"quotes[{i}].aliases[{j}]", True)
    for i, s in enumerate(r.stances):
        span(s.holder, f"stances[{i}].holder", True)
        span(s.target, f"stances[{i}].target", False)
        span(s.evidence, f"stances[{i}].evidence", False)
    return errors
