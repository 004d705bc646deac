"""The quote component's units: word classes, keys, the document's tokens, paragraphs, quote-mark
pairs and entity mentions (``_Text``); the records the extractor builds (``_Spk``, ``_Found``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate

from qawl.types import Entity, QuoteKind, Resolution, Speaker

from . import wordclasses
from .arabic import normalize
from .doctext import char_mention, mention_tokens
from .lexicon import WORD_CACHE_SIZE
from .morphology import (
    ARTICLE,
    BA,
    BA_TATWEEL,
    CLITIC_LETTERS,
    DETACHED_PREPOSITIONS,
    LAM_TATWEEL,
    article_after_clitic,
    has_fused_lil,
    key,
    member,
    name_key,
)
from .phrases import COMMAS, TokenView
from .segment import Segmentation


# ============================================================================ word lists
# Keys come from morphology (``key``: the quote word classes' form; ``skeleton_key``: title linking;
# ``name_key``: name containment); a class member may carry a glued clitic (``member``).
@lru_cache(maxsize=WORD_CACHE_SIZE)
def _normalize_word(word: str) -> str:
    return normalize(word)


def _keys(norms: Iterable[str]) -> frozenset[str]:
    return frozenset(key(n) for n in norms)


# A word's membership is asked of the same few classes many times per document (every title, head and
# name test): kept per (word, class); the classes are module frozensets, hashed once.
@lru_cache(maxsize=WORD_CACHE_SIZE)
def _key_member(n: str, words: frozenset[str]) -> bool:
    """Is the normalized word ``n`` (or it without a glued و/ف/ب/ل/ك or two such letters) in the
    word class ``words`` (``key`` forms)?"""
    return member(n, words, key)


@lru_cache(maxsize=65536)
def _name_keys(name: str) -> tuple[str, ...]:
    """The name's word keys (``name_key``), for containment: الجلال ~ وليد الجلال."""
    return tuple(name_key(w) for w in name.split())


