"""The loaded pipeline behind the API: text in, wire types out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Analysis, Entity, Feature, ModelInfo, Quote, Stance

from .nlp.pipeline import load_pipeline

# Rule components and the features that need them (stance builds on quote speakers).
FEATURE_PIPES: dict[str, frozenset[Feature]] = {
    "quote_roles": frozenset({"quotes", "stance"}),
    "qawl_segmenter": frozenset({"quotes", "stance"}),
    "qawl_quotes": frozenset({"quotes", "stance"}),
    "qawl_stance": frozenset({"stance"}),
}


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

    def _options(self, features: Iterable[Feature], targets: list[str] | None) -> dict[str, Any]:
        """``disable``/``component_cfg`` for a request: components nobody asked for are skipped,
        so entities alone stay fastest; stance targets go to the stance component."""
        wanted = set(features)
        disable = [n for n, needs in FEATURE_PIPES.items() if not wanted & needs and n in self.nlp.pipe_names]
        cfg = (
            {"qawl_stance": {"targets": targets}}
            if "qawl_stance" in self.nlp.pipe_names and "stance" in wanted
            else {}
        )
        return {"disable": disable, "component_cfg": cfg}

    def _doc(self, text: str, features: Iterable[Feature], targets: list[str] | None = None) -> Doc:
        return self.nlp(text, **self._options(features, targets))

    @staticmethod
    def _result(doc: Doc, features: list[Feature], doc_id: str | None, model: str) -> Analysis:
        result = Analysis(id=doc_id, model=model)
        if "entities" in features:
            result.entities = list(doc._.entities)
        if "quotes" in features:
            result.quotes = list(doc._.quotes)
        if "stance" in features:
            result.stances = list(doc._.stances)
        return result

    # Every analysis runs in a spaCy memory zone: the strings and lexemes of the words it saw are
    # freed when it ends, so a long-running worker's vocabulary does not grow with each new word.
    # The wire types are built inside the zone; nothing of the Doc outlives it.
    def entities(self, text: str) -> list[Entity]:
        with self.nlp.memory_zone():
            return list(self._doc(text, ("entities",))._.entities)

    def quotes(self, text: str) -> tuple[list[Entity], list[Quote]]:
        with self.nlp.memory_zone():
            doc = self._doc(text, ("entities", "quotes"))
            return list(doc._.entities), list(doc._.quotes)

    def stance(self, text: str, targets: list[str] | None) -> tuple[list[Entity], list[Quote], list[Stance]]:
        with self.nlp.memory_zone():
            doc = self._doc(text, ("entities", "quotes", "stance"), targets)
            return list(doc._.entities), list(doc._.quotes), list(doc._.stances)

    def analyze(
        self, text: str, features: list[Feature], doc_id: str | None, targets: list[str] | None = None
    ) -> Analysis:
        with self.nlp.memory_zone():
            return self._result(self._doc(text, features, targets), features, doc_id, self.model_name)

    def analyze_many(
        self,
        texts: list[str],
        features: list[Feature],
        ids: list[str | None],
        targets: list[str] | None = None,
        batch_size: int = 32,
    ) -> list[Analysis]:
        """Many documents through ``nlp.pipe`` (batched matrix work), results in input order."""
        with self.nlp.memory_zone():
            docs = self.nlp.pipe(texts, batch_size=batch_size, **self._options(features, targets))
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
    # The pipeline on the Qawl News Corpus (guideline scoring), as assemble.py stored it:
    # corpus_test_entities_f, corpus_test_entities_ORG_f, corpus_dev_quotes_f ...
    corpus = (meta.get("qawl") or {}).get("corpus") or {}
    for split, figures in corpus.items():
        for key, value in figures.items():
            if isinstance(value, (int, float)):
                scores[f"corpus_{split}_{key}"] = float(value)
            elif key == "entities_by_label_f" and isinstance(value, dict):
                for label, f in value.items():
                    scores[f"corpus_{split}_entities_{label}_f"] = float(f)
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
