"""The pipeline's analysis of corpus documents, cached to disk (the classifier trains on it many times)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from qawl.types import Analysis
from qawl_service.corpus.load import Article, load_corpus

FEATURES: list[Any] = ["entities", "quotes", "stance"]


def analyze(articles: list[Article], model: str | None = None) -> list[Analysis]:
    from qawl_service.analyzer import Analyzer

    analyzer = Analyzer.load(model)
    return analyzer.analyze_many([a.text for a in articles], FEATURES, [a.record.id for a in articles])


def cached_analyses(
    split: str, cache_dir: Path, model: str | None = None
) -> tuple[list[Article], list[Analysis]]:
    """``(articles, analyses)`` of a split's ANT articles; analyses read from ``cache_dir`` when there."""
    articles = load_corpus(split, synthetic=False)
    path = cache_dir / f"analyses-{split}.json"
    if path.exists():
        analyses = msgspec.json.decode(path.read_bytes(), type=list[Analysis])
        if [a.id for a in analyses] == [a.record.id for a in articles]:
            return articles, analyses
    analyses = analyze(articles, model)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.json.encode(analyses))
    return articles, analyses
