"""Registered spaCy components of the Qawl pipeline.

``qawl_entities`` runs after ``ner``: it cuts attached proclitics off the entity spans and groups
mentions into entities, leaving the API-ready result in ``doc._.entities``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .arabic import normalize
from .doctext import token_words
from .entities import group_mentions, mentions_from_doc
from .lexicon import Lexicon, default_lexicon
from .morphology import ALEF_MADDA, CONJUNCTIONS, PROCLITIC_LETTERS, WA_ARTICLE, core, proclitic
from .orgnames import Mode, OrgLexicon, add_lexicon_orgs, org_names
from .rulepipe import RulePipe
from .wordclasses import normalized, phrases

if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=None)
if not Token.has_extension("proclitic"):
    Token.set_extension("proclitic", getter=lambda t: proclitic(t.text))
if not Token.has_extension("core"):
    Token.set_extension("core", getter=lambda t: core(t.text))


class EntityGrouper(RulePipe):
    # The ORG lexicon's part (orgnames.py): "gap" adds lexicon names where the NER found nothing,
    # "extend" also carries NER ORG spans to the full name, "off" leaves the NER alone (docs/ner.md).
    org_mode: Mode = "gap"

    def __init__(self, nlp: Language | None = None, name: str = "qawl_entities") -> None:
        self.name = name
        self.lexicon: Lexicon = default_lexicon()
        self.org_lexicon: OrgLexicon | None = None
        if nlp is not None:  # loaded once per pipeline
            self.org_lexicon = OrgLexicon(nlp.vocab, org_names(), nlp.make_doc, self.lexicon.counts)

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = []  # what an error leaves behind when the error handler does not raise
        trim_edges(doc)
        split_person_pairs(doc, self.lexicon.persons)
        cut_formulae(doc)
        cuts: dict[int, int] = {}
        if self.org_lexicon is not None:
            cuts = add_lexicon_orgs(doc, self.org_lexicon, self.org_mode)
        doc._.entities = group_mentions(mentions_from_doc(doc, self.lexicon, cuts))
        return doc

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.lexicon = default_lexicon()


# A lone clitic letter (لـ، بـ) at an entity edge belongs to what follows: "عبده الحذيفي لـ«الوطن»".
_EDGE_PARTICLES = frozenset(PROCLITIC_LETTERS)  # letters, not words: morphology


# A complementizer opening a name ("ان كيري" in a text without hamzas) is the clause's أن, not a first
# name (آن, the name, keeps its madda as written).
_COMPLEMENTIZERS = normalized("complementizers")


def _edge_junk(words: list[str], norms: list[str], k: int) -> bool:
    """Token ``k`` is whitespace (spaCy's ``is_space``: ``str.isspace``) or a lone clitic letter."""
    return words[k].isspace() or norms[k] in _EDGE_PARTICLES


def _leading_junk(words: list[str], norms: list[str], k: int) -> bool:
    return _edge_junk(words, norms, k) or (
        norms[k] in _COMPLEMENTIZERS and not words[k].startswith(ALEF_MADDA)
    )


def trim_edges(doc: Doc) -> None:
    """Drop whitespace and lone clitic tokens at entity edges ("مجلس الأمن\n\n", "عبده الحذيفي لـ")
    and a complementizer opening one ("ان كيري"): the NER may end or start a span on them, and every
    later step (mentions, speakers, stance holders) reads ``doc.ents``."""
    words, norms = token_words(doc)
    spans = doc.ents
    if not any(_leading_junk(words, norms, e.start) or _edge_junk(words, norms, e.end - 1) for e in spans):
        return
    ents = []
    for ent in spans:
        start, end = ent.start, ent.end
        while start < end and _leading_junk(words, norms, start):
            start += 1
        while end > start and _edge_junk(words, norms, end - 1):
            end -= 1
        if start < end:
            ents.append(Span(doc, start, end, label=ent.label))
    doc.ents = ents


def split_person_pairs(doc: Doc, persons: set[str]) -> None:
    """Split a person span at a word that is و + the article + a known name part (``persons``, the
    lexicon's person words): "كيري والجبير" is two people coordinated, which the NER sometimes reads as
    one name (a name's own words take no و + article)."""
    norms = token_words(doc)[1]
    ents, changed = [], False
    for ent in doc.ents:
        cut = None
        if ent.label_ == "PER":
            words = ((k, norms[k]) for k in range(ent.start + 1, ent.end))
            cut = next((k for k, n in words if n.startswith(WA_ARTICLE) and core(n) in persons), None)
        if cut is None:
            ents.append(ent)
            continue
        changed = True
        ents += [Span(doc, ent.start, cut, label=ent.label), Span(doc, cut, ent.end, label=ent.label)]
    if changed:
        doc.ents = ents


@cache
def _formulae() -> tuple[frozenset[tuple[str, ...]], int]:
    """Set formulae (data/words/set_formulae.txt) as normalized word tuples, and the longest length."""
    found = frozenset(tuple(normalize(w) for w in p) for p in phrases("set_formulae"))
    return found, max(map(len, found))


def _bare(word: str) -> str:
    """``word`` without a leading و/ف (a formula may open with one: وأدام الله، والله)."""
    return word[1:] if word[:1] in CONJUNCTIONS and len(word) > 3 else word


def _formula_at(norms: list[str], i: int, end: int) -> bool:
    found, longest = _formulae()
    first = _bare(norms[i])
    for n in range(2, min(longest, end - i) + 1):
        if (first, *norms[i + 1 : i + n]) in found or tuple(norms[i : i + n]) in found:
            return True
    return False


def cut_formulae(doc: Doc) -> None:
    """Cut an entity where a set formula begins (محمد رحمه الله → محمد) and drop one that begins
    with a formula (بارك الله فيكم) or is a one-word formula alone (الله): these are not names.
    One-word formulae count only as the whole span, so عبد الله stays a name."""
    found, _ = _formulae()
    doc_norms = token_words(doc)[1]
    ents, changed = [], False
    for ent in doc.ents:
        norms = doc_norms[ent.start : ent.end]
        end = len(norms)
        if end == 1 and {(norms[0],), (_bare(norms[0]),)} & found:
            end = 0
        for i in range(end - 1):
            if _formula_at(norms, i, end):
                end = i
                break
        changed |= end < len(norms)
        if end > 0:
            ents.append(Span(doc, ent.start, ent.start + end, label=ent.label))
    if changed:
        doc.ents = ents


@Language.factory("qawl_entities")
def make_entity_grouper(nlp: Language, name: str) -> EntityGrouper:
    return EntityGrouper(nlp, name)
