"""Statements across the documents of a story: the quotes of one speaker that say the same thing.

A quote's speaker is its story entity (or, for an unnamed source, its words: مراسل وكالة فرانس برس,
the same source as مراسل لوكالة فرانس برس).
When a quote's content opens with a named person or body and a reporting verb (وصرح ان كيري "قال
بوضوح ان ...": the spokesman relays the minister's words), the words are that person's: the statement
is theirs and is compared on what follows the verb. Quotes without a speaker stay single statements.

Two quotes of one speaker are one statement when their content words
(:func:`~qawl_service.story.words.content_words`) overlap: more than :data:`CROSS_OUTLET` of the
shorter one's words (and at least :data:`MIN_SHARED` words) across documents, where outlets
paraphrase, direct and indirect, and between a headline and the body of its own article;
:data:`SAME_DOCUMENT` between two quotes of one article's body, where only a repeat says the same
thing twice; or when one wording contains the other. Clusters are average-link
(:func:`cluster_reports`), so one loose paraphrase does not chain two statements together.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from qawl.types import Entity, Mention, Quote, StoryActor, StoryEntity, StorySource, StoryStatement

from ..nlp.reporting_cues import default_cues
from .clusters import UnionFind
from .entities import MergedEntities
from .names import fold
from .source import StoryInput
from .words import content_words, overlap

CROSS_OUTLET = 0.5
SAME_DOCUMENT = 0.8
MIN_SHARED = 2
SAME_SOURCE = 0.75
TITLE_CHARS = 200

_MARKS = "«»“”„\"'‘’‹›()[]{}<>+"
_WORD = re.compile(r"\S+")

SpeakerKey = tuple[str, str]


@dataclass
class _Report:
    doc: int
    doc_id: str
    quote: Quote
    speaker: StoryActor | None
    key: SpeakerKey | None
    said: str
    words: frozenset[str]
    headline: bool  # in the document's first line, when that line is a title

    @cached_property
    def folded(self) -> str:
        return fold(self.said)


def _strip(text: str) -> str:
    return text.strip().strip(_MARKS + " ،,:").strip()


def inner_source(
    quote: Quote, text: str, mention_at: dict[int, tuple[Entity, Mention]]
) -> tuple[Entity, str] | None:
    """The person or body whose words a quote relays, and those words: content that opens with a
    mention of them and a reporting verb (كيري "قال بوضوح ان ...")."""
    i, end = quote.content.start, quote.content.end
    while i < end and (text[i].isspace() or text[i] in _MARKS):
        i += 1
    found = mention_at.get(i)
    if found is None or found[0].label not in ("PER", "ORG"):
        return None
    entity, mention = found
    j = mention.end
    while j < end and (text[j].isspace() or text[j] in _MARKS):
        j += 1
    m = _WORD.match(text, j, end)
    if m is None:
        return None
    word = m.group().strip(_MARKS)
    hit = default_cues().lookup(fold(word))
    if hit is None or hit[0].cls != "verb" or not hit[0].past:  # a past speech act: قال، رفض، عبر
        return None
    return entity, _strip(text[m.end() : end])


def _title_end(text: str) -> int:
    """Where the document's title ends: its first line, when that is short and not the only line."""
    end = text.find("\n")
    return end if 0 < end <= TITLE_CHARS else 0


def _reports(docs: Sequence[StoryInput], merged: MergedEntities) -> list[_Report]:
    out = []
    for d, doc in enumerate(docs):
        mention_at = {m.start: (e, m) for e in (doc.analysis.entities or []) for m in e.mentions}
        title_end = _title_end(doc.text)
        for q in doc.analysis.quotes or []:
            said = _strip(q.content.text)
            story: StoryEntity | None = None
            inner = inner_source(q, doc.text, mention_at)
            if inner is not None:
                story = merged.by_doc_entity.get((d, inner[0].id))
                said = inner[1] or said
            elif q.speaker is not None and q.speaker.entity_id is not None:
                story = merged.by_doc_entity.get((d, q.speaker.entity_id))
            speaker: StoryActor | None
            key: SpeakerKey | None
            if story is not None:
                speaker, key = StoryActor(name=story.name, entity_id=story.id), ("E", story.id)
            elif q.speaker is not None:  # an unnamed source: by its words, see _unnamed_sources
                speaker = StoryActor(name=q.speaker.name, entity_id=None)
                key = ("N", fold(q.speaker.name))
            else:
                speaker, key = None, None
            headline = q.content.start < title_end
            out.append(_Report(d, doc.doc, q, speaker, key, said, content_words(said), headline))
    _unnamed_sources(out)
    return out


def _unnamed_sources(reports: list[_Report]) -> None:
    """Unnamed sources named alike are one source: مراسل لوكالة فرانس برس, مراسل وكالة فرانس برس and
    مراسل فرانس برس share :data:`SAME_SOURCE` of the shorter name's content words. Their reports get
    one speaker key (that of the first)."""
    names = sorted({r.key[1] for r in reports if r.key is not None and r.key[0] == "N"})
    words = [content_words(n) for n in names]
    uf = UnionFind(len(names))
    for i, j in combinations(range(len(names)), 2):
        shared, share = overlap(words[i], words[j])
        if shared >= MIN_SHARED and share >= SAME_SOURCE:
            uf.union(i, j)
    canonical = {names[i]: names[group[0]] for group in uf.groups() for i in group}
    for r in reports:
        if r.key is not None and r.key[0] == "N":
            r.key = ("N", canonical[r.key[1]])


