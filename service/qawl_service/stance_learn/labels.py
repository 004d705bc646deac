"""Gold labels for candidates and the candidate ceiling, under the corpus scorer's own matching."""

from __future__ import annotations

from typing import Any

from qawl_service.corpus.load import Article
from qawl_service.corpus.score import _target_tokens, name_matches, norm

from .candidates import Candidate


def gold_stances(article: Article) -> list[dict[str, Any]]:
    """The article's gold stances as the scorer sees them, with the holder's names (its quotes' aliases)."""
    r, text = article.record, article.text
    aliases: dict[str, list[str]] = {}
    for q in r.quotes:
        aliases.setdefault(norm(q.speaker.text), []).extend(a.text for a in q.aliases)
    out = []
    for s in r.stances:
        out.append(
            {
                "holder": s.holder.text,
                "names": [s.holder.text, *aliases.get(norm(s.holder.text), [])],
                "target": text[s.target.start : s.target.end],
                "target_tokens": _target_tokens(text[s.target.start : s.target.end]),
                "label": s.label,
            }
        )
    return out


def matches(holder: str, target: str, gold: dict[str, Any]) -> bool:
    """The scorer's test (label aside): holder name matches, half the gold target's tokens are in target."""
    gt = gold["target_tokens"]
    if not gt or not name_matches(holder or "", gold["names"]):
        return False
    pt = set(_target_tokens(target))
    return sum(t in pt for t in gt) * 2 >= len(gt)


def label(cands: list[Candidate], golds: list[dict[str, Any]]) -> None:
    """Set ``gold`` on each candidate: the label of a gold stance it matches, else "none"."""
    for c in cands:
        c.gold = "none"
        for g in golds:
            if matches(c.holder, c.target, g):
                c.gold = g["label"]
                break


def ceiling(cands: list[Candidate], golds: list[dict[str, Any]]) -> tuple[int, int]:
    """(gold stances with at least one matching candidate, gold stances)."""
    hit = sum(any(matches(c.holder, c.target, g) for c in cands) for g in golds)
    return hit, len(golds)
