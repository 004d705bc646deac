"""The pipeline's analysis of corpus documents, cached to disk (the classifier trains on it many times)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec

from qawl.types import Analysis
from qawl_service.corpus.load import Article, load_corpus
from qawl_service.nlp.pipeline import LEARNED_ENV

FEATURES: list[Any] = ["entities", "quotes", "stance"]


def analyze(articles: list[Article], model: str | None = None) -> list[Analysis]:
    return analyze_texts([a.text for a in articles], [a.record.id for a in articles], model)


def analyze_texts(
    texts: list[str], ids: list[str | None] | None = None, model: str | None = None
) -> list[Analysis]:
    """The pipeline's entities, quotes and rule stances of ``texts``."""
    from qawl_service.analyzer import Analyzer

    # the candidates and features read the rules' stances alone: the shipped learned step is off here
    before = os.environ.get(LEARNED_ENV)
    os.environ[LEARNED_ENV] = "0"
    try:
        analyzer = Analyzer.load(model)
    finally:
        if before is None:
            del os.environ[LEARNED_ENV]
        else:
            os.environ[LEARNED_ENV] = before
    return analyzer.analyze_many(texts, FEATURES, ids if ids is not None else [None] * len(texts))


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