def similarity(a: _Report, b: _Report) -> float:
    """How far two reports say the same thing: the overlap coefficient of their content words (at
    least :data:`MIN_SHARED` shared), 1.0 when one wording contains the other."""
    if min(len(a.words), len(b.words)) >= MIN_SHARED:
        short, long = sorted((a.folded, b.folded), key=len)
        if short in long:
            return 1.0
    shared, share = overlap(a.words, b.words)
    return share if shared >= MIN_SHARED else 0.0


class _Link:
    """What average-link needs of the pairs between two clusters, kept as sums so that a merge
    combines two links instead of revisiting every pair (Lance-Williams)."""

    __slots__ = ("bad", "count", "cross", "total")

    def __init__(self, total: float, count: int, cross: bool, bad: bool) -> None:
        self.total, self.count, self.cross, self.bad = total, count, cross, bad

    def __add__(self, other: _Link) -> _Link:
        return _Link(
            self.total + other.total,
            self.count + other.count,
            self.cross or other.cross,
            self.bad or other.bad,
        )

    def margin(self) -> float:
        """>= 0 when the two clusters may join: no two different statements of one article's body
        (a same-body pair under :data:`SAME_DOCUMENT`), and, with reports from different outlets,
        a mean similarity of more than :data:`CROSS_OUTLET`."""
        if self.bad:
            return -1.0
        if self.cross:
            return self.total / self.count - CROSS_OUTLET - 1e-9  # more than half
        return 0.0


def cluster_reports(reports: Sequence[_Report]) -> list[list[int]]:
    """Average-link clusters of one speaker's reports. Two reports of one article's body stay apart
    unless their similarity reaches :data:`SAME_DOCUMENT` (an article says a thing once; وأضاف starts
    another statement); otherwise two clusters with reports from different documents (or a headline
    and its article's body) join when the mean similarity of their pairs is more than
    :data:`CROSS_OUTLET`. The best-linked pair joins first, until no pair qualifies.

    Links are kept between clusters with at least one similar pair and combined on a merge, with a
    heap of candidate joins: O(n² log n) for n reports, not O(n³)."""
    n = len(reports)
    bodies = [(r.doc, r.headline) for r in reports]  # a headline and its body compare like two outlets
    # the documents (bodies) of each cluster: what a link with no similar pair needs
    bodies_of: dict[int, Counter[tuple[int, bool]]] = {i: Counter([bodies[i]]) for i in range(n)}
    size = dict.fromkeys(range(n), 1)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[int, dict[int, _Link]] = {i: {} for i in range(n)}
    for i, j in combinations(range(n), 2):
        sim = similarity(reports[i], reports[j])
        if sim > 0:
            cross = bodies[i] != bodies[j]
            links[i][j] = links[j][i] = _Link(sim, 1, cross, not cross and sim < SAME_DOCUMENT)

    def dissimilar(a: int, c: int) -> _Link:
        """The link of two clusters none of whose pairs is similar (every similarity 0)."""
        shared = bool(bodies_of[a].keys() & bodies_of[c].keys())
        cross = len(bodies_of[a].keys() | bodies_of[c].keys()) > 1
        return _Link(0.0, size[a] * size[c], cross, shared)

    version = dict.fromkeys(range(n), 0)
    heap = [(-link.margin(), a, b, 0, 0) for a in range(n) for b, link in links[a].items() if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < 0:
            break
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue  # a stale candidate: one side has changed since
        members[a].extend(members.pop(b))
        joined_links = {}
        for c in (links[a].keys() | links[b].keys()) - {a, b}:
            joined_links[c] = links[a].get(c) or dissimilar(a, c)
            joined_links[c] = joined_links[c] + (links[b].get(c) or dissimilar(b, c))
        for c in links.pop(b):
            links[c].pop(b, None)
        bodies_of[a] += bodies_of.pop(b)
        size[a] += size.pop(b)
        version[a] += 1
        links[a] = joined_links
        for c, link in joined_links.items():
            links[c][a] = link
            lo, hi = min(a, c), max(a, c)
            heapq.heappush(heap, (-link.margin(), lo, hi, version[lo], version[hi]))
    return sorted(sorted(m) for m in members.values())


def merge_statements(docs: Sequence[StoryInput], merged: MergedEntities) -> list[StoryStatement]:
    reports = _reports(docs, merged)
    by_speaker: dict[SpeakerKey | None, list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        by_speaker[r.key].append(i)
    groups: list[list[int]] = []
    for key, indices in by_speaker.items():
        if key is None:  # no speaker: never merged
            groups.extend([i] for i in indices)
            continue
        clusters = cluster_reports([reports[i] for i in indices])
        groups.extend([indices[k] for k in cluster] for cluster in clusters)
    statements: list[tuple[tuple[int, int, int], StoryStatement]] = []
    for group in groups:
        members = sorted((reports[i] for i in group), key=lambda r: (r.doc, r.quote.content.start))
        fullest = max(members, key=lambda r: (len(r.words), len(r.said)))
        sources = [
            StorySource(
                doc=r.doc_id,
                quote_id=r.quote.id,
                kind=r.quote.kind,
                start=r.quote.content.start,
                end=r.quote.content.end,
                text=r.quote.content.text,
            )
            for r in members
        ]
        first = members[0]
        statements.append(
            (
                (-len(sources), first.doc, first.quote.content.start),
                StoryStatement(id="", speaker=first.speaker, summary=fullest.said, sources=sources),
            )
        )
    statements.sort(key=lambda item: item[0])
    out = []
    for n, (_, s) in enumerate(statements, start=1):
        s.id = f"S-Q{n}"
        out.append(s)
    return out
