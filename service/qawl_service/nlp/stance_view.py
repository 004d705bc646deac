"""The stance component's units: word classes, keys, the holder and finding records, and the
document view (``_View``: tokens, sentences, entity mentions and quotes).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from qawl.types import Entity, Quote, Resolution, Speaker, StanceLabel

from . import wordclasses
from .arabic import normalize
from .doctext import char_mention, mention_tokens, token_offsets
from .lexicon import WORD_CACHE_SIZE
from .morphology import (
    ALEF,
    ARTICLE,
    BA,
    CONJUNCTION_LETTERS,
    DEFINITE_PREFIXES,
    FEMININE_PLURAL,
    MIM,
    NISBA_ENDINGS,
    YA,
    core,
    has_article,
    lexical_core,
    member,
)
from .phrases import COMMAS, TokenView
from .segment import SENT_END, segmentation
from .wordclasses import BI_ANNA, FI, KI, YAWM

# ============================================================================ word classes
PREPS = wordclasses.normalized("stance_preps")
FRAME_PREPS = wordclasses.normalized("stance_frame_preps")
RELATIVES = wordclasses.normalized("relatives")
COMPLEMENTIZERS = wordclasses.normalized("complementizers", "stance_causal_complementizers")
BARE_COMP = wordclasses.normalized("stance_bare_comp")
NEGATIONS = wordclasses.normalized("stance_negations")
NOT_NEG_NEXT = wordclasses.normalized("stance_not_neg_next")
CONDITIONALS = wordclasses.normalized("stance_conditionals")
HEDGES = wordclasses.normalized("stance_hedges")
ADVERBS = wordclasses.normalized("stance_adverbs")
COPULAS = wordclasses.normalized("stance_copulas")
DEMONSTRATIVES = wordclasses.normalized("demonstratives")
HONORIFICS = wordclasses.normalized("honorific_nouns")
HONORIFIC_PRONOUNS = wordclasses.normalized("honorific_pronouns")
PRONOUN_SUBJECTS = wordclasses.normalized("pronoun_subjects", "stance_pronoun_complementizers")
CONJ_WORDS = wordclasses.normalized("stance_conj_words")
SPEECH_PREPS = wordclasses.normalized("stance_speech_preps")
QUANTIFIERS = wordclasses.normalized("group_quantifiers")
TRUCE_OBJECTS = wordclasses.normalized("stance_truce_objects")
TRUCE_ADJ = wordclasses.normalized("stance_truce_adj")
DEPARTURE = wordclasses.normalized("stance_departure")
BLOCKED_TARGETS = wordclasses.normalized("stance_blocked_targets")
NON_TARGETS = wordclasses.normalized("stance_non_targets")
# رفض الكشف عن هويته، رفض التعليق: declining to speak is no position on anything
REFUSED_ACTS = wordclasses.normalized("stance_refused_acts")
PREP_PRONOUNS = wordclasses.normalized("stance_prep_pronouns")
ELATIVES = wordclasses.normalized("stance_elatives")
OBLIGATIONS = wordclasses.normalized("stance_obligations")
CONDITIONAL_OPENERS = wordclasses.normalized("stance_conditional_openers")
PERSONAL_PRONOUNS = wordclasses.normalized("stance_personal_pronouns")
VERB_PARTICLES = wordclasses.normalized("stance_verb_particles")
PURPOSE_WORDS = wordclasses.normalized("stance_purpose_words")
MODAL_VERBS = wordclasses.normalized("stance_modal_verbs")  # يجب، ينبغي
PLACE_PREPS = (FI, BA)  # في حلب، بحلب
_SPACE_COMMAS = " ،,"
OWN_RANKS = wordclasses.words("stance_own_ranks")  # دعم صفوفه: a tuple, for endswith
EVAL_FILLERS = wordclasses.normalized("stance_eval_fillers")  # هو أمر مؤسف، مؤسف للغاية
LAM_PRONOUNS = wordclasses.words("stance_lam_pronouns")  # a tuple, for startswith
CLAUSE_LINKS = wordclasses.normalized("stance_clause_links")
TRUCE_HEADS = wordclasses.normalized("stance_truce_heads")
_BAN_NAME = BI_ANNA + "·"  # بان of بان كي مون: a name, kept apart from the complementizer بأن

PERSON_TITLES = wordclasses.normalized("person_titles", "stance_titles")
ORG_HEADS = wordclasses.normalized("org_heads")
HUMAN_NOUNS = wordclasses.normalized("stance_human_nouns")
ADJ_WORDS = wordclasses.normalized("stance_adj_words")


def _article_form(n: str) -> str:
    return ARTICLE + core(n)


@lru_cache(maxsize=WORD_CACHE_SIZE)  # asked of the same few classes per word, as quote_text._key_member
def _in(n: str, words: frozenset[str]) -> bool:
    """The word, or the word without a glued و/ف/ب/ل (``morphology.member``: only when the rest is in
    ``words``) or the article, is in ``words`` (which may hold a word with or without its article)."""
    if n in words or member(n, words) or member(n, words, _article_form):
        return True
    return len(n) > 3 and n[0] in CONJUNCTION_LETTERS and n[1:] in words


def _adjlike(n: str) -> bool:
    """A definite word that is probably an adjective: nisba (السوري، الإنسانية) or a listed one."""
    c = lexical_core(n)
    if n in ADJ_WORDS or ARTICLE + c in ADJ_WORDS:
        return True
    if c.endswith(FEMININE_PLURAL):
        return False
    if c.endswith(NISBA_ENDINGS) and len(c) >= 4:
        return True
    # a participle (المعتمد، المتحدة، المسلحة), not a broken plural of the مفاعل pattern (المجازر، المدارس)
    return has_article(n) and c[:1] == MIM and len(c) >= 5 and c[2:3] != ALEF and c[3:4] != ALEF


# ============================================================================ document view
@dataclass
class _Holder:
    name: str
    entity_id: str | None
    span: tuple[int, int] | None  # char span of the holder's words in the stance's sentence
    resolution: Resolution
    label: str  # PER ORG LOC MISC NP
    explicit_np: bool = False  # a phrase in the text (not a pronoun or an implicit subject)

    def speaker(self, text: str) -> Speaker:
        mention = char_mention(text, self.span)
        return Speaker(name=self.name, entity_id=self.entity_id, mention=mention, resolution=self.resolution)

    def implicit(self) -> _Holder:
        return _Holder(self.name, self.entity_id, None, "anaphoric", self.label)


@dataclass
class _Found:
    holder: _Holder
    target: tuple[int, int]  # char span
    label: StanceLabel
    cue: tuple[int, int] | None
    evidence: tuple[int, int]
    quote_id: str | None
    score: float
    kind: str


# Punctuation that ends a clause for the look-around windows: a semicolon does (a sentence does not).
_CLAUSE_END = SENT_END | {"؛", ";"}
_COMMAS = COMMAS
_OPEN_MARKS = frozenset({"“", "«", '"', "„", "‹", "'"})
_CLOSE_MARKS = frozenset({"”", "»", '"', "›", "'"})
_MAX_NP = 10
_WINDOW = 16
_LOOKBACK_SENTS = 3


class _View(TokenView):
    """Tokens, sentences, entity mentions and quotes of one document."""

    def __init__(self, doc: Doc, text: str, entities: list[Entity], quotes: list[Quote]) -> None:
        self.text = text
        seg = segmentation(doc)
        limit = seg.limit
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        para: list[int] = []
        p = 0
        for a, b in zip(*token_offsets(doc), strict=True):  # token texts are sliced from ``text``
            if a >= limit:
                break
            w = text[a:b]
            if not w.strip():  # whitespace tokens (spaCy's is_space is str.isspace)
                if "\n" in w and words:
                    p += 1
                continue
            words.append(w)
            starts.append(a)
            ends.append(b)
            para.append(p)
        self.words, self.starts, self.ends, self.para = words, starts, ends, para
        self.n = len(words)
        self.norms = [normalize(w) for w in words]
        for i in range(self.n - 1):
            if self.norms[i] == BI_ANNA and self.norms[i + 1] == KI:
                self.norms[i] = _BAN_NAME
        self.sent = seg.sentences_of(starts)
        self.sent_start: dict[int, int] = {}
        self.sent_end: dict[int, int] = {}
        for i, s in enumerate(self.sent):
            self.sent_start.setdefault(s, i)
            self.sent_end[s] = i + 1
        self.entities = entities
        self.ent_at: list[int] = [-1] * self.n
        self.ment_at: list[tuple[int, int] | None] = [None] * self.n
        self.ment_char: list[tuple[int, int] | None] = [None] * self.n
        self.person_ent = [e.label == "PER" for e in entities]
        self._map_entities()
        self.quotes = quotes
        self.quote_at: list[int] = [-1] * self.n  # quote whose content holds the token
        self.qcue_at: list[int] = [-1] * self.n  # quote whose cue is the token
        self._map_quotes()

    def _map_entities(self) -> None:
        for e, m, a, b in mention_tokens(self.entities, self.starts, self.ends):
            for t in range(a, b + 1):
                if self.ent_at[t] == -1:
                    self.ent_at[t] = e
                    self.ment_at[t] = (a, b + 1)
                    self.ment_char[t] = (m.start, m.end)

    def _map_quotes(self) -> None:
        for q_idx, q in enumerate(self.quotes):
            a = bisect.bisect_left(self.starts, q.content.start)
            b = bisect.bisect_left(self.starts, q.content.end)
            for t in range(a, min(b, self.n)):
                if self.quote_at[t] == -1:
                    self.quote_at[t] = q_idx
            if q.cue is not None:
                c = bisect.bisect_right(self.starts, q.cue.start) - 1
                if 0 <= c < self.n and self.qcue_at[c] == -1:
                    self.qcue_at[c] = q_idx

    # -- small predicates ----------------------------------------------------------------
    def mention_char(self, i: int) -> int:
        mc = self.ment_char[i]
        return mc[0] if mc is not None else -1

    def bounds(self, i: int) -> tuple[int, int]:
        s = self.sent[i]
        return self.sent_start[s], self.sent_end[s]

    def ent_label(self, i: int) -> str:
        e = self.ent_at[i] if 0 <= i < self.n else -1
        return self.entities[e].label if e >= 0 else ""

    def definite(self, i: int) -> bool:
        """A definite word: the article, a demonstrative, or a name (not a title the recognizer swept in)."""
        n = self.norm(i)
        if n.startswith(DEFINITE_PREFIXES) or n in DEMONSTRATIVES:
            return True
        return self.ent_at[i] >= 0 and not (_in(n, PERSON_TITLES) or _in(n, ORG_HEADS))

    def verblike(self, i: int) -> bool:
        n = self.norm(i)
        return len(n) >= 4 and n[0] == YA and self.ent_at[i] < 0 and not n.startswith(YAWM)

    def char_start(self, i: int, cut: int = 0) -> int:
        return self.starts[i] + cut
