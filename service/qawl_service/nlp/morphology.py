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

The one place that says what the key of a word is (both rule engines, the entity grouping and the
story merge ask here; no component keeps a copy). A word-initial و/ف/ب/ل/ك is a clitic before the
article; without it, only when the rest is a plausible word — the lexicon says so
(:func:`lexical_core`: ووزير → وزير, while وزير، فريق، فرنسا keep their first letter) or the closed
word class the rule asks about does (:func:`member`: برحيل is ب + رحيل because رحيل is a departure
word). The keys, by what the rules compare:

- :func:`core` (``clitics=False``: the article alone, for mentions whose proclitic :func:`cut` took);
- :func:`key`: the core without a tanween alef or ta marbuta (the quote word classes' form);
- :func:`skeleton_key`: spelling-insensitive key of a title or name word (title linking of both
  engines, the stance target keys): lexical core, one nisba/ta marbuta ending off, the skeleton;
- :func:`name_key`: the skeleton of a name word's core (name containment; entity grouping with
  ``clitics=False``);
- :func:`preposition_glued` (لوزيرة، بالوزير: a ب/ل the word carries) and :func:`glued` (ب/ل before
  a known word).

The Doc carries them as token extensions, ``token._.proclitic`` and ``token._.core`` (registered in
components.py: this module imports no spaCy, so the API process can use it without loading spaCy).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache

from .arabic import PROCLITICS, normalize, skeleton, skip_letters
from .lexicon import WORD_CACHE_SIZE, Lexicon, default_lexicon
from .wordclasses import IBN, normalized

CONJUNCTIONS = ("و", "ف")

