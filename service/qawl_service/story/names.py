"""Names across outlets: one key for the spellings of a name, and when two keys name one referent.

Outlets write the same foreign name differently: long vowels written or not (ستافان/ستيفان،
ميستورا/مستورا، الاميركي/الأمريكي), hamza seats, ta marbuta, alif maqsura, diacritics, tatweel, and the
letter chosen for a sound Arabic lacks (g: سيرغي/سيرجي، غرينتش/جرينتش). The key of a name folds all of
them: :func:`~qawl_service.nlp.arabic.normalize` (alef forms, ى، ة، marks), the hamza seats ؤ/ئ/ء, the
transliteration letters (:data:`TRANSLITERATION`), a fused لل read as ال, the article, and then the
consonant :func:`~qawl_service.nlp.arabic.skeleton` of each word (inner ا/و/ي dropped). Two keys that
still differ are one name when one long word (:data:`TOLERANT_LETTERS` consonants or more, as
transliterated surnames are) differs by one letter: كورالنكو/كورالنقو. Short Arabic names never get
that tolerance: محمد/احمد, جون كيري/جون كيربي stay apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..nlp.arabic import is_ignorable, normalize, skeleton
from ..nlp.lexicon import WORD_CACHE_SIZE

NameKey = tuple[str, ...]

TOLERANT_LETTERS = 5
"""Consonants a word needs before one substituted letter in it is forgiven."""

TRANSLITERATION = {"غ": "ج", "چ": "ج", "ڤ": "ف", "پ": "ب", "گ": "ك", "ڨ": "ق"}
"""Letters outlets use for one foreign sound (g, ch, v, p): folded to one in a name's key."""

_HAMZA = str.maketrans({"ؤ": "و", "ئ": "ي", "ء": None})
_TRANSLIT = str.maketrans(TRANSLITERATION)
_EDGE_PUNCT = "«»“”„\"'‘’‹›()[]{}<>.,،؛;:!؟?+-–—/\\|*#"


def fold(text: str) -> str:
    """:func:`normalize` plus the hamza seats: the spelling-insensitive form of a word or a name."""
    return normalize(text).translate(_HAMZA)


def name_words(surface: str) -> list[str]:
    """The words of a name, folded, punctuation at their edges removed, a fused لل read as ال."""
    out = []
    for raw in surface.split():
        w = fold(raw).strip(_EDGE_PUNCT)
        if w.startswith("لل") and len(w) > 3:  # للامم: ل + الامم
            w = "ا" + w[1:]
        if w:
            out.append(w)
    return out


@lru_cache(maxsize=WORD_CACHE_SIZE)
def name_key(surface: str) -> NameKey:
    """The key of a name: per word, without the article, its consonant skeleton."""
    key = []
    for w in name_words(surface):
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        key.append(skeleton(w).translate(_TRANSLIT))
    return tuple(key)


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) >= TOLERANT_LETTERS and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def same_name(a: NameKey, b: NameKey) -> bool:
    """Whether two keys spell one name: equal, or one long word one letter apart."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and _one_substitution(*differ[0])


def near_keys(key: NameKey) -> list[tuple[str, ...]]:
    """Index entries such that two keys within :func:`same_name` tolerance share one: the key
    itself, and for each long word each of its letters replaced by a wildcard. Candidates to
    compare, never all against all."""
    out = [key]
    for i, word in enumerate(key):
        if len(word) >= TOLERANT_LETTERS:
            out.extend((*key[:i], word[:j] + "?" + word[j + 1 :], *key[i + 1 :]) for j in range(len(word)))
    return out


def parts(key: NameKey, *, anywhere: bool) -> Iterable[NameKey]:
    """The strictly shorter parts of a name that may stand for it alone: for a person any contiguous
    run of words (كيري، دي ميستورا), for other names a leading one (الولايات المتحدة of
    الولايات المتحدة الاميركية)."""
    n = len(key)
    for size in range(1, n):
        starts = range(n - size + 1) if anywhere else range(1)
        for i in starts:
            yield key[i : i + size]


@lru_cache(maxsize=WORD_CACHE_SIZE)
def display_form(surface: str) -> str:
    """How a variant is listed: without diacritics and tatweel, one space between words, and a fused
    لل written with the article (للأمم المتحدة → الأمم المتحدة)."""
    text = " ".join("".join(ch for ch in surface if not is_ignorable(ch)).split())
    if text.startswith("لل") and len(text) > 3:
        text = "ا" + text[1:]
    return text
