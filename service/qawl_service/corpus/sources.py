"""Where corpus text comes from: the ANT news articles in ../shared and the team's synthetic articles.

An ANT article's document string is ``title + "\\n\\n" + text`` (SOURCE.txt's suggestion, the layout
of the seed and held-out files); offsets in the corpus are code points into that string.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ANT_FILE = Path("data") / "unlabeled" / "ant_news" / "ant_v1.1.jsonl.gz"
SYNTHETIC_FILE = REPO / "corpus" / "synthetic" / "articles.jsonl"


def shared_dir() -> Path:
    """``$QAWL_SHARED`` or the ``shared`` folder beside the repo."""
    return Path(os.environ.get("QAWL_SHARED", REPO.parent / "shared")).resolve()


def ant_available(shared: Path | None = None) -> bool:
    return ((shared or shared_dir()) / ANT_FILE).exists()


def document(title: str, text: str) -> str:
    return f"{title.strip()}\n\n{text}" if title.strip() else text


def iter_ant(shared: Path | None = None) -> Iterator[dict[str, str]]:
    """Every ANT article as ``{"id", "category", "text"}`` (``text`` is the document string)."""
    with gzip.open((shared or shared_dir()) / ANT_FILE, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            yield {
                "id": a["docno"],
                "category": a["category"] or "none",
                "text": document(a["title"], a["text"]),
            }


@lru_cache(maxsize=2)
def ant_texts(shared: Path | None = None) -> dict[str, str]:
    return {a["id"]: a["text"] for a in iter_ant(shared)}


def synthetic_texts() -> dict[str, str]:
    if not SYNTHETIC_FILE.exists():
        return {}
    with open(SYNTHETIC_FILE, encoding="utf-8") as f:
        return {a["id"]: a["text"] for a in map(json.loads, filter(str.strip, f))}


def texts(shared: Path | None = None) -> dict[str, str]:
    """Every corpus document by id: ANT (when ../shared is here) and synthetic."""
    out = dict(ant_texts(shared)) if ant_available(shared) else {}
    out.update(synthetic_texts())
    return out
