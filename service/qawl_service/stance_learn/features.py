"""Sparse string features of a candidate: the target's words, its left and right window, the stance cues
of the cue table before it, negation, entity types, the quote's kind and cue, and what the rules said."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from .candidates import Candidate, Token, tokenize

CUES = Path(__file__).resolve().parents[1] / "nlp" / "data" / "stance_cues.tsv"
_CLASSES = {"verb", "noun", "relation", "eval_obj", "eval_subj", "flip", "keep"}
_NEG = frozenset(["لم", "لن", "لا", "ليس", "ليست", "عدم", "دون", "بدون", "غير"])


@cache
def cue_table() -> tuple[tuple[str, str, str], ...]:
    """(normalized lemma, class, polarity) of the stance cue table's rows a feature can use."""
    from qawl_service.nlp.arabic import normalize

    rows = []
    with open(CUES, encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            if len(row) < 3 or row[0] == "lemma" or row[1] not in _CLASSES:
                continue
            lemma = normalize(row[0]).replace(" ", "")
            if len(lemma) >= 3:
                rows.append((lemma, row[1], row[2]))
    return tuple(rows)


@cache
def cue_hits(word: str) -> tuple[str, ...]:
    """Cue features of one normalized word: the lemma (as a substring past a 0-3 letter prefix)."""
    out = []
    for lemma, cls, pol in cue_table():
        i = word.find(lemma[:3])
        if 0 <= i <= 3 and lemma[: max(3, len(lemma) - 1)] in word:
            out.append(f"{cls}:{pol}")
            out.append(f"lemma:{lemma}")
    return tuple(out)


def _stem(w: str) -> str:
    for p in ("وال", "فال", "بال", "كال", "لل", "ال"):
        if w.startswith(p) and len(w) > len(p) + 2:
            return w[len(p) :]
    return w


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13)) -> str:
    return str(next((e for e in edges if n <= e), "max"))


class DocTokens:
    """The normalized tokens of one document, reused for all its candidates."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.starts = [t.start for t in self.tokens]
        self.stems = [_stem(t.norm) for t in self.tokens]
        self.contexts: dict[tuple[int, int], list[str]] = {}  # context features by token range

    def index(self, offset: int) -> int:
        import bisect

        return bisect.bisect_left(self.starts, offset)


def features(c: Candidate, dt: DocTokens) -> list[str]:
    """All the candidate's features: its own, then its context's (shared by the context's candidates)."""
    return own_features(c, dt) + context_features(dt, dt.index(c.ctx_start), dt.index(c.ctx_end))


def context_key(c: Candidate, dt: DocTokens) -> tuple[int, int]:
    return dt.index(c.ctx_start), dt.index(c.ctx_end)


def context_features(dt: DocTokens, k0: int, k1: int) -> list[str]:
    """The context's stance cues and bag of words (the same for every candidate of the context)."""
    f = dt.contexts.get((k0, k1))
    if f is None:
        f = []
        for t in dt.tokens[k0:k1]:
            for h in cue_hits(t.norm):
                if h.startswith(("verb", "noun", "eval", "relation")):
                    f.append(f"ccue:{h}")
        f += [f"c:{w}" for w in dt.stems[k0:k1][:60]]
        dt.contexts[(k0, k1)] = f
    return f


def own_features(c: Candidate, dt: DocTokens) -> list[str]:
    toks = dt.tokens
    i0, i1 = dt.index(c.target_start), dt.index(c.target_end)
    k0, k1 = dt.index(c.ctx_start), dt.index(c.ctx_end)
    tw = dt.stems[i0:i1]
    left = [t.norm for t in toks[max(k0, i0 - 8) : i0]]
    right = [t.norm for t in toks[i1 : min(k1, i1 + 3)]]
    f = [
        "bias",
        f"src={c.source}",
        f"rule={c.rule_label}",
        f"src={c.source}|rule={c.rule_label}",
        f"rconf={round(c.rule_conf, 1)}",
        f"tlab={c.target_label}",
        f"hlab={c.holder_label}",
        f"kind={c.quote_kind}",
        f"qcue={c.quote_cue}",
        f"tlen={_bucket(len(tw))}",
        f"rank={_bucket(c.chunk_index)}",
        f"tpos={_bucket(i0 - k0)}",
        f"al={tw[0][:0] if tw else ''}{toks[i0].norm.startswith('ال') if i0 < len(toks) else False}",
    ]
    f += [f"src={c.source}|tpos={_bucket(i0 - k0)}", f"src={c.source}|tlab={c.target_label}"]
    f += [f"hlab={c.holder_label}|tlab={c.target_label}"]
    f += [f"t:{w}" for w in tw]
    if tw:
        f += [f"tf:{tw[0]}", f"tl:{tw[-1]}"]
    for d, w in enumerate(reversed(left[-3:]), 1):
        f.append(f"l{d}:{w}")
    f += [f"lb:{w}" for w in left]
    f += [f"r{d}:{w}" for d, w in enumerate(right[:2], 1)]
    neg = any(w in _NEG for w in left[-4:])
    f.append(f"neg={neg}")
    # cues: in the target's first word (a verbal noun: إدانة، دعم), just before it, anywhere in the context
    if tw:
        f += [f"tcue:{h}" for h in cue_hits(toks[i0].norm)]
    for d, w in enumerate(reversed(left), 1):
        for h in cue_hits(w):
            f.append(f"lcue:{h}")
            if d <= 3:
                f.append(f"lcue3:{h}|neg={neg}")
    return f
