"""The reporting-cue inventory (``data/cues.tsv``): قال، أكد، بحسب ... in all their written forms.

Read by the quote component (cues) and by stance (inner speakers and clause ends). The table lists
base forms; conjugations (feminine ت, plural وا/ون, dual ا, present ي/ت/ن, participle endings,
و/ف prefixes, pronoun suffixes of nouns) are generated here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from . import wordclasses
from .arabic import normalize
from .lexicon import WORD_CACHE_SIZE
from .morphology import (
    ALEF,
    ARTICLE,
    BA,
    CONJUNCTION_LETTERS,
    DEFECTIVE_ENDINGS,
    DEFECTIVE_FINALS,
    DUAL_IMPERFECT,
    FUSED_LIL,
    NUN,
    PERFECT_ENDINGS,
    POSSESSIVE_SUFFIXES,
    SOUND_PLURAL_NOMINATIVE,
    SOUND_PLURAL_OBLIQUE,
    TA,
    TA_MARBUTA,
    THIRD_PERSON_PREFIXES,
    THIRD_PERSON_SUFFIXES,
    WA,
    WEAK_FINALS,
    YA,
)
from .tables import load_table, tsv_rows

CUES_FILE = Path(__file__).resolve().parent / "data" / "cues.tsv"

CueClass = Literal["verb", "participle", "noun", "attrib"]


@dataclass(frozen=True)
class Cue:
    lemma: str
    cls: CueClass
    category: str
    ambiguous: bool  # needs its complement right after the subject (بين، عبر، ذكر، تابع ...)
    feminine: bool = False  # تؤكد، قالت، مشيرة: the subject is grammatically feminine
    past: bool = False  # a past-tense form (كما قال X after a clause)
    relay: bool = False  # flag relay: نقل عن X, the source after عن (or the pronoun of عنه) is the speaker
    # column complement: the prepositions (normalized) that introduce a noun-phrase complement carrying
    # content (أكد على X، دعا إلى X، طالب بـ X), and whether a direct object does (أعلن X، انتقد X)
    preps: frozenset[str] = frozenset()
    np_object: bool = False


# Surfaces a conjugation would produce but that are far more often another word.
_NOT_CUES = wordclasses.normalized("reporting_not_cues")
_OBJECT_SUFFIXES = ("هما", "هم", "ها", "ه", "نا")
_NP_OBJECT = "NP"  # the complement column's mark for a direct object
# Surfaces that normalization would merge with a cue: يُدعى (is named) is not يدّعي (claims).
NOT_CUE_SURFACES = frozenset(wordclasses.words("reporting_not_cue_surfaces"))  # as written
# A cue's lemma and the noun after it (article aside) that make an idiom, no cue: لفت انتباه، لفت نظر.
IDIOM_OBJECTS = frozenset(
    (normalize(lemma), normalize(obj)) for lemma, obj in wordclasses.phrases("reporting_idiom_objects")
)


def _verb_forms(lemma: str, imperfects: list[str]) -> dict[str, tuple[bool, bool]]:
    """Normalized surfaces of a reporting verb -> (feminine 3rd person, past tense)."""
    past = normalize(lemma)
    forms: dict[str, tuple[bool, bool]] = {past: (False, True)}
    if len(past) >= 3 and past[-1] in DEFECTIVE_FINALS:  # defective: دعا -> دعت، دعوا; نفى -> نفت، نفوا، نفيا
        stem = past[:-1]
        forms.update({stem + e: (fem, True) for e, fem in DEFECTIVE_ENDINGS})
        forms[past + ALEF] = (False, True)
    else:  # قال -> قالت، قالوا، قالا، قالتا
        forms.update({past + e: (fem, True) for e, fem in PERFECT_ENDINGS})
    for imperfect in imperfects:
        form = normalize(imperfect)
        if len(form) < 3 or form[0] not in THIRD_PERSON_PREFIXES:
            continue
        stem = form[1:]
        present = {YA + stem: False, TA + stem: True, NUN + stem: False}
        if stem[-1] in WEAK_FINALS:  # يدعو -> يدعون; ينفي -> ينفون
            present[YA + stem[:-1] + SOUND_PLURAL_NOMINATIVE] = False
        else:
            present.update(
                {
                    YA + stem + SOUND_PLURAL_NOMINATIVE: False,
                    YA + stem + DUAL_IMPERFECT: False,
                    TA + stem + DUAL_IMPERFECT: True,
                }
            )
        for surface, fem in present.items():
            forms.setdefault(surface, (fem, False))
    return forms


def _participle_forms(participle: str) -> dict[str, bool]:
    """مؤكد -> مؤكدا، مؤكده (ة)، مؤكدين; داعي -> داعيا، داعيه: the circumstantial (حال) forms only."""
    p = normalize(participle)
    return {p + ALEF: False, p + TA_MARBUTA: True, p + SOUND_PLURAL_OBLIQUE: False}


def _noun_forms(noun: str) -> list[str]:
    """قول -> قوله، قولها، قولهم، القول، بالقول ...: pronoun suffixes, article, ب/ل."""
    n = normalize(noun)
    out = [n, n + ALEF] + [n + s for s in POSSESSIVE_SUFFIXES]
    out += [BA + n + s for s in THIRD_PERSON_SUFFIXES]
    out += [ARTICLE + n, BA + ARTICLE + n, FUSED_LIL + n]
    return out


@dataclass
class CueLexicon:
    """Normalized surface -> cue; built from data/cues.tsv by :func:`load_cues`."""

    forms: dict[str, Cue] = field(default_factory=dict)
    _cache: dict[str, tuple[Cue, int] | None] = field(default_factory=dict, repr=False)

    def add(self, surface: str, cue: Cue) -> None:
        if surface and surface not in _NOT_CUES:
            self.forms.setdefault(surface, cue)

    def lookup(self, norm: str) -> tuple[Cue, int] | None:
        """The cue a normalized token is, and how many letters of a و/ف conjunction precede it.

        Verbs may carry an object pronoun (وتعتبرها، أبلغه): it is tried off when the whole form
        is not a cue."""
        if norm in self._cache:
            return self._cache[norm]
        if len(self._cache) > WORD_CACHE_SIZE:
            self._cache.clear()
        result = self._cached_lookup(norm)
        self._cache[norm] = result
        return result

    def _cached_lookup(self, norm: str) -> tuple[Cue, int] | None:
        if norm in _NOT_CUES:
            return None
        hit = self._lookup(norm)
        if hit is not None:
            return hit
        if norm[:1] in CONJUNCTION_LETTERS and norm[1:] in _NOT_CUES:
            return None  # وإضافة: the noun, not أضاف + a pronoun
        for suffix in _OBJECT_SUFFIXES:
            if norm.endswith(suffix) and len(norm) - len(suffix) >= 3:
                hit = self._lookup_stem(norm[: -len(suffix)])
                if hit is not None and hit[0].cls == "verb" and not hit[0].ambiguous:
                    return hit  # not دعمه، ذكره، نقله: with a pronoun those are nouns
        return None

    def _lookup_stem(self, stem: str) -> tuple[Cue, int] | None:
        """The verb under an object pronoun; the plural's alif is not written before it (وصفوها ← وصفوا)."""
        hit = self._lookup(stem)
        if hit is None and stem.endswith(WA):
            hit = self._lookup(stem + ALEF)
        return hit

    def verb_with_object(self, norm: str) -> tuple[Cue, int] | None:
        """A verb cue with an object pronoun, the ambiguous ones too (ذكره، نقله): for a position where
        only a verb can stand (وفق ما ذكره X), not the nouns those forms usually are."""
        for suffix in _OBJECT_SUFFIXES:
            if norm.endswith(suffix) and len(norm) - len(suffix) >= 3:
                hit = self._lookup_stem(norm[: -len(suffix)])
                if hit is not None and hit[0].cls == "verb":
                    return hit
        return None

    def _lookup(self, norm: str) -> tuple[Cue, int] | None:
        cue = self.forms.get(norm)
        if cue is not None:
            return cue, 0
        if len(norm) > 3 and norm[0] in CONJUNCTION_LETTERS:
            cue = self.forms.get(norm[1:])
            if cue is not None:
                return cue, 1
        return None


