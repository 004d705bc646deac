"""The stance-cue inventory (``data/stance_cues.tsv``): stance verbs, participles, nouns, relation
and evaluative words in all their generated forms (``StanceLexicon``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import wordclasses
from .arabic import normalize
from .lexicon import WORD_CACHE_SIZE
from .morphology import (
    ALEF,
    DEFECTIVE_ENDINGS,
    DEFECTIVE_FINALS,
    DUAL_IMPERFECT,
    IMPERFECT_PREFIXES,
    IMPERFECT_SUFFIXES,
    LAM,
    NUN,
    PERFECT_ENDINGS,
    PLURAL_SUFFIXES,
    TA,
    TA_MARBUTA,
    THIRD_PERSON_PREFIXES,
    VERBAL_PREFIXES,
    WEAK_FINALS,
    YA,
    has_article,
)
from .reporting_cues import CueLexicon, load_cues
from .tables import load_table, tsv_rows

DATA = Path(__file__).resolve().parent / "data"
CUES_FILE = DATA / "stance_cues.tsv"


# ============================================================================ lexicon
@dataclass(frozen=True)
class Entry:
    """One row of ``stance_cues.tsv``."""

    lemma: str
    cls: str
    polarity: str
    frames: tuple[str, ...]
    flags: frozenset[str]


@dataclass(frozen=True)
class Form:
    """A surface form of an entry: which kind of word it is and what the form says about its subject."""

    entry: Entry
    kind: (
        str  # verb | participle | noun | relation | eval_obj | eval_subj | flip | keep | goal | means | light
    )
    person: int = 3  # 1 for first-person present forms (ندين، أدين، نرحب)
    feminine: bool = False
    imperfect: bool = False
    rest: tuple[str, ...] = ()  # further words of a multiword cue (normalized)


@dataclass(frozen=True)  # shared: StanceLexicon caches its lookups
class Hit:
    form: Form
    clitic: int  # letters of a prefix glued to the cue (و، ف، ب، ل، س ...)
    possessive: bool  # a pronoun suffix (دعوته، قلقها)
    n_tokens: int = 1


_VERB_PREFIXES = ("", "و", "ف")
_FUTURE_PREFIXES = ("س", "وس", "فس")
_NOUN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
_PRONOUNS = ("هما", "هم", "هن", "ها", "ه", "نا", "ي")
_NOUN_KINDS = frozenset({"noun", "relation", "eval_obj", "eval_subj", "flip", "keep", "goal", "means"})


# Surfaces a conjugation would produce but that are far more often another word (هنا = here, not هنأ;
# يدين = owes / religion far more often than condemns; تعد = is considered).
_NOT_CUES = wordclasses.normalized("stance_not_cues")


def _past_forms(past: str) -> dict[str, bool]:
    """قال -> قالت، قالوا، قالا، قالتا; دعا -> دعت، دعوا: normalized surfaces -> feminine."""
    forms = {past: False}
    if len(past) >= 3 and past[-1] in DEFECTIVE_FINALS:
        stem = past[:-1]
        forms.update({stem + e: fem for e, fem in DEFECTIVE_ENDINGS})
    else:
        forms.update({past + e: fem for e, fem in PERFECT_ENDINGS})
    return forms


def _present_forms(imperfect: str) -> dict[str, tuple[bool, int]]:
    """يندد -> يندد، تندد، نندد، اندد، ينددون ...: normalized surface -> (feminine, person)."""
    form = normalize(imperfect)
    out: dict[str, tuple[bool, int]] = {}
    if len(form) < 3 or form[0] not in THIRD_PERSON_PREFIXES:
        return out
    stem = form[1:]
    out[YA + stem] = (False, 3)
    out[TA + stem] = (True, 3)
    out[NUN + stem] = (False, 1)
    out[ALEF + stem] = (False, 1)
    if stem[-1] in WEAK_FINALS:
        for suffix in PLURAL_SUFFIXES:  # يدعون، يدعوا
            out[YA + stem[:-1] + suffix] = (False, 3)
    else:
        for suffix in IMPERFECT_SUFFIXES:
            out[YA + stem + suffix] = (False, 3)
        out[TA + stem + DUAL_IMPERFECT] = (True, 3)
    return out


def _strip_article(word: str) -> str:
    return word[2:] if has_article(word) and len(word) > 4 else word


@dataclass
class StanceLexicon:
    """Normalized surface (without clitics) -> the forms it can be; built from ``stance_cues.tsv``."""

    forms: dict[str, list[Form]] = field(default_factory=dict)
    # lookup() results per normalized token: every token of every document is looked up, and the
    # clitic/suffix analysis costs far more than a dict hit.
    _cache: dict[str, tuple[Hit, ...]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, surface: str, form: Form) -> None:
        if surface and surface not in _NOT_CUES:
            bucket = self.forms.setdefault(surface, [])
            if all(f.entry != form.entry or f.kind != form.kind for f in bucket):
                bucket.append(form)
                self._cache.clear()

    def kinds(self, norm: str) -> set[str]:
        return {h.form.kind for h in self.lookup(norm)}

    def lookup(self, norm: str) -> tuple[Hit, ...]:
        """The forms a normalized token can be, with the clitic letters and a pronoun suffix."""
        hits = self._cache.get(norm)
        if hits is None:
            if len(self._cache) > WORD_CACHE_SIZE:
                self._cache.clear()
            hits = self._cache[norm] = tuple(self._lookup(norm))
        return hits

    def _lookup(self, norm: str) -> list[Hit]:
        out: list[Hit] = []
        seen: set[tuple[int, int]] = set()

        def push(form: Form, clitic: int, poss: bool) -> None:
            key = (id(form), clitic)
            if key not in seen:
                seen.add(key)
                out.append(Hit(form, clitic, poss))

        for pre in _VERB_PREFIXES + _FUTURE_PREFIXES:
            if not norm.startswith(pre) or len(norm) - len(pre) < 2:
                continue
            for form in self.forms.get(norm[len(pre) :], ()):
                if form.kind in ("verb", "participle", "light") or (form.kind in _NOUN_KINDS and form.rest):
                    if pre in _FUTURE_PREFIXES and not form.imperfect:
                        continue
                    push(form, len(pre), False)
        for pre in _NOUN_PREFIXES:
            if not norm.startswith(pre) or len(norm) - len(pre) < 2:
                continue
            rest = norm[len(pre) :]
            cands = [rest]
            if has_article(rest) and len(rest) > 4:
                cands.append(rest[2:])
            if pre.endswith(LAM) and rest.startswith(LAM) and len(rest) > 3:
                cands.append(rest[1:])  # لل = ل + ال
            for cand in list(cands):
                for suffix in _PRONOUNS:
                    if cand.endswith(suffix) and len(cand) - len(suffix) >= 3:
                        stem = cand[: -len(suffix)]
                        cands.append("#" + stem)
                        if stem.endswith(TA):
                            cands.append("#" + stem[:-1] + TA_MARBUTA)
            for cand in cands:
                poss = cand.startswith("#")
                key = cand[1:] if poss else cand
                for form in self.forms.get(key, ()):
                    if form.kind not in _NOUN_KINDS or (poss and form.kind not in ("noun", "eval_obj")):
                        continue
                    push(form, len(pre), poss)
        return out


def _parse_cues(lines: Iterable[str]) -> StanceLexicon:
    lex = StanceLexicon()
    for row in tsv_rows(lines):
        lemma = row.get("lemma", "").strip()
        cls = row.get("class", "").strip()
        if not lemma or not cls:
            continue
        frames = tuple(normalize(f) for f in row.get("frame", "-").split("|") if f and f != "-")
        entry = Entry(
            normalize(lemma), cls, row.get("polarity", "-"), frames, frozenset(row.get("flags", "").split())
        )
        words = [normalize(w) for w in lemma.split()]
        if cls == "verb":
            for surface, fem in _past_forms(words[0]).items():
                lex.add(surface, Form(entry, "verb", 3, fem))
            for imperfect in row.get("imperfect", "-").split("|"):
                if imperfect and imperfect != "-":
                    for surface, (fem, person) in _present_forms(imperfect).items():
                        lex.add(surface, Form(entry, "verb", person, fem, True))
            participle = row.get("participle", "-")
            if participle and participle != "-":
                p = normalize(participle)
                lex.add(p + ALEF, Form(entry, "participle", 3, False))
                lex.add(p + TA_MARBUTA, Form(entry, "participle", 3, True))
        elif cls == "light":
            lex.add(words[0], Form(entry, "light", 3, False, words[0][:1] in IMPERFECT_PREFIXES))
            if words[0][:1] not in VERBAL_PREFIXES:
                for surface, fem in _past_forms(words[0]).items():
                    lex.add(surface, Form(entry, "light", 3, fem))
        else:
            keep_article = cls in ("eval_obj", "eval_subj") and has_article(words[0])
            head = _strip_article(words[0]) if len(words) == 1 and not keep_article else words[0]
            is_verb = "verb" in entry.flags or (cls == "eval_obj" and head[:1] in IMPERFECT_PREFIXES)
            person = 1 if head[:1] == NUN and is_verb else 3
            lex.add(head, Form(entry, cls, person, False, is_verb, tuple(words[1:])))
            if (
                cls in ("flip", "keep", "means")
                and is_verb
                and len(words) == 1
                and head[:1] in THIRD_PERSON_PREFIXES
            ):
                for surface, (fem, person) in _present_forms(head).items():
                    lex.add(surface, Form(entry, cls, person, fem, True))
    return lex


def load_stance_cues(path: Path | None = None) -> StanceLexicon:
    """The stance cue inventory (``data/stance_cues.tsv`` unless a path is given); empty if missing."""
    return load_table(path or CUES_FILE, _parse_cues, StanceLexicon)


@lru_cache(maxsize=1)
def default_stance_cues() -> StanceLexicon:
    return load_stance_cues()


@lru_cache(maxsize=1)
def _reporting_cues() -> CueLexicon:
    """The reporting verbs (قال، أكد ...), to find inner speakers and clause ends."""
    return load_cues()
