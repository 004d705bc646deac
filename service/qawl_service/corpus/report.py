"""Markdown tables for docs/corpus.md: counts per split, agreement, baseline scores.

python -m qawl_service.corpus report [--baseline]
"""

from __future__ import annotations

from typing import Any

from qawl_service.corpus.agreement import agreement
from qawl_service.corpus.build import check


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def counts_table() -> str:
    _, table = check()
    keys = [
        "articles", "reviewed", "entity mentions", "entity PER", "entity ORG", "entity LOC", "entity MISC",
        "quotes", "quote direct", "quote indirect", "quote mixed", "quote implicit speaker",
        "stances", "stance favor", "stance against",
    ]  # fmt: skip
    splits = list(table)
    lines = [_row(["", *splits, "all"]), _row(["---"] * (len(splits) + 2))]
    for k in keys:
        values = [table[s].get(k, 0) for s in splits]
        lines.append(_row([k, *values, sum(values)]))
    return "\n".join(lines)


def _layer_rows(r: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for name, key in (
        ("entities (typed surface)", "entities"),
        ("quotes", "quotes"),
        ("stance triples", "stances"),
    ):
        x = r[key]
        rows.append([name, f"{x['p']:.3f}", f"{x['r']:.3f}", f"**{x['f']:.3f}**", x["gold"], x["pred"]])
    for group in ("entities_by_label", "quotes_by_kind", "stances_by_label"):
        for k, x in r[group].items():
            rows.append([f"  {k}", f"{x['p']:.3f}", f"{x['r']:.3f}", f"{x['f']:.3f}", x["gold"], x["pred"]])
    for name, key in (
        ("speaker accuracy (matched quotes)", "speaker_accuracy"),
        ("speaker accuracy, strict (matched quotes)", "speaker_accuracy_strict"),
        ("cue accuracy (matched quotes with a cue)", "cue_accuracy"),
        ("kind accuracy (matched quotes)", "kind_accuracy"),
    ):
        rows.append([name, "", "", f"{r[key]:.3f}", "", ""])
    return rows


def scores_table(r: dict[str, Any], gold: str = "gold", pred: str = "predicted") -> str:
    lines = [_row(["layer", "P", "R", "F1", gold, pred]), _row(["---"] * 6)]
    lines += [_row(row) for row in _layer_rows(r)]
    return "\n".join(lines)


def report(baseline: bool = False) -> str:
    out = ["## Counts", "", counts_table(), ""]
    a = agreement()
    out += [f"## Agreement ({a['documents']} articles, pass 1 as reference)", "",
            scores_table(a, "pass 1", "pass 2"), ""]  # fmt: skip
    if baseline:
        from qawl_service.corpus.evaluate import evaluate

        for split in ("dev", "test"):
            r = evaluate(split)
            out += [f"## Baseline on {split} ({r['documents']} articles)", "", scores_table(r), ""]
    return "\n".join(out)
