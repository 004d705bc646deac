"""Sparse string features of a candidate: the target's words, its left and right window, the stance cues
of the cue table before it, negation, entity types, the quote's kind and cue, and what the rules said."""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path

from .candidates import Candidate, Tokens

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
def _cue_rows_by_head() -> dict[str, tuple[int, ...]]:
    """The cue table's row numbers by the lemma's first three letters."""
    by: dict[str, list[int]] = {}
    for k, (lemma, _, _) in enumerate(cue_table()):
        by.setdefault(lemma[:3], []).append(k)
    return {h: tuple(ks) for h, ks in by.items()}


@cache
def cue_hits(word: str) -> tuple[str, ...]:
    """Cue features of one normalized word: the lemma (as a substring past a 0-3 letter prefix), in the
    table's order. A row hits when its lemma's first three letters start at offset 0-3 of the word and
    the lemma less its last letter (at least three letters) is in the word; the rows are looked up by
    those three letters (``_cue_rows_by_head``) instead of scanned."""
    by_head, table = _cue_rows_by_head(), cue_table()
    rows: set[int] = set()
    for i in range(min(4, len(word) - 2)):
        rows.update(by_head.get(word[i : i + 3], ()))
    out = []
    for k in sorted(rows):
        lemma, cls, pol = table[k]
        if lemma[: max(3, len(lemma) - 1)] in word:
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


_BUCKETS = tuple(_bucket(n) for n in range(14))  # _bucket(0..13); below 0 is "0", above 13 "max"


def _bucket_of(n: int) -> str:
    """``_bucket(n)`` with the default edges, by table."""
    return _BUCKETS[n] if 0 <= n < 14 else ("0" if n < 0 else "max")


class DocTokens(Tokens):
    """The normalized tokens of one document, reused for all its candidates."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.stems = [_stem(t.norm) for t in self.tokens]
        self.contexts: dict[tuple[int, int], list[str]] = {}  # context features by token range
        self.spans: dict[tuple[int, int, int, int], list[str]] = {}  # span_features by token ranges
        # the runtime's hashed columns of the above (stance_learn/model.py:Scorer.proba_candidates)
        self.columns: dict[tuple[int, ...], tuple[int, ...]] = {}


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


# head_features' arguments: source, rule label, rule confidence, target and holder labels, quote kind and
# cue, target length, rank, position, article
HeadKey = tuple[str, str | None, str, str | None, str | None, str | None, str | None, str, str, str, str]


def own_parts(c: Candidate, dt: DocTokens) -> tuple[HeadKey, tuple[int, int, int, int]]:
    """What a candidate's own features are made of: ``head_features``' arguments (the candidate's source,
    labels, quote, rank, and the target's length, position and article) and the token ranges of the target
    and the context (``span_features``)."""
    toks = dt.tokens
    i0, i1 = dt.index(c.target_start), dt.index(c.target_end)
    k0, k1 = dt.index(c.ctx_start), dt.index(c.ctx_end)
    tw0 = dt.stems[i0] if i1 > i0 else None
    head = (
        c.source,
        c.rule_label,
        str(round(c.rule_conf, 1)),  # a string: 0 and 0.0 would share a cache key, not a feature
        c.target_label,
        c.holder_label,
        c.quote_kind,
        c.quote_cue,
        _bucket_of(i1 - i0),
        _bucket_of(c.chunk_index),
        _bucket_of(i0 - k0),
        f"{tw0[:0] if tw0 is not None else ''}{toks[i0].norm.startswith('ال') if i0 < len(toks) else False}",
    )
    return head, (i0, i1, k0, k1)


@lru_cache(maxsize=65536)
def head_features(
    source: str,
    rule: str | None,
    rconf: str,
    tlab: str | None,
    hlab: str | None,
    kind: str | None,
    qcue: str | None,
    tlen: str,
    rank: str,
    tpos: str,
    al: str,
) -> tuple[str, ...]:
    """The candidate's own features that do not read the target's words (the first 16 of ``own_features``)."""
    return (
        "bias",
        f"src={source}",
        f"rule={rule}",
        f"src={source}|rule={rule}",
        f"rconf={rconf}",
        f"tlab={tlab}",
        f"hlab={hlab}",
        f"kind={kind}",
        f"qcue={qcue}",
        f"tlen={tlen}",
        f"rank={rank}",
        f"tpos={tpos}",
        f"al={al}",
        f"src={source}|tpos={tpos}",
        f"src={source}|tlab={tlab}",
        f"hlab={hlab}|tlab={tlab}",
    )


def span_features(dt: DocTokens, i0: int, i1: int, k0: int, k1: int) -> list[str]:
    """The features of the target's words and their window in the context (the same for every holder of
    the target in that context; cached per document)."""
    key = (i0, i1, k0, k1)
    f = dt.spans.get(key)
    if f is not None:
        return f
    toks = dt.tokens
    tw = dt.stems[i0:i1]
    left = [t.norm for t in toks[max(k0, i0 - 8) : i0]]
    right = [t.norm for t in toks[i1 : min(k1, i1 + 3)]]
    f = [f"t:{w}" for w in tw]
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
    dt.spans[key] = f
    return f


def own_features(c: Candidate, dt: DocTokens) -> list[str]:
    head, span = own_parts(c, dt)
    return [*head_features(*head), *span_features(dt, *span)]