PERSON_TITLES = _keys(wordclasses.normalized("person_titles", "person_nouns"))
# Honorific pronouns stand for the dignitary the article is about: وشدد سموه، وأكد معاليه.
HONORIFIC_PRONOUNS = wordclasses.normalized("honorific_pronouns")
HONORIFIC_NOUNS = wordclasses.normalized("honorific_nouns")
QUANTIFIERS = wordclasses.normalized("partitives")
PERFECT_PARTICLES = wordclasses.normalized("quotes_perfect_particles")  # وكانت الخارجية قد ذكرت
HAMZA_COMPLEMENTIZERS = wordclasses.words("quotes_hamza_complementizers")  # as written
BARE_ALEF_COMPLEMENTIZERS = wordclasses.words("quotes_bare_alef_complementizers")
CONDITIONAL_INNA = wordclasses.normalized("quotes_conditional_inna")  # إن كان، إن لم
ISSUED = wordclasses.normalized("quotes_issued")  # بيان صادر عن X
PUBLISH_STEMS = tuple(sorted(wordclasses.normalized("quotes_publish_stems")))  # تقرير أصدرته X
FEMININE_SPEECH_PREP_PRONOUNS = wordclasses.normalized("quotes_feminine_speech_prep_pronouns")  # نقل عنها
NAMED_VERBS = frozenset(wordclasses.words("quotes_named_verbs"))  # as written: أحد المغردين يدعى احمد
TITLE_MODIFIERS = _keys(wordclasses.normalized("quotes_title_modifiers"))
HONORIFICS = _keys(wordclasses.normalized("name_titles"))
ORG_HEADS = _keys(wordclasses.normalized("org_heads"))
DOC_NOUNS = _keys(wordclasses.normalized("quotes_doc_nouns"))
DOC_WRAPPERS = _keys(wordclasses.normalized("quotes_doc_wrappers"))  # نص البلاغ
TOTALS = wordclasses.normalized("quotes_totals")  # جميع التونسيين
NEGATIONS = wordclasses.normalized("quotes_negations")  # مصدر أمني لم تكشف الوكالة عن هويته
OBJECT_NOUNS = wordclasses.normalized("quotes_object_nouns")  # أهمية الشراكة، عدم تلقي
GROUP_PLURALS = wordclasses.normalized("quotes_group_plurals")  # العمال، عدد من
NAMING_NOUNS = _keys(wordclasses.normalized("quotes_naming_nouns"))
SLOGAN_NOUNS = _keys(wordclasses.normalized("quotes_slogan_nouns"))  # رفعوا شعار "..."
TITLE_OPENERS = _keys(wordclasses.normalized("quotes_title_openers"))  # تحت عنوان "..."
EVENT_NOUNS = _keys(wordclasses.normalized("quotes_event_nouns"))  # ندوة حول "..."
TERM_HEADS = _keys(wordclasses.normalized("quotes_term_heads"))  # مخدر "الزطلة"، صنف "أ"
CHARGE_NOUNS = _keys(wordclasses.normalized("quotes_charge_nouns"))  # قضية موضوعها "..."
PREPOSITIONS = wordclasses.normalized("quotes_prepositions")
# an adjunct between a cue's subject and its noun-phrase complement: أكدت الوزارة في بيان لها X
ADJUNCT_PREPS = wordclasses.normalized("quotes_adjunct_preps")
RELATIVE_PRONOUNS = wordclasses.normalized("quotes_relative_pronouns")  # وفق ما أكده X
IRREALIS = wordclasses.normalized("quotes_irrealis_particles")  # أن تشير، لم يعترف، ربما تعلن
FIXED_PPS = wordclasses.normalized("quotes_fixed_pps")  # عن طريق، على هامش
FIRST_PERSON = wordclasses.normalized("quotes_first_person")  # نحن، لدينا
FIRST_PERSON_NOT = wordclasses.normalized("quotes_first_person_not")  # هنا، أحيانا
FIRST_PERSON_NEGATIONS = wordclasses.normalized("quotes_first_person_negations")  # لن أغادر
FIRST_PERSON_PREDICATES = wordclasses.normalized("quotes_first_person_predicates")  # جاهزون، مستعدون
HEADLINE_LABELS = wordclasses.normalized("quotes_headline_labels")  # شاهد: ...، عاجل: ...
HEADLINE_TOPICS = tuple(  # الرابطة الأولى: ...، الترجي الجرجيسي: ...
    tuple(normalize(w) for w in p) for p in wordclasses.phrases("quotes_headline_topics")
)
SAME_BEFORE = wordclasses.normalized("quotes_same_before")  # ذات المصدر
SAME_AFTER = wordclasses.normalized("quotes_same_after")  # المصدر ذاته
_FA_INNA = wordclasses.normalized("quotes_fa_inna")
# مدير الحملة في لبنان X، المشرف على الكرة X، المتحدث باسم المتضررين من ... X
_TITLE_LINKS = wordclasses.normalized("quotes_title_links")
ALI_NAME = "علي"  # the name as written (the preposition على normalizes to it)
# nouns of a phrase of the preposition على that the NER may read as a name after it (على لسان، على هامش)
ALI_PHRASE_NOUNS = FIXED_PPS | wordclasses.normalized("quotes_ali_phrase_nouns")
_COMPLEMENT_PREPS = wordclasses.normalized("quotes_complement_preps")  # أشار إلى أن، أكد على أن، حذر من أن
TOPIC_SHIFTERS = wordclasses.normalized("quotes_topic_shifters")  # من جهته، من جانبه
CLAUSE_SHIFTERS = wordclasses.normalized("quotes_clause_shifters")
# Requests and agreements (دعا أن، طالب بأن، وافق على أن) report no statement: quotes and colons only.
REQUEST_CATEGORIES = frozenset({"directive", "stance_favor", "commissive"})
CONTRASTS = wordclasses.normalized("quotes_contrasts")  # ... لكن دريك قال، في حين تصر روسيا
CONJUNCTIONS = wordclasses.normalized("quotes_conjunctions")
PRONOUN_PPS = wordclasses.normalized("quotes_pronoun_pps")
OWNER_PRONOUNS = wordclasses.normalized("quotes_owner_pronouns")  # بيان لها
FEMININE_TITLES = wordclasses.normalized("quotes_feminine_titles")  # النائبة صابرين القوبنطيني
TIME_WORDS = wordclasses.normalized("quotes_time_words")
RELATIVES = wordclasses.normalized("relatives")
DEMONSTRATIVES = wordclasses.normalized("demonstratives")
EMPHATICS = wordclasses.normalized("emphatic_pronouns")  # المصدر ذاته، الرئيس نفسه
COMPLEMENTIZERS = wordclasses.normalized("complementizers")
BARE_COMPLEMENTIZERS = wordclasses.normalized("quotes_bare_complementizers")
# "X ... أن" where أن belongs to X, not to the cue: modal and prepositional governors.
GOVERNORS = wordclasses.normalized("quotes_governors")
# A clause with its own (pronoun) subject: فإنها دعت، وهو يشير.
PRONOUN_SUBJECTS = wordclasses.normalized("pronoun_subjects")
CHAIN_NOUNS = wordclasses.normalized("quotes_chain_nouns")
SPEECH_PREP_PRONOUNS = wordclasses.normalized("quotes_speech_prep_pronouns")
SUBJUNCTIVE_EXCEPTIONS = wordclasses.normalized("quotes_subjunctive_exceptions")
STATEMENT_VERBS = wordclasses.normalized("quotes_statement_verbs")
CLAUSE_OPENERS = wordclasses.normalized("quotes_clause_openers")
POSTPOSED_PARTICLES = wordclasses.normalized("quotes_postposed_particles")  # ...، كما قال X
COORDINATED_COMPLEMENTIZERS = wordclasses.normalized("quotes_coordinated_complementizers")  # ...، وأنه
LIST_ANNOUNCERS = wordclasses.normalized("quotes_list_announcers")  # على النحو التالي :
COPULAS = wordclasses.normalized("quotes_copulas")
CASE_NOUNS = wordclasses.normalized("quotes_case_nouns")  # تعهدت الفرقة بالبحث في القضية: took the case
CASE_ACTS = wordclasses.normalized("quotes_case_acts")
BARE_SOURCE_NOUNS = _keys(wordclasses.normalized("quotes_bare_source_nouns"))
SOURCE_HEADS = _keys(wordclasses.normalized("quotes_source_heads"))
CHANNEL_NOUNS = wordclasses.normalized("quotes_channel_nouns")
ADVERB_PARTICIPLES = wordclasses.normalized("quotes_adverb_participles")  # مجددا: again
# what an attribution may name as its source besides a document (حسب المعطيات الأولية، بحسب روايات شهود)
ATTRIBUTION_NOUNS = _keys(wordclasses.normalized("quotes_attribution_nouns"))
TELLING_NOUNS = _keys(wordclasses.normalized("quotes_telling_nouns"))  # رواية X: X tells it
GUEST_NOUNS = wordclasses.normalized("quotes_guest_nouns")  # ضيف بوليتيكا: the subject's apposition
SIDE_NOUNS = wordclasses.normalized("quotes_side_nouns")  # من جهة أخرى، من ناحية ثانية
CLAUSE_PARTICIPLES = wordclasses.normalized("quotes_clause_participles")  # مشيرا إلى X inside a clause
OUR_SOURCES = wordclasses.normalized("quotes_our_sources")  # مصدرنا: the outlet's own source

