"""Inter-annotator agreement on the double-annotated sample (``corpus/qnc/agreement/``).

The first pass is taken as reference and the second as prediction; F1 is symmetric, so the
choice changes P and R (swapped) but not F1.
"""

from __future__ import annotations

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
