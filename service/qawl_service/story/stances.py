"""Stances across the documents of a story: one (holder, target, label) with the evidence of each outlet.

The holder is its story entity (or its words when it has none). The target is an entity when the
target phrase names nothing but it, titles aside (للرئيس بشار الأسد → بشار الأسد), and otherwise its
content words (:func:`~qawl_service.story.words.content_words`): two phrases are one target when they
share at least :data:`MIN_SHARED` words and half of the shorter one (وقف دائم (للاعمال العدائية) /
وقف دائم للقتال), or have the same words (للعنف في حلب / العنف في حلب).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from qawl.types import Stance, StanceLabel, StoryActor, StoryEntity, StorySpan, StoryStance, StoryTarget

from ..nlp.wordclasses import words
from .clusters import UnionFind
from .entities import MergedEntities
from .names import display_form, fold, name_words
from .source import StoryInput
from .words import content_words, overlap

MIN_SHARED = 2
MIN_SHARE = 0.5
TITLE_CLASSES = ("person_titles", "name_titles", "stance_titles")


@cache
def title_words() -> frozenset[str]:
    return frozenset(w for cls in TITLE_CLASSES for w in content_words(" ".join(words(cls))))


@dataclass
class _Report:
    doc: int
    doc_id: str
    stance: Stance
    holder: StoryActor
    holder_key: tuple[str, str]
    label: StanceLabel
    entity: StoryEntity | None  # the target is this entity
    mentioned: StoryEntity | None  # the entity the per-document target points at
    words: frozenset[str]


def _reports(docs: Sequence[StoryInput], merged: MergedEntities) -> list[_Report]:
    out = []
    name_words_of: dict[str, frozenset[str]] = {}

    def target_entity(stance: Stance, mentioned: StoryEntity | None) -> StoryEntity | None:
        """The entity the target phrase names and nothing else, titles aside."""
        if mentioned is None:
            return None
        if mentioned.id not in name_words_of:
            name_words_of[mentioned.id] = content_words(" ".join(mentioned.variants))
        rest = content_words(stance.target.text) - title_words()
        return mentioned if rest and rest <= name_words_of[mentioned.id] else None

    for d, doc in enumerate(docs):
        for s in doc.analysis.stances or []:
            h = s.holder
            story = merged.by_doc_entity.get((d, h.entity_id)) if h.entity_id is not None else None
            if story is not None:
                holder, key = StoryActor(name=story.name, entity_id=story.id), ("E", story.id)
            else:
                holder, key = StoryActor(name=h.name, entity_id=None), ("N", " ".join(name_words(h.name)))
            t = s.target.entity_id
            mentioned = merged.by_doc_entity.get((d, t)) if t is not None else None
            entity = target_entity(s, mentioned)
            words_ = content_words(s.target.text) or frozenset({fold(s.target.text).strip()})
            out.append(_Report(d, doc.doc, s, holder, key, s.label, entity, mentioned, words_))
    return out


def same_target(a: _Report, b: _Report) -> bool:
    if a.entity is not None or b.entity is not None:
        return a.entity is b.entity
    if a.words == b.words:
        return True
    shared, share = overlap(a.words, b.words)
    return shared >= MIN_SHARED and share >= MIN_SHARE


def merge_stances(docs: Sequence[StoryInput], merged: MergedEntities) -> list[StoryStance]:
    reports = _reports(docs, merged)
    uf = UnionFind(len(reports))
    groups: dict[tuple[tuple[str, str], str], list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        groups[(r.holder_key, r.label)].append(i)
    for indices in groups.values():
        for n, i in enumerate(indices):
            for j in indices[n + 1 :]:
                if uf.find(i) != uf.find(j) and same_target(reports[i], reports[j]):
                    uf.union(i, j)
    stances: list[tuple[tuple[int, int, int], StoryStance]] = []
    for group in uf.groups():
        members = sorted((reports[i] for i in group), key=lambda r: (r.doc, r.stance.evidence.start))
        spans = {
            (r.doc, r.stance.evidence.start, r.stance.evidence.end): StorySpan(
                doc=r.doc_id,
                start=r.stance.evidence.start,
                end=r.stance.evidence.end,
                text=r.stance.evidence.text,
            )
            for r in members
        }
        sources = [spans[k] for k in sorted(spans)]
        first = members[0]
        if first.entity is not None:
            target = StoryTarget(text=first.entity.name, entity_id=first.entity.id)
        else:
            texts = Counter(display_form(r.stance.target.text) for r in members)  # للعنف → العنف
            text = min(texts, key=lambda t: (-texts[t], len(t)))
            ids = Counter(r.mentioned.id for r in members if r.mentioned is not None)
            target = StoryTarget(text=text, entity_id=ids.most_common(1)[0][0] if ids else None)
        stances.append(
            (
                (-len(sources), first.doc, first.stance.evidence.start),
                StoryStance(holder=first.holder, target=target, label=first.label, sources=sources),
            )
        )
    stances.sort(key=lambda item: item[0])
    return [s for _, s in stances]
