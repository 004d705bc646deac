"""Quote attribution: who said what, as transparent rules over the text and its entities.

The component ``qawl_quotes`` runs after ``qawl_entities`` and sets ``doc._.quotes`` to a list of
:class:`qawl.types.Quote` in document order (ids Q1, Q2 ...). Method (details in docs/quotes.md):

1. **Units.** The text is cut into words and punctuation by one regular expression (offsets are code
   points into the exact input) and into paragraphs (newlines); sentences and the site boilerplate
   come from the shared segmentation (``segment.py``: ``doc.sents``, ``doc.spans["boilerplate"]``).
2. **Quote marks.** “ ” « » and " are paired with a small state machine: direction from the
   characters around a mark and from what is open; stray closers are ignored; an opener that is
   never closed ends at its paragraph (or where the next opener of its kind starts a new sentence),
   so a lost mark never swallows the rest of an article. Marks around a name, a title, an agency or
   a hashtag (لوكالة “...”, “#حلب تحترق”) are names, not quotes.
3. **Cues.** Reporting verbs from ``data/cues.tsv`` in all their conjugations (generated here:
   feminine ت, plural وا/ون, dual ا, present ي/ت/ن, the circumstantial participle مؤكدا/مشيرة,
   و/ف prefixes), nominal cues (قوله، بالقول، تصريحات، بيان) and attributive phrases
   (بحسب، وفق، وفقا لـ، حسب، نقلا عن، كما قال X).
4. **Quotes.** From each cue, the speaker phrase is read (after the verb: VSO; before it: SVO;
   none: implicit), then the complement: ``أن/إن/بأن`` + clause (indirect, or mixed when the
   clause holds quoted words), a colon, or a quoted span (direct). Quoted spans no cue claimed
   look for a cue after them (“...” قال X). Attributive phrases take the clause they follow.
5. **Speakers.** The speaker phrase is linked to ``doc._.entities`` (a name in it, or an entity it
   starts with); titles without a name (الوزير الاميركي) and definite descriptions (هذا المركز،
   الوزارة) are matched to the entity or earlier phrase they refer to; an implicit subject
   (واضاف، وتابع، من جهته، فإنها) is the subject of the sentence or the previous speaker.

Everything is linear in the text length (bounded look-around windows). Errors go to spaCy's error
handler of the pipe (the service logs them and answers without quotes; tests raise).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

from qawl.types import Entity, Mention, Quote, QuoteKind, Resolution, Speaker

from . import morphology, wordclasses
from .arabic import normalize, skeleton, skip_letters
from .doctext import doc_text
from .lexicon import WORD_CACHE_SIZE, Lexicon, default_lexicon
from .reporting_cues import NOT_CUE_SURFACES, Cue, CueLexicon, default_cues, load_cues
from .segment import SENT_END, Segmentation, segment_text, segmentation

__all__ = ["QuoteAttributor", "extract_quotes"]


if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


# ============================================================================ word lists
def _core(n: str) -> str:
    """Strip a conjunction/preposition + article: والوزير -> وزير, للامم -> امم, بالمنطقه -> منطقه."""
    for p in ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال"):
        if n.startswith(p) and len(n) - len(p) >= 2:
            return n[len(p) :]
    return n


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _normalize_word(word: str) -> str:
    return normalize(word)


@lru_cache(maxsize=65536)
def _key(n: str) -> str:
    """Comparison key: core without a final tanween alef or ta marbuta (مسؤولا ~ المسؤول)."""
    c = _core(n)
    if len(c) > 3 and c[-1] in "اه":
        c = c[:-1]
    return c


@lru_cache(maxsize=65536)
def _skel_key(n: str) -> str:
    """Spelling-insensitive key: السعودي ~ السعودية, الاميركي ~ الأمريكي, روسيا ~ الروسي."""
    k = _key(n)
    if k.endswith("ي") and len(k) > 3:
        k = k[:-1]
    return skeleton(k) if len(k) > 2 else k


@lru_cache(maxsize=65536)
def _name_keys(name: str) -> tuple[str, ...]:
    """Spelling-insensitive word keys of a name (for containment: الجلال ~ وليد الجلال)."""
    return tuple(skeleton(_core(normalize(w))) for w in name.split())


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_key(normalize(w)) for w in words)


def _norms(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


PERSON_TITLES = _keys(wordclasses.words("person_titles") + wordclasses.words("person_nouns"))
# Honorific pronouns stand for the dignitary the article is about: وشدد سموه، وأكد معاليه.
HONORIFIC_PRONOUNS = _norms(wordclasses.words("honorific_pronouns"))
HONORIFIC_NOUNS = _norms(wordclasses.words("honorific_nouns"))
QUANTIFIERS = _norms(wordclasses.words("partitives"))
NAMED_VERBS = frozenset({"يدعى", "تدعى", "يدعي", "تدعي", "يسمى", "تسمى"})  # أحد المغردين يدعى احمد
TITLE_MODIFIERS = _keys(wordclasses.words("quotes_title_modifiers"))
HONORIFICS = _keys(wordclasses.words("name_titles"))
ORG_HEADS = _keys(wordclasses.words("org_heads"))
DOC_NOUNS = _keys(wordclasses.words("quotes_doc_nouns"))
NAMING_NOUNS = _keys(wordclasses.words("quotes_naming_nouns"))
PREPOSITIONS = _norms(wordclasses.words("quotes_prepositions"))
_ALA = normalize("على")
_FA_INNA = _norms(wordclasses.words("quotes_fa_inna"))
# مدير الحملة في لبنان X، المشرف على الكرة X، المتحدث باسم المتضررين من ... X
_TITLE_LINKS = _norms(wordclasses.words("quotes_title_links"))
_COMPLEMENT_PREPS = _norms(wordclasses.words("quotes_complement_preps"))  # أشار إلى أن، أكد على أن، حذر من أن
TOPIC_SHIFTERS = _norms(wordclasses.words("quotes_topic_shifters"))  # من جهته، من جانبه
CLAUSE_SHIFTERS = _norms(wordclasses.words("quotes_clause_shifters"))
# Requests and agreements (دعا أن، طالب بأن، وافق على أن) report no statement: quotes and colons only.
REQUEST_CATEGORIES = frozenset({"directive", "stance_favor", "commissive"})
CONTRASTS = _norms(wordclasses.words("quotes_contrasts"))  # ... لكن دريك قال، في حين تصر روسيا
CONJUNCTIONS = _norms(wordclasses.words("quotes_conjunctions"))
PRONOUN_PPS = _norms(wordclasses.words("quotes_pronoun_pps"))
TIME_WORDS = _norms(wordclasses.words("quotes_time_words"))
RELATIVES = _norms(wordclasses.words("relatives"))
DEMONSTRATIVES = _norms(wordclasses.words("demonstratives"))
COMPLEMENTIZERS = _norms(wordclasses.words("complementizers"))
BARE_COMPLEMENTIZERS = _norms(wordclasses.words("quotes_bare_complementizers"))
# "X ... أن" where أن belongs to X, not to the cue: modal and prepositional governors.
GOVERNORS = _norms(wordclasses.words("quotes_governors"))
# A clause with its own (pronoun) subject: فإنها دعت، وهو يشير.
PRONOUN_SUBJECTS = _norms(wordclasses.words("pronoun_subjects"))
CHAIN_NOUNS = _norms(wordclasses.words("quotes_chain_nouns"))
SPEECH_PREP_PRONOUNS = _norms(wordclasses.words("quotes_speech_prep_pronouns"))
SUBJUNCTIVE_EXCEPTIONS = _norms(wordclasses.words("quotes_subjunctive_exceptions"))
STATEMENT_VERBS = _norms(wordclasses.words("quotes_statement_verbs"))
CLAUSE_OPENERS = _norms(wordclasses.words("quotes_clause_openers"))
BARE_SOURCE_NOUNS = _keys(wordclasses.words("quotes_bare_source_nouns"))

_OPENERS = {"“": "c", "„": "c", "«": "g", '"': "s"}
_CLOSERS = {"”": "c", "»": "g", '"': "s"}
_MARKS = frozenset('“”„«»"')
_COMMAS = frozenset({"،", ","})
_DASHES = frozenset({"-", "–", "—"})
_PAREN_CLOSE: dict[str, frozenset[str]] = {"(": frozenset({")"}), **{d: _DASHES for d in _DASHES}}
_BOUNDARY = frozenset({".", "!", "؟", "?", "…", "؛", ";", ":"})

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
        mention = None
        if self.mention is not None:
            s, e = self.mention
            mention = Mention(start=s, end=e, text=text[s:e])
        return Speaker(name=self.name, entity_id=self.entity_id, mention=mention, resolution=self.resolution)


@dataclass
class _Agent:
    pos: int
    spk: _Spk
    local: bool  # only a same-sentence antecedent (a subject seen without a quote)


@dataclass
class _Found:
    kind: QuoteKind
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: _Spk | None
    score: float
    order: int = 0


def _clean_name(text: str) -> str:
    """A display name from a phrase: no quote marks, no glued preposition (للمرصد -> المرصد)."""
    name = " ".join(text.replace("\n", " ").split())
    name = name.strip("".join(_MARKS) + "،,:.()- ")
    name = "".join(ch for ch in name if ch not in _MARKS)
    if not name:
        return text.strip()
    first, _, rest = name.partition(" ")
    n = normalize(first)
    if n.startswith("لل") and len(n) > 3:
        first = "ال" + first[2:]
    elif len(n) > 3 and n[0] in "لبوف" and n[1:3] == "ال":
        first = first[1:]
    elif first in ("لـ", "بـ"):
        first = ""
    return (first + " " + rest).strip() if rest else first


class _Text:
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
        self.sent = [seg.sentence_of(a) for a in starts]
        self.sent_bounds = self._bounds(self.sent)
        self.para_bounds = self._bounds(self.para)
        self.pairs: list[_Pair] = []
        self.pair_at_open: dict[int, _Pair] = {}
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
        left_free = before.isspace() or before in "(:[،,؛"
        right_free = after.isspace() or after in ".,،؛:)]!؟?"
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
            if right_free and not left_free:
                return "close", "s"  # stray closer
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
        for idx, pair in enumerate(self.pairs):
            self.paired.add(pair.open)
            if pair.close is not None:
                self.paired.add(pair.close)
            self.pair_at_open[pair.open] = pair
            for t in range(pair.open + 1, pair.end_tok):
                if self.in_pair[t] == -1:
                    self.in_pair[t] = idx

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
        n_words = sum(
            1 for t in range(first, last + 1) if self.words[t][:1].isalnum() or self.words[t][:1] == "#"
        )
        self.pairs.append(_Pair(o, c, last + 1, start, end, n_words))

    # -- entities ------------------------------------------------------------------------
    @staticmethod
    def _valid_entity(ent: Entity) -> bool:
        """NER noise never becomes a speaker: على لسان, أن ..."""
        first = normalize(ent.name.split()[0]) if ent.name.split() else ""
        return bool(first) and first not in PREPOSITIONS and first not in COMPLEMENTIZERS and len(first) > 1

    def _is_person_entity(self, ent: Entity) -> bool:
        """PER, unless the name is headed by an institution (NER noise: نادي الاتحاد)."""
        if ent.label != "PER":
            return False
        first = _key(normalize(ent.name.split()[0]))
        return first not in ORG_HEADS and first not in NAMING_NOUNS and first not in PERSON_TITLES

    def _redirect_partial_names(self) -> None:
        """A non-person entity whose name is part of a person's name is that person (كيري LOC -> جون كيري)."""
        persons = [
            (e, [skeleton(_core(normalize(w))) for w in ent.name.split()])
            for e, ent in enumerate(self.entities)
            if self.person_ent[e]
        ]
        self.redirect = list(range(len(self.entities)))
        for e, ent in enumerate(self.entities):
            if self.person_ent[e]:
                continue
            keys = [skeleton(_core(normalize(w))) for w in ent.name.split()]
            if not keys or max(len(normalize(w)) for w in ent.name.split()) < 3:
                continue
            for p, pkeys in persons:
                if len(pkeys) > len(keys) and _contains(pkeys, keys):
                    self.redirect[e] = p
                    break

    def _map_entities(self) -> None:
        if not self.n:
            return
        last = self.ends[-1]
        for e, ent in enumerate(self.entities):
            for m in ent.mentions:
                if m.end > last or m.start >= m.end:
                    continue
                a = bisect.bisect_right(self.starts, m.start) - 1
                b = bisect.bisect_left(self.ends, m.end)
                if a < 0 or b >= self.n or a > b:
                    continue
                for t in range(a, b + 1):
                    if self.ent_at[t] == -1:
                        self.ent_at[t] = self.redirect[e]
                        self.ment_at[t] = (a, b + 1)
                        self.ment_char[t] = m.start

    def token_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)


