"""The loaded pipeline behind the API: text in, wire types out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Analysis, Entity, Feature, ModelInfo, Quote

from .nlp.pipeline import load_pipeline

# Pipeline components that exist only to serve one feature.
FEATURE_PIPES: dict[str, Feature] = {"qawl_quotes": "quotes"}


class Analyzer:
    """Owns one spaCy pipeline (one per worker process); thread-confined calls only."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        meta: dict[str, Any] = nlp.meta
        self.model_name = f"{meta.get('lang', 'ar')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"
        self.info = _model_info(meta, self.model_name, nlp)

    @classmethod
    def load(cls, name_or_path: str | Path | None = None) -> Analyzer:
        analyzer = cls(load_pipeline(name_or_path))
        analyzer.nlp("تحميل")  # warm-up: first call allocates the model's buffers
        return analyzer

    def _skipped(self, features: Iterable[Feature]) -> list[str]:
        # Rule components a request did not ask for are skipped: entities alone stay fastest.
        wanted = set(features)
        return [n for n, f in FEATURE_PIPES.items() if f not in wanted and n in self.nlp.pipe_names]

    def _doc(self, text: str, features: Iterable[Feature]) -> Doc:
        return self.nlp(text, disable=self._skipped(features))

    @staticmethod
    def _result(doc: Doc, features: list[Feature], doc_id: str | None, model: str) -> Analysis:
        result = Analysis(id=doc_id, model=model)
        if "entities" in features:
            result.entities = list(doc._.entities)
        if "quotes" in features:
            result.quotes = list(doc._.quotes)
        return result

    def entities(self, text: str) -> list[Entity]:
        return list(self._doc(text, ("entities",))._.entities)

    def quotes(self, text: str) -> tuple[list[Entity], list[Quote]]:
        doc = self._doc(text, ("entities", "quotes"))
        return list(doc._.entities), list(doc._.quotes)

    def analyze(self, text: str, features: list[Feature], doc_id: str | None) -> Analysis:
        return self._result(self._doc(text, features), features, doc_id, self.model_name)

    def analyze_many(
        self, texts: list[str], features: list[Feature], ids: list[str | None], batch_size: int = 32
    ) -> list[Analysis]:
        """Many documents through ``nlp.pipe`` (batched matrix work), results in input order."""
        docs = self.nlp.pipe(texts, batch_size=batch_size, disable=self._skipped(features))
        return [self._result(doc, features, i, self.model_name) for doc, i in zip(docs, ids, strict=True)]


def _model_info(meta: dict[str, Any], full_name: str, nlp: Language) -> ModelInfo:
    perf = meta.get("performance") or {}
    scores: dict[str, float] = {}
    for key, value in perf.items():
        if isinstance(value, (int, float)):
            scores[key] = float(value)
        elif key == "ents_per_type" and isinstance(value, dict):
            for label, prf in value.items():
                for metric, v in prf.items():
                    scores[f"ents_{label}_{metric}"] = float(v)
    labels = sorted(getattr(nlp.get_pipe("ner"), "labels", ())) if nlp.has_pipe("ner") else []
    return ModelInfo(
        name=full_name,
        version=str(meta.get("version", "0")),
        lang=str(meta.get("lang", "ar")),
        pipeline=list(nlp.pipe_names),
        labels=labels,
        training_data=[
            str(s.get("name", s)) if isinstance(s, dict) else str(s) for s in meta.get("sources", [])
        ],
        scores=scores,
        sources=[
            str(s.get("url", "")) for s in meta.get("sources", []) if isinstance(s, dict) and s.get("url")
        ],
    )
