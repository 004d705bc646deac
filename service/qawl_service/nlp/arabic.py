"""Arabic specifics in one place: orthographic normalization, tokenizer punctuation, clitics.

Everything the model sees goes through :func:`normalize`, so spelling variants that news
outlets mix freely (hamza on alef, alef maqsura, ta marbuta, tatweel, diacritics) map to one
form and cannot change which entities are found. The submitted text itself is never altered:
offsets always point into the original string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# Harakat, tanween, shadda, sukun, quranic marks, superscript alef: meaning-preserving marks.
_DIACRITICS = "".join(
    chr(c) for c in (*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE))
)
TATWEEL = "\u0640"
# Invisible format characters that must not split or change a word (ZWJ/ZWNJ, bidi marks).
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_DROP = set(_DIACRITICS + TATWEEL + _INVISIBLE)

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
    }
)
# Dropping and folding in one str.translate pass (no folded letter is a dropped mark): 3x faster
# than filtering first, and normalize runs on every token of every rule component.
_NORMALIZE = {**dict.fromkeys(map(ord, _DROP)), **_FOLD}


# The rule components normalize each token several times (entities, ORG lexicon, quotes, stance), and
# words recur across documents: a word's form is kept (a cache hit is ~10x cheaper than translate with
# a dict table). Longer strings (spans, texts) are translated each time; the bound is the other
# per-word caches' (lexicon.WORD_CACHE_SIZE, which imports this module).
_MEMO_LEN = 40
_MEMO_SIZE = 50_000


@lru_cache(maxsize=_MEMO_SIZE)
def _normalize_word(word: str) -> str:
    out = word.translate(_NORMALIZE)
    return word if out == word else out  # an unchanged word keeps one string, not two


def normalize(text: str) -> str:
    """Fold orthographic variants: drop diacritics/tatweel/invisibles, unify alef, yeh, ta marbuta, digits."""
    return _normalize_word(text) if len(text) <= _MEMO_LEN else text.translate(_NORMALIZE)


def is_ignorable(ch: str) -> bool:
    """True for characters :func:`normalize` drops (diacritics, tatweel, invisible controls)."""
    return ch in _DROP


def skip_letters(surface: str, letters: int) -> int:
    """Code points covering the first ``letters`` letters of ``surface`` plus the marks after them.

    Used to cut a proclitic off the original text: وَكيري loses "وَ" (two code points).
    """
    i = matched = 0
    while i < len(surface) and matched < letters:
        if surface[i] not in _DROP:
            matched += 1
        i += 1
    while i < len(surface) and surface[i] in _DROP:
        i += 1
    return i


_LONG_VOWELS = "اوي"
_DROP_LONG_VOWELS = str.maketrans("", "", _LONG_VOWELS)


def skeleton(word: str) -> str:
    """Spelling-insensitive key for grouping transliterated names.

    Long vowels written or not (اميركي/امريكي, ستافان/ستيفان, ميستورا/مستورا) are the main source
    of variation in foreign names, so inner ا/و/ي are dropped and the first letter kept.
    """
    w = normalize(word)
    if len(w) <= 2:
        return w
    return w[0] + w[1:].translate(_DROP_LONG_VOWELS)


# ---------------------------------------------------------------------------- tokenizer
# Quote marks and brackets news text glues to words: “نتحدث ... الحالي”. «حلب» (د ب أ)
OPEN_PUNCT = ["“", "«", "‹", "„", "‘", "(", "[", "{", '"', "'"]
CLOSE_PUNCT = ["”", "»", "›", "’", ")", "]", "}", '"', "'"]
ARABIC_PUNCT = ["،", "؛", "؟", "٪", "…", "۔"]
# A word character, as a regex class: \w and the Arabic block (letters, digits, tatweel, diacritics)
# without its punctuation (، ؛ ؟ and the ٪ ٫ ٬ ٭ marks), which ends a word like its Latin counterpart.
# The learned stance step's chunks and the synthetic name passages' validator read words by it.
WORD_CHARS = r"[\w\u0600-\u060b\u060d-\u061a\u061c-\u061e\u0620-\u0669\u066e-\u06d3\u06d5-\u06ff]"
_ALL_PUNCT = OPEN_PUNCT + CLOSE_PUNCT + ARABIC_PUNCT


def tokenizer_prefixes(defaults: list[str]) -> list[str]:
    return [re.escape(p) for p in _ALL_PUNCT] + list(defaults)


def tokenizer_suffixes(defaults: list[str]) -> list[str]:
    return [re.escape(p) for p in _ALL_PUNCT] + [r"\.", ":", "!", ","] + list(defaults)


def tokenizer_infixes(defaults: list[str]) -> list[str]:
    # Split quote marks, brackets and Arabic punctuation wherever they touch a word.
    marks = "".join(re.escape(p) for p in _ALL_PUNCT if p not in {"'"})
    return [rf"[{marks}]", r"(?<=[\u0600-\u06FF])[.:!,](?=[\u0600-\u06FF])", *list(defaults)]


# spaCy's URL pattern takes two Arabic words glued by a full stop (مدرسة.وأنه) for a domain name and
# keeps them one token, hiding a sentence end and a cue. A URL has no Arabic letter in it here.
def url_match(url_pattern: str) -> Callable[[str], re.Match[str] | None]:
    return re.compile(r"(?u)(?![^\s]*[\u0600-\u06FF])" + url_pattern).match


# ---------------------------------------------------------------------------- clitics
# Proclitics that attach to names in news text: conjunctions و ف, prepositions ب ل ك,
# and their combinations. The definite article is part of the name (الامم المتحدة).
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
