"""Fixed constructions as spaCy ``Matcher`` patterns in data (``data/patterns/<name>.jsonl``).

One rule a line: ``id`` (the rule id), ``role`` (the rule code that reads it), ``pattern`` (a spaCy
token pattern), ``source`` (the token offset from the match start where the source phrase begins;
null: the construction is there but names no source) and a ``note``. ORTH and LEMMA values are words
as written, normalized on load; ``{"IN": "@name"}`` is the word class ``name`` (data/words).

A rule component's token view is not spaCy's tokenization, so the matcher runs over a Doc of the
view's words (token i is the view's token i): ORTH is the normalized word, and on a reporting cue
LEMMA is the cue's lemma (its و/ف cut), TAG its class and MORPH ``Tense=Past`` a past-tense verb.
That Doc lives in a memory zone of the matcher's own vocab: no document's words are kept.
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
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                rule = Rule(row["id"], row["role"], row.get("source"))
                if rule.id in self.rules:
                    raise ValueError(f"{path.name}: rule id {rule.id!r} twice")
                self.matcher.add(rule.id, _expand(row["pattern"]))
                self.order[rule.id] = len(self.rules)
                self.rules[rule.id] = rule

    def match(
        self, words: list[str], cues: Iterable[tuple[int, str, str, bool]]
    ) -> dict[tuple[int, str], Rule]:
        """{(start token, role): rule}, the first rule of each role that matches at each token.
        ``words`` are normalized; ``cues`` (token, lemma, class, past tense) the reporting cues."""
        if not words:
            return {}
        with self.vocab.memory_zone():
            doc = Doc(self.vocab, words=words)
            past_tense = MorphAnalysis(self.vocab, {"Tense": "Past"})
            for i, lemma, cls, past in cues:  # a few tokens: set one by one
                token = doc[i]
                token.lemma_, token.tag_ = lemma, cls
                if past:
                    token.morph = past_tense
            # allow_missing: a document without cues has no TAG at all, which is no error here
            found = [(self.vocab.strings[m], start) for m, start, _ in self.matcher(doc, allow_missing=True)]
        out: dict[tuple[int, str], Rule] = {}
        for rule_id, start in sorted(found, key=lambda f: (f[1], self.order[f[0]])):
            rule = self.rules[rule_id]
            out.setdefault((start, rule.role), rule)
        return out


@cache
def constructions(name: str) -> Constructions:
    """The rules of ``data/patterns/<name>.jsonl``, loaded once."""
    return Constructions(PATTERNS_DIR / f"{name}.jsonl")
