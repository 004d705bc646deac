"""Reading a quotes or stance gold file: each line names its article by a repo path (``doc``) or by
the url of a SaudiNewsNet article in ../shared, whose text is read there, never copied. And the
precision / recall / F1 row both evaluations report."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]  # the repo: the gold sets live in tests/data
NEWS_FILE = Path("data") / "news" / "saudinewsnet_dev.jsonl.gz"


def read_gold_texts(
    gold_path: Path, shared_dir: Path | None, root: Path = ROOT
) -> tuple[list[dict[str, Any]], list[str]]:
    """The gold entries whose text was found (``text`` and ``name`` filled in), in file order, and
    messages about the ones skipped. The callers check that their offsets still fit the text."""
    docs: list[dict[str, Any]] = []
    skipped: list[str] = []
    wanted: dict[str, dict[str, Any]] = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            if "doc" in entry:
                entry["text"] = (root / entry["doc"]).read_text(encoding="utf-8")
                entry["name"] = entry["doc"]
            else:
                entry["name"] = entry["url"]
                wanted[entry["url"]] = entry
            docs.append(entry)
    if wanted:
        news = (shared_dir / NEWS_FILE) if shared_dir is not None else None
        if news is None or not news.exists():
            skipped.append(f"skipped {len(wanted)} news documents: {news or 'shared dir'} is not available")
        else:
            needles = [f'"url": {json.dumps(u, ensure_ascii=False)}' for u in wanted]
            with gzip.open(news, "rt", encoding="utf-8") as f:
                for line in f:
                    head = line[:600]
                    if not any(n in head for n in needles):
                        continue
                    article = json.loads(line)
                    entry = wanted.get(article.get("url", ""))
                    if entry is not None and "text" not in entry:
                        entry["text"] = article["content"]
            for url, entry in wanted.items():
                if "text" not in entry:
                    skipped.append(f"skipped {url}: not found in {news}")
    return [d for d in docs if "text" in d], skipped


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 (rounded to 4 places) with the counts they come from."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}
