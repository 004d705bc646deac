"""Entities across the documents of a story: the per-document entities (each already one referent with
all its mentions) joined into story entities.

1. Same label and the same name up to spelling (:func:`~qawl_service.story.names.same_name`).
2. A name that is only a part of longer names (a surname: الاسد; a leading part of a place or body:
   مجلس الامن) joins the one full name it belongs to; when parts of two different full names match it
   (جون of جون كيري and جون كيربي; الاسد of بشار الاسد and حافظ الاسد), it stays alone.
3. A name of two words or more found by one outlet is looked for in every document, where the model
   may have missed it (دي مستورا): an occurrence that overlaps no mention becomes a mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from qawl.types import Entity, Label, StoryEntity, StorySpan

from ..nlp.arabic import skip_letters
from ..nlp.lexicon import WORD_CACHE_SIZE
from .clusters import UnionFind
from .names import NameKey, display_form, fold, name_key, near_keys, parts, same_name
from .source import StoryInput

_TOKEN = re.compile(r"\S+")
_CLITICS = "وفبلك"
_TRAIL = "«»“”„\"'‘’‹›()[]{}<>.,،؛;:!؟?"
PROPAGATED_LABELS = frozenset({"PER", "ORG", "LOC"})


@dataclass
class _Unit:
    doc: int  # index of the document in the story
    doc_id: str
    entity: Entity
    key: NameKey


@dataclass
class _Cluster:
    units: list[_Unit]
    extra: list[tuple[int, StorySpan]] = field(default_factory=list)  # mentions found in step 3

    @property
    def label(self) -> Label:
        return self.units[0].entity.label


def _same_names(units: list[_Unit]) -> UnionFind:
    """Step 1: units of one label whose names are one name up to spelling."""
    uf = UnionFind(len(units))
    buckets: dict[tuple[str, int, tuple[str, ...]], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for near in near_keys(u.key):
            buckets[(u.entity.label, len(u.key), near)].append(i)
    for members in buckets.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if uf.find(i) != uf.find(j) and same_name(units[i].key, units[j].key):
                    uf.union(i, j)
    return uf


def _join_parts(units: list[_Unit], groups: list[list[int]]) -> list[list[int]]:
    """Step 2: a group whose every name is a strict part of longer names joins the one full-name
    group those belong to, when there is exactly one."""
    of_part: dict[tuple[str, NameKey], set[int]] = defaultdict(set)
    for g, members in enumerate(groups):
        for i in members:
            u = units[i]
            for p in parts(u.key, anywhere=u.entity.label == "PER"):
                of_part[(u.entity.label, p)].add(g)

    def is_part(g: int) -> bool:
        return all(bool(of_part.get((units[i].entity.label, units[i].key), set()) - {g}) for i in groups[g])

    partial = {g for g in range(len(groups)) if is_part(g)}
    uf = UnionFind(len(groups))
    for g in partial:
        owners: set[int] = set()
        for i in groups[g]:
            owners |= of_part.get((units[i].entity.label, units[i].key), set()) - {g}
        owners -= partial
        if len(owners) == 1:
            uf.union(g, owners.pop())
    return [[i for g in merged for i in groups[g]] for merged in uf.groups()]


def _occupied(docs: Sequence[StoryInput]) -> list[list[tuple[int, int]]]:
    return [[(m.start, m.end) for e in (d.analysis.entities or []) for m in e.mentions] for d in docs]


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _word_keys(word: str) -> tuple[str, str]:
    """The name key of one word, and of the word without a leading proclitic letter (و ف ب ل ك)."""
    whole = name_key(word)
    folded = fold(word)
    bare = name_key(folded[1:]) if folded[:1] in _CLITICS and len(folded) > 2 else ()
    return (whole[0] if whole else "", bare[0] if bare else "")


def _doc_tokens(text: str) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, key word, key word without a proclitic letter, ends in punctuation) per token."""
    out = []
    for m in _TOKEN.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        while start < end and text[start] in _TRAIL:
            start += 1
        if start < end:
            whole, bare = _word_keys(text[start:end])
            out.append((start, end, whole, bare, end < m.end()))
    return out