_OPENERS = {"“": "c", "„": "c", "«": "g", '"': "s"}
_CLOSERS = {"”": "c", "»": "g", '"': "s"}
_MARKS = frozenset('“”„«»"')
_COMMAS = COMMAS
_DASHES = frozenset({"-", "–", "—"})
_PAREN_CLOSE: dict[str, frozenset[str]] = {"(": frozenset({")"}), **{d: _DASHES for d in _DASHES}}
_BOUNDARY = frozenset({".", "!", "؟", "?", "…", "؛", ";", ":"})
_SEMICOLONS = frozenset({"؛", ";"})
_BULLETS = frozenset({"-", "ـ", "*", "•", "–"})  # list items: ... ومن أهمها : -عدم الإشارة ...
_FRAGMENT_PREPS = (BA_TATWEEL, BA, LAM_TATWEEL)  # a preposition token before a quoted fragment (بـ“...”)
_NAME_EDGES = "،,:.()- "  # punctuation stripped off a display name's ends
# A quote mark with one of these (or a space) before it is free on its left, after it on its right.
_FREE_BEFORE = "(:[،,؛"
_FREE_AFTER = ".,،؛:)]!؟?"

_WORD = r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c\u200d]"
_TOKEN_RE = re.compile(rf"\d+(?:[.,٫]\d+)+|{_WORD}+|\.{{2,}}|\S")
_MAX_WINDOW = 32  # tokens a complement may follow its cue
_MAX_NP = 16  # tokens of a speaker phrase
_MAX_LOOKBACK = 3000  # tokens searched back for an antecedent
_MAX_AGENTS = 200  # earlier speakers considered for a reference
_MAX_CANDIDATES = 40  # earlier occurrences of a head noun tried as antecedents


