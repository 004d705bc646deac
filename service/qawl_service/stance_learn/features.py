"""Sparse string features of a candidate: the target's words, its left and right window, the stance cues
of the cue table before it, negation, entity types, the quote's kind and cue, and what the rules said."""

from __future__ import annotations

import csv
from bisect import bisect_left
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, Generic, TypeVar

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


@lru_cache(maxsize=65536)
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
        self.stems = list(map(_stem, self.norms))
        self.contexts: dict[tuple[int, int], list[str]] = {}  # context features by token range
        self.spans: dict[tuple[int, int, int, int], list[str]] = {}  # span_features by token ranges
        # the runtime's hashed columns of the above (stance_learn/model.py:Scorer.proba_candidates)
        self.columns: dict[tuple[int, ...], list[int]] = {}
        self.offsets: dict[tuple[int, int, int, int], tuple[Span, str, str, str]] = {}  # own_parts
        self.dense: dict[Any, Any] = {}  # dense.py's mean vectors by token range or holder


def features(c: Candidate, dt: DocTokens) -> list[str]:
    """All the candidate's features: its own, then its context's (shared by the context's candidates)."""
    return own_features(c, dt) + context_features(dt, dt.index(c.ctx_start), dt.index(c.ctx_end))


def context_key(c: Candidate, dt: DocTokens) -> tuple[int, int]:
    return dt.index(c.ctx_start), dt.index(c.ctx_end)


T = TypeVar("T")
_CCUE = ("verb", "noun", "eval", "relation")


class _ByWord(dict[str, Any]):
    """word -> what ``make`` gives for it, made on the first look-up; at most ``cap`` words kept."""

    def __init__(self, make: Callable[[str], Any], cap: int) -> None:
        super().__init__()
        self.make, self.cap = make, cap

    def __missing__(self, word: str) -> Any:
        v = self.make(word)
        if len(self) < self.cap:
            self[word] = v
        return v


class _Prefixed(dict[str, Any]):
    """word -> ``finish(prefix + word)``, made on the first look-up; at most ``cap`` words kept."""

    def __init__(self, prefix: str, finish: Callable[[str], Any], cap: int) -> None:
        super().__init__()
        self.prefix, self.finish, self.cap = prefix, finish, cap

    def __missing__(self, word: str) -> Any:
        v = self.finish(self.prefix + word)
        if len(self) < self.cap:
            self[word] = v
        return v


class FeatureTable(Generic[T]):
    """The word-level features of ``span_items`` and ``context_items`` by kind and word, passed through
    ``finish``: the feature strings themselves (``STRINGS``, training), or their hashed columns (the
    runtime's ``Scorer``). Each is made once per word and kept (at most ``cap`` words per kind)."""

    def __init__(self, finish: Callable[[str], T], cap: int = 30_000) -> None:
        def prefixed(prefix: str) -> dict[str, T]:
            return _Prefixed(prefix, finish, cap)

        def cues(w: str, prefix: str, suffix: str | None = None) -> tuple[T, ...]:
            out: list[T] = []
            for h in cue_hits(w):
                out.append(finish(prefix + h))
                if suffix is not None:
                    out.append(finish(f"lcue3:{h}|{suffix}"))
            return tuple(out)

        self.t, self.tf, self.tl = prefixed("t:"), prefixed("tf:"), prefixed("tl:")
        self.l1, self.l2, self.l3 = prefixed("l1:"), prefixed("l2:"), prefixed("l3:")
        self.lb, self.r1, self.r2, self.c = prefixed("lb:"), prefixed("r1:"), prefixed("r2:"), prefixed("c:")
        self.neg = {b: finish(f"neg={b}") for b in (False, True)}
        self.tcue: dict[str, tuple[T, ...]] = _ByWord(lambda w: cues(w, "tcue:"), cap)
        self.lcue: dict[str, tuple[T, ...]] = _ByWord(lambda w: cues(w, "lcue:"), cap)
        self.lcue3: dict[bool, dict[str, tuple[T, ...]]] = {
            False: _ByWord(lambda w: cues(w, "lcue:", "neg=False"), cap),
            True: _ByWord(lambda w: cues(w, "lcue:", "neg=True"), cap),
        }
        self.ccue: dict[str, tuple[T, ...]] = _ByWord(
            lambda w: tuple(finish("ccue:" + h) for h in cue_hits(w) if h.startswith(_CCUE)), cap
        )


STRINGS: FeatureTable[str] = FeatureTable(str)


def context_features(dt: DocTokens, k0: int, k1: int) -> list[str]:
    """The context's stance cues and bag of words (the same for every candidate of the context)."""
    f = dt.contexts.get((k0, k1))
    if f is None:
        f = dt.contexts[(k0, k1)] = context_items(dt, k0, k1, STRINGS)
    return f


def context_items(dt: DocTokens, k0: int, k1: int, table: FeatureTable[T]) -> list[T]:
    """``context_features`` from ``table``: the cue classes of the context's words (``ccue:``), then the
    stems of its first 60 words (``c:``)."""
    f: list[T] = list(chain.from_iterable(map(table.ccue.__getitem__, dt.norms[k0:k1])))
    f += map(table.c.__getitem__, dt.stems[k0:k1][:60])
    return f