def _propagate(docs: Sequence[StoryInput], clusters: list[_Cluster]) -> None:
    """Step 3: other occurrences, in any document, of the names of two words or more (for a person
    also a two-word part of the name, دي ميستورا of ستيفان دي ميستورا, when no other entity has it)."""
    owners: dict[NameKey, set[int]] = defaultdict(set)
    for c, cluster in enumerate(clusters):
        if cluster.label not in PROPAGATED_LABELS:
            continue
        for u in cluster.units:
            for m in u.entity.mentions:
                key = name_key(m.text)
                runs = [key] + (
                    [p for p in parts(key, anywhere=True) if len(p) >= 2] if cluster.label == "PER" else []
                )
                for run in runs:
                    if len(run) >= 2 and all(len(w) >= 2 for w in run):
                        owners[run].add(c)
    # first word -> (the other words, owner), longest names first: a token is checked against the
    # names that start with it only
    by_first: dict[str, list[tuple[NameKey, int]]] = defaultdict(list)
    for key, cs in sorted(owners.items(), key=lambda kv: -len(kv[0])):
        if len(cs) == 1:
            by_first[key[0]].append((key[1:], next(iter(cs))))
    if not by_first:
        return
    occupied = _occupied(docs)
    for d, doc in enumerate(docs):
        tokens = _doc_tokens(doc.text)
        keys = [t[2] for t in tokens]
        taken = occupied[d]
        for i, (start, first_end, whole, bare, _) in enumerate(tokens):
            found = _name_at(tokens, keys, i, by_first.get(whole, ())) or _name_at(
                tokens, keys, i, by_first.get(bare, ()), cut=1
            )
            if found is None:
                continue
            n, cut, owner = found
            a = start + (skip_letters(doc.text[start:first_end], 1) if cut else 0)
            b = tokens[i + n - 1][1]
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            clusters[owner].extra.append((d, StorySpan(doc=doc.doc, start=a, end=b, text=doc.text[a:b])))


def _name_at(
    tokens: list[tuple[int, int, str, str, bool]],
    keys: list[str],
    i: int,
    names: Sequence[tuple[NameKey, int]],
    cut: int = 0,
) -> tuple[int, int, int] | None:
    """(words, proclitic letters, cluster) of the longest of ``names`` (first word matched, longest
    first) whose other words follow token ``i``; a name does not run over punctuation."""
    for rest, owner in names:
        n = len(rest) + 1
        if i + n > len(tokens) or any(t[4] for t in tokens[i : i + n - 1]):
            continue
        if tuple(keys[i + 1 : i + n]) == rest:
            return n, cut, owner
    return None


def _entity_name(cluster: _Cluster) -> str:
    """The name most outlets give it (each document's entity name is its fullest mention there);
    ties: the most mentioned, then the first."""
    docs: dict[str, set[int]] = defaultdict(set)
    first: dict[str, int] = {}
    for n, u in enumerate(cluster.units):
        name = display_form(u.entity.name)
        docs[name].add(u.doc)
        first.setdefault(name, n)
    mentions = Counter(display_form(m.text) for u in cluster.units for m in u.entity.mentions)
    return max(docs, key=lambda s: (len(docs[s]), mentions[s], -first[s]))


def _story_entity(cluster: _Cluster) -> StoryEntity:
    spans = {
        (u.doc, m.start): StorySpan(doc=u.doc_id, start=m.start, end=m.end, text=m.text)
        for u in cluster.units
        for m in u.entity.mentions
    }
    for d, span in cluster.extra:
        spans.setdefault((d, span.start), span)
    mentions = [spans[k] for k in sorted(spans)]
    counts = Counter(display_form(m.text) for m in mentions)
    first = {v: n for n, v in reversed(list(enumerate(display_form(m.text) for m in mentions)))}
    variants = sorted(counts, key=lambda v: (-counts[v], first[v]))
    return StoryEntity(
        id="", label=cluster.label, name=_entity_name(cluster), variants=variants, mentions=mentions
    )


@dataclass
class MergedEntities:
    entities: list[StoryEntity]  # ordered, ids S-E1 ...
    by_doc_entity: dict[tuple[int, str], StoryEntity]  # (document index, per-document entity id)


def merge_entities(docs: Sequence[StoryInput]) -> MergedEntities:
    units: list[_Unit] = []
    for d, doc in enumerate(docs):
        for e in doc.analysis.entities or []:
            units.append(_Unit(doc=d, doc_id=doc.doc, entity=e, key=name_key(e.name) or (fold(e.name),)))
    groups = _join_parts(units, _same_names(units).groups())
    clusters = [_Cluster(units=[units[i] for i in g]) for g in groups]
    _propagate(docs, clusters)
    built = [(c, _story_entity(c)) for c in clusters]

    def rank(item: tuple[_Cluster, StoryEntity]) -> tuple[int, int, int, int]:
        c, e = item
        n_docs = len({u.doc for u in c.units} | {d for d, _ in c.extra})
        first = min((u.doc, u.entity.mentions[0].start if u.entity.mentions else 0) for u in c.units)
        return (-n_docs, -len(e.mentions), *first)

    built.sort(key=rank)
    by_doc_entity: dict[tuple[int, str], StoryEntity] = {}
    entities: list[StoryEntity] = []
    for n, (cluster, story_entity) in enumerate(built, start=1):
        story_entity.id = f"S-E{n}"
        entities.append(story_entity)
        for u in cluster.units:
            by_doc_entity[(u.doc, u.entity.id)] = story_entity
    return MergedEntities(entities=entities, by_doc_entity=by_doc_entity)