# ---------------------------------------------------------------------------- affixes, by name
# The rules test letters and affixes on normalized words; they name them here rather than spell them.
ARTICLE = "ال"
FUSED_LIL = "لل"  # ل + the article, its alef dropped: للامم = ل + الامم
ALEF = "ا"
WA, BA, LAM = "و", "ب", "ل"
CONJUNCTION_LETTERS = "وف"
LAM_BA = "لب"  # the prepositions glued to a noun phrase's first word (للصحفيين، بوزارة)
CLITIC_LETTERS = "وفبل"  # a conjunction or ب/ل
PROCLITIC_LETTERS = "وفبلك"
TWO_LETTER_CLITICS = ("ول", "وب", "فل", "فب")  # a conjunction + ب/ل
BA_TATWEEL, LAM_TATWEEL = "بـ", "لـ"  # ب/ل written apart with a tatweel: لـ X
DETACHED_PREPOSITIONS = (BA_TATWEEL, LAM_TATWEEL)
DETACHED_LAM = (LAM_TATWEEL, LAM)  # ل as a token of its own, with or without the tatweel
DETACHED_BA = (BA_TATWEEL, BA)
# Clitic + article forms that make a word definite (stance rules).
DEFINITE_PREFIXES = ("ال", "لل", "وال", "فال", "بال", "كال", "ولل")
IMPERFECT_PREFIXES = "يتن"  # the imperfect's person prefixes ي ت ن (أ normalizes to ا)
IMPERFECT_TA = "ت"  # the prefix a Form V/VI verbal noun shares (تجنب، تراجع)
FUTURE = "س"  # the future prefix before an imperfect (سيواصل)
VERB_CLITICS = ("", "و", "ف", "ل", "ول", "فل")  # what an imperfect may carry before its prefix
# Nisba adjective endings (السوري، السورية، السوريين) on a normalized word.
NISBA_SUFFIXES = ("ي", "يه", "يين")
# The object/possessive pronoun suffixes (his, her, their, their two, our).
PRONOUN_SUFFIXES = ("ها", "هم", "هما", "نا", "ه")
FEMININE_PRONOUN_ENDINGS = ("ها", "هي")  # فإنها، وهي
SOUND_PLURAL_OBLIQUE, SOUND_PLURAL_NOMINATIVE, NISBA_PLURAL = "ين", "ون", "يين"
TA_MARBUTA = "ه"  # normalized ة
YA = "ي"
ALEF_MADDA, ALEF_HAMZA_BELOW = "آ", "إ"  # as written, before normalizing
TA_MARBUTA_WRITTEN = "ة"
TANWEEN_FATH = (
    "\u064b"  # the accusative's -an, written on adverbs (صراحةً، مؤخراً) and objects, never a subject
)
DETACHED_LAM_BA = ("لـ", "ل", "بـ", "ب")
LAM_BA_CLITICS = ("ل", "ب")  # the proclitic ل or ب (a tuple: "" is not one)
LAM_BA_WA = "لبو"
WA_ARTICLE = "وال"
CONJ_ARTICLE_PREFIXES = ("وال", "فال", "ولل", "فلل")  # a conjunction + the article
TA, NUN = "ت", "ن"
FIRST_PERSON_SUFFIX = "نا"  # we, our, us: نجحنا، موقفنا، سيمنحنا
FUTURE_PREFIX = "س"  # سنكشف، سأبقى
FIRST_PERSON_PREFIXES = frozenset("نا")  # the imperfect's نـ (we) and أ (I, normalized ا)
FIRST_PERSON_POSSESSIVE = "تي"  # my, on a noun in ة (normalized ه): قضيتي، أولويتي، ابنتي
# Verb inflection (normalized), for generating a cue's surfaces: the perfect's endings -> feminine
# (3rd person), in the order the forms are generated.
PERFECT_ENDINGS = (("ت", True), ("وا", False), ("ا", False), ("تا", True))  # قالت، قالوا، قالا، قالتا
DEFECTIVE_ENDINGS = (("ت", True), ("تا", True), ("وا", False))  # دعا -> دعت، دعتا، دعوا
DEFECTIVE_FINALS = "اي"  # دعا، نفى: the final weak letter a perfect ending replaces
WEAK_FINALS = "وي"  # يدعو، ينفي: the final weak letter a plural ending replaces
THIRD_PERSON_PREFIXES = "يت"  # the imperfect of he/she (يقول، تقول)
DUAL_IMPERFECT = "ان"
# The masculine plural verb endings: ون (imperfect indicative), وا (subjunctive, and the perfect),
# in the order a cue's surfaces are generated.
PLURAL_SUFFIXES = ("ون", "وا")
# a plural cue: a perfect or imperfect plural, or a participle's oblique plural (قالوا، يطالبون، معتبرين)
PLURAL_CUE_ENDINGS = (*PLURAL_SUFFIXES, SOUND_PLURAL_OBLIQUE)
IMPERFECT_SUFFIXES = (*PLURAL_SUFFIXES, DUAL_IMPERFECT)
VERBAL_PREFIXES = "يتنم"  # an imperfect's prefixes and the participle's م
# The feminine relative pronouns (التي، اللتان، اللاتي، اللواتي) by their opening letters.
FEMININE_RELATIVE_PREFIXES = ("الت", "اللت", "اللا", "اللو")
# Endings of definite adjectives that are no nisba: elatives (العليا، الكبرى), sound plurals (الآخرين).
ADJECTIVE_ENDINGS = ("ي", "ا", "ين", "ون")  # normalized: ى is ي
POSSESSIVE_SUFFIXES = ("ه", "ها", "هم", "هما", "هن")  # قوله، قولها، قولهم، قولهما، قولهن
FUTURE_WE = "سن"  # future س + first person plural ن (سنعمل)
DUAL_FEMININE = "تا"  # the perfect's feminine dual (دعتا)
ALEF_OR_TA = ("ا", "ه")  # a final tanween alef or ta marbuta, for endswith
# The article with the clitics a verb never takes (a word so prefixed is a noun).
NOUN_PREFIXES = ("ال", "وال", "بال", "لل")
IMPERFECT_TA_NUN = "تن"  # the imperfect's ت and ن (a verb that cannot be a noun starting with ي)
LAM_BA_FA = "لبف"
BA_KAF = "بك"
MIM = "م"  # the participle prefix (المعتمد، المتحدة)
FEMININE_PLURAL = "ات"
NISBA_ENDINGS = ("ي", "يه", "يين", "يون")
# Endings a stance key drops, longest first: nisba, ta marbuta, tanween alef.
KEY_SUFFIXES = ("يين", "يون", "يه", "ي", "ه", "ا")
THIRD_PERSON_SUFFIXES = ("ه", "ها", "هم")  # his, her, their


def has_article(n: str) -> bool:
    """The normalized word starts with the article (الوزير)."""
    return n.startswith(ARTICLE)


def has_fused_lil(n: str) -> bool:
    """The normalized word starts with ل fused with the article (للامم)."""
    return n.startswith(FUSED_LIL)


def is_definite_form(n: str) -> bool:
    """The article, bare or fused with ل: الامم, للامم."""
    return n.startswith((ARTICLE, FUSED_LIL))


