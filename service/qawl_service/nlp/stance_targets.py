"""From findings to wire stances: ordering and de-duplication (``_finalize``), entity links, and
matching the stances to targets a request names (``match_targets``).
"""

from __future__ import annotations

import re

from qawl.types import Entity, Mention, Stance, Target

from . import wordclasses
from .arabic import normalize
from .morphology import skeleton_key
from .stance_view import _Found


# ============================================================================ output
def _finalize(found: list[_Found], text: str) -> list[Stance]:
    """One stance per (holder, overlapping target, label) — the highest confidence wins — in text order."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda x: -x.score):
        dup = False
        for k in kept:
            same_holder = normalize(k.holder.name) == normalize(f.holder.name) or (
                k.holder.entity_id is not None and k.holder.entity_id == f.holder.entity_id
            )
            overlap = f.target[0] < k.target[1] and k.target[0] < f.target[1]
            if same_holder and overlap:
                dup = True
                break
        if not dup:
            kept.append(f)
    kept.sort(key=lambda x: (x.evidence[0], x.target[0]))
    return [
        Stance(
            holder=f.holder.speaker(text),
            target=Target(
                text=text[f.target[0] : f.target[1]],
                entity_id=None,
                mention=Mention(start=f.target[0], end=f.target[1], text=text[f.target[0] : f.target[1]]),
            ),
            label=f.label,
            evidence=Mention(
                start=f.evidence[0], end=f.evidence[1], text=text[f.evidence[0] : f.evidence[1]]
            ),
            cue=Mention(start=f.cue[0], end=f.cue[1], text=text[f.cue[0] : f.cue[1]]) if f.cue else None,
            quote_id=f.quote_id,
            confidence=f.score,
        )
        for f in kept
    ]


def _link_targets(stances: list[Stance], entities: list[Entity]) -> None:
    """entity_id of the entity the target phrase is, starts with, or contains (PER/ORG before places)."""
    mention_keys: list[tuple[str, list[str]]] | None = None
    for st in stances:
        m = st.target.mention
        if m is None:
            continue
        best: tuple[int, str] | None = None
        for ent in entities:
            for em in ent.mentions:
                if em.start >= m.start and em.end <= m.end:
                    rank = (3 if em.start == m.start else 0) + (1 if ent.label in ("PER", "ORG") else 0)
                    if best is None or rank > best[0]:
                        best = (rank, ent.id)
        if best is None:
            # no tagged mention inside (للأسد): an entity all of whose words the phrase contains
            if mention_keys is None:  # once per document, not per stance
                mention_keys = [
                    (ent.id, _word_keys(em.text))
                    for ent in entities
                    if ent.label in ("PER", "ORG", "LOC")
                    for em in ent.mentions
                ]
            tkeys = _word_keys(m.text)
            for ent_id, mk in mention_keys:
                if mk and _contains(tkeys, mk) >= 0 and len("".join(mk)) >= 3:
                    best = (0, ent_id)
                    break
        if best is not None:
            st.target.entity_id = best[1]


# ============================================================================ requested targets
def _word_keys(text: str) -> list[str]:
    """Comparison keys of a phrase: clitics and article off, ta marbuta/nisba folded, skeletons."""
    keys = []
    for w in normalize(text).split():
        k = skeleton_key(w)
        if k:
            keys.append(k)
    return keys


def _contains(long: list[str], short: list[str]) -> int:
    n = len(short)
    if n == 0 or n > len(long):
        return -1
    for i in range(len(long) - n + 1):
        if long[i : i + n] == short:
            return i
    return -1


def match_targets(
    stances: list[Stance], targets: list[str], entities: list[Entity], text: str
) -> list[Stance]:
    """Only the stances toward the requested targets, ``target.text`` = the requested string.

    A request matches a stance when the target phrase contains the request's words (spelling-, clitic-
    and article-insensitive: الاسد ~ الأسد ~ للأسد), or contains a mention of an entity the request names
    (الأسد ~ بشار الاسد ~ نظام الأسد), or is linked to that entity. A multiword person name also matches
    its family name (بشار الأسد ~ الأسد)."""
    out: list[Stance] = []
    wanted = [(t, _word_keys(t)) for t in targets if t and t.strip()]
    ent_keys = [(e, [_word_keys(m.text) for m in e.mentions] + [_word_keys(e.name)]) for e in entities]
    for req, rkeys in wanted:
        if not rkeys:
            continue
        named: set[str] = set()
        for ent, mkeys in ent_keys:
            for mk in mkeys:
                if mk and (_contains(mk, rkeys) >= 0 or (_contains(rkeys, mk) >= 0 and len(mk) >= 1)):
                    named.add(ent.id)
                    break
        alt = [rkeys]
        if len(rkeys) >= 2 and len(rkeys[-1]) >= 2:
            alt.append(rkeys[-1:])
        for st in stances:
            m = st.target.mention
            if m is None:
                continue
            hit: tuple[int, int] | None = None
            ent_id = st.target.entity_id if st.target.entity_id in named else None
            # a mention of a named entity inside the target phrase (انتهاكات نظام الأسد), not one that only
            # locates it (العنف في حلب)
            for ent, _ in ent_keys:
                if hit is not None:
                    break
                if ent.id not in named:
                    continue
                for em in ent.mentions:
                    if (
                        em.start >= m.start
                        and em.end <= m.end
                        and not _after_preposition(text, m.start, em.start)
                    ):
                        hit, ent_id = (em.start, em.end), ent.id
                        break
            if hit is None and ent_id is not None:
                hit = (m.start, m.end)
            if hit is None:
                hit = _find_keys(m, alt)
                if hit is not None and ent_id is None and len(named) == 1:
                    ent_id = next(iter(named))  # للأسد: the words of the named entity, not a tagged mention
            if hit is None:
                continue
            s, e = hit
            out.append(
                Stance(
                    holder=st.holder,
                    target=Target(
                        text=req, entity_id=ent_id, mention=Mention(start=s, end=e, text=text[s:e])
                    ),
                    label=st.label,
                    evidence=st.evidence,
                    cue=st.cue,
                    quote_id=st.quote_id,
                    confidence=st.confidence,
                )
            )
    out.sort(key=lambda s: (s.evidence.start, s.target.text))
    return out


_LOCATIVE = wordclasses.normalized("stance_locative")


def _after_preposition(text: str, start: int, at: int) -> bool:
    """Is the word before ``at`` (within the phrase starting at ``start``) a preposition (في حلب)?"""
    before = text[start:at].split()
    return bool(before) and normalize(before[-1]) in _LOCATIVE


def _find_keys(m: Mention, alts: list[list[str]]) -> tuple[int, int] | None:
    """Where in the target mention the request's words occur (char span), if they do."""
    words = [(w.start(), w.end(), w.group()) for w in re.finditer(r"\S+", m.text)]
    keys = [skeleton_key(normalize(w)) for _, _, w in words]
    for alt in alts:
        pos = _contains(keys, alt)
        if pos >= 0:
            a = words[pos]
            b = words[pos + len(alt) - 1]
            start = m.start + a[0]
            # drop a glued clitic of the first word (للأسد keeps its لل)
            return start, m.start + b[1]
    return None