def _parse_cues(lines: Iterable[str]) -> CueLexicon:
    lex = CueLexicon()
    for row in tsv_rows(lines):
        lemma, cls = row.get("lemma", ""), row.get("class", "")
        category = row.get("category", "")
        flags = row.get("flags", "").split()
        amb, relay = "amb" in flags, "relay" in flags
        imperfects = [f for f in row.get("imperfect", "-").split("|") if f and f != "-"]
        participle = row.get("participle", "-")
        complement = [c for c in row.get("complement", "-").split("|") if c and c != "-"]
        preps = frozenset(normalize(c) for c in complement if c != _NP_OBJECT)
        obj = _NP_OBJECT in complement
        if cls == "verb":
            for surface, (fem, past) in _verb_forms(lemma, imperfects).items():
                lex.add(surface, Cue(normalize(lemma), "verb", category, amb, fem, past, relay, preps, obj))
            if participle and participle != "-":
                for surface, fem in _participle_forms(participle).items():
                    cue = Cue(
                        normalize(lemma),
                        "participle",
                        category,
                        amb,
                        fem,
                        relay=relay,
                        preps=preps,
                        np_object=obj,
                    )
                    lex.add(surface, cue)
        elif cls == "noun":
            for surface in _noun_forms(lemma):
                lex.add(surface, Cue(normalize(lemma), "noun", category, amb, relay=relay))
        elif cls == "attrib":
            n = normalize(lemma)
            lex.forms[n] = Cue(n, "attrib", category, False)  # نقلا عن: not the dual of the verb نقل
    return lex


def load_cues(path: Path | None = None) -> CueLexicon:
    """The cue inventory (``data/cues.tsv`` unless a path is given); empty if the file is missing."""
    return load_table(path or CUES_FILE, _parse_cues, CueLexicon)


@lru_cache(maxsize=1)
def default_cues() -> CueLexicon:
    return load_cues()
