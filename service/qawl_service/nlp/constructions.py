"""Fixed constructions as spaCy ``Matcher`` patterns in data (``data/patterns/<name>.jsonl``).

One rule a line: ``id`` (the rule id), ``role`` (the rule code that reads it), ``pattern`` (a spaCy
token pattern), ``source`` (the token offset from the match start where the source phrase begins;
null: the construction is there but names no source) and a ``note``. ORTH and LEMMA values are words
as written, normalized on load; ``{"IN": "@name"}`` is the word class ``name`` (data/words).

A rule component's token view is not spaCy's tokenization, so the matcher runs over the view's own
words: ORTH is the normalized word, and on a reporting cue LEMMA is the cue's lemma (its و/ف cut),
TAG its class and MORPH ``Tense=Past`` a past-tense verb. Only windows that start with a word a
pattern can start with are matched (the Matcher's cost grows with tokens x patterns), in a Doc that
lives in a memory zone of the matcher's own vocab: no document's words are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, MorphAnalysis
from spacy.vocab import Vocab

from . import wordclasses
from .arabic import normalize

PATTERNS_DIR = Path(__file__).resolve().parent / "data" / "patterns"
_WORD_ATTRS = ("ORTH", "LEMMA")


@dataclass(frozen=True)
class Rule:
    id: str
    role: str
    source: int | None


def _values(value: Any) -> list[Any]:
    """The alternatives of a word-valued pattern entry, normalized: a string, an IN list or
    ``{"IN": "@class"}``; any other operator (REGEX ...) is kept as written."""
    if isinstance(value, str):
        return [normalize(value)]
    if isinstance(value, dict) and set(value) == {"IN"}:
        v = value["IN"]
        return sorted(wordclasses.normalized(v[1:])) if isinstance(v, str) else [normalize(w) for w in v]
    return [value]


def _expand(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """One pattern for each choice among the IN alternatives of ORTH and LEMMA: plain equality is
    checked in the matcher's C loop, an IN set is a Python predicate run at every token."""
    out: list[list[dict[str, Any]]] = [[]]
    for token in pattern:
        choices: list[dict[str, Any]] = [{}]
        for key, value in token.items():
            alts = _values(value) if key in _WORD_ATTRS else [value]
            choices = [{**c, key: a} for c in choices for a in alts]
        out = [[*p, c] for p in out for c in choices]
    return out


class Constructions:
    """The rules of one patterns file and the Matcher that finds them."""

    def __init__(self, path: Path) -> None:
        self.vocab = Vocab()
        self.matcher = Matcher(self.vocab)
        self.rules: dict[str, Rule] = {}
        self.order: dict[str, int] = {}  # file order: of two rules of a role at a token, the first wins
        # what a match can start with (an ORTH or a cue's LEMMA), to run the matcher only there
        self.first_orths: set[str] = set()
        self.first_lemmas: set[str] = set()
        self.anywhere = False  # a pattern whose first token is neither: try every token
        self.longest = 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                rule = Rule(row["id"], row["role"], row.get("source"))
                if rule.id in self.rules:
                    raise ValueError(f"{path.name}: rule id {rule.id!r} twice")
                patterns = _expand(row["pattern"])
                for pattern in patterns:
                    first = pattern[0]
                    if isinstance(first.get("ORTH"), str):
                        self.first_orths.add(first["ORTH"])
                    elif isinstance(first.get("LEMMA"), str):
                        self.first_lemmas.add(first["LEMMA"])
                    else:
                        self.anywhere = True
                    self.longest = max(self.longest, len(pattern))
                self.matcher.add(rule.id, patterns)
                self.order[rule.id] = len(self.rules)
                self.rules[rule.id] = rule

    def match(
        self, words: list[str], cues: Iterable[tuple[int, str, str, bool]]
    ) -> dict[tuple[int, str], Rule]:
        """{(start token, role): rule}, the first rule of each role that matches at each token.
        ``words`` are normalized; ``cues`` (token, lemma, class, past tense) the reporting cues."""
        cue_at = {i: (lemma, cls, past) for i, lemma, cls, past in cues}
        if self.anywhere:
            starts: list[int] = list(range(len(words)))
        else:
            starts = sorted(
                {i for i, w in enumerate(words) if w in self.first_orths}
                | {i for i, c in cue_at.items() if c[0] in self.first_lemmas}
            )
        if not starts:
            return {}
        # One window of the longest pattern's length from each possible start, all in one Doc; a
        # match counts where it starts at its window's first token (the others have their own).
        windows = [(s, min(len(words), s + self.longest)) for s in starts]
        found: list[tuple[str, int]] = []
        with self.vocab.memory_zone():
            doc = Doc(self.vocab, words=[w for a, b in windows for w in words[a:b]])
            past_tense = MorphAnalysis(self.vocab, {"Tense": "Past"})
            offset = 0
            for a, b in windows:
                for i in range(a, b):
                    cue = cue_at.get(i)
                    if cue is not None:
                        token = doc[offset + i - a]
                        token.lemma_, token.tag_ = cue[0], cue[1]
                        if cue[2]:
                            token.morph = past_tense
                # allow_missing: a window without cues has no TAG at all, which is no error here
                for m, start, _ in self.matcher(doc[offset : offset + b - a], allow_missing=True):
                    if start == 0:
                        found.append((self.vocab.strings[m], a))
                offset += b - a
        out: dict[tuple[int, str], Rule] = {}
        for rule_id, start in sorted(found, key=lambda f: (f[1], self.order[f[0]])):
            rule = self.rules[rule_id]
            out.setdefault((start, rule.role), rule)
        return out


@cache
def constructions(name: str) -> Constructions:
    """The rules of ``data/patterns/<name>.jsonl``, loaded once."""
    return Constructions(PATTERNS_DIR / f"{name}.jsonl")
