"""One morphology for every component: proclitics, the article, the core of a word.

Arabic news glues conjunctions (و ف) and prepositions (ب ل ك) to the next word, and ل + the article
fuse into لل (للامم = ل + الامم). Every component asks here, never on its own:

- :func:`proclitic` decides whether a word carries a proclitic, with the shipped lexicon (وكيري → و,
  while وليد، فرنسا، لبنان stay whole);
- :func:`cut` gives the code points to drop from a name in the original text: a fused لل is kept
  whole, since it has no bare substring (ولليونان → لليونان; the guideline's reading); :func:`cut_word`
  the same for the first word of a common-noun phrase (بتصنيف → تصنيف, وجود stays whole);
- :func:`core` is the normalized word without proclitic and article (والوزير → وزير, للامم → امم),
  for comparing words; :func:`feature_stem` and :func:`feature_proclitic` the trained model's LOWER
  and SHAPE inputs, kept as the model was trained (they change with a retrained model only).

The Doc carries them as token extensions, ``token._.proclitic`` and ``token._.core`` (registered in
components.py: this module imports no spaCy, so the API process can use it without loading spaCy).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .arabic import PROCLITICS, normalize, skip_letters
from .lexicon import WORD_CACHE_SIZE, Lexicon, default_lexicon
from .wordclasses import normalized

CONJUNCTIONS = ("و", "ف")
# ف (alone or with a preposition) is cut only before a known name and when the whole word is never
# seen in running text: ف before a name is rare in news (فقال, فإن are verbs and particles), and
# فلاي (دبي) would otherwise be ف + the name لاي.
_ONLY_BEFORE_NAMES = frozenset({"ف", "فب", "فل", "فك"})
# Article forms at the start of a core: with a preposition and/or conjunction, and the fused لل.
_ARTICLE_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")


def without_clitic(word: str, clitic: str) -> str:
    """The normalized ``word`` without its ``clitic``, in the form to look up: لل is ل + ال with
    the article's alef dropped, so للامم gives الامم."""
    rest = word[len(clitic) :]
    return "ا" + rest if clitic.endswith("ل") and rest.startswith("ل") else rest


def proclitic(word: str, lexicon: Lexicon | None = None) -> str:
    """The proclitic (normalized) attached to ``word``, or "" when the word is whole.

    A known name stays whole (وليد, بان, باول). Otherwise the shortest clitic leaving a known
    name wins (وكيري → و + كيري, not وك + يري) unless the whole word is commoner in running text
    (وجود); failing that, a clitic is cut only when the remainder is clearly better attested in
    running text than the whole form (بشركة → ب + شركة).
    """
    return _clitic(normalize(word), lexicon if lexicon is not None else default_lexicon(), trained=False)


def _clitic(w: str, lex: Lexicon, *, trained: bool) -> str:
    """The clitic search of :func:`proclitic`; ``trained``: as the model's SHAPE feature saw it
    (:func:`feature_proclitic`: a name after the clitic always wins, no ف rule)."""
    if w in lex.names:
        return ""
    best, best_count = "", 3 * lex.counts.get(w, 0) + 2
    for clitic in sorted(PROCLITICS, key=len):
        if not w.startswith(clitic) or len(w) - len(clitic) < 2:
            continue
        probe = without_clitic(w, clitic)
        if clitic in _ONLY_BEFORE_NAMES and not trained:
            if probe in lex.names and not lex.counts.get(w):
                return clitic
            continue
        if probe in lex.names and (trained or lex.counts.get(probe, 0) >= lex.counts.get(w, 0)):
            return clitic  # a name after it, unless the whole word is the commoner (وجود, not و + جود)
        count = lex.counts.get(probe, 0)
        if count >= best_count:
            best, best_count = clitic, count
    return best