def article_after_clitic(n: str) -> bool:
    """One proclitic letter then the article: والوزير, بالمنطقه, لالامم (not للامم)."""
    return n[1:3] == ARTICLE


def is_nisba(n: str) -> bool:
    """Ends like a nisba adjective (الاميركي, السعوديه, الروسيين)."""
    return n.endswith(NISBA_SUFFIXES)


def article_form(surface: str) -> str:
    """The article form of a name written with a fused لل: لليونان → اليونان (other words unchanged)."""
    n = normalize(surface)
    return ALEF + surface[1:] if n.startswith(FUSED_LIL) and len(n) > 3 else surface


# ف (alone or with a preposition) is cut only before a known name and when the whole word is never
# seen in running text: ف before a name is rare in news (فقال, فإن are verbs and particles), and
# فلاي (دبي) would otherwise be ف + the name لاي.
_ONLY_BEFORE_NAMES = frozenset({"ف", "فب", "فل", "فك"})
# Article forms at the start of a core: with a preposition and/or conjunction, and the fused لل.
ARTICLE_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")


def without_clitic(word: str, clitic: str) -> str:
    """The normalized ``word`` without its ``clitic``, in the form to look up: لل is ل + ال with
    the article's alef dropped, so للامم gives الامم."""
    rest = word[len(clitic) :]
    return ALEF + rest if clitic.endswith(LAM) and rest.startswith(LAM) else rest


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
    if clitic.endswith(LAM) and normalize(surface)[len(clitic) : len(clitic) + 1] == LAM:
        clitic = clitic[:-1]  # ل + ال fused: the mention keeps لل
    if not clitic:
        return 0
    offset = skip_letters(surface, len(clitic))
    return offset if offset < len(surface) else 0


def _before_head(n: str) -> str:
    """The clitic before a name's head noun, an organization's or an event's (لوكالة، بوزارة،
    وبالهيئة، لبطولة → وكالة، وزارة، الهيئة، بطولة): a head noun never starts a name with a clitic
    glued on, however common the glued form is in running text (لوكالة outnumbers وكالة in the ANT
    counts, so the count rule keeps it whole)."""
    heads = _name_heads()
    for clitic in sorted(PROCLITICS, key=len, reverse=True):
        if n.startswith(clitic):
            rest = n[len(clitic) :]
            if rest in heads or (has_article(rest) and rest[2:] in heads):
                return clitic
    return ""


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    return normalized("org_heads") | normalized("event_heads")


_WORD_PREFIXES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")


def cut_word(surface: str, known: Callable[[str], object] = lambda rest: False) -> int:
    """Code points to drop at the start of the first word of a common-noun phrase (a stance target):
    the clitic goes when the rest takes the article (بالقصف → القصف), is a word the caller knows
    (``known``: بتصنيف → تصنيف), or, for و/ف, is clearly commoner in running text (وحزب → حزب, while
    وقف، وجود، وكالات stay whole). A fused لل and a lone بـ/لـ stay."""
    n = normalize(surface)
    if has_fused_lil(n) or len(n) < 2 or surface in DETACHED_PREPOSITIONS:
        return 0
    for pre in _WORD_PREFIXES:
        if n.startswith(pre) and len(n) - len(pre) >= 3:
            rest = n[len(pre) :]
            if has_article(rest) or (len(pre) == 1 and known(rest)):
                return skip_letters(surface, len(pre))
    if n[:1] in CONJUNCTIONS and len(n) >= 4:
        counts = default_lexicon().counts
        rest_count, whole_count = counts.get(n[1:], 0), counts.get(n, 0)
        if rest_count >= 5 and rest_count > 2 * whole_count:
            return skip_letters(surface, 1)
    return 0


# ---------------------------------------------------------------------------- cores and keys
# Every rule that compares words compares one of these. A word-initial و/ف/ب/ل/ك followed by the
# article is always a clitic (والوزير); without the article it is a clitic only when the rest is a
# plausible word, which the lexicon (:func:`lexical_core`) or a closed word class (:func:`member`)
# decides: وزير، فريق، وسط، بيان keep their first letter, ووزير، وعدم، لوزير lose it.
_ARTICLE_ONLY = (FUSED_LIL, ARTICLE)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def core(word: str, *, clitics: bool = True) -> str:
    """Normalized ``word`` without a conjunction/preposition + article: والوزير → وزير, للامم → امم,
    بالمنطقة → منطقه. A bare proclitic without the article is left (it may be the word's own letter:
    use :func:`lexical_core` or :func:`member` to decide). ``clitics=False``: the article alone (bare
    or fused لل), for a mention whose proclitic :func:`cut` already took (وزارة الخارجية والتعاون keeps
    its inner و)."""
    n = normalize(word)
    for p in ARTICLE_PREFIXES if clitics else _ARTICLE_ONLY:
        if n.startswith(p) and len(n) - len(p) >= 2:
            return n[len(p) :]
    return n