# ============================================================================ extraction
class _Extractor:
    """One pass over the cues of a document, then the quoted spans no cue claimed."""

    def __init__(self, t: _Text, cues: CueLexicon, lexicon: Lexicon) -> None:
        self.t = t
        self.cues = cues
        self.lexicon = lexicon
        self.cue_at: list[tuple[Cue, int] | None] = [
            cues.lookup(n) if n[:1].isalpha() and w not in NOT_CUE_SURFACES else None
            for w, n in zip(t.words, t.norms, strict=True)
        ]
        # outlets that write hamza (أن، بأن) make a bare بان a name (بان كي مون)
        hamza = sum(1 for w in t.words if w in ("أن", "بأن", "إن"))
        bare = sum(1 for w in t.words if w in ("ان", "بان"))
        self.hamza_style = hamza > bare
        self.found: list[_Found] = []
        self.agents: list[_Agent] = []
        self.titles: list[tuple[int, frozenset[str], frozenset[str], _Spk]] = []  # (pos, heads, keys, who)
        self.claimed: list[bool] = [False] * t.n  # tokens inside a produced quote
        self._proclitic: dict[str, str] = {}
        self._head_index: dict[str, list[int]] | None = None
        self._honorific: _Spk | bool | None = False  # not looked up yet
        self._index_titles()

    # -- small predicates ----------------------------------------------------------------
    def word(self, i: int) -> bool:
        return 0 <= i < self.t.n and self.t.words[i][:1].isalnum()

    def norm(self, i: int) -> str:
        return self.t.norms[i] if 0 <= i < self.t.n else ""

    def in_set(self, i: int, keys: frozenset[str]) -> bool:
        n = self.norm(i)
        if not n:
            return False
        if _key(n) in keys:
            return True
        if len(n) > 3 and n[0] in "وفبل" and _key(n[1:]) in keys:
            return True
        return len(n) > 4 and n[:2] in ("ول", "وب", "فل", "فب") and _key(n[2:]) in keys

    def proclitic(self, n: str) -> str:
        pc = self._proclitic.get(n)
        if pc is None:
            pc = morphology.proclitic(n, self.lexicon)
            self._proclitic[n] = pc
        return pc

    def count(self, n: str) -> int:
        return self.lexicon.counts.get(n, 0)

    def cue_cls(self, i: int) -> str:
        hit = self.cue_at[i] if 0 <= i < self.t.n else None
        return hit[0].cls if hit is not None else ""

    def is_verb_cue(self, i: int, ambiguous: bool = False) -> bool:
        hit = self.cue_at[i] if 0 <= i < self.t.n else None
        return (
            hit is not None and hit[0].cls in ("verb", "participle") and (ambiguous or not hit[0].ambiguous)
        )

    def is_complementizer(self, i: int) -> bool:
        n = self.norm(i)
        if n not in COMPLEMENTIZERS or self.t.ent_at[i] >= 0 or self.t.words[i].startswith("آ"):
            return False  # في آن واحد
        if n == "بان" and ((self.t.words[i] == "بان" and self.hamza_style) or self.norm(i + 1) == "كي"):
            return False  # بان كي مون
        if n in BARE_COMPLEMENTIZERS:
            nxt = self.norm(i + 1)
            if nxt[:1] == "ي" and len(nxt) >= 3 and nxt not in SUBJUNCTIVE_EXCEPTIONS:
                return False  # أنْ + subjunctive verb: not a reported clause
            if n == "ان" and self.t.words[i].startswith("إ") and nxt in ("كان", "كانت", "لم"):
                return False  # conditional إن
            if self.norm(i - 1) in GOVERNORS:
                return False
        return True

    def stray(self, i: int) -> bool:
        """A quote mark that pairs with nothing (a lost mark): transparent inside phrases."""
        return self.t.words[i] in _MARKS and i not in self.t.paired

    def stop_word(self, i: int) -> bool:
        n = self.norm(i)
        if n == "بان" and not self.is_complementizer(i):
            return False  # بان كي مون
        return n in PREPOSITIONS or n in RELATIVES or n in COMPLEMENTIZERS or n in TIME_WORDS

    def is_pp(self, i: int) -> bool:
        """An addressee or genitive phrase opener: لـ، للصحفيين، لوكالة، لدي ماريا, بـ."""
        t = self.t
        w, n = t.words[i], self.norm(i)
        if w in ("لـ", "ل", "بـ", "ب"):
            return True
        if len(n) < 3 or n[0] not in "لب":
            return False
        if n.startswith("لل") or n[1:3] == "ال":
            return True
        if t.ent_at[i] >= 0 and t.ment_char[i] > t.starts[i]:
            return True  # ل + a name: لدي ماريا، لروسيا
        rest = n[1:]
        return _key(rest) in ORG_HEADS or _key(rest) in NAMING_NOUNS or _key(rest) in PERSON_TITLES

    def is_adjective(self, i: int) -> bool:
        n = self.norm(i)
        if self.in_set(i, TITLE_MODIFIERS):
            return True
        return (
            n.startswith("ال") and len(n) > 4 and (n.endswith("ي") or n.endswith("يه") or n.endswith("يين"))
        )

    def conj(self, i: int) -> bool:
        """A token carrying the conjunction و/ف (a new conjunct or clause), not a word starting with و."""
        n = self.norm(i)
        if len(n) < 3 or n[0] not in "وف":
            return False
        if n.startswith(("وال", "فال", "ولل", "فلل")):
            return True
        return self.proclitic(n)[:1] in ("و", "ف")

    def speaker_like(self, i: int) -> bool:
        """Can a speaker phrase start here? A name, a title, an institution, a document, a name-like word."""
        t = self.t
        if t.ent_at[i] >= 0:
            return True
        if self.norm(i) in DEMONSTRATIVES:
            return True
        if self.norm(i) in QUANTIFIERS and self.in_set(i + 1, PERSON_TITLES):
            return True  # أحد المغردين، بعض المسؤولين
        for k in range(i + 1, min(self.t.n, i + 5)):  # الشاب إبراهيم دوابشة، حاكم محافظة شانلي أورفة عز الدين
            if not self.word(k) or self.stop_word(k):
                break
            if self.is_person(k):
                return True
        for s in (PERSON_TITLES, HONORIFICS, ORG_HEADS, DOC_NOUNS):
            if self.in_set(i, s):
                return True
        return self.namelike(i) and self.count(self.norm(i)) < 20

    def namelike(self, k: int) -> bool:
        """A word that may be part of a personal name the NER missed (الجلال، غاتيلوف، بدر)."""
        t = self.t
        n = self.norm(k)
        if not self.word(k) or not n[:1].isalpha() or len(n) < 2:
            return False
        if t.ent_at[k] >= 0:
            return self.is_person(k)
        for s in (PERSON_TITLES, TITLE_MODIFIERS, ORG_HEADS, HONORIFICS, NAMING_NOUNS, DOC_NOUNS):
            if self.in_set(k, s):
                return False
        if self.stop_word(k) or n in DEMONSTRATIVES or self.cue_at[k] is not None or self.conj(k):
            return False
        if n[0] in "لب" and (n[1:3] == "ال" or n[1:2] == "ل" or self.proclitic(n) in ("ل", "ب")):
            return False
        lex = self.lexicon
        c = self.count(n)
        if n in lex.places and n not in lex.persons and (n.startswith("ال") or c >= 100):
            return False
        if n.startswith("ال"):
            if (n.endswith("ي") or n.endswith("يه") or n.endswith("يين")) and c >= 20:
                return False
            if c >= 100 and n not in lex.persons:
                return False
        elif c >= 200 and n not in lex.persons:
            return False
        return True

    def name_run(self, j: int, limit: int) -> int:
        k = j
        while k < limit and k - j < 4 and self.namelike(k):
            k += 1
        return k - j

    def real_entity(self, i: int) -> bool:
        """An entity that is not a title phrase the NER labelled PER (مشرف نادي)."""
        e = self.t.ent_at[i] if 0 <= i < self.t.n else -1
        return e >= 0 and (self.t.person_ent[e] or self.t.entities[e].label != "PER")

    def is_person(self, i: int) -> bool:
        e = self.t.ent_at[i] if 0 <= i < self.t.n else -1
        return e >= 0 and self.t.person_ent[e]

    def starts_entity(self, i: int) -> bool:
        span = self.t.ment_at[i]
        return span is not None and span[0] == i

    # -- title contexts ------------------------------------------------------------------
    def _index_titles(self) -> None:
        """Title words around each PER mention: وزير الخارجية الاميركي جون كيري -> {وزير, خارجي, امرك}."""
        t = self.t
        i = 0
        while i < t.n:
            e = t.ent_at[i]
            span = t.ment_at[i]
            if e < 0 or span is None:
                i += 1
                continue
            a, b = span
            if t.person_ent[e]:
                heads, keys = self._context_keys(a, b)
                if heads:
                    self.titles.append((a, heads, keys, self._entity_speaker(e, None, "explicit", keys)))
            i = max(b, i + 1)
        self.title_pos = [pos for pos, _, _, _ in self.titles]

    def _context_keys(self, a: int, b: int) -> tuple[frozenset[str], frozenset[str]]:
        """(head titles, all title words) of the phrase around a person's name."""
        t = self.t
        keys: set[str] = set()
        heads: set[str] = set()
        j, steps = a - 1, 0
        head: str | None = None  # the leftmost title word of the phrase before the name
        while j >= 0 and steps < 8 and t.sent[j] == t.sent[a]:
            if t.words[j] in _COMMAS:
                j -= 1
                continue
            if (
                not self.word(j)
                or self.norm(j) in PREPOSITIONS
                or self.is_verb_cue(j, True)
                or self.is_person(j)
            ):
                break
            keys.add(_skel_key(self.norm(j)))
            if self.in_set(j, PERSON_TITLES):
                head = _skel_key(self.norm(j))
            j -= 1
            steps += 1
        if head:
            heads.add(head)
        j, steps = b, 0
        while j < t.n and steps < 6 and t.sent[j] == t.sent[a]:
            if t.words[j] in _COMMAS:
                if steps:
                    break
                j += 1
                continue
            if not self.word(j) or self.stop_word(j) or self.is_verb_cue(j, True):
                break
            if steps == 0:
                if not self.in_set(j, PERSON_TITLES):
                    break
                heads.add(_skel_key(self.norm(j)))
            keys.add(_skel_key(self.norm(j)))
            j += 1
            steps += 1
        return frozenset(heads), frozenset(k for k in keys if k)

    # -- speaker phrases -----------------------------------------------------------------
    def np_end(self, i: int, limit: int) -> int:
        """End (exclusive) of the noun phrase starting at token i (a speaker or source phrase)."""
        t = self.t
        j = i
        titled = self.in_set(i, PERSON_TITLES) or self.in_set(i, HONORIFICS)
        mention_end = -1
        named = False  # a personal name has been read (after a title)
        while j < limit and j - i < _MAX_NP:
            w = t.words[j]
            if j > i and self.stray(j) and j + 1 < limit and self.word(j + 1):
                j += 1  # ونقلت صحيفة “نيويورك تايمز ...: a lost mark
                continue
            if w in _COMMAS:
                nxt = j + 1
                if (
                    j > i
                    and nxt < limit
                    and (
                        self.starts_entity(nxt)
                        or self.in_set(nxt, PERSON_TITLES)
                        or self.in_set(nxt, HONORIFICS)
                        or (titled and self.name_run(nxt, limit) >= 1 and self._name_closes(nxt, limit))
                    )
                ):
                    j = nxt
                    continue
                break
            if not self.word(j):
                break
            n = self.norm(j)
            if j == i:
                if n in PREPOSITIONS or n in COMPLEMENTIZERS:
                    break
            else:
                if self.stop_word(j) or n in DEMONSTRATIVES or n in CHAIN_NOUNS:
                    break
                if self.cue_cls(j) in ("verb", "participle", "attrib") and t.ent_at[j] < 0:
                    break
                if self.conj(j) and not (
                    self.in_set(j, ORG_HEADS)
                    or self.in_set(j, PERSON_TITLES)
                    or self.starts_entity(j)
                    or (n.startswith("وال") and self.norm(j - 1).startswith(("ال", "لل")))
                ):
                    break
                if (
                    self.is_adjective(j - 1)
                    and t.words[j].endswith("ة")
                    and n[:1] not in "لبوف"
                    and not n.startswith("ال")
                    and t.ent_at[j] < 0
                    and not self.in_set(j, PERSON_TITLES)
                ):
                    break  # واكد الوزير الاميركي اهمية المسألة: the phrase is complete, its object follows
                if (
                    j == mention_end
                    and n.startswith("ال")
                    and t.ent_at[j] < 0
                    and not self.is_adjective(j)
                    and not self.in_set(j, PERSON_TITLES)
                ):
                    break  # a named subject, then its object: أدانت رئاسة كردستان القصف
            if named and self.starts_entity(j) and not self.is_person(j) and t.ment_char[j] == t.starts[j]:
                break  # دعا الأمين العام بان كي مون موسكو وواشنطن: the name, then the object
            if (
                titled
                and j > i
                and (
                    self.is_person(j)
                    or (self.namelike(j) and (self.namelike(j - 1) or self.in_set(j - 1, HONORIFICS)))
                )
            ):
                named = True
            span = t.ment_at[j]
            if span is not None and self.real_entity(j):
                mention_end = span[1]
            j += 1
        while j > i and t.words[j - 1] in _COMMAS:
            j -= 1
        return j

    def _name_closes(self, j: int, limit: int) -> bool:
        """A name run at j ends at a comma, a complementizer, a colon or a quote mark."""
        k = j + self.name_run(j, limit)
        if k >= self.t.n:
            return True
        w = self.t.words[k]
        return w in _COMMAS or w in _BOUNDARY or w in _MARKS or self.is_complementizer(k) or self.stop_word(k)

    def extend_to_name(self, a: int, b: int, limit: int) -> int:
        """مدير مكتب الحملة ... في لبنان وليد الجلال: a title phrase, a place, then the name."""
        t = self.t
        if not self.in_set(a, PERSON_TITLES):
            return b
        if any(self.in_set(k, HONORIFICS) or (t.ent_at[k] >= 0 and self.is_person(k)) for k in range(a, b)):
            return b
        if self.norm(b) not in _TITLE_LINKS:
            return b
        k = b + 1
        while k < limit and k - b <= 8:
            if k in t.pair_at_open and t.pair_at_open[k].n_words <= 3:
                t.pair_at_open[k].name = True
                k = t.pair_at_open[k].after
                continue
            if not self.word(k) or self.is_complementizer(k) or self.cue_at[k] is not None:
                return b
            if self.in_set(k, HONORIFICS) and self.name_run(k + 1, limit) >= 1:
                return k + 1 + self.name_run(k + 1, limit)
            if self.starts_entity(k) and self.is_person(k):
                span = t.ment_at[k]
                return span[1] if span is not None else b
            run = self.name_run(k, limit)
            if run >= 2 and self._name_closes(k, limit):
                return k + run
            k += 1
        return b

    def speaker_from_np(self, a: int, b: int, at: int) -> _Spk | None:
        """Resolve the speaker phrase tokens [a, b) (and remember its titles for later references)."""
        spk = self._resolve_np(a, b, at)
        if spk is None:
            return None
        return replace(spk, heads=spk.heads | self._np_heads(a, b), keys=spk.keys | self._np_keys(a, b))

    def _resolve_np(self, a: int, b: int, at: int) -> _Spk | None:
        t = self.t
        if b <= a:
            return None
        mention = (t.starts[a] + self._clitic_cut(a), t.ends[b - 1])
        keys = self._np_keys(a, b)
        first = self.norm(a)
        if first in DEMONSTRATIVES:  # هذا المركز
            if b - a < 2:
                return None
            spk = self._definite(a + 1, b, at, mention)
            return spk or self._nominal(mention, a + 1, keys)
        if self.in_set(a, DOC_NOUNS) and not first.startswith("ال"):  # بيان صادر عن X، حصيلة للمرصد
            owner = self._doc_owner(a, b)
            if owner is not None:
                return owner
        for k in range(a + 1, b - 1):  # أحد المغردين يدعى احمد
            if t.words[k] in NAMED_VERBS:
                text = _clean_name(t.text[t.starts[k + 1] : t.ends[b - 1]])
                linked = self._link_name(text)
                if linked is not None:
                    return replace(linked, mention=mention)
                return _Spk(text, None, mention, "explicit", True, keys)
        e0 = t.ent_at[a] if self.real_entity(a) else -1
        if e0 >= 0 and self.starts_entity(a):
            return self._entity_speaker(e0, mention, "explicit", keys)
        for k in range(a, b):
            e = t.ent_at[k]
            if e >= 0 and t.person_ent[e]:
                return self._entity_speaker(e, mention, "explicit", keys)
        name = self._name_in_np(a, b)
        if name is not None:
            na, nb = name
            text = _clean_name(t.text[t.starts[na] : t.ends[nb - 1]])
            linked = self._link_name(text)
            if linked is not None:
                return _Spk(linked.name, linked.entity_id, mention, "explicit", True, keys, linked.feminine)
            return _Spk(text, None, mention, "explicit", True, keys)
        if e0 >= 0:
            return self._entity_speaker(e0, mention, "explicit", keys)
        if self.in_set(a, PERSON_TITLES):
            if self._definite_phrase(a, b):
                spk = self._title_match(a, b, at, mention)
                if spk is not None:
                    return spk
            return self._nominal(mention, a, keys)
        if first.startswith("ال") or self.is_pp(a):
            spk = self._definite(a, b, at, mention)
            if spk is not None:
                return spk
        for k in range(a, b):
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label == "ORG":
                return self._entity_speaker(e, mention, "explicit", keys)
        return self._nominal(mention, a, keys)

    def _nominal(self, mention: tuple[int, int], a: int, keys: frozenset[str]) -> _Spk:
        text = _clean_name(self.t.text[mention[0] : mention[1]])
        person = self.in_set(a, PERSON_TITLES)
        fem = person and self.norm(a).endswith("ه")
        return _Spk(text, None, mention, "nominal", person, keys, fem)

    def _definite_phrase(self, a: int, b: int) -> bool:
        """الوزير ...، وزير الخارجية ...، مدير مهرجان أبها: a definite title (article or a construct
        chain ending in a definite noun or a name); مسؤولا عسكريا is indefinite."""
        if self.norm(a).startswith("ال"):
            return True
        if self.norm(a).endswith("ا"):
            return False
        return any(self.norm(k).startswith(("ال", "لل")) or self.t.ent_at[k] >= 0 for k in range(a + 1, b))

    def _clitic_cut(self, i: int) -> int:
        """Code points of a glued conjunction/preposition before the phrase proper (وللمرصد -> المرصد)."""
        t = self.t
        if t.ent_at[i] >= 0 and t.ment_char[i] > t.starts[i] and self.starts_entity(i):
            return t.ment_char[i] - t.starts[i]
        n = self.norm(i)
        if len(n) > 3 and n[0] in "وفلب" and n[1:3] == "ال":
            return skip_letters(t.words[i], 1)
        if len(n) > 4 and n[:2] in ("ول", "وب", "فل", "فب") and n[2:4] == "ال":
            return skip_letters(t.words[i], 2)
        if (
            len(n) > 3
            and n[0] in "لب"
            and any(_key(n[1:]) in s for s in (PERSON_TITLES, ORG_HEADS, DOC_NOUNS))
        ):
            return skip_letters(t.words[i], 1)  # لمراسل، لوزارة
        return 0

    def _np_keys(self, a: int, b: int) -> frozenset[str]:
        return frozenset(_skel_key(self.norm(k)) for k in range(a, b) if self.word(k))

    def _np_heads(self, a: int, b: int) -> frozenset[str]:
        """Head titles of a speaker phrase: its first word, and a title right after a comma or a name."""
        heads = set()
        for k in range(a, b):
            if self.in_set(k, PERSON_TITLES) and (
                k == a
                or self.t.words[k - 1] in _COMMAS
                or self.is_person(k - 1)
                or self.in_set(k - 1, HONORIFICS)
            ):
                heads.add(_skel_key(self.norm(k)))
        return frozenset(heads)

    def _entity_speaker(
        self,
        e: int,
        mention: tuple[int, int] | None,
        resolution: Resolution,
        keys: frozenset[str] = frozenset(),
    ) -> _Spk:
        ent = self.t.entities[e]
        return _Spk(_clean_name(ent.name), ent.id, mention, resolution, self.t.person_ent[e], keys)

    def _doc_owner(self, a: int, b: int) -> _Spk | None:
        """The author of a statement or report: بيان صادر عن X، حصيلة للمرصد، تقرير أصدرته X."""
        t = self.t
        limit = t.sentence_span(a)[1]
        for k in range(a + 1, min(b + 1, limit)):
            n = self.norm(k)
            if n == "عن" and _key(self.norm(k - 1)) in ("صادر", "صادره"):
                end = self.np_end(k + 1, limit)
                return self.speaker_from_np(k + 1, end, k + 1) if end > k + 1 else None
            if n.startswith(("اصدر", "نشر")) and len(n) <= 7 and k + 1 < limit:
                end = self.np_end(k + 1, limit)
                return self.speaker_from_np(k + 1, end, k + 1) if end > k + 1 else None
        n1 = self.norm(a + 1)
        if (
            b - a >= 2
            and len(n1) > 3
            and n1[0] == "ل"
            and (n1.startswith("لل") or n1[1:3] == "ال" or self.t.ent_at[a + 1] >= 0 or self.is_pp(a + 1))
        ):
            return self.speaker_from_np(a + 1, b, a + 1)  # حصيلة للمرصد، بيان لوزارة الصحة
        return None

    def _name_in_np(self, a: int, b: int) -> tuple[int, int] | None:
        """A personal name inside a title phrase the NER missed: after an honorific, or its tail."""
        for k in range(b - 1, a - 1, -1):
            if self.in_set(k, HONORIFICS) and k + 1 < b:
                run = self.name_run(k + 1, b)
                if run:
                    return k + 1, k + 1 + run
        if b - a <= 3 and all(self.namelike(k) for k in range(a, b)):
            return a, b  # the phrase is a name: وأضاف الجلال
        if not self.in_set(a, PERSON_TITLES):
            return None
        best: tuple[int, int] | None = None  # the last run of two or more name-like words
        k = a + 1
        while k < b:
            run = self.name_run(k, b)
            if run >= 2:
                best = (k, k + run)
                k += run
            else:
                k += 1
        return best

    def _link_name(self, text: str) -> _Spk | None:
        """An entity or an earlier speaker whose name contains this one (الجلال -> وليد الجلال)."""
        keys = list(_name_keys(text))
        if not keys:
            return None
        for e, ent in enumerate(self.t.entities):
            if not self.t.person_ent[e]:
                continue
            ek = list(_name_keys(ent.name))
            if _contains(ek, keys) or _contains(keys, ek):
                return _Spk(_clean_name(ent.name), ent.id, None, "explicit", True)
        best: _Spk | None = None
        for agent in self.agents[-_MAX_AGENTS:]:
            if not agent.spk.person:
                continue
            sk = list(_name_keys(agent.spk.name))
            if _contains(sk, keys) and (best is None or len(agent.spk.name) > len(best.name)):
                best = agent.spk
        return best

    def _title_match(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """الوزير الاميركي، وزير الخارجية السعودي، المسؤول الروسي: the person the title refers to."""
        qkeys = self._np_keys(a, b)
        head = _skel_key(self.norm(a))
        qadj = {_skel_key(self.norm(k)) for k in range(a, b) if self.is_adjective(k)}
        lo = bisect.bisect_left(self.title_pos, at - _MAX_LOOKBACK)
        hi = bisect.bisect_right(self.title_pos, at + _MAX_LOOKBACK)
        cands = self.titles[lo:hi]
        cands += [
            (ag.pos, ag.spk.heads, ag.spk.keys, ag.spk)
            for ag in self.agents[-_MAX_AGENTS:]
            if ag.spk.heads and ag.spk.person
        ]
        best: tuple[int, int, _Spk] | None = None
        for pos, heads, keys, spk in cands:
            # the head title and every adjective must match: الوزير السعودي is not the American minister,
            # and the spokesman of the Secretary-General is not the Secretary-General
            if head not in heads or pos == a or not qadj <= keys:
                continue
            score = len(qkeys & keys)
            rank = (score, pos if pos < at else -pos)
            if best is None or rank > (best[0], best[1]):
                best = (rank[0], rank[1], spk)
        if best is not None:
            return best[2].as_resolution("nominal", mention)
        if b - a <= 1 and _key(self.norm(a)) in BARE_SOURCE_NOUNS:
            last = self.last_agent(at, None)
            if last is not None:
                return last.as_resolution("nominal", mention)
        return None

    def _definite(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """الوزارة، البيان، الوكالة، هذا المركز: the phrase that introduced what the description names."""
        t = self.t
        if self.in_set(a, PERSON_TITLES):
            return self._title_match(a, b, at, mention)
        head = _key(_core(self.norm(a)))
        if len(head) < 2:
            return None
        positions = self.head_index().get(head, [])
        upto = bisect.bisect_left(positions, a)
        for j in reversed(positions[max(0, upto - _MAX_CANDIDATES) : upto]):
            if j < a - _MAX_LOOKBACK:
                break
            n = self.norm(j)
            definite = n.startswith("ال") or n[1:3] == "ال"
            if definite and not self.is_adjective(j + 1):
                continue  # another bare mention: keep looking for the one that introduced it
            if not definite and not (
                self.word(j + 1) and not self.stop_word(j + 1) and self.cue_at[j + 1] is None
            ):
                continue  # a construct phrase: وكالة أنباء الأناضول، أمانة محافظة الطائف
            limit = t.sentence_span(j)[1]
            end = self._construct_end(j, limit) if not definite else self.np_end(j, limit)
            if self.in_set(j, DOC_NOUNS):
                owner = self._doc_owner(j, self.np_end(j, limit))
                if owner is not None:
                    return owner.as_resolution("nominal", mention)
                continue  # a statement without a named author says nothing about who "البيان" is
            k = j + 1  # the antecedent phrase stops before a personal name it runs into
            while k < end and not (t.ent_at[k] >= 0 and self.is_person(k)):
                if self.in_set(k, HONORIFICS) or (
                    self.name_run(k, end) >= 2 and k + self.name_run(k, end) == end
                ):
                    break
                k += 1
            end = k
            if end - j < 2:
                continue
            e = t.ent_at[j]
            if e >= 0 and t.entities[e].label != "PER" and self.starts_entity(j):
                return self._entity_speaker(e, mention, "nominal", self._np_keys(j, end))
            cut = skip_letters(t.words[j], 1) if _key(n) != head else self._clitic_cut(j)
            text = _clean_name(t.text[t.starts[j] + cut : t.ends[end - 1]])
            return _Spk(text, None, mention, "nominal", False, self._np_keys(j, end))
        return None

    def head_index(self) -> dict[str, list[int]]:
        """Token positions of each noun key (with a glued ل/ب/و stripped), built on first use."""
        if self._head_index is None:
            # the keys of each distinct word once (words repeat), then its positions
            positions: dict[str, list[int]] = {}
            for j, n in enumerate(self.t.norms):
                positions.setdefault(n, []).append(j)
            index: dict[str, list[int]] = {}
            for n, js in positions.items():
                if len(n) < 2 or not n[0].isalpha():
                    continue
                index.setdefault(_key(n), []).extend(js)
                if len(n) > 3 and n[0] in "لبو" and not n.startswith("ال"):
                    rest = _key(n[1:])
                    if rest != _key(n):
                        index.setdefault(rest, []).extend(js)
            for js in index.values():
                js.sort()  # positions are bisected
            self._head_index = index
        return self._head_index

    def _construct_end(self, j: int, limit: int) -> int:
        """End of a construct chain: وكالة أنباء الأناضول الحكومية، أمانة محافظة الطائف، وزارة العمل."""
        k = j + 1
        while k < limit and self.word(k) and not self.stop_word(k) and self.cue_at[k] is None:
            n = self.norm(k)
            definite = n.startswith(("ال", "لل")) or self.t.ent_at[k] >= 0 or n[1:3] == "ال"
            nxt = self.norm(k + 1)
            if not definite and not (
                nxt.startswith(("ال", "لل")) or (k + 1 < limit and self.t.ent_at[k + 1] >= 0)
            ):
                break
            k += 1
        return k

    # -- agents --------------------------------------------------------------------------
    def last_agent(self, at: int, feminine: bool | None, same_sentence: bool = False) -> _Spk | None:
        sent = self.t.sent[min(at, self.t.n - 1)]
        for agent in reversed(self.agents[-_MAX_AGENTS:]):
            if agent.pos >= at:
                continue
            in_sent = self.t.sent[agent.pos] == sent
            if same_sentence and not in_sent:
                return None
            if agent.local and not in_sent:
                continue
            spk = agent.spk
            if feminine is True and spk.person and not spk.feminine:
                continue  # تؤكد، قالت، مشيرة after a man: look further back
            if feminine is False and spk.person and spk.feminine:
                continue
            return spk
        return None

    def add_agent(self, pos: int, spk: _Spk, local: bool = False) -> None:
        self.agents.append(_Agent(pos, spk, local))

    # -- the cue pass --------------------------------------------------------------------
    def run(self) -> list[_Found]:
        t = self.t
        norms, sent, claimed = t.norms, t.sent, self.claimed  # every token: locals, not method calls
        seen_sent = -1
        for i in range(t.n):
            if sent[i] != seen_sent:
                seen_sent = sent[i]
                self._sentence_subject(i)
            if claimed[i]:
                continue
            if norms[i] in STATEMENT_VERBS and self.norm(i + 1) == "في" and self.in_set(i + 2, DOC_NOUNS):
                self._statement(i)
                continue
            hit = self.cue_at[i]
            if hit is None:
                continue
            cue, conj = hit
            if cue.cls == "attrib":
                self._attributive(i, cue)
            else:
                self._from_cue(i, cue, conj)
        self._unclaimed_pairs()
        self._headlines()
        return self.found

    def _sentence_subject(self, i: int) -> None:
        """The subject of a sentence for later implicit verbs in it: وعقد كيري ...، غير أن الأمانة ..."""
        t = self.t
        a, b = t.sentence_span(i)
        first = self.norm(a)
        norms = t.norms
        # clause subjects: (غير|إلا|لكن) أن الأمانة قامت ... وأكدت
        for k in range(a, b):
            if norms[k] in BARE_COMPLEMENTIZERS and (k == a or norms[k - 1] in CLAUSE_OPENERS):
                s = k + 1
                if (
                    s < b
                    and (self.norm(s).startswith("ال") or self.starts_entity(s))
                    and self.speaker_like(s)
                ):
                    spk = self.speaker_from_np(s, self.np_end(s, b), s)
                    if spk is not None:
                        self.add_agent(s, spk, local=True)
        if first in COMPLEMENTIZERS or first in CLAUSE_OPENERS:
            return
        for k in (a + 1, a + 2):
            if k >= b:
                return
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label in ("PER", "ORG") and self.starts_entity(k):
                if first.startswith("ال") or first in PREPOSITIONS or not self.word(a):
                    return
                self.add_agent(k, self._entity_speaker(e, None, "explicit"), local=True)
                return

    def _cue_span(self, i: int, conj: int) -> tuple[int, int]:
        cut = skip_letters(self.t.words[i], conj) if conj else 0
        return self.t.starts[i] + cut, self.t.ends[i]

    def _skip_adverbs(self, j: int, limit: int) -> int:
        t = self.t
        while j < limit:
            if self.norm(j) in TIME_WORDS or t.words[j] in _COMMAS or self.stray(j):
                j += 1
            elif t.words[j] in _PAREN_CLOSE:  # (بي. بي. سي)، -الناطق بالتركية ...–
                close = _PAREN_CLOSE[t.words[j]]
                k = j + 1
                while k < limit and k - j < 24 and t.words[k] not in close:
                    k += 1
                if k >= limit or t.words[k] not in close:
                    return j
                j = k + 1
            else:
                return j
        return j

    def _from_cue(self, i: int, cue: Cue, conj: int) -> None:
        t = self.t
        sa, sb = t.sentence_span(i)
        cue_span = self._cue_span(i, conj)
        speaker: _Spk | None = None
        subj_end = i + 1
        explicit = False
        ambiguous = cue.ambiguous
        if cue.cls == "noun":
            if self.norm(i) not in CHAIN_NOUNS:
                return
        elif cue.cls == "verb":
            if self._impersonal(i, cue, sa):
                return
            if conj == 0 and self.norm(i - 1) in PRONOUN_SUBJECTS:  # فإنها دعت X: X is the object
                speaker, subj_end = None, i + 1
                fem = self.norm(i - 1).endswith(("ها", "هي"))
                cue = Cue(cue.lemma, cue.cls, cue.category, cue.ambiguous, fem, cue.past)
            else:
                speaker, subj_end = self._subject_after(i, sb)
            explicit = speaker is not None
            if speaker is None and conj == 0 and self.norm(i - 1) not in PRONOUN_SUBJECTS:
                speaker = self._subject_before(i, sa, cue)
                explicit = speaker is not None and speaker.resolution != "anaphoric"
        # source chains: نقلت X عن Y (قوله) ...، نقل عنه القول، ... على لسان Y
        k = self._skip_adverbs(subj_end, sb)
        n = self.norm(k)
        if n == "عن" and (cue.lemma == "نقل" or self._chain_noun_ahead(k + 1, sb)):
            end = self.np_end(k + 1, sb)
            if end > k + 1 and self.speaker_like(k + 1):
                end = self.extend_to_name(k + 1, end, sb)
                speaker = self.speaker_from_np(k + 1, end, k + 1)
                explicit, subj_end, ambiguous = speaker is not None, end, False
        elif n == "نقلا" and self.norm(k + 1) == "عن" and self.word(k + 2):  # أفادت مصادر نقلا عن X
            end = self.extend_to_name(k + 2, self.np_end(k + 2, sb), sb)
            if end > k + 2:
                speaker = self.speaker_from_np(k + 2, end, k + 2)
                explicit, subj_end = speaker is not None, end
        elif n in SPEECH_PREP_PRONOUNS and (cue.lemma == "نقل" or self._chain_noun_ahead(k + 1, sb)):
            speaker, explicit, subj_end, ambiguous = None, False, k + 1, False
            # the speaker is the pronoun's referent: عنه (he), عنها (she)
            fem = n == "عنها"
            cue = Cue(cue.lemma, cue.cls, cue.category, cue.ambiguous, fem, cue.past)
        k = self._skip_adverbs(subj_end, sb)
        if self.norm(k) == _ALA and self.norm(k + 1) == "لسان":
            end = self.np_end(k + 2, sb)
            if end > k + 2:
                end = self.extend_to_name(k + 2, end, sb)
                speaker = self.speaker_from_np(k + 2, end, k + 2)
                explicit, subj_end = speaker is not None, end
        if speaker is None and subj_end == i + 2 and self.norm(i + 1) in DEMONSTRATIVES:
            speaker = self._implicit(i, cue)  # وقال هؤلاء إن: the people just mentioned
        if speaker is None:
            speaker = self._implicit(i, cue)
        elif not explicit:
            speaker = speaker.as_resolution("anaphoric", None)
        if explicit and speaker is not None and cue.feminine and speaker.person and speaker.entity_id is None:
            speaker.feminine = True
        window = _MAX_WINDOW
        if ambiguous and (self.norm(i - 1) in ("قد", "لقد") or (explicit and cue.cls == "verb")):
            # وكانت الخارجية قد ذكرت في بيان لها أن، كشف موقوفون ... أنهم: a verb with its subject
            ambiguous, window = False, 12
        comp = self._complement(
            subj_end,
            sb,
            ambiguous,
            clauses=cue.category not in REQUEST_CATEGORIES,
            window=window,
            speech=cue.category == "report_neutral" and cue.cls == "verb" and not cue.ambiguous,
        )
        if comp is None:
            if explicit and speaker is not None:
                if cue.past and self.norm(i - 1) in ("كما", "مثلما") and self._ends_sentence(subj_end, sb):
                    self._postposed_clause(i, cue_span, speaker, cue)  # ...، كما قال المرصد
                elif not ambiguous or speaker.entity_id is not None:
                    # وأشار X إلى قيام الوزارة ... . وأضاف أن ...: X goes on speaking
                    local = cue.category in REQUEST_CATEGORIES or cue.category.startswith("stance")
                    self.add_agent(i, speaker, local=local)
            return
        kind, start, end, chain = comp
        if chain is not None:
            cue_span = self._cue_span(chain, 0)
        self._emit(kind, start, end, cue_span, speaker, self._score(kind, cue, speaker))
        if speaker is not None:
            pos = t.token_of(speaker.mention[0]) if speaker.mention is not None else i
            self.add_agent(pos, speaker)

    def _impersonal(self, i: int, cue: Cue, sa: int) -> bool:
        """يذكر أن ...، ويقال إن ...: a present-tense cue opening its sentence with no subject is the
        journalist's impersonal passive (يُذكر), not a speaker's statement."""
        if cue.past or cue.feminine or i - sa > 1:
            return False
        if i > sa and self.norm(sa) not in CLAUSE_OPENERS:
            return False
        nxt = i + 1
        if self.norm(nxt) in _COMPLEMENT_PREPS:
            nxt += 1
        return self.is_complementizer(nxt)

    def _subject_after(self, i: int, limit: int) -> tuple[_Spk | None, int]:
        """VSO: the speaker phrase after the verb (an addressee or a pronoun phrase may come first)."""
        t = self.t
        j = self._skip_adverbs(i + 1, limit)
        while j < limit and self.norm(j) in PRONOUN_PPS:
            j += 1
        if j < limit and self.is_pp(j) and not self.speaker_like_pp(j):
            end = self.np_end(j + 1 if t.words[j] in ("لـ", "ل") else j, limit)
            if j + 1 < limit and j + 1 in t.pair_at_open and t.words[j] in ("لـ", "ل"):
                pair = t.pair_at_open[j + 1]
                pair.name = True
                end = pair.after
            j = self._skip_adverbs(max(end, j + 1), limit)
        if j >= limit:
            return None, i + 1
        if self.norm(j) in HONORIFIC_PRONOUNS:  # وشدد سموه
            spk = self._honorific_referent(i)
            if spk is not None:
                return spk.as_resolution("anaphoric", None), j + 1
            return None, j + 1
        if j in t.pair_at_open:
            pair = t.pair_at_open[j]
            if pair.n_words <= 3 and pair.close is not None:
                # اتهمت «وحدات حماية الشعب» ...، وأضاف "الدوسري": the quoted words are the subject's name
                pair.name = True
                end = self.np_end(pair.after, limit) if self.is_adjective(pair.after) else pair.after
                spk = self.speaker_from_np(pair.open + 1, pair.close, pair.open + 1)
                return spk, end
            return None, i + 1
        if not self.word(j) or self.is_verb_cue(j, True) or self._oblique_plural(j):
            return None, i + 1
        if not self.speaker_like(j) and not self._agreeing_subject(j, self.cue_at[i]):
            return None, i + 1
        end = self.np_end(j, limit)
        if end <= j:
            return None, i + 1
        end = self.extend_to_name(j, end, limit)
        return self.speaker_from_np(j, end, j), end

    def _honorific_referent(self, i: int) -> _Spk | None:
        """سموه/معاليه: the previous speaker, else the dignitary the article names with سمو/معالي."""
        spk = self.last_agent(i, None)
        if spk is not None:
            return spk
        if self._honorific is not False:
            return self._honorific if isinstance(self._honorific, _Spk) else None
        self._honorific = None
        t = self.t
        for k in range(t.n):
            if self.norm(k) not in HONORIFIC_NOUNS:
                continue
            for j in range(k + 1, min(t.n, k + 5)):  # سمو الأمير خالد الفيصل
                if self.is_person(j):
                    self._honorific = self._entity_speaker(t.ent_at[j], None, "explicit")
                    return self._honorific
            end = self.np_end(k + 1, t.sentence_span(k)[1])
            if end > k + 1:
                self._honorific = self.speaker_from_np(k + 1, end, k + 1)
                return self._honorific
        return None

    def _oblique_plural(self, j: int) -> bool:
        """الكينيين، المسؤولين: a sound plural in -ين after the verb is its object, not its subject."""
        n = self.norm(j)
        if not n.startswith("ال") or not n.endswith("ين") or len(n) < 6 or self.is_person(j):
            return False
        return n.endswith("يين") or self.count(n[:-2] + "ون") > 0

    def _agreeing_subject(self, j: int, hit: tuple[Cue, int] | None) -> bool:
        """أفادت الشبكة، قالت الهيئة: a feminine verb and a definite feminine noun right after it."""
        if hit is None or not hit[0].feminine:
            return False
        n = self.norm(j)
        return n.startswith("ال") and n.endswith("ه") and len(n) > 4 and self.cue_at[j] is None

    def speaker_like_pp(self, j: int) -> bool:
        """لأمانة/للحملة at the start of a subject is a genitive, but لـ“X” / لوكالة X is an addressee."""
        return False

    def _subject_before(self, i: int, sa: int, cue: Cue) -> _Spk | None:
        """SVO: the phrase before a cue without a conjunction (وكان كيري صرح، إلا أن مسؤولا ... قال)."""
        t = self.t
        j = i - 1
        while j >= sa and self.norm(j) in ("قد", "لقد"):
            j -= 1
        if j < sa:
            return None
        if self.norm(j) in PRONOUN_SUBJECTS:  # فإنها دعت، وهو يشير
            return self._implicit(i, cue)
        end, k = j + 1, j
        while k >= sa and end - k <= _MAX_NP:
            n = self.norm(k)
            if t.words[k] in _COMMAS:
                k -= 1
                continue
            if not self.word(k) or self.is_verb_cue(k, True) or n in RELATIVES:
                break
            if n in CONJUNCTIONS:
                break
            if n in PREPOSITIONS:
                return None  # the object of a preposition is not a subject
            if n in ("كان", "وكان", "وكانت", "كانت", "فكان") or n in COMPLEMENTIZERS or n in TIME_WORDS:
                break
            k -= 1
        start = k + 1
        while start < end and t.words[start] in _COMMAS:
            start += 1
        if start >= end or end - start > 10 or not self.speaker_like(start):
            return None
        if start == sa and self.conj(sa) and t.ent_at[sa] < 0:
            return None
        return self.speaker_from_np(start, end, start)

    def _implicit(self, i: int, cue: Cue | None) -> _Spk | None:
        """واضاف، وتابع، مشيرا، فإنها: the sentence's subject, else the previous speaker."""
        t = self.t
        fem = cue.feminine if cue is not None else None
        spk = self.last_agent(i, fem, same_sentence=True)
        if spk is None:
            sa = max(t.sentence_span(i)[0], i - 60)
            for k in range(sa, i):  # the first named person (or, for تقول/قالت, institution) before it
                e = t.ent_at[k]
                if e < 0 or self.claimed[k] or t.words[k] in _MARKS:
                    continue
                if (not fem and t.person_ent[e]) or (fem and t.entities[e].label == "ORG"):
                    spk = self._entity_speaker(e, None, "explicit")
                    break
        if spk is None:
            spk = self.last_agent(i, fem)
        return spk.as_resolution("anaphoric", None) if spk is not None else None

    def _chain_noun_ahead(self, j: int, limit: int) -> bool:
        return any(self.norm(k) in CHAIN_NOUNS for k in range(j, min(limit, j + _MAX_NP + 2)))

    def _ends_sentence(self, j: int, limit: int) -> bool:
        """Only a short phrase (في المكان) is left before the sentence ends."""
        words = sum(1 for k in range(j, limit) if self.word(k))
        return words <= 3 and all(self.t.words[k] not in _MARKS for k in range(j, limit))

    def _fragment_slot(self, k: int, words_seen: int) -> bool:
        """A short quoted fragment is the cue's content only in an object slot: right after the cue or
        its subject, after a preposition (عن “قلقه البالغ”، إلى “...”) or a noun with a pronoun
        (دعوته “...”). Elsewhere (…العضوية "إنوكيم") the marks name something."""
        if words_seen == 0:
            return True
        prev = self.norm(k - 1)
        if prev in PREPOSITIONS or self.t.words[k - 1] in ("بـ", "ب", "لـ"):
            return True
        return words_seen <= 2 and len(prev) > 3 and self.t.words[k - 1].endswith(("ه", "ها", "هم"))

    def _indefinite_before(self, j: int) -> bool:
        """The phrase right before j is indefinite (مسؤول تركي), so a verb after it is a relative clause."""
        k = j - 1
        return k >= 0 and self.word(k) and not self.norm(k).startswith("ال") and self.t.ent_at[k] < 0

    def _pair_is_apposition(self, pair: _Pair, limit: int) -> bool:
        """A short quoted name right before the complement: بيان ... "يونيسيف" إن ..."""
        k = pair.after
        for _ in range(2):
            if k >= limit:
                return False
            if self.is_complementizer(k) or self.t.words[k] == ":" or k in self.t.pair_at_open:
                return True
            if self.t.words[k] not in _COMMAS:
                return False
            k += 1
        return False

    def _complement(
        self,
        j: int,
        limit: int,
        ambiguous: bool,
        clauses: bool = True,
        window: int = _MAX_WINDOW,
        speech: bool = False,
    ) -> tuple[QuoteKind, int, int, int | None] | None:
        """The reported content after a cue: (kind, start, end, chain-noun token). Without ``clauses``
        (requests: دعا، طالب، وافق) only quoted words or a colon count, not an أن-clause."""
        t = self.t
        chain: int | None = None
        k = j
        words_seen = 0
        while k < limit and k - j <= window:
            w = t.words[k]
            n = self.norm(k)
            if n in CHAIN_NOUNS:
                chain, ambiguous = k, False
                k += 1
                continue
            if w in _PAREN_CLOSE:  # (بي. بي. سي)، -الناطق بالتركية ...–
                ends = _PAREN_CLOSE[w]
                close = next((x for x in range(k + 1, min(limit, k + 26)) if t.words[x] in ends), None)
                if close is not None:
                    k = close + 1
                    continue
            if w == ":":
                nxt = k + 1
                if self.norm(nxt) in BARE_COMPLEMENTIZERS and nxt + 1 in t.pair_at_open:
                    nxt += 1  # قوله: إن “...”
                if nxt in t.pair_at_open and not self._is_name_pair(t.pair_at_open[nxt]):
                    return self._direct(t.pair_at_open[nxt], chain)
                end_tok = self._clause_end(nxt, limit)
                return self._clause(nxt, end_tok, chain) if end_tok > nxt else None
            if k in t.pair_at_open:
                pair = t.pair_at_open[k]
                if pair.used:
                    return None
                short = pair.n_words <= 3
                ends_sentence = speech and (pair.after >= t.n or t.words[pair.after] in SENT_END)
                if self._is_name_pair(pair) or (
                    short
                    and not ends_sentence  # واضاف قبل لقاء ... “لدينا الامل”.
                    and (
                        words_seen > 4
                        or self._pair_is_apposition(pair, limit)
                        or not self._fragment_slot(k, words_seen)
                    )
                ):
                    words_seen += pair.n_words
                    k = pair.after
                    continue
                if ambiguous and words_seen > 3 and short:
                    return None
                return self._direct(pair, chain)
            if self.is_complementizer(k):
                if ambiguous and words_seen > 3:
                    return None
                bare = n in BARE_COMPLEMENTIZERS
                nxt = k + 1
                if nxt in t.pair_at_open:  # ان “...”، انه “...”
                    pair = t.pair_at_open[nxt]
                    if not pair.used and not self._is_name_pair(pair):
                        return self._direct(pair, chain)
                if not clauses:
                    return None
                first = nxt if bare else k
                end_tok = self._clause_end(first, limit)
                return self._clause(first, end_tok, chain) if end_tok > first else None
            if w in SENT_END or w in ("؛", ";"):
                return None
            if k > j and (n in PRONOUN_SUBJECTS or self.cue_cls(k) == "attrib"):
                return None
            hit = self.cue_at[k]
            if (
                hit is not None
                and k == j
                and hit[0].cls == "verb"
                and not hit[1]
                and self._indefinite_before(j)
            ):
                k += 1  # وصرح مسؤول تركي رفض الكشف عن هويته ...: a relative clause, not a new statement
                continue
            if (
                hit is not None
                and hit[0].cls in ("verb", "participle")
                and (
                    not hit[0].ambiguous
                    or hit[1]
                    or self.norm(k - 1) in PRONOUN_SUBJECTS
                    or self.norm(k) != hit[0].lemma  # تبين، ذكرت: an inflected form is a verb
                )
            ):
                return None  # another reporting verb starts its own quote
            if self.word(k):
                words_seen += 1
            k += 1
        return None

    def _direct(self, pair: _Pair, chain: int | None) -> tuple[QuoteKind, int, int, int | None]:
        pair.used = True
        for x in range(pair.open, min(self.t.n, pair.after)):
            self.claimed[x] = True
        return "direct", pair.start, pair.end, chain

    def _clause(self, a: int, b: int, chain: int | None) -> tuple[QuoteKind, int, int, int | None]:
        t = self.t
        while b > a and (t.words[b - 1] in _COMMAS or t.words[b - 1] in _BOUNDARY):
            b -= 1
        kind: QuoteKind = "indirect"
        for x in range(a, b):
            self.claimed[x] = True
            if x in t.pair_at_open:
                pair = t.pair_at_open[x]
                pair.used = True
                if not self._is_name_pair(pair):
                    kind = "mixed"
        if b <= a:
            return kind, t.starts[a], t.starts[a], chain
        return kind, t.starts[a], t.ends[b - 1], chain

    def _clause_end(self, a: int, limit: int) -> int:
        """End of a reported clause: the sentence end (across quoted sentences and وأن continuations),
        or before a new cue (، مشيرا الى / ، وأضاف) or an attribution (، بحسب)."""
        t = self.t
        k = a
        while k < t.n:
            if t.in_pair[k] >= 0 and t.pairs[t.in_pair[k]].open < k:
                k = max(k + 1, t.pairs[t.in_pair[k]].after)
                continue
            if k >= limit or t.sent[k] != t.sent[a]:
                # a coordinated complement continues the clause: ... مدرسة.وأنه جرى ...
                if k < t.n and self.norm(k) in ("وان", "وانه", "وانها", "وبان") and t.para[k] == t.para[a]:
                    limit = t.sentence_span(k)[1]
                    a = k
                    k += 1
                    continue
                return k
            w = t.words[k]
            if w in ("؛", ";"):
                return k
            if k > a and self.norm(k) in CONTRASTS and self._cue_within(k + 1, min(limit, k + 6)):
                return k
            if w in _COMMAS and k + 1 < t.n:
                nxt = k + 1
                if self.norm(nxt) in CLAUSE_SHIFTERS or self.norm(nxt + 1) in TOPIC_SHIFTERS:
                    return k  # ...، من جهته قال الرئيس الكيني: ...
                if self.is_verb_cue(nxt) and self.cue_cls(nxt) == "verb":
                    return k
                hit = self.cue_at[nxt]
                if hit is not None and (
                    hit[0].cls in ("participle", "attrib") or (hit[0].cls == "verb" and hit[1])
                ):
                    return k
                if (
                    self.norm(nxt) in ("كما", "مثلما")
                    and self.is_verb_cue(nxt + 1, True)
                    and (
                        self.cue_at[nxt + 1] is not None and self.cue_at[nxt + 1][0].past  # type: ignore[index]
                    )
                ):
                    return k
            elif k > a:
                hit = self.cue_at[k]
                if (
                    hit is not None
                    and hit[0].cls == "participle"
                    and not hit[0].ambiguous
                    and (
                        self.is_complementizer(k + 1)
                        or (self.norm(k + 1) in _COMPLEMENT_PREPS and self.is_complementizer(k + 2))
                    )
                ):
                    return k
            k += 1
        return k

    def _cue_within(self, a: int, b: int) -> bool:
        return any(
            self.is_verb_cue(k) or (self.cue_cls(k) == "verb" and self.cue_at[k] is not None)
            for k in range(a, b)
        )

    def _is_name_pair(self, pair: _Pair) -> bool:
        if pair.name:
            return True
        t = self.t
        if t.text[pair.start : pair.start + 1] in ("#", "@"):
            pair.name = True
            return True
        if pair.n_words > 4:
            return False
        first = pair.open + 1
        if first < pair.end_tok and (
            self.in_set(first, ORG_HEADS)
            or self.in_set(first, NAMING_NOUNS)
            or (pair.n_words == 1 and (self.norm(first) in TIME_WORDS or self.norm(first)[:1].isdigit()))
        ):
            pair.name = True  # «لجنة الميثاق»، «الثلاثاء»
            return True
        prev = pair.open - 1
        if prev >= 0 and (
            t.words[prev] in ("لـ", "ل") or self.in_set(prev, NAMING_NOUNS) or self.cue_cls(prev) == "attrib"
        ):
            pair.name = True
            return True
        return False

    # -- statements and attributive phrases ---------------------------------------------
    def _statement(self, i: int) -> None:
        """وجاء في البيان أن ...، وجاء في بيان للوزارة: “...”: the statement's author said it."""
        t = self.t
        _, sb = t.sentence_span(i)
        a = i + 2
        end = self.np_end(a, sb)
        speaker = self.speaker_from_np(a, end, a)
        if (
            speaker is not None
            and speaker.resolution == "nominal"
            and speaker.entity_id is None
            and end - a <= 1
        ):
            speaker = None
        comp = self._complement(end, sb, False)
        if comp is None:
            return
        kind, start, stop, _ = comp
        self._emit(kind, start, stop, self._cue_span(a, 0), speaker, self._score(kind, None, speaker) - 0.05)

    def _attributive(self, i: int, cue: Cue) -> None:
        t = self.t
        sa, sb = t.sentence_span(i)
        j = i + 1
        lemma = cue.lemma
        if lemma in ("وفقا", "طبقا"):
            nxt = self.norm(j)
            if nxt == "ل":
                j += 1
            elif not nxt.startswith("ل"):
                return
        elif lemma == "نقلا":
            if self.norm(j) != "عن":
                return
            j += 1
        if self.norm(j) == "ما":  # حسب ما ذكرت الوزارة
            hit = self.cue_at[j + 1] if j + 1 < t.n else None
            if hit is None or hit[0].cls != "verb":
                return
            j += 2
        end = self.np_end(j, sb)
        if end <= j or not self._source_like(j, end):
            return
        end = self.extend_to_name(j, end, sb)
        speaker = self.speaker_from_np(j, end, j)
        if speaker is None:
            return
        hit = self.cue_at[i]
        cue_span = self._cue_span(i, hit[1] if hit is not None else 0)
        a = end
        while a < sb and (t.words[a] in _COMMAS or self.norm(a) in _FA_INNA):
            a += 1
        forward = a < sb and (self.is_complementizer(a) or self.norm(a - 1) in _FA_INNA)
        if i - sa <= 1 or forward:  # وبحسب المرصد، فان ... / ...، ووفقا لخبراء الآثار إن السور ...
            if self.norm(a) in BARE_COMPLEMENTIZERS and self.is_complementizer(a):
                a += 1
            if a in t.pair_at_open and not self._is_name_pair(t.pair_at_open[a]):
                kind, s, e, _ = self._direct(t.pair_at_open[a], None)
                self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
                return
            self._emit_clause(a, self._clause_end(a, sb), cue_span, speaker, cue)
        else:
            self._postposed_clause(i, cue_span, speaker, cue)

    def _source_like(self, a: int, b: int) -> bool:
        t = self.t
        for k in range(a, b):
            if t.ent_at[k] >= 0:
                return True
            if self.in_set(k, PERSON_TITLES) or self.in_set(k, ORG_HEADS) or self.in_set(k, DOC_NOUNS):
                return True
        return False

    def _postposed_clause(self, i: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None) -> None:
        """The clause before ، بحسب X / ، كما قال X / ، وفق X in the same sentence."""
        t = self.t
        sa = max(t.sentence_span(i)[0], i - 120)
        b = i
        while b > sa and (self.norm(b - 1) in ("كما", "مثلما") or t.words[b - 1] in _COMMAS):
            b -= 1
        if b <= sa or any(self.claimed[x] for x in range(sa, b)):
            return  # a quote already covers it: the phrase names the channel, not a new quote
        last = b - 1
        if t.words[last] in _CLOSERS and t.in_pair[last - 1] >= 0 if last >= 1 else False:
            pair = t.pairs[t.in_pair[last - 1]]
            if pair.close == last and not pair.used and not self._is_name_pair(pair):
                kind, s, e, _ = self._direct(pair, None)  # “...” بحسب X
                self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
                return
        a = sa
        while a < b and not self.word(a) and t.words[a] not in _OPENERS:
            a += 1
        self._emit_clause(a, b, cue_span, speaker, cue)

    def _emit_clause(self, a: int, b: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None) -> None:
        if b <= a:
            return
        kind, s, e, _ = self._clause(a, b, None)
        if e > s:
            self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))

    # -- quoted spans no cue claimed ----------------------------------------------------
    def _unclaimed_pairs(self) -> None:
        t = self.t
        ends: list[int] | None = None
        spoken: list[_Found] = []
        for pair in t.pairs:
            if pair.used or pair.n_words == 0 or self._is_name_pair(pair):
                continue
            if any(self.claimed[x] for x in range(pair.open, pair.after)):
                continue
            k = pair.after
            while k < t.n and t.words[k] in _COMMAS:
                k += 1
            hit = self.cue_at[k] if k < t.n else None
            if (
                hit is not None
                and hit[0].cls == "verb"
                and hit[1] == 0
                and t.sent[k] == t.sent[pair.end_tok - 1]
            ):
                speaker, _ = self._subject_after(k, t.sentence_span(k)[1])  # “...” قال X
                if speaker is not None:
                    kind, s, e, _ = self._direct(pair, None)
                    self._emit(kind, s, e, self._cue_span(k, 0), speaker, self._score(kind, hit[0], speaker))
                    self.add_agent(k, speaker)
                    continue
            # a whole quoted sentence or paragraph with no cue: the previous speaker goes on
            starts_unit = pair.open == 0 or t.sent[pair.open - 1] != t.sent[pair.open]
            if starts_unit and pair.n_words >= 6 and self.found:
                if ends is None:
                    spoken = sorted((f for f in self.found if f.speaker is not None), key=lambda f: f.end)
                    ends = [f.end for f in spoken]
                idx = bisect.bisect_right(ends, pair.start) - 1
                if idx >= 0:
                    prev = spoken[idx]
                    if prev.speaker is not None and t.para[pair.open] - t.para[t.token_of(prev.end)] <= 1:
                        kind, s, e, _ = self._direct(pair, None)
                        self._emit(kind, s, e, None, prev.speaker.as_resolution("anaphoric", None), 0.35)

    # -- headlines -----------------------------------------------------------------------
    def _headlines(self) -> None:
        """A short line "كيري: نقترب من ..." : a headline quote of a named speaker."""
        t = self.t
        i = 0
        while i < t.n:
            end = t.para_end(i)
            if end - i <= 25 and t.words[end - 1] not in SENT_END and not any(self.claimed[i:end]):
                colon = next((k for k in range(i + 1, min(end, i + 6)) if t.words[k] == ":"), None)
                e = t.ent_at[i]
                span = t.ment_at[i]
                if (
                    colon is not None
                    and colon + 1 < end
                    and e >= 0
                    and (t.person_ent[e] or t.entities[e].label == "ORG")
                    and span is not None
                    and span[0] == i
                    and span[1] == colon
                ):
                    speaker = self._entity_speaker(e, (t.starts[i], t.ends[colon - 1]), "explicit")
                    a = colon + 1
                    s, stop = t.starts[a], t.ends[end - 1]
                    if a in t.pair_at_open and t.pair_at_open[a].close == end - 1:
                        s, stop = t.pair_at_open[a].start, t.pair_at_open[a].end
                    self._emit("direct", s, stop, None, speaker, 0.55)
            i = end

    # -- output --------------------------------------------------------------------------
    def _score(
        self, kind: QuoteKind, cue: Cue | None, speaker: _Spk | None, *, attributive: bool = False
    ) -> float:
        """Confidence: direct > mixed > indirect; verb cues > attributive phrases; named, linked speakers
        > descriptions > carried-over speakers > none."""
        score = {"direct": 0.8, "mixed": 0.75, "indirect": 0.7}[kind]
        if attributive:
            score -= 0.15
        if cue is not None and cue.ambiguous:
            score -= 0.05
        if speaker is None:
            score -= 0.3
        elif speaker.resolution == "anaphoric":
            score -= 0.1
        elif speaker.resolution == "nominal":
            score -= 0.05
        if speaker is not None and speaker.entity_id is not None:
            score += 0.1
        if cue is not None and cue.category == "report_neutral" and cue.cls == "verb":
            score += 0.05
        return round(min(0.99, max(0.05, score)), 2)

    def _emit(
        self,
        kind: QuoteKind,
        start: int,
        end: int,
        cue: tuple[int, int] | None,
        speaker: _Spk | None,
        score: float,
    ) -> None:
        text = self.t.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        self.found.append(_Found(kind, start, end, cue, speaker, score, len(self.found)))


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    if n == 0 or n > len(long):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _finalize(found: list[_Found], text: str) -> list[Quote]:
    """Drop overlaps (the quote found first wins), order by position, number Q1.. ."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda x: x.order):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    kept.sort(key=lambda x: (x.start, x.end))
    out: list[Quote] = []
    for n, f in enumerate(kept, start=1):
        cue = Mention(start=f.cue[0], end=f.cue[1], text=text[f.cue[0] : f.cue[1]]) if f.cue else None
        out.append(
            Quote(
                id=f"Q{n}",
                kind=f.kind,
                content=Mention(start=f.start, end=f.end, text=text[f.start : f.end]),
                cue=cue,
                speaker=f.speaker.to_speaker(text) if f.speaker is not None else None,
                confidence=f.score,
            )
        )
    return out


def extract_quotes(
    text: str,
    entities: list[Entity] | None = None,
    cues: CueLexicon | None = None,
    *,
    lexicon: Lexicon | None = None,
    seg: Segmentation | None = None,
) -> list[Quote]:
    """Quotes of ``text`` given its entities (``doc._.entities``) and its segmentation (computed
    from the text when not given)."""
    if not text or not text.strip():
        return []
    t = _Text(text, list(entities or []), seg or segment_text(text))
    if t.n == 0:
        return []
    ex = _Extractor(t, cues or default_cues(), lexicon or default_lexicon())
    return _finalize(ex.run(), text)


# ============================================================================ component
class QuoteAttributor(Pipe):
    """spaCy component: ``doc._.quotes`` from the text, ``doc._.entities`` and the segmentation
    (run after qawl_entities and qawl_segmenter)."""

    def __init__(
        self, nlp: Language | None = None, name: str = "qawl_quotes", cues_path: str | None = None
    ) -> None:
        self.name = name
        self.cues = load_cues(Path(cues_path)) if cues_path else default_cues()
        self.lexicon = default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []  # what an error leaves behind when the error handler does not raise
        entities = doc._.entities if Doc.has_extension("entities") else None
        doc._.quotes = extract_quotes(
            doc_text(doc), list(entities or []), self.cues, lexicon=self.lexicon, seg=segmentation(doc)
        )
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for doc in stream:
            try:
                yield self(doc)
            except Exception as e:
                error_handler(self.name, self, [doc], e)
                yield doc

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.cues = default_cues()
        self.lexicon = default_lexicon()


@Language.factory("qawl_quotes", default_config={"cues_path": None})
def make_quote_attributor(nlp: Language, name: str, cues_path: str | None) -> QuoteAttributor:
    return QuoteAttributor(nlp, name, cues_path)
