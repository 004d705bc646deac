"""Inter-annotator agreement on the double-annotated sample (``corpus/qnc/agreement/``).

The first pass is taken as reference and the second as prediction; F1 is symmetric, so the
choice changes P and R (swapped) but not F1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qawl_service.corpus.build import AGREEMENT, read_record_file
from qawl_service.corpus.resolve import to_annotation
from qawl_service.corpus.score import score, view
from qawl_service.corpus.sources import texts


def agreement() -> dict[str, Any]:
    available = texts()
    first = {r.id: r for r in read_record_file(AGREEMENT / "pass1.jsonl")}
    second = {r.id: r for r in read_record_file(AGREEMENT / "pass2.jsonl")}
    ids = sorted(first.keys() & second.keys())
    gold = [view(to_annotation(first[i], available[i]), available[i]) for i in ids]
    pred = [view(to_annotation(second[i], available[i]), available[i]) for i in ids]
    return score(gold, pred)


def review_changes(work: Path | None = None) -> dict[str, Any]:
    """How much the review pass changed the first pass: the reviewed file as reference, the first
    pass as prediction, over every batch with both files. Reads the git-ignored work files."""
    from qawl_service.corpus.build import WORK
    from qawl_service.corpus.validate import read_jsonl

    work = work or WORK
    available = texts()
    gold, pred = [], []
    for review in sorted((work / "review").glob("b*.jsonl")):
        first = {a["id"]: a for a in read_jsonl(str(work / "pass1" / review.name))}
        for a in read_jsonl(str(review)):
            text = available[a["id"]]
            gold.append(view(a, text))
            pred.append(view(first[a["id"]], text))
    return score(gold, pred)
