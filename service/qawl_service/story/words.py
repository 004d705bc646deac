"""Content words: what two reports of a statement, or two stance targets, are compared on.

A word counts by its light stem: folded spelling (:func:`~qawl_service.story.names.fold`, hamza
seats dropped), its proclitic and article off (:func:`~qawl_service.nlp.morphology.proclitic`,
``core``), one pronoun or plural suffix off and a final long vowel (شركائنا/الشركاء، اولوية/اولويات),
and a present-tense prefix off (نقترب/تقترب).
Function words (data/words/story_function_words.txt) do not count. The stems are keys for
comparison only; nothing of the text is rewritten.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..nlp.arabic import normalize
from ..nlp.lexicon import WORD_CACHE_SIZE
from ..nlp.morphology import lexical_core, proclitic, without_clitic
from ..nlp.wordclasses import words
from .names import fold

_WORD = re.compile(r"\w+")
_SUFFIXES = ("هما", "هم", "ها", "نا", "كم", "ات", "ون", "ين", "ه")
_PRESENT = "يتن"
_HAMZA_SEATS = str.maketrans({"ء": None, "ئ": None, "ؤ": None})


@cache
def function_words() -> frozenset[str]:
    return frozenset(fold(w) for w in words("story_function_words"))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def stem(word: str) -> str:
    """The light stem of one word (already normalized), or "" for a function word."""
    fw = function_words()
    if word in fw or (word[:1] in "وف" and word[1:] in fw):
        return ""
    clitic = proclitic(word)
    if clitic and without_clitic(word, clitic) in fw:  # بما، وهو
        return ""
    w = lexical_core(word)
    w = w.translate(_HAMZA_SEATS) or w
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= (3 if suffix == "ه" else 4):
            w = w[: -len(suffix)]
            break
    if w[-1:] in ("ا", "ي") and len(w) >= 4:
        w = w[:-1]
    if w[:1] in _PRESENT and len(w) >= 5:
        w = w[1:]
    return w


def content_words(text: str) -> frozenset[str]:
    """The stems of the content words of ``text`` (numbers count; one-letter words do not)."""
    out = set()
    for m in _WORD.finditer(normalize(text)):
        token = m.group()
        if len(token) < 2:
            continue
        s = stem(token)
        if s:
            out.add(s)
    return frozenset(out)


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    """Shared words, and their share of the shorter side (the overlap coefficient)."""
    shared = len(a & b)
    smaller = min(len(a), len(b))
    return shared, (shared / smaller if smaller else 0.0)
