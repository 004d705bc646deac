"""From NER spans to API entities: clitic-free mentions grouped into one entity per referent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import cast

from spacy.tokens import Doc

from qawl.types import Entity, Label, Mention

from . import morphology
from .arabic import PROCLITICS, normalize, skip_letters
from .doctext import doc_text, token_offsets, token_words
from .lexicon import WORD_CACHE_SIZE, Lexicon
from .wordclasses import words


@dataclass
class _Group:
    label: str
    keys: list[str]  # skeleton tokens of the fullest mention so far
    best: Mention
    mentions: list[Mention] = field(default_factory=list)


def _key(surface: str) -> list[str]:
    """The mention's word keys (``morphology.name_key`` of the article-less words: the mention's
    proclitic is already cut, an inner و stays)."""
    return list(_surface_key(surface))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _surface_key(surface: str) -> tuple[str, ...]:
    """:func:`_key` of a mention surface, kept (names recur within and across documents)."""
    return tuple(morphology.name_key(t, clitics=False) for t in map(normalize, surface.split()) if t)


def _contains(long: list[str], short: list[str], *, anywhere: bool) -> bool:
    n = len(short)
    if n == 0 or n > len(long):
        return False
    if not anywhere:
        return long[:n] == short
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def mentions_from_doc(
    doc: Doc, lexicon: Lexicon, cuts: dict[int, int] | None = None
) -> list[tuple[str, Mention]]:
    """(label, mention) for each entity span, the leading proclitic cut off the first token,
    plus the other occurrences of names the model found once (document-level consistency).
    ``cuts``: clitic letters already known for spans starting at a token (the ORG lexicon's matches)."""
    text = doc_text(doc)
    found: list[tuple[str, Mention]] = []
    covered: set[int] = set()
    names: dict[tuple[str, ...], str] = {}
    for ent in doc.ents:
        if ent.label_ == "MISC" and _amount(ent.text):
            continue
        known = cuts.get(ent.start) if cuts else None
        cut = morphology.cut(ent[0].text, lexicon) if known is None else skip_letters(ent[0].text, known)
        start, end = ent.start_char + cut, _line_end(text, ent.start_char + cut, ent.end_char)
        if start >= end:
            continue
        found.append((ent.label_, Mention(start=start, end=end, text=text[start:end])))
        covered.update(range(ent.start, ent.end))
        key = tuple(normalize(t) for t in text[start:end].split())
        names.setdefault(key, ent.label_)
        if ent.label_ == "PER" and len(key) >= 2 and len(key[-1]) >= 3:
            names.setdefault(key[-1:], "PER")  # family name alone: جون كيري ... وقال كيري
    if names:
        found.extend(_other_occurrences(doc, text, names, covered))
        found.sort(key=lambda lm: lm[1].start)
    return found


@cache
def _currencies() -> frozenset[str]:
    return frozenset(morphology.core(w) for w in words("currencies"))


def _amount(surface: str) -> bool:
    """A currency (دولار، بالدولار الأمريكي) or a number: MISC in ANERcorp, which the model learned
    from, but not an entity by the guideline (currencies.txt), so not one in the API."""
    parts = surface.split()
    return bool(parts) and (
        morphology.core(parts[0]) in _currencies()
        or all(p.replace(",", "").replace(".", "").isdigit() for p in parts)
    )


def _line_end(text: str, start: int, end: int) -> int:
    """A name never runs across a line break: the model sometimes carries a span over a paragraph
    end into the next line (جون كيري⏎⏎tag icon); the mention stops at the break."""
    brk = text.find("\n", start, end)
    return end if brk < 0 else start + len(text[start:brk].rstrip())


def _other_occurrences(
    doc: Doc, text: str, names: dict[tuple[str, ...], str], covered: set[int]
) -> list[tuple[str, Mention]]:
    starts, ends = token_offsets(doc)  # token texts are sliced from ``text``
    norms = token_words(doc)[1]
    # First word of a name -> its longest name, and every clitic + first word: a token outside
    # that set starts no name, so most tokens are ruled out by a single lookup.
    firsts: dict[str, int] = {}
    for key in names:
        if key:
            firsts[key[0]] = max(firsts.get(key[0], 0), len(key))
    openers = {c + f for f in firsts for c in ("", *PROCLITICS)}
    n_tokens = len(norms)
    out: list[tuple[str, Mention]] = []
    i = 0
    while i < n_tokens:
        hit = None
        first = norms[i]
        if first in openers and i not in covered:
            clitics = [
                c
                for c in ("", *PROCLITICS)
                if first.startswith(c) and len(first) - len(c) >= 3 and first[len(c) :] in firsts
            ]
            longest = max((firsts[first[len(c) :]] for c in clitics), default=0)
            for n in range(min(longest, n_tokens - i), 0, -1):
                if any(j in covered for j in range(i, i + n)):
                    continue
                rest = tuple(norms[i + 1 : i + n])
                for clitic in clitics:
                    label = names.get((first[len(clitic) :], *rest))
                    if label is not None:
                        hit = (n, len(clitic), label)
                        break
                if hit:
                    break
        if hit is None:
            i += 1
            continue
        n, clitic_len, label = hit
        start = starts[i] + skip_letters(text[starts[i] : ends[i]], clitic_len)
        end = ends[i + n - 1]
        out.append((label, Mention(start=start, end=end, text=text[start:end])))
        covered.update(range(i, i + n))
        i += n
    return out


def group_mentions(mentions: Iterable[tuple[str, Mention]]) -> list[Entity]:
    """Group mentions of one referent: same label and a spelling-insensitive name match.

    People match on any contiguous part of their fullest name (كيري ~ جون كيري, دي مستورا ~
    ستافان دي ميستورا); other types on a leading part (الولايات المتحدة ~ الولايات المتحدة الاميركية).
    """
    groups: list[_Group] = []
    # (label, key token) -> groups whose name has that token: a match always shares a token, so
    # only those are compared (linear in the document instead of mentions x groups).
    index: dict[tuple[str, str], list[int]] = {}
    for label, mention in mentions:
        keys = _key(mention.text)
        if not keys:
            continue
        anywhere = label == "PER"
        candidates = sorted({g for k in keys for g in index.get((label, k), ())}, reverse=True)
        found = -1
        for g in candidates:  # the most recently opened matching group wins
            group = groups[g]
            if _contains(group.keys, keys, anywhere=anywhere) or _contains(
                keys, group.keys, anywhere=anywhere
            ):
                found = g
                break
        if found < 0:
            groups.append(_Group(label=label, keys=keys, best=mention, mentions=[mention]))
            for k in set(keys):
                index.setdefault((label, k), []).append(len(groups) - 1)
            continue
        match = groups[found]
        match.mentions.append(mention)
        if (len(keys), len(mention.text)) > (len(match.keys), len(match.best.text)):
            match.keys, match.best = keys, mention
            for k in set(keys):
                bucket = index.setdefault((label, k), [])
                if found not in bucket:
                    bucket.append(found)
    return [
        Entity(id=f"E{i}", label=cast(Label, g.label), name=_name(g.best.text), mentions=g.mentions)
        for i, g in enumerate(groups, start=1)
    ]


def _name(surface: str) -> str:
    """An entity's name: its fullest mention, in the article form where the mention fuses ل + ال
    (لليونان → اليونان; the mention itself keeps لل, which has no bare substring)."""
    return morphology.article_form(surface)