@lru_cache(maxsize=WORD_CACHE_SIZE)
def lexical_core(word: str) -> str:
    """:func:`core`, a bare proclitic cut too when :func:`proclitic` says it is one (the rest a
    plausible word in the lexicon): ووزير → وزير, وعدم → عدم, while وزير، فريق، وسط stay whole."""
    n = normalize(word)
    clitic = proclitic(n)
    return core(without_clitic(n, clitic)) if clitic else core(n)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def key(word: str) -> str:
    """:func:`core` without a final tanween alef or ta marbuta (مسؤولا ~ المسؤول): how the quote
    rules' word classes are stored and compared."""
    c = core(word)
    if len(c) > 3 and c.endswith(ALEF_OR_TA):
        c = c[:-1]
    return c


@lru_cache(maxsize=WORD_CACHE_SIZE)
def skeleton_key(word: str) -> str:
    """Spelling-insensitive key of a title or name word (title linking, requested targets): the
    :func:`lexical_core`, one nisba / ta marbuta / tanween ending off (السعودية ~ السعودي, الروسيين ~
    روسيا), then the :func:`~qawl_service.nlp.arabic.skeleton` (الاميركي ~ الامريكي). وزير and الوزير
    give the same key."""
    c = lexical_core(word)
    for suffix in KEY_SUFFIXES:
        if c.endswith(suffix) and len(c) - len(suffix) >= 3:
            c = c[: -len(suffix)]
            break
    return skeleton(c) if len(c) > 2 else c


@lru_cache(maxsize=WORD_CACHE_SIZE)
def name_key(word: str, *, clitics: bool = True) -> str:
    """Spelling-insensitive key of one word of a name, for containment (الجلال ~ وليد الجلال):
    the skeleton of its :func:`core` (``clitics=False``: of the article-less word only)."""
    return skeleton(core(word, clitics=clitics))


def clitic_forms(n: str) -> tuple[str, ...]:
    """The normalized word ``n`` and, when it may carry one, it without a glued و/ف/ب/ل (one letter,
    the rest 3 letters or more) or two such letters (وب، ول، فب، فل): the readings a word-class test
    tries (:func:`member`). Which reading is right is the class's to say, not this function's."""
    out = [n]
    if len(n) > 3 and n[0] in CLITIC_LETTERS:
        out.append(n[1:])
    if len(n) > 4 and n[:2] in TWO_LETTER_CLITICS:
        out.append(n[2:])
    return tuple(out)


def member(n: str, words: Collection[str], form: Callable[[str], str] = core) -> bool:
    """Is the normalized word ``n`` in the word class ``words`` (stored as ``form`` gives them: the
    :func:`core` unless told), itself or without a glued clitic (:func:`clitic_forms`)? The class is
    the plausibility test of the cut: وزير is a title, not و + زير, unless زير were one."""
    return bool(n) and any(form(w) in words for w in clitic_forms(n))


def preposition_glued(n: str) -> bool:
    """The normalized word starts with the preposition ب/ل glued on: بالوزير، للوزيرة, or a bare one
    the lexicon cuts (لوزيرة → ل + وزيرة, while لواء stays whole)."""
    if n[:1] not in LAM_BA_CLITICS:
        return False
    return article_after_clitic(n) or has_fused_lil(n) or proclitic(n)[:1] in LAM_BA_CLITICS


def glued(n: str, letter: str) -> bool:
    """Is the normalized ``n`` the preposition ``letter`` (ب/ل) glued to a known word (بمشاركة، بأداء،
    بشكل), not a word or a name of its own (بشار، بامخرمة، بن)?"""
    if not n.startswith(letter) or len(n) <= 3 or n == IBN:
        return False
    lex = default_lexicon()
    if n in lex.names:
        return False
    rest = n[1:]
    return has_article(rest) or lex.counts.get(rest, 0) >= 3


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
    if (has_article(w) or has_fused_lil(w)) and len(w) >= 5:
        w = w[2:]
    return w