# The arguments of head_features (source, rule label, rule confidence, target and holder labels, quote
# kind and cue) and of target_features (source, target and holder labels, the target's length, rank,
# position and article), and the token ranges of the target and the context.
HeadKey = tuple[str, str | None, str, str | None, str | None, str | None, str | None]
TargetKey = tuple[str, str | None, str | None, str, str, str, str]
Span = tuple[int, int, int, int]


def own_parts(c: Candidate, dt: DocTokens) -> tuple[HeadKey, TargetKey, Span]:
    """What a candidate's own features are made of: the arguments of ``head_features`` and
    ``target_features``, and the token ranges of ``span_features`` (per target and context offsets,
    once per document: the holders of a chunk share them)."""
    offsets = (c.target_start, c.target_end, c.ctx_start, c.ctx_end)
    got = dt.offsets.get(offsets)
    if got is None:
        starts, norms = dt.starts, dt.norms
        i0, i1 = bisect_left(starts, c.target_start), bisect_left(starts, c.target_end)
        k0, k1 = bisect_left(starts, c.ctx_start), bisect_left(starts, c.ctx_end)
        al = str(i0 < len(norms) and norms[i0].startswith("ال"))
        got = dt.offsets[offsets] = ((i0, i1, k0, k1), _bucket_of(i1 - i0), _bucket_of(i0 - k0), al)
    span, tlen, tpos, al = got
    source, tlab, hlab, rank = c.source, c.target_label, c.holder_label, c.chunk_index
    head = (source, c.rule_label, _rconf(c.rule_conf), tlab, hlab, c.quote_kind, c.quote_cue)
    return (
        head,
        (source, tlab, hlab, tlen, _BUCKETS[rank] if 0 <= rank < 14 else _bucket_of(rank), tpos, al),
        span,
    )


@lru_cache(maxsize=1024, typed=True)
def _rconf(conf: float) -> str:
    """The rules' confidence as the feature writes it (a string: 0 and 0.0 would share a cache key)."""
    return str(round(conf, 1))


@lru_cache(maxsize=65536)
def head_features(
    source: str,
    rule: str | None,
    rconf: str,
    tlab: str | None,
    hlab: str | None,
    kind: str | None,
    qcue: str | None,
) -> tuple[str, ...]:
    """The first 9 of ``own_features``: the candidate's source, the rules' label and confidence, the
    entity labels, the quote's kind and cue."""
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
    )


@lru_cache(maxsize=65536)
def target_features(
    source: str, tlab: str | None, hlab: str | None, tlen: str, rank: str, tpos: str, al: str
) -> tuple[str, ...]:
    """The next 7 of ``own_features``: the target's length, rank and position (buckets), its article, and
    their pairs with the source and labels."""
    return (
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
    if f is None:
        f = dt.spans[key] = span_items(dt, i0, i1, k0, k1, STRINGS)
    return f


def span_items(dt: DocTokens, i0: int, i1: int, k0: int, k1: int, table: FeatureTable[T]) -> list[T]:
    """``span_features`` from ``table``, in this order: the target's stems (``t:``), its first and last
    (``tf:``, ``tl:``), the three words before it, nearest first (``l1:``-``l3:``), the up to 8 words
    before it in the context (``lb:``), the two after it (``r1:``, ``r2:``), a negation among the four
    before it (``neg=``), the cues of its first word (``tcue:``, a verbal noun: إدانة، دعم) and of the
    words before it, nearest first (``lcue:``, and ``lcue3:`` with the negation for the nearest three)."""
    norms, stems = dt.norms, dt.stems
    left = norms[max(k0, i0 - 8) : i0]
    f: list[T] = list(map(table.t.__getitem__, stems[i0:i1]))
    if i1 > i0:
        f += (table.tf[stems[i0]], table.tl[stems[i1 - 1]])
    n = len(left)
    if n:
        f.append(table.l1[left[-1]])
        if n > 1:
            f.append(table.l2[left[-2]])
            if n > 2:
                f.append(table.l3[left[-3]])
    f += map(table.lb.__getitem__, left)
    right = norms[i1 : min(k1, i1 + 2)]
    if right:
        f.append(table.r1[right[0]])
        if len(right) > 1:
            f.append(table.r2[right[1]])
    neg = not _NEG.isdisjoint(left[-4:])
    f.append(table.neg[neg])
    if i1 > i0:
        f += table.tcue[norms[i0]]
    if n:
        rev = left[::-1]
        f += chain.from_iterable(map(table.lcue3[neg].__getitem__, rev[:3]))
        f += chain.from_iterable(map(table.lcue.__getitem__, rev[3:]))
    return f


def own_features(c: Candidate, dt: DocTokens) -> list[str]:
    head, target, span = own_parts(c, dt)
    return [*head_features(*head), *target_features(*target), *span_features(dt, *span)]