def cut(surface: str, lexicon: Lexicon | None = None) -> int:
    """Code points to drop at the start of ``surface`` for its proclitic (0 if none).

    Counted on the original string: diacritics or tatweel attached to the clitic letters (وَكيري)
    go with them. The ل of a fused لل stays: لليونان is kept whole, ولليونان loses its و.
    """
    clitic = _before_head(normalize(surface)) or proclitic(surface, lexicon)
    if clitic.endswith("ل") and normalize(surface)[len(clitic) : len(clitic) + 1] == "ل":
        clitic = clitic[:-1]  # ل + ال fused: the mention keeps لل
    if not clitic:
        return 0
    offset = skip_letters(surface, len(clitic))
    return offset if offset < len(surface) else 0


def _before_head(n: str) -> str:
    """The clitic before an organization head (لوكالة، بوزارة، وبالهيئة → وكالة، وزارة، الهيئة): a
    head noun never starts a name with a clitic glued on, however common the glued form is in running
    text (لوكالة outnumbers وكالة in the ANT counts, so the count rule keeps it whole)."""
    for clitic in sorted(PROCLITICS, key=len, reverse=True):
        if n.startswith(clitic):
            rest = n[len(clitic) :]
            if rest in _org_heads() or (rest.startswith("ال") and rest[2:] in _org_heads()):
                return clitic
    return ""


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    return normalized("org_heads")


_WORD_PREFIXES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def cut_word(surface: str, known: Callable[[str], object] = lambda rest: False) -> int:
    """Code points to drop at the start of the first word of a common-noun phrase (a stance target):
    the clitic goes when the rest takes the article (بالقصف → القصف), is a word the caller knows
    (``known``: بتصنيف → تصنيف), or, for و/ف, is clearly commoner in running text (وحزب → حزب, while
    وقف، وجود، وكالات stay whole). A fused لل and a lone بـ/لـ stay."""
    n = normalize(surface)
    if n.startswith("لل") or len(n) < 2 or surface in ("بـ", "لـ"):
        return 0
    for pre in _WORD_PREFIXES:
        if n.startswith(pre) and len(n) - len(pre) >= 3:
            rest = n[len(pre) :]
            if rest.startswith("ال") or (len(pre) == 1 and known(rest)):
                return skip_letters(surface, len(pre))
    if n[:1] in CONJUNCTIONS and len(n) >= 4:
        counts = default_lexicon().counts
        rest_count, whole_count = counts.get(n[1:], 0), counts.get(n, 0)
        if rest_count >= 5 and rest_count > 2 * whole_count:
            return skip_letters(surface, 1)
    return 0


@lru_cache(maxsize=WORD_CACHE_SIZE)
def core(word: str) -> str:
    """Normalized ``word`` without a conjunction/preposition + article: والوزير → وزير, للامم → امم,
    بالمنطقة → منطقه. A bare proclitic without the article is left (it may be the word's own letter)."""
    n = normalize(word)
    for p in _ARTICLE_PREFIXES:
        if n.startswith(p) and len(n) - len(p) >= 2:
            return n[len(p) :]
    return n


def feature_proclitic(word: str, lexicon: Lexicon) -> str:
    """The proclitic as the trained model's SHAPE feature saw it (the name rule without the count
    veto and without the ف rule of :func:`proclitic`): changes only with a retrained model."""
    return _clitic(normalize(word), lexicon, trained=True)


def feature_stem(orth: str) -> str:
    """The model's LOWER feature as it was trained: the first clitic letters and then the article cut.

    It differs from :func:`core` on لل (للامم → لامم): changing it changes the model's input, so it
    changes only with a retrained model.
    """
    w = normalize(orth)
    for clitic in PROCLITICS:
        if w.startswith(clitic) and len(w) - len(clitic) >= 3:
            w = w[len(clitic) :]
            break
    if (w.startswith("ال") and len(w) >= 5) or (w.startswith("ل") and w[1:2] == "ل" and len(w) >= 5):
        w = w[2:]
    return w
