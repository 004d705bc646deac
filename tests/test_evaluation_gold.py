"""The gold reader and the P/R/F1 row shared by the quote and stance evaluations."""

from __future__ import annotations

import json
from pathlib import Path

from qawl_service.evaluation.gold import prf, read_gold_texts


def test_prf_counts_and_rounding() -> None:
    row = prf(2, 3, 4)
    assert row == {"p": 0.6667, "r": 0.5, "f1": 0.5714, "tp": 2, "pred": 3, "gold": 4}


def test_prf_empty_sides_are_zero_not_errors() -> None:
    assert prf(0, 0, 5)["f1"] == 0.0
    assert prf(0, 3, 0)["p"] == 0.0
    assert prf(1, 1, 1)["f1"] == 1.0  # positive control: a perfect row is 1


def test_gold_reads_repo_documents_and_skips_news_without_shared(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قال الوزير إن الاتفاق مهم.", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    lines = [{"doc": "a.txt", "quotes": []}, {"url": "https://example.org/x", "quotes": []}]
    gold.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    docs, skipped = read_gold_texts(gold, None, root=tmp_path)
    assert [d["name"] for d in docs] == ["a.txt"]
    assert docs[0]["text"].startswith("قال الوزير")
    assert len(skipped) == 1 and "1 news documents" in skipped[0]
