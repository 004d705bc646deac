"""Train and evaluate the learned stance decision on the corpus (training/train_stance.py drives it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qawl.types import Analysis
from qawl_service.corpus.evaluate import system_view
from qawl_service.corpus.load import Article
from qawl_service.corpus.resolve import to_annotation
from qawl_service.corpus.score import _target_tokens, norm, score, view

from .analyses import cached_analyses
from .candidates import Candidate, Tokens, candidates
from .labels import ceiling, gold_stances, label
from .model import excluded, same_target


class Split:
    """A split's articles, analyses, labelled candidates and gold views."""

    def __init__(self, split: str, cache_dir: Path, **cand_kw: Any) -> None:
        self.name = split
        self.articles, self.analyses = cached_analyses(split, cache_dir)
        self.texts = [a.text for a in self.articles]
        self.cands: list[Candidate] = []
        self.excluded: list[bool] = []  # model.excluded of each candidate (decode's exclusions)
        self.hit = self.gold_n = 0
        for i, (a, an) in enumerate(zip(self.articles, self.analyses, strict=True)):
            cs = candidates(i, a.text, an, **cand_kw)
            tokens = Tokens(a.text)
            self.excluded += [excluded(c, tokens) for c in cs]
            golds = gold_stances(a)
            label(cs, golds)
            h, n = ceiling(cs, golds)
            self.hit += h
            self.gold_n += n
            self.cands += cs
        self.gold_views = [view(to_annotation(a.record, a.text), a.text) for a in self.articles]

    def pred_views(self, stances_per_doc: list[list[dict[str, str]]]) -> list[dict[str, Any]]:
        out = []
        for a, an, st in zip(self.articles, self.analyses, stances_per_doc, strict=True):
            v = system_view(an, a.text)
            v["stances"] = st
            out.append(v)
        return out


def rule_stances(analysis: Analysis) -> list[dict[str, str]]:
    return [
        {"holder": s.holder.name, "target": s.target.text, "label": s.label} for s in analysis.stances or []
    ]


def learned_stances(split: Split, kept: list[tuple[Candidate, str, float]]) -> list[list[dict[str, str]]]:
    out: list[list[dict[str, str]]] = [[] for _ in split.articles]
    for c, lab, _ in kept:
        out[c.doc_index].append({"holder": c.holder, "target": c.target, "label": lab})
    return out


def union(
    rules: list[list[dict[str, str]]], learned: list[list[dict[str, str]]]
) -> list[list[dict[str, str]]]:
    """Rule stances, then learned ones whose (holder, target) no stance kept before already covers
    (``same_target``)."""
    out = []
    for r, lrn in zip(rules, learned, strict=True):
        doc = list(r)
        for s in lrn:
            st = set(_target_tokens(s["target"]))
            if not any(
                norm(x["holder"]) == norm(s["holder"]) and same_target(st, set(_target_tokens(x["target"])))
                for x in doc
            ):
                doc.append(s)
        out.append(doc)
    return out


def evaluate(split: Split, stances: list[list[dict[str, str]]]) -> dict[str, Any]:
    preds = split.pred_views(stances)
    s = score(split.gold_views, preds)
    # the looser matches: ``pair`` = holder and target (label aside), ``holder`` = holder name alone
    return {"triple": s["stances"], "pair": s["stances_pair"], "holder": s["stances_holder"]}


__all__ = ["Article", "Split", "evaluate", "learned_stances", "rule_stances", "union"]
