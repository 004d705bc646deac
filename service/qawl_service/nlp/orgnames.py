"""The ORG lexicon as candidates (issue 21): names the team compiled, proposed where the NER found nothing.

The names live in ``data/patterns/org_names.txt`` (one a line). They are matched on the normalized
words of the Doc (:func:`arabic.normalize`:
hamza forms, ة/ه, ى/ي fold), so the text itself is never changed. The first word may carry a proclitic
(وبوزارة، لرويترز) or fuse ل with the article (للأمم المتحدة, which keeps لل, the guideline's reading):
each name is added once per clitic form of its first word, and the match says how many letters to cut.

The NER stays the first voice: a lexicon span is added only where no predicted entity overlaps it, or
("extend") where it covers NER ORG spans and nothing else, to carry a cut-short name to its full form
(الجهاز المركزي → الجهاز المركزي للتعبئة العامة والإحصاء).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .arabic import PROCLITICS, normalize
from .doctext import token_words
from .morphology import LAM, PROCLITIC_LETTERS, has_article
from .wordclasses import normalized

NAMES_FILE = Path(__file__).resolve().parent / "data" / "patterns" / "org_names.txt"
Mode = Literal["off", "gap", "extend"]
MODES: tuple[Mode, ...] = ("off", "gap", "extend")


@cache
def org_names(path: Path = NAMES_FILE) -> tuple[str, ...]:
    """The names of the lexicon file as written (``#`` lines and blank lines left out)."""
    with open(path, encoding="utf-8") as f:
        return tuple(
            " ".join(line.split()) for line in f if line.strip() and not line.lstrip().startswith("#")
        )


def clitic_forms(first: str) -> list[tuple[str, int]]:
    """(form, letters to cut) for a normalized first word: bare, with each proclitic, and the fused
    لل of ل + the article (للامم keeps its لل: ولل → cut 1, لل → cut 0)."""
    forms = [(first, 0)]
    article = has_article(first) and len(first) > 3
    for clitic in PROCLITICS:
        if article and clitic.endswith(LAM):
            forms.append((clitic + first[1:], len(clitic) - 1))  # ل + الامم → للامم
        else:
            forms.append((clitic + first, len(clitic)))
    return forms


class OrgLexicon:
    """Lexicon names over normalized words: ``matches(doc)`` gives (start, end, letters to cut).

    A dict from the first word to the rest of each name (and its cut), not a ``PhraseMatcher``: the
    matcher needed a pattern Doc per clitic form (34,000), which put as many lexemes into the shared
    vocabulary and ~30 MB on every worker; the dict costs a few MB and matches the same spans."""

    def __init__(
        self,
        vocab: Vocab,
        names: Iterable[str],
        tokenize: Callable[[str], Doc],
        counts: Mapping[str, int] | None = None,
    ) -> None:
        """``counts``: running-text word counts (the shipped lexicon's); a clitic form commoner than the
        bare name is a word of its own (وفيات is "deaths", not و + فيات) and is not matched."""
        self.vocab = vocab
        counts = counts or {}
        self._by_first: dict[str, dict[tuple[str, ...], int]] = {}
        self._longest = 0
        size = 0
        for name in names:
            words = [normalize(t.text) for t in tokenize(name) if not t.is_space]
            if not words:
                continue
            bare = counts.get(words[0], 0)
            rest = tuple(words[1:])
            for first, cut in clitic_forms(words[0]):
                if cut and counts.get(first, 0) > bare:
                    continue
                known = self._by_first.setdefault(first, {})
                if rest in known:  # the bare form wins over a clitic reading of another name
                    continue
                known[rest] = cut
                size += 1
                self._longest = max(self._longest, len(words))
        self.size = size

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Longest non-overlapping lexicon names in ``doc`` as (start, end, clitic letters)."""
        # token texts sliced from the text (no Token object per token); a token of marks alone
        # normalizes to "" and keeps its text
        words = [n or w for w, n in zip(*token_words(doc), strict=True)]
        found: list[tuple[int, int, int]] = []
        for i, word in enumerate(words):
            rests = self._by_first.get(word)
            if not rests:
                continue
            for n in range(1, min(self._longest, len(words) - i) + 1):
                cut = rests.get(tuple(words[i + 1 : i + n]))
                if cut is not None:
                    found.append((i, i + n, cut))
        # spaCy's filter_spans: the longest first, then the earliest; no token in two spans
        taken: set[int] = set()
        out: list[tuple[int, int, int]] = []
        for start, end, cut in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                out.append((start, end, cut))
        return sorted(out)


@cache
def _openers() -> frozenset[str]:
    """Nouns that make a following lexicon name part of a longer one (orglex_before.txt, org_heads.txt)."""
    return normalized("orglex_before", "org_heads")


def _inside_longer_name(doc: Doc, start: int) -> bool:
    """The word before the match heads a construct it belongs to: كأس الاتحاد الإفريقي, منطقة الأمن الوطني
    (an indefinite head noun, maybe with a proclitic; with the article it is a name of its own)."""
    if start == 0:
        return False
    w = token_words(doc)[1][start - 1]
    return w in _openers() or (w[:1] in PROCLITIC_LETTERS and w[1:] in _openers())


def add_lexicon_orgs(doc: Doc, lexicon: OrgLexicon, mode: Mode = "gap") -> dict[int, int]:
    """Put lexicon ORG spans into ``doc.ents`` where the NER left a gap ("gap"), or also where they
    cover only NER ORG spans ("extend"). Returns {start token: clitic letters} of the spans added."""
    if mode == "off":
        return {}
    ents = list(doc.ents)
    owner = [-1] * len(doc)  # token -> index of the NER entity on it
    for i, ent in enumerate(ents):
        for t in range(ent.start, ent.end):
            owner[t] = i
    added: dict[int, int] = {}
    replaced: set[int] = set()
    new: list[Span] = []
    for start, end, cut in lexicon.matches(doc):
        if cut == 0 and _inside_longer_name(doc, start):
            continue
        hit = {owner[t] for t in range(start, end)} - {-1}
        if hit:
            if mode != "extend":
                continue
            inside = all(
                ents[i].label_ == "ORG" and start <= ents[i].start and ents[i].end <= end for i in hit
            )
            if not inside or sum(len(ents[i]) for i in hit) == end - start:
                continue  # another label, a span running past the name, or the name already
            replaced |= hit
        new.append(Span(doc, start, end, label="ORG"))
        added[start] = cut
    if new:
        doc.ents = sorted([e for i, e in enumerate(ents) if i not in replaced] + new, key=lambda s: s.start)
    return added