# ============================================================================ text units
@dataclass
class _Pair:
    """A quoted span: opening mark token, closing mark token (None when implicit), content chars."""

    open: int
    close: int | None
    end_tok: int  # exclusive end of the content tokens (the closing mark's index when closed)
    start: int  # content start char
    end: int  # content end char
    n_words: int
    name: bool = False  # marks around a name, title or hashtag
    used: bool = False

    @property
    def after(self) -> int:
        """First token after the quoted span (after its closing mark when there is one)."""
        return self.close + 1 if self.close is not None else self.end_tok


@dataclass
class _Spk:
    name: str
    entity_id: str | None
    mention: tuple[int, int] | None  # char span in the quote's sentence
    resolution: Resolution
    person: bool  # a person (PER entity or a person title)
    keys: frozenset[str] = frozenset()  # title words around the speaker (for titles later on)
    feminine: bool = False
    heads: frozenset[str] = frozenset()  # head titles of those words (وزير in وزير الخارجية الاميركي)

    def as_resolution(self, resolution: Resolution, mention: tuple[int, int] | None) -> _Spk:
        return _Spk(
            self.name, self.entity_id, mention, resolution, self.person, self.keys, self.feminine, self.heads
        )

    def to_speaker(self, text: str) -> Speaker:
        mention = char_mention(text, self.mention)
        return Speaker(name=self.name, entity_id=self.entity_id, mention=mention, resolution=self.resolution)


@dataclass
class _Found:
    kind: QuoteKind
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: _Spk | None
    score: float
    order: int = 0
    # rules | learned (a learned start the rules missed) | both (a learned start over a rules' quote)
    origin: str = "rules"


def _clean_name(text: str) -> str:
    """A display name from a phrase: no quote marks, no glued preposition (للمرصد -> المرصد)."""
    name = " ".join(text.replace("\n", " ").split())
    name = name.strip("".join(_MARKS) + _NAME_EDGES)
    name = "".join(ch for ch in name if ch not in _MARKS)
    if not name:
        return text.strip()
    first, _, rest = name.partition(" ")
    n = normalize(first)
    if has_fused_lil(n) and len(n) > 3:
        first = ARTICLE + first[2:]
    elif len(n) > 3 and n[0] in CLITIC_LETTERS and article_after_clitic(n):
        first = first[1:]
    elif first in DETACHED_PREPOSITIONS:
        first = ""
    return (first + " " + rest).strip() if rest else first


class _Text(TokenView):
    """Tokens, paragraphs, sentences, quote-mark pairs and entity mentions of one document."""

    def __init__(self, text: str, entities: list[Entity], seg: Segmentation) -> None:
        self.text = text
        limit = seg.limit
        matches = list(_TOKEN_RE.finditer(text, 0, limit))
        starts = [m.start() for m in matches]
        ends = [m.end() for m in matches]
        words = [m.group() for m in matches]
        self.n = n = len(words)
        # A new paragraph starts at each token with a newline between it and the previous token
        # (tokens hold no whitespace): found from the few newlines, not by slicing every gap.
        breaks = [0] * n
        nl = text.find("\n", 0, limit)
        while nl >= 0:
            k = bisect.bisect_left(starts, nl)
            if 0 < k < n:
                breaks[k] = 1
            nl = text.find("\n", nl + 1, limit)
        para = list(accumulate(breaks))
        self.starts, self.ends, self.words, self.para = starts, ends, words, para
        self.norms = [_normalize_word(w) for w in words]
        self.sent = seg.sentences_of(starts)
        self.sent_bounds = self._bounds(self.sent)
        self.para_bounds = self._bounds(self.para)
        self.pairs: list[_Pair] = []
        self.pair_at_open: dict[int, _Pair] = {}
        self.pair_at_close: dict[int, _Pair] = {}  # a closed pair by its closing mark
        self.paired: set[int] = set()  # mark tokens that open or close a pair (the others are stray)
        self.in_pair: list[int] = [-1] * self.n  # index into pairs of the pair holding a token
        self._pair_marks()
        self.entities = [e for e in entities if self._valid_entity(e)]
        self.ent_at: list[int] = [-1] * self.n  # entity index per token
        self.ment_at: list[tuple[int, int] | None] = [None] * self.n  # mention token span per token
        self.ment_char: list[int] = [-1] * self.n  # mention start char per token
        self.person_ent = [self._is_person_entity(e) for e in self.entities]
        self._redirect_partial_names()
        self._map_entities()

    # -- units ---------------------------------------------------------------------------
    def glued(self, i: int) -> bool:
        """No whitespace between token i-1 and token i."""
        return 0 < i < self.n and self.starts[i] == self.ends[i - 1]

    @staticmethod
    def _bounds(ids: list[int]) -> dict[int, tuple[int, int]]:
        """(first token, end) of each id; ``ids`` (sentence or paragraph numbers) never decrease."""
        return {s: (bisect.bisect_left(ids, s), bisect.bisect_right(ids, s)) for s in dict.fromkeys(ids)}

    def sentence_span(self, i: int) -> tuple[int, int]:
        return self.sent_bounds[self.sent[i]]

    def para_end(self, i: int) -> int:
        return self.para_bounds[self.para[i]][1]

    # -- quote marks ---------------------------------------------------------------------
    def _direction(self, i: int, open_fams: list[str]) -> tuple[str, str] | None:
        """('open'|'close', family) of the mark at token i, from its neighbours and what is open."""
        w = self.words[i]
        text = self.text
        before = text[self.starts[i] - 1] if self.starts[i] > 0 else " "
        after = text[self.ends[i]] if self.ends[i] < len(text) else " "
        left_free = before.isspace() or before in _FREE_BEFORE
        right_free = after.isspace() or after in _FREE_AFTER
        if w in ("«", "„"):
            return "open", _OPENERS[w]
        if w == "»":
            return "close", "g"
        if w == "“":
            if "c" in open_fams and not left_free and right_free:
                return "close", "c"  # reversed marks: ...الحالي“
            return "open", "c"
        if w == "”":
            if "c" not in open_fams and not right_free:
                return "open", "c"  # و”الموت لإسرائيل”، لـ”عين اليوم”
            return "close", "c"
        if w == '"':
            if "s" in open_fams:
                if left_free and not right_free:
                    return "open", "s"  # an unclosed quote followed by a new one
                return "close", "s"
            stop = after in _FREE_AFTER and not text.startswith("..", self.ends[i])
            if right_free and (not left_free or stop):
                return "close", "s"  # stray closer (... المعدات ". وأضافت: no quote opens on a stop)
            return "open", "s"
        return None

    def _pair_marks(self) -> None:
        stack: list[tuple[int, str]] = []  # (open token, family)
        # Only quote marks and paragraph starts do anything: visit those, not every token.
        marks = [i for i, w in enumerate(self.words) if w in _OPENERS or w in _CLOSERS]
        para_starts = [a for a, _ in self.para_bounds.values() if a > 0]
        for i in sorted({*marks, *para_starts}):
            if stack and i > 0 and self.para[i] != self.para[i - 1]:
                # a paragraph ends with quotes open: they run on only into a paragraph that carries
                # the quote on (opens with the same mark, or closes it before opening another)
                keep: list[tuple[int, str]] = []
                for o, fam in stack:
                    if self._continues(o, fam, i):
                        keep.append((o, fam))
                    else:
                        self._add_pair(o, None, self._trim_end(o, i))
                stack = keep
            w = self.words[i]
            if w not in _OPENERS and w not in _CLOSERS:
                continue
            d = self._direction(i, [f for _, f in stack])
            if d is None:
                continue
            kind, fam = d
            if kind == "open":
                if stack and stack[-1][1] == fam:
                    o = stack[-1][0]
                    if self.para[o] != self.para[i] and self._first_in_para(i):
                        continue  # a multi-paragraph quote: each paragraph re-opens it
                    stack.pop()
                    if self.sent[o] != self.sent[i]:  # closes where its last sentence ended
                        self._add_pair(o, None, self._last_sentence_end(o, i))
                    # else: a stray opener (“ونقلت صحيفة “نيويورك ... “المخطوط ...”): dropped
                stack.append((i, fam))
            else:
                if not any(f == fam for _, f in stack):
                    continue  # stray closing mark
                while stack:
                    o, f = stack.pop()
                    if f == fam:
                        self._add_pair(o, i, i)
                        break
                    self._add_pair(o, None, self._trim_end(o, i))
        for o, _ in stack:
            self._add_pair(o, None, self._trim_end(o, self.para_end(o)))
        self.pairs.sort(key=lambda p: p.open)
        self._index_pairs()

    def _index_pairs(self) -> None:
        self.paired.clear()
        self.pair_at_open.clear()
        self.pair_at_close.clear()
        self.in_pair = [-1] * self.n
        for idx, pair in enumerate(self.pairs):
            self.paired.add(pair.open)
            if pair.close is not None:
                self.paired.add(pair.close)
                self.pair_at_close.setdefault(pair.close, pair)
            self.pair_at_open[pair.open] = pair
            for t in range(pair.open + 1, pair.end_tok):
                if self.in_pair[t] == -1:
                    self.in_pair[t] = idx

    def cut_pairs(self, narration: Callable[[int], bool]) -> None:
        """A quoted span ends before the journalist's narration inside it: a sentence opening with a
        coordinated reporting verb (. وأضافت أن، . وأشار الى ان) or a participle cue (مشيرا الى ان) cannot be
        the speaker's own words, so the mark that would close the span there was lost (or is the
        opener of another span). The span then ends before that token, unclosed."""
        cut = False
        for pair in self.pairs:
            for k in range(pair.open + 2, pair.end_tok):
                if narration(k):
                    end = k
                    while end > pair.open + 1 and (
                        self.words[end - 1] in _BOUNDARY or self.words[end - 1] in _COMMAS
                    ):
                        end -= 1
                    if end > pair.open + 1:
                        pair.close, pair.end_tok, pair.end = None, end, self.ends[end - 1]
                        pair.n_words = self._n_words(pair.open + 1, end)
                        cut = True
                    break
        if cut:
            self._index_pairs()

    def _trim_end(self, o: int, i: int) -> int:
        """An unclosed quote ends with its paragraph (at most), never at the next paragraph's text."""
        return min(i, self.para_end(o))

    def _first_in_para(self, i: int) -> bool:
        return i == 0 or self.para[i - 1] != self.para[i]

    def _continues(self, o: int, fam: str, i: int) -> bool:
        if self.para[i] - self.para[o] >= 3:
            return False
        if _OPENERS.get(self.words[i]) == fam:
            return True
        for j in range(i, self.para_end(i)):
            if self.words[j] in _OPENERS or self.words[j] in _CLOSERS:
                d = self._direction(j, [fam])
                if d is not None and d[1] == fam:
                    return d[0] == "close"
        return False

    def _last_sentence_end(self, o: int, i: int) -> int:
        """End for a quote opened at o and still open when i opens a new one: its last sentence end."""
        j = i
        while j > o + 1 and self.sent[j - 1] == self.sent[i]:
            j -= 1
        return j if j > o + 1 else i

    def _add_pair(self, o: int, c: int | None, end_tok: int) -> None:
        first, last = o + 1, end_tok - 1
        if last < first:
            return
        start, end = self.starts[first], self.ends[last]
        self.pairs.append(_Pair(o, c, last + 1, start, end, self._n_words(first, last + 1)))

    def _n_words(self, a: int, b: int) -> int:
        return sum(1 for t in range(a, b) if self.words[t][:1].isalnum() or self.words[t][:1] == "#")

    # -- entities ------------------------------------------------------------------------
    @staticmethod
    def _valid_entity(ent: Entity) -> bool:
        """NER noise never becomes a speaker: على لسان, أن ...; but a person named علي (written with its
        final ي, normalized the same as the preposition على) is one: علي العريض، علي بن مزين."""
        words = ent.name.split()
        first = normalize(words[0]) if words else ""
        if first in PREPOSITIONS and _named_ali(ent, words):
            return True
        return bool(first) and first not in PREPOSITIONS and first not in COMPLEMENTIZERS and len(first) > 1

    def _is_person_entity(self, ent: Entity) -> bool:
        """PER, unless the name is headed by an institution (NER noise: نادي الاتحاد)."""
        if ent.label != "PER":
            return False
        first = key(normalize(ent.name.split()[0]))
        return first not in ORG_HEADS and first not in NAMING_NOUNS and first not in PERSON_TITLES

    def _redirect_partial_names(self) -> None:
        """A non-person entity whose name is part of a person's name is that person (كيري LOC -> جون كيري)."""
        # Each proper contiguous part of a person's name keys -> the first person (in entity order)
        # whose name has it: one lookup per entity instead of a scan of every person.
        parts: dict[tuple[str, ...], int] = {}
        for p, ent in enumerate(self.entities):
            if not self.person_ent[p]:
                continue
            pkeys = _name_keys(ent.name)
            size = len(pkeys)
            for n in range(1, size):
                for i in range(size - n + 1):
                    parts.setdefault(pkeys[i : i + n], p)
        self.redirect = list(range(len(self.entities)))
        if not parts:
            return
        for e, ent in enumerate(self.entities):
            if self.person_ent[e]:
                continue
            keys = _name_keys(ent.name)
            if not keys or max(len(normalize(w)) for w in ent.name.split()) < 3:
                continue
            person = parts.get(keys)
            if person is not None:
                self.redirect[e] = person

    def _map_entities(self) -> None:
        for e, m, a, b in mention_tokens(self.entities, self.starts, self.ends):
            for t in range(a, b + 1):
                if self.ent_at[t] == -1:
                    self.ent_at[t] = self.redirect[e]
                    self.ment_at[t] = (a, b + 1)
                    self.ment_char[t] = m.start

    @cached_property
    def organization_ids(self) -> frozenset[str]:
        """The ids of the ORG entities (the bodies that can issue a document)."""
        return frozenset(e.id for e in self.entities if e.label == "ORG")

    @cached_property
    def mention_starts(self) -> list[list[int]]:
        """Token positions where each entity's mentions start (the speaker linker's candidates, a
        woman's title before a name)."""
        out: list[list[int]] = [[] for _ in self.entities]
        for k in range(self.n):
            e = self.ent_at[k]
            span = self.ment_at[k]
            if e >= 0 and span is not None and span[0] == k:
                out[e].append(k)
        return out

    def mention_char(self, i: int) -> int:
        return self.ment_char[i]

    def token_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)


def _named_ali(ent: Entity, words: list[str]) -> bool:
    """A PER mention of two words or more written علي + a word that opens no phrase of the preposition
    (not علي لسان، علي ان)."""
    if ent.label != "PER" or len(words) < 2 or words[0] != ALI_NAME:
        return False
    second = normalize(words[1])
    return second not in PREPOSITIONS and second not in COMPLEMENTIZERS and second not in ALI_PHRASE_NOUNS


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    if n == 0 or n > len(long):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))
