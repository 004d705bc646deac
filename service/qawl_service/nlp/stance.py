"""Stance tagging: who is for or against what, as transparent rules over a spaCy Doc.

The component ``qawl_stance`` runs after ``qawl_quotes`` and sets ``doc._.stances`` to a list of
:class:`qawl.types.Stance` in document order. Method (details and numbers in docs/stance.md):

1. **Units.** The spaCy tokens (offsets are code points into the exact input), cut into paragraphs;
   sentences and site boilerplate come from the shared segmentation (``segment.py``). Entity mentions
   come from ``doc._.entities``, quotes (content, cue, resolved speaker) from ``doc._.quotes``.
2. **Cues** from ``data/stance_cues.tsv`` in all their forms (conjugations generated here, و/ف/ب/ل/س
   prefixes, article, pronoun suffixes): stance verbs (ندد، رحب، دعا إلى ...), their participles (منددا،
   داعيا) and nouns (إدانة، دعوته، قلقه), relation words (حليف، القريب من، المؤيد لـ) and evaluative
   words of quoted or reported speech (أولوية، ضرورة، نأمل أن، مزعج).
3. **Holder.** The subject of the cue: the phrase after the verb (VSO), before it (SVO, also across a
   negation or قد), the subject of a light verb for a noun (أعرب الجبير عن أمله), the genitive (اتهام
   القضاء الأمريكي ...), the antecedent of a relative pronoun, or the phrase a relation word describes.
   Phrases are linked to entities, titles to the named person they introduced (وزير الخارجية السعودي →
   عادل الجبير). Implicit subjects (واضاف، داعيا، فإنها) take the latest agent: quote speakers, earlier
   holders and sentence subjects. Inside a quote the holder is its speaker, or a subject the speaker
   reports (ان كيري "قال ... اننا نحث").
4. **Target.** What the cue's frame governs (direct object, a preposition, an أن-clause; an addressee is
   skipped: دعا روسيا الى ...), read by a small interpreter: means are skipped (اتخاذ التدابير لـ ...),
   nouns of ending flip the label onto their object (وقف الهجمات → against الهجمات; a truce stays
   favor), nouns of upholding keep it (إنقاذ الهدنة), عدم flips, coordinations of separate entities or
   verbal nouns are split. A target is linked to the entity it is or contains.
5. **Negation and modality.** A negated stance act is cancelled (لن تطلب ...); a negated favor verb in
   the present turns against (لن ترضى بـ); conditionals and open questions cancel; hedges lower the
   confidence. Idioms that assert through a negation (لا تدخر جهدا، لم يتوان) are cues of their own.
6. **Confidence** from the pattern, the holder's resolution and the cue's ambiguity (weights and the
   measured precision per band in docs/stance.md). With ``targets``, only stances whose target phrase
   matches a requested target are kept (normalized, clitic- and article-insensitive, entity aliases through
   ``doc._.entities``), with ``target.text`` set to the requested string.

Everything is linear in the text length (bounded windows). Errors go to spaCy's error handler of the
pipe (the service logs them and answers without stances; tests raise).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

from qawl.types import Entity, Mention, Quote, Resolution, Speaker, Stance, StanceLabel, Target

from . import morphology, wordclasses
from .arabic import normalize, skeleton, skip_letters
from .doctext import doc_text, token_offsets
from .lexicon import WORD_CACHE_SIZE, default_lexicon
from .reporting_cues import CueLexicon, load_cues
from .segment import SENT_END, segmentation

__all__ = ["StanceLexicon", "StanceTagger", "extract_stances", "load_stance_cues", "match_targets"]

DATA = Path(__file__).resolve().parent / "data"
CUES_FILE = DATA / "stance_cues.tsv"

if not Doc.has_extension("stances"):
    Doc.set_extension("stances", default=None)


def _ns(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


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
_NOT_CUES = frozenset({"هنا", "هناك", "بينا", "عدا", "يدين", "تدين", "يدينون", "تعد", "يعد"})


def _past_forms(past: str) -> dict[str, bool]:
    """قال -> قالت، قالوا، قالا، قالتا; دعا -> دعت، دعوا: normalized surfaces -> feminine."""
    forms = {past: False}
    if len(past) >= 3 and past[-1] in "اي":
        stem = past[:-1]
        forms.update({stem + "ت": True, stem + "تا": True, stem + "وا": False})
    else:
        forms.update({past + "ت": True, past + "وا": False, past + "ا": False, past + "تا": True})
    return forms


def _present_forms(imperfect: str) -> dict[str, tuple[bool, int]]:
    """يندد -> يندد، تندد، نندد، اندد، ينددون ...: normalized surface -> (feminine, person)."""
    form = normalize(imperfect)
    out: dict[str, tuple[bool, int]] = {}
    if len(form) < 3 or form[0] not in "يت":
        return out
    stem = form[1:]
    out["ي" + stem] = (False, 3)
    out["ت" + stem] = (True, 3)
    out["ن" + stem] = (False, 1)
    out["ا" + stem] = (False, 1)
    if stem[-1] in "وي":
        out["ي" + stem[:-1] + "ون"] = (False, 3)
        out["ي" + stem[:-1] + "وا"] = (False, 3)
    else:
        for suffix in ("ون", "وا", "ان"):
            out["ي" + stem + suffix] = (False, 3)
        out["ت" + stem + "ان"] = (True, 3)
    return out


def _strip_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


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
            if rest.startswith("ال") and len(rest) > 4:
                cands.append(rest[2:])
            if pre.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
                cands.append(rest[1:])  # لل = ل + ال
            for cand in list(cands):
                for suffix in _PRONOUNS:
                    if cand.endswith(suffix) and len(cand) - len(suffix) >= 3:
                        stem = cand[: -len(suffix)]
                        cands.append("#" + stem)
                        if stem.endswith("ت"):
                            cands.append("#" + stem[:-1] + "ه")
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
    header: list[str] | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        row = dict(zip(header, cols, strict=False))
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
                lex.add(p + "ا", Form(entry, "participle", 3, False))
                lex.add(p + "ه", Form(entry, "participle", 3, True))
        elif cls == "light":
            lex.add(words[0], Form(entry, "light", 3, False, words[0][:1] in "يتن"))
            if words[0][:1] not in "يتنم":
                for surface, fem in _past_forms(words[0]).items():
                    lex.add(surface, Form(entry, "light", 3, fem))
        else:
            keep_article = cls in ("eval_obj", "eval_subj") and words[0].startswith("ال")
            head = _strip_article(words[0]) if len(words) == 1 and not keep_article else words[0]
            is_verb = "verb" in entry.flags or (cls == "eval_obj" and head[:1] in "يتن")
            person = 1 if head[:1] == "ن" and is_verb else 3
            lex.add(head, Form(entry, cls, person, False, is_verb, tuple(words[1:])))
            if cls in ("flip", "keep", "means") and is_verb and len(words) == 1 and head[:1] in "يت":
                for surface, (fem, person) in _present_forms(head).items():
                    lex.add(surface, Form(entry, cls, person, fem, True))
    return lex


def load_stance_cues(path: Path | None = None) -> StanceLexicon:
    """The stance cue inventory (``data/stance_cues.tsv`` unless a path is given); empty if missing."""
    try:
        with open(path or CUES_FILE, encoding="utf-8") as f:
            return _parse_cues(f)
    except OSError:
        return StanceLexicon()


@lru_cache(maxsize=1)
def default_stance_cues() -> StanceLexicon:
    return load_stance_cues()


@lru_cache(maxsize=1)
def _reporting_cues() -> CueLexicon:
    """The reporting verbs (قال، أكد ...), to find inner speakers and clause ends."""
    return load_cues()


# ============================================================================ word classes
PREPS = _ns(wordclasses.words("stance_preps"))
FRAME_PREPS = _ns(wordclasses.words("stance_frame_preps"))
RELATIVES = _ns(wordclasses.words("relatives"))
COMPLEMENTIZERS = _ns(
    wordclasses.words("complementizers") + wordclasses.words("stance_causal_complementizers")
)
BARE_COMP = _ns(wordclasses.words("stance_bare_comp"))
NEGATIONS = _ns(wordclasses.words("stance_negations"))
NOT_NEG_NEXT = _ns(wordclasses.words("stance_not_neg_next"))
CONDITIONALS = _ns(wordclasses.words("stance_conditionals"))
HEDGES = _ns(wordclasses.words("stance_hedges"))
ADVERBS = _ns(wordclasses.words("stance_adverbs"))
COPULAS = _ns(wordclasses.words("stance_copulas"))
DEMONSTRATIVES = _ns(wordclasses.words("demonstratives"))
HONORIFICS = _ns(wordclasses.words("honorific_nouns"))
HONORIFIC_PRONOUNS = _ns(wordclasses.words("honorific_pronouns"))
PRONOUN_SUBJECTS = _ns(
    wordclasses.words("pronoun_subjects") + wordclasses.words("stance_pronoun_complementizers")
)
CONJ_WORDS = _ns(wordclasses.words("stance_conj_words"))
SPEECH_PREPS = _ns(wordclasses.words("stance_speech_preps"))
QUANTIFIERS = _ns(wordclasses.words("group_quantifiers"))
TRUCE_OBJECTS = _ns(wordclasses.words("stance_truce_objects"))
TRUCE_ADJ = _ns(wordclasses.words("stance_truce_adj"))
DEPARTURE = _ns(wordclasses.words("stance_departure"))
BLOCKED_TARGETS = _ns(wordclasses.words("stance_blocked_targets"))
NON_TARGETS = _ns(wordclasses.words("stance_non_targets"))
# رفض الكشف عن هويته، رفض التعليق: declining to speak is no position on anything
REFUSED_ACTS = _ns(wordclasses.words("stance_refused_acts"))
PREP_PRONOUNS = _ns(wordclasses.words("stance_prep_pronouns"))
ELATIVES = _ns(wordclasses.words("stance_elatives"))

PERSON_TITLES = _ns(wordclasses.words("person_titles") + wordclasses.words("stance_titles"))
ORG_HEADS = _ns(wordclasses.words("org_heads"))
HUMAN_NOUNS = _ns(wordclasses.words("stance_human_nouns"))
ADJ_WORDS = _ns(wordclasses.words("stance_adj_words"))


def _core(n: str) -> str:
    """Strip a conjunction/preposition and the article: والوزير -> وزير, للامم -> امم, بالمنطقه -> منطقه."""
    for p in ("وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال"):
        if n.startswith(p) and len(n) - len(p) >= 2:
            return n[len(p) :]
    if len(n) > 3 and n[0] in "وفبل":
        return n[1:]
    return n


@lru_cache(maxsize=65536)  # pure, and asked again for the same words (every mention of every entity)
def _tkey(n: str) -> str:
    """Spelling-insensitive key of a title or name word: السعودية ~ السعودي, الاميركي ~ الامريكي."""
    c = _core(n)
    for suffix in ("يين", "يون", "يه", "ي", "ه", "ا"):
        if c.endswith(suffix) and len(c) - len(suffix) >= 3:
            c = c[: -len(suffix)]
            break
    return skeleton(c) if len(c) > 2 else c


def _in(n: str, words: frozenset[str]) -> bool:
    """The word, or the word without a و/ف/ب/ل prefix or the article, is in ``words``."""
    if n in words:
        return True
    c = _core(n)
    if c in words or "ال" + c in words:
        return True
    return len(n) > 3 and n[0] in "وف" and n[1:] in words


def _glued(n: str, letter: str) -> bool:
    """Is ``n`` the preposition ``letter`` (ب/ل) glued to a known word (بمشاركة، بأداء، بشكل), not a word
    or a name of its own (بشار، بامخرمة، بن)?"""
    if not n.startswith(letter) or len(n) <= 3 or n == "بن":
        return False
    lex = default_lexicon()
    if n in lex.names:
        return False
    rest = n[1:]
    return rest.startswith("ال") or lex.counts.get(rest, 0) >= 3


def _adjlike(n: str) -> bool:
    """A definite word that is probably an adjective: nisba (السوري، الإنسانية) or a listed one."""
    c = _core(n)
    if n in ADJ_WORDS or "ال" + c in ADJ_WORDS:
        return True
    if c.endswith("ات"):
        return False
    if c.endswith(("ي", "يه", "يين", "يون")) and len(c) >= 4:
        return True
    # a participle (المعتمد، المتحدة، المسلحة), not a broken plural of the مفاعل pattern (المجازر، المدارس)
    return n.startswith("ال") and c[:1] == "م" and len(c) >= 5 and c[2:3] != "ا" and c[3:4] != "ا"


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
        mention = None
        if self.span is not None:
            s, e = self.span
            mention = Mention(start=s, end=e, text=text[s:e])
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
_COMMAS = frozenset({"،", ","})
_OPEN_MARKS = frozenset({"“", "«", '"', "„", "‹", "'"})
_CLOSE_MARKS = frozenset({"”", "»", '"', "›", "'"})
_MAX_NP = 10
_WINDOW = 16
_LOOKBACK_SENTS = 3


class _View:
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
            if self.norms[i] == "بان" and self.norms[i + 1] == "كي":
                self.norms[i] = "بان·"  # بان كي مون is a name, not the complementizer بأن
        self.sent = [seg.sentence_of(a) for a in starts]
        self.sent_start: dict[int, int] = {}
        self.sent_end: dict[int, int] = {}
        for i, s in enumerate(self.sent):
            self.sent_start.setdefault(s, i)
            self.sent_end[s] = i + 1
        self.entities = entities
        self.ent_at: list[int] = [-1] * self.n
        self.ment_at: list[tuple[int, int] | None] = [None] * self.n
        self.ment_char: list[tuple[int, int] | None] = [None] * self.n
        self._map_entities()
        self.quotes = quotes
        self.quote_at: list[int] = [-1] * self.n  # quote whose content holds the token
        self.qcue_at: list[int] = [-1] * self.n  # quote whose cue is the token
        self._map_quotes()

    def _map_entities(self) -> None:
        if not self.n:
            return
        for e, ent in enumerate(self.entities):
            for m in ent.mentions:
                if m.end > self.ends[-1]:
                    continue
                a = bisect.bisect_right(self.starts, m.start) - 1
                b = bisect.bisect_left(self.ends, m.end)
                if a < 0 or b >= self.n or a > b:
                    continue
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
    def word(self, i: int) -> bool:
        return 0 <= i < self.n and self.words[i][:1].isalnum()

    def norm(self, i: int) -> str:
        return self.norms[i] if 0 <= i < self.n else ""

    def bounds(self, i: int) -> tuple[int, int]:
        s = self.sent[i]
        return self.sent_start[s], self.sent_end[s]

    def ent_label(self, i: int) -> str:
        e = self.ent_at[i] if 0 <= i < self.n else -1
        return self.entities[e].label if e >= 0 else ""

    def definite(self, i: int) -> bool:
        """A definite word: the article, a demonstrative, or a name (not a title the recognizer swept in)."""
        n = self.norm(i)
        if n.startswith(("ال", "لل", "وال", "فال", "بال", "كال", "ولل")) or n in DEMONSTRATIVES:
            return True
        return self.ent_at[i] >= 0 and not (_in(n, PERSON_TITLES) or _in(n, ORG_HEADS))

    def verblike(self, i: int) -> bool:
        n = self.norm(i)
        return len(n) >= 4 and n[0] == "ي" and self.ent_at[i] < 0 and not n.startswith("يوم")

    def char_start(self, i: int, cut: int = 0) -> int:
        return self.starts[i] + cut


# ============================================================================ extraction
class _Tagger:
    def __init__(self, v: _View, lex: StanceLexicon) -> None:
        self.v = v
        self.lex = lex
        # most tokens are no cue: one (cached) lookup rules them out before _hits builds a list
        lookup = lex.lookup
        self.hits: list[list[Hit]] = [
            self._hits(i) if n[:1].isalpha() and lookup(n) else [] for i, n in enumerate(v.norms)
        ]
        self.reporting = _reporting_cues()
        self.found: list[_Found] = []
        self.consumed: set[int] = set()
        self.agents: list[tuple[int, _Holder]] = []  # (token, holder), kept sorted by token
        self.titles: list[tuple[int, frozenset[str], str, int]] = []  # (token, title keys, head key, entity)
        self._index_titles()
        self._seed_agents()

    # -- lexicon ------------------------------------------------------------------------
    def _hits(self, i: int) -> list[Hit]:
        v = self.v
        n = v.norms[i]
        if not n[:1].isalpha():
            return []
        out: list[Hit] = []
        for hit in self.lex.lookup(n):
            rest = hit.form.rest
            if rest:
                ok = all(v.norm(i + 1 + k) == w for k, w in enumerate(rest))
                if not ok:
                    continue
                hit = Hit(hit.form, hit.clitic, hit.possessive, 1 + len(rest))
            out.append(hit)
        return out

    def has_kind(self, i: int, *kinds: str) -> bool:
        return 0 <= i < self.v.n and any(h.form.kind in kinds for h in self.hits[i])

    def is_reporting(self, i: int) -> bool:
        if self.reporting is None or not self.v.word(i):
            return False
        hit = self.reporting.lookup(self.v.norm(i))
        return hit is not None and hit[0].cls in ("verb", "participle")

    def is_cue_verb(self, i: int) -> bool:
        return self.has_kind(i, "verb", "participle", "light") or self.is_reporting(i)

    # -- titles and agents ---------------------------------------------------------------
    def _index_titles(self) -> None:
        """Title words before each PER mention (وزير الخارجية السعودية، عادل الجبير) and after it."""
        v = self.v
        i = 0
        while i < v.n:
            e, span = v.ent_at[i], v.ment_at[i]
            if e < 0 or span is None or v.entities[e].label != "PER":
                i += 1
                continue
            a, b = span
            before: list[str] = []  # title words before the name, right to left
            j, steps, commas = a - 1, 0, 0
            while j >= 0 and steps < 6 and v.sent[j] == v.sent[a]:
                if v.words[j] in _COMMAS and commas == 0 and steps == 0:
                    commas += 1
                    j -= 1
                    continue
                n = v.norm(j)
                if not v.word(j) or (n in PREPS and n not in SPEECH_PREPS) or self.is_cue_verb(j):
                    break
                before.append(n)
                j -= 1
                steps += 1
            after: list[str] = []
            j = b
            if j < v.n and v.words[j] in _COMMAS:
                j += 1
            steps = 0
            while j < v.n and steps < 6 and v.sent[j] == v.sent[a] and v.word(j):
                n = v.norm(j)
                if steps == 0 and not _in(n, PERSON_TITLES):
                    break
                if (n in PREPS and n not in SPEECH_PREPS) or self.is_cue_verb(j) or v.ent_at[j] >= 0:
                    break
                after.append(n)
                j += 1
                steps += 1
            for words in (before[::-1], after):
                # the title's head is its first title word: وزير in وزير الخارجية السعودية، متحدث in
                # المتحدث باسم الأمين العام (which is no title of the الأمين العام himself)
                head = next((w for w in words if _in(w, PERSON_TITLES)), None)
                if head is None:
                    continue
                keys = frozenset(k for k in (_tkey(w) for w in words[words.index(head) :]) if k)
                self.titles.append((a, keys, _tkey(head), e))
            i = max(b, i + 1)

    def _seed_agents(self) -> None:
        """Quote speakers (at their cue) and sentence subjects (وعقد كيري ...) in text order."""
        v = self.v
        for q in v.quotes:
            if q.speaker is None or not self._trust(q.speaker):
                continue
            pos = q.cue.start if q.cue is not None else q.content.start
            tok = max(0, bisect.bisect_right(v.starts, pos) - 1)
            self.agents.append((tok, self._from_speaker(q.speaker)))
        seen: set[int] = set()
        for i in range(v.n):
            s = v.sent[i]
            if s in seen:
                continue
            seen.add(s)
            a, b = v.bounds(i)
            first = v.norm(a)
            if not v.word(a) or first.startswith("ال") or first in PREPS or v.ent_at[a] >= 0:
                continue
            # the subject of a sentence-initial verb, after titles (استقبل صاحب السمو الملكي الأمير فيصل ...)
            for k in range(a + 1, min(b, a + 7)):
                if v.ent_at[k] >= 0 and v.ent_label(k) in ("PER", "ORG", "LOC"):
                    ent = v.entities[v.ent_at[k]]
                    self.agents.append((k, _Holder(ent.name, ent.id, None, "anaphoric", ent.label)))
                    break
                if not (_in(v.norm(k), PERSON_TITLES) or v.norm(k) in HONORIFICS):
                    break
        self.agents.sort(key=lambda x: x[0])

    def _from_speaker(self, sp: Speaker) -> _Holder:
        label = next((e.label for e in self.v.entities if e.id == sp.entity_id), "NP")
        return _Holder(sp.name, sp.entity_id, None, "anaphoric", label, sp.entity_id is None)

    @staticmethod
    def _trust(sp: Speaker) -> bool:
        """A quote speaker good enough to be a holder: a linked entity or a title/body-headed phrase."""
        if sp.entity_id is not None:
            return True
        words = normalize(sp.name).split()
        if not words:
            return False
        return any(_in(w, PERSON_TITLES) or _in(w, ORG_HEADS) or _in(w, HUMAN_NOUNS) for w in words[:2])

    def add_agent(self, tok: int, holder: _Holder) -> None:
        bisect.insort(self.agents, (tok, holder), key=lambda x: x[0])

    def last_agent(self, at: int, feminine: bool | None, same_sentence: bool = False) -> _Holder | None:
        v = self.v
        if not self.agents:
            return None
        s = v.sent[at]
        k = bisect.bisect_left(self.agents, at, key=lambda x: x[0]) - 1
        fallback: _Holder | None = None
        while k >= 0:
            pos, h = self.agents[k]
            if s - v.sent[pos] > (0 if same_sentence else _LOOKBACK_SENTS) or v.para[at] - v.para[pos] > 2:
                break
            if feminine and h.label == "PER":
                fallback = fallback or h
                k -= 1
                continue
            return h
        return fallback

    # -- phrases -------------------------------------------------------------------------
    def stop_word(self, i: int) -> bool:
        n = self.v.norm(i)
        return (
            n in PREPS
            or n in RELATIVES
            or n in COMPLEMENTIZERS
            or n in NEGATIONS
            or n in ADVERBS
            or n in CONJ_WORDS
            or n in COPULAS
        )

    def np_end(self, i: int, limit: int, *, subject: bool = False) -> int:
        """End (exclusive) of the noun phrase starting at token i.

        A definite word after a complete phrase starts a new phrase unless it looks like an adjective;
        an indefinite word after a definite one is a predicate or an adverb. Inside a subject, a name
        after a title and a title after a name continue it (السفير محمد الهيصمي مندوب اليمن لدى ...).
        """
        v = self.v
        j = i
        pps = 0
        content = 0
        while j < limit and j - i < (_MAX_NP + 4 if subject else _MAX_NP):
            w = v.words[j]
            n = v.norm(j)
            if w in _OPEN_MARKS and j + 1 < limit:
                close = self._name_pair_end(j, limit)
                if close is not None and (j > i or close - j <= 4):
                    # «وحدات حماية الشعب» الكردية، صحيفة «ذا صن»: a quoted name is one unit
                    content += close - j - 1
                    j = close + 1
                    continue
                if j == i:
                    j += 1
                    i += 1
                    continue
                break
            if w == "(" and j > i:
                close = next((k for k in range(j + 1, min(limit, j + 6)) if v.words[k] == ")"), None)
                if close is not None:
                    j = close + 1
                    continue
                break
            if w in _COMMAS:
                nxt = j + 1
                if subject and nxt < limit and (v.ent_label(nxt) == "PER" or _in(v.norm(nxt), PERSON_TITLES)):
                    j = nxt
                    continue
                break
            if not v.word(j):
                break
            if n == "من" and j > i and v.norm(j - 1) == "كل":
                j += 1  # كل من واشنطن وموسكو
                continue
            if j == i + 1 and v.norm(i) in DEMONSTRATIVES and v.definite(j):
                j += 1  # هذه الدول، هذا المركز
                content += 1
                continue
            if j > i and self.same_mention(j - 1, j):
                j += 1
                content += 1
                continue
            if v.ent_at[j] >= 0 and j > i and subject and v.ent_label(j) == "PER":
                j += 1
                content += 1
                continue
            if j > i and subject and _in(n, PERSON_TITLES) and v.definite(j - 1):
                j += 1
                content += 1
                continue
            if n in SPEECH_PREPS and j > i and subject:
                j += 1
                continue
            if (
                j > i
                and n[:1] == "ب"
                and len(n) > 3
                and n != "بن"
                and v.ent_at[j] < 0
                and (_glued(n, "ب"))
                and not (n[1:3] == "ال" and v.ent_label(j) == "LOC")
            ):
                break  # بأداء، بمواجهة، بشدة: a prepositional phrase, not the noun phrase
            if n in PREPS or (j > i and n[:1] in "بلفك" and len(n) > 3 and n[1:3] == "ال" and n[0] in "بك"):
                # one PP: after a bare head noun (الاستماع إلى ...), a place (العنف في حلب), a title's scope
                nxt = j + 1 if n in PREPS else j
                if (
                    pps == 0
                    and j > i
                    and nxt < limit
                    and (
                        (
                            content == 1
                            and n in FRAME_PREPS
                            and not subject
                            and v.ent_at[j - 1] < 0
                            and v.definite(j - 1)
                            and not self.has_kind(j - 1, "flip")
                        )
                        or (n in ("في", "ب") and v.ent_label(nxt) == "LOC")
                        or (n[:1] in "ب" and v.ent_label(j) == "LOC")
                    )
                ):
                    pps += 1
                    j = nxt + 1 if n in PREPS else j + 1
                    content += 1
                    continue
                break
            if j > i and (
                n in RELATIVES or n in COMPLEMENTIZERS or n in NEGATIONS or n in ADVERBS or n in COPULAS
            ):
                break
            if j > i and (n in CONJ_WORDS or (self.is_cue_verb(j) and v.ent_at[j] < 0)):
                break
            if j > i and v.verblike(j):
                break
            if j > i and n[:1] in "وف" and len(n) > 2:
                # a conjunct: another noun phrase of the same kind, not a new clause; a verbal noun (وسد
                # الثغرات) is a conjunct of the whole phrase, read by the interpreter, unless it shares
                # the object of a bare verbal noun (إحياء وإرساء الهدنة)
                rest = _core(n)
                if v.ent_at[j] < 0 and (self.verbish_conjunct(j) or rest in COMPLEMENTIZERS):
                    break
                if (
                    v.ent_at[j] < 0
                    and any(h.form.kind in ("flip", "keep", "goal", "means") for h in self.lex.lookup(n[1:]))
                    and not (j == i + 1 and self.has_kind(i, "flip", "keep", "goal"))
                ):
                    break
                j += 1
                content += 1
                continue
            if j > i and n.startswith("ل") and not n.startswith("لل") and len(n) > 3 and v.ent_at[j] < 0:
                # ل-genitive (لوقف is a purpose, handled by the interpreter; للنظام، لمدينة continue)
                if self.has_kind(j, "flip", "keep", "goal", "means") or content > (5 if subject else 2):
                    break
                j += 1
                content += 1
                continue
            if (
                j > i
                and v.definite(j)
                and v.definite(j - 1)
                and not _adjlike(n)
                and not self.same_mention(j - 1, j)
            ):
                prev = v.norm(j - 1)
                name_after_noun = v.ent_at[j] >= 0 and v.ent_at[j - 1] < 0 and not prev.startswith("ال")
                name_in_subject = (
                    subject and v.ent_at[j] >= 0 and (v.ent_at[j - 1] < 0 or _in(prev, PERSON_TITLES))
                )
                if not name_after_noun and not name_in_subject:
                    break
            if j > i and not v.definite(j) and v.definite(j - 1):
                if subject and self.name_before_comma(j, limit):
                    j += 1
                    content += 1
                    continue
                if (
                    _in(v.norm(i), PERSON_TITLES)
                    or v.norm(i) in HONORIFICS
                    or (j == i + 1 and _adjlike(v.norm(i)) and v.definite(i))
                ):
                    run = self.name_run(j, limit)
                    if run > j:
                        content += run - j
                        j = run  # رئيس البرلمان العربي أحمد الجروان، الملا أختر منصور
                        continue
                apposition = subject and (
                    _in(n, PERSON_TITLES) or (v.ent_label(j) == "PER" and v.ent_at[j - 1] < 0)
                )
                if not apposition and not v.norm(j - 1).startswith("لل"):
                    break
            j += 1
            content += 1
        while j > i and (v.words[j - 1] in _COMMAS or v.words[j - 1] in _OPEN_MARKS):
            j -= 1
        return j

    def name_run(self, j: int, limit: int) -> int:
        """End of a personal name after a title: a given name (no article), then up to three more words
        (أحمد الجروان، أختر منصور); not a preposition, a cue, a title, an adjective or a glued ب/ل."""
        v = self.v
        k = j
        while k < limit and k - j < 4:
            n = v.norm(k)
            if not v.word(k) or self.stop_word(k) or self.is_cue_verb(k) or _in(n, PERSON_TITLES):
                break
            if _in(n, ORG_HEADS) or (v.ent_at[k] >= 0 and v.ent_label(k) != "PER"):
                break
            if (k == j and (v.definite(k) or n[:1].isdigit())) or (
                k > j and _adjlike(n) and not n.startswith("ال")
            ):
                break
            if n[:1] in "بل" and len(n) > 3 and (n[1:3] == "ال" or _glued(n, n[0])):
                break
            if n[:1] in "وف" and k > j:
                break
            k += 1
        return k

    def name_before_comma(self, j: int, limit: int) -> bool:
        """In a subject after a title: plain words up to a comma are a name (... جيبوتي ضياء الدين سعيد
        بامخرمة، بشدة ...)."""
        v = self.v
        for k in range(j, min(limit, j + 5)):
            if v.words[k] in _COMMAS:
                return k > j
            n = v.norm(k)
            if (
                not v.word(k)
                or self.stop_word(k)
                or self.is_cue_verb(k)
                or _in(n, PERSON_TITLES)
                or _adjlike(n)
            ):
                return False
        return False

    def verbish_conjunct(self, j: int) -> bool:
        """و + a verb or a cue: a new clause (وقال، وتساعد، ويجب), not a coordinated noun."""
        v = self.v
        rest = v.norm(j)[1:]
        if self.is_cue_verb(j) or rest in COPULAS or rest in HEDGES or rest in ("يجب", "ينبغي"):
            return True
        return (len(rest) >= 4 and rest[0] in "يتن" and not v.norm(j)[1:].startswith("ت")) or (
            rest[:1] == "ت"
            and self.has_kind(j, "means", "flip", "keep")
            and any(h.form.imperfect for h in self.hits[j])
        )

    def same_mention(self, a: int, b: int) -> bool:
        v = self.v
        return v.ment_at[a] is not None and v.ment_at[a] == v.ment_at[b]

    def _name_pair_end(self, j: int, limit: int) -> int | None:
        """«ذا صن»، “#حلب تحترق”: a short quoted name inside a phrase; the closing mark's token."""
        v = self.v
        for k in range(j + 1, min(limit, j + 6)):
            if v.words[k] in _CLOSE_MARKS:
                return k if k > j + 1 else None
            if not v.word(k) and v.words[k] != "#":
                return None
        return None

    def agent_like(self, a: int, b: int) -> bool:
        v = self.v
        if b <= a:
            return False
        n = v.norm(a)
        if v.ent_at[a] >= 0 and v.ent_label(a) in ("PER", "ORG", "LOC"):
            return True
        if _in(n, PERSON_TITLES) or _in(n, ORG_HEADS) or _in(n, HUMAN_NOUNS) or n in HONORIFICS:
            return True
        return (
            n in DEMONSTRATIVES
            and b - a >= 2
            and (
                _in(v.norm(a + 1), ORG_HEADS)
                or _in(v.norm(a + 1), PERSON_TITLES)
                or _in(v.norm(a + 1), HUMAN_NOUNS)
            )
        )

    def clitic_cut(self, i: int) -> int:
        """Code points of a و/ف/ب/ل/ك prefix glued to token i that is not part of the phrase itself."""
        v = self.v
        w = v.words[i]
        mc = v.ment_char[i]
        if mc is not None and v.starts[i] < mc[0] < v.ends[i]:
            return mc[0] - v.starts[i]
        if mc is not None and mc[0] <= v.starts[i]:
            return 0  # the name starts with the token: بشار is no ب + شار
        return morphology.cut_word(w, lambda rest: self.lex.lookup(rest) and True)

    def span_chars(self, a: int, b: int, *, cut: bool = True) -> tuple[int, int] | None:
        """Char span of tokens [a, b) without opening/closing marks, commas and a glued clitic."""
        v = self.v
        while a < b and not v.word(a) and v.words[a] != "(" and v.words[a] != "#":
            a += 1
        while b > a and (not v.word(b - 1) and v.words[b - 1] != ")"):
            b -= 1
        if b <= a:
            return None
        start = v.starts[a] + (self.clitic_cut(a) if cut else 0)
        end = v.ends[b - 1]
        text = v.text
        # an unbalanced bracket at the end: ... (للاعمال
        if text[start:end].count("(") > text[start:end].count(")"):
            k = text.rfind("(", start, end)
            end = k
            while end > start and text[end - 1] in " ،,":
                end -= 1
        return (start, end) if end > start else None

    # -- holders -------------------------------------------------------------------------
    def holder_from_np(self, a: int, b: int) -> _Holder | None:
        v = self.v
        if b <= a:
            return None
        span = self.span_chars(a, b)
        if span is None:
            return None
        first = v.norm(a)
        if first in HONORIFIC_PRONOUNS:
            last = self.last_agent(a, None)
            if last is not None and last.label == "PER":
                return _Holder(last.name, last.entity_id, span, "nominal", "PER", True)
            return None
        # a person named in the phrase (وزير الخارجية الاميركي جون كيري); not a mention that swept in
        # the verb before the phrase (دان عميد ...)
        for k in range(a, b):
            ment = v.ment_at[k]
            if v.ent_label(k) == "PER" and ment is not None and ment[0] >= a:
                p = ment[0] - 1
                if (
                    p >= a
                    and v.word(p)
                    and not v.definite(p)
                    and not _in(v.norm(p), PERSON_TITLES)
                    and not (v.norm(p) in HONORIFICS or v.ent_at[p] >= 0)
                ):
                    break  # معلم نيكول: the name is the genitive of a common noun, not the holder
                ent = v.entities[v.ent_at[k]]
                return _Holder(ent.name, ent.id, span, "explicit", "PER", True)
        tail = self.name_tail(a, b)
        if tail is not None:
            ta, tb = tail
            name = v.text[v.starts[ta] + self.clitic_cut(ta) : v.ends[tb - 1]]
            return _Holder(name, None, span, "explicit", "PER", True)
        if v.ent_at[a] >= 0 and v.ent_label(a) in ("ORG", "LOC", "MISC"):
            ment = v.ment_at[a]
            if ment is not None and (ment[1] >= b or not _in(first, ORG_HEADS)):
                ent = v.entities[v.ent_at[a]]
                return _Holder(ent.name, ent.id, span, "explicit", ent.label, True)
        text = v.text[span[0] : span[1]]
        if first in DEMONSTRATIVES and b - a >= 2:
            text = v.text[v.starts[a + 1] : span[1]]
        if _in(first, PERSON_TITLES) or (first in DEMONSTRATIVES and _in(v.norm(a + 1), PERSON_TITLES)):
            linked = self.link_title(a, b)
            if linked is not None:
                ent = v.entities[linked]
                return _Holder(ent.name, ent.id, span, "nominal", "PER", True)
        if first.startswith("ال") or first in DEMONSTRATIVES:
            for k in range(a, b):
                if v.ent_label(k) == "ORG":
                    ent = v.entities[v.ent_at[k]]
                    return _Holder(ent.name, ent.id, span, "nominal", "ORG", True)
        return _Holder(text, None, span, "nominal" if first.startswith("ال") else "explicit", "NP", True)

    def name_tail(self, a: int, b: int) -> tuple[int, int] | None:
        """A personal name the recognizer missed at the end of a title phrase (سفير جمهورية جيبوتي ضياء
        الدين سعيد بامخرمة، الناطق باسم ... جون كيربي)."""
        v = self.v
        if not any(_in(v.norm(k), PERSON_TITLES) for k in range(a, min(b, a + 3))):
            return None
        k = b - 1
        while k > a and b - k <= 4:
            n = v.norm(k)
            if not v.word(k) or self.stop_word(k) or _in(n, PERSON_TITLES) or _in(n, ORG_HEADS):
                break
            if (v.ent_at[k] >= 0 and v.ent_label(k) != "PER") or _adjlike(n) or n in SPEECH_PREPS:
                break
            if n[:1] in "لب" and len(n) > 3 and (n[1:3] == "ال" or n[1] == "ل"):
                break
            k -= 1
        start = k + 1
        if b - start >= 2 and start > a:
            return start, b
        return None

    def link_title(self, a: int, b: int) -> int | None:
        """The PER entity whose title context best matches the title phrase [a, b) (الوزير الاميركي)."""
        v = self.v
        start = a + 1 if v.norm(a) in DEMONSTRATIVES else a
        qkeys = {_tkey(v.norm(k)) for k in range(start, b) if v.word(k)}
        head = _tkey(v.norm(start))
        best: tuple[int, int, int] | None = None
        for pos, keys, thead, e in self.titles:
            if head != thead:
                continue
            score = len(qkeys & keys)
            if len(qkeys) >= 2 and score < 2:
                continue
            rank = (score, -abs(pos - a), e)
            if best is None or rank > best:
                best = rank
        return best[2] if best is not None else None

    def subject_after(self, i: int, limit: int) -> tuple[int, int] | None:
        """The subject phrase after a verb (VSO): [start, end) or None when the next phrase is no agent."""
        v = self.v
        j = self.skip_adverbs(i, limit)
        if j >= limit or (not v.word(j) and v.words[j] not in _OPEN_MARKS):
            return None
        n = v.norm(j)
        if n in PREPS or n in COMPLEMENTIZERS or n in NEGATIONS or (self.is_cue_verb(j) and v.ent_at[j] < 0):
            return None
        if n.startswith(("له", "لهم", "لها")):
            return None
        if n in HONORIFIC_PRONOUNS:
            return j, j + 1  # ورحب سموه: His Highness, named earlier
        end = self.np_end(j, limit, subject=True)
        if end <= j or not self.agent_like(self._first_word(j, end), end):
            return None
        return j, end

    def _first_word(self, a: int, b: int) -> int:
        while a < b and not self.v.word(a):
            a += 1
        return a

    def subject_before(self, i: int, sa: int) -> tuple[int, int] | None:
        """SVO: the agent phrase right before a verb (واشنطن تطالب، الجزائر تدعم، كيري رفض، X لن ترضى)."""
        v = self.v
        j = i - 1
        while j >= sa and (v.norm(j) in ("قد", "لقد", "سوف") or v.norm(j) in NEGATIONS):
            j -= 1
        if j >= sa and v.words[j] in _COMMAS:
            j -= 1  # مظاهرات في مدن ...، طالبت
        if j >= sa and v.words[j] in _CLOSE_MARKS:
            j -= 1
        if j < sa or not v.word(j):
            return None
        if v.norm(j) in PRONOUN_SUBJECTS or self.stop_word(j) or (self.is_cue_verb(j) and v.ent_at[j] < 0):
            return None
        start = self.phrase_back(j, sa)
        if start is None:
            return None
        if (
            start - 2 >= sa
            and v.norm(start - 1) == "في"
            and v.word(start - 2)
            and not self.stop_word(start - 2)
        ):
            s2 = self.phrase_back(start - 2, sa)
            if s2 is not None and self.agent_like(s2, start - 1):
                start = s2  # مظاهرات في مدن وعواصم عربية
        if (
            start - 1 >= sa
            and v.norm(start - 1) in PREPS
            and not (v.norm(start - 1) == "من" and start - 2 >= sa and _in(v.norm(start - 2), QUANTIFIERS))
        ):
            return None  # a preposition's object is no subject (في حلب اتهم) unless partitive (عدد من)
        if self.agent_like(start, j + 1):
            return start, j + 1
        # an indefinite phrase with its own modifiers: مظاهرات في مدن وعواصم عربية وعالمية، طالبت
        for k in range(start - 1, max(sa - 1, j - 8), -1):
            n = v.norm(k)
            if (
                not v.word(k)
                or self.is_cue_verb(k)
                or (n in PREPS and n != "في")
                or (self.stop_word(k) and n != "في")
            ):
                break
            if n[:1] not in "وف" and _in(n, HUMAN_NOUNS) and not v.definite(k):
                return k, j + 1
        # أن بان كي مون يشعر: the subject right after a complementizer
        for s0 in range(start, max(sa, start - 2) - 1, -1):
            if (
                s0 - 1 >= sa
                and v.norm(s0 - 1) in BARE_COMP
                and j + 1 - s0 <= 4
                and all(v.word(k) and not self.stop_word(k) for k in range(s0, j + 1))
            ):
                return s0, j + 1
        ment = v.ment_at[j]
        if v.ent_at[j] >= 0 and ment is not None and ment[1] == j + 1:
            # a name the recognizer typed MISC (كي مون) or cut short (بان كي مون)
            s0 = ment[0]
            p = s0 - 1
            if (
                p >= sa
                and v.word(p)
                and not self.stop_word(p)
                and not v.definite(p)
                and (p == sa or v.norm(p - 1) in COMPLEMENTIZERS or not v.word(p - 1))
            ):
                s0 = p
            return s0, j + 1
        return None

    def skip_adverbs(self, j: int, limit: int) -> int:
        v = self.v
        while j < limit and (v.norm(j) in ADVERBS or v.norm(j) in PREP_PRONOUNS or v.words[j] in _COMMAS):
            j += 1
        if j < limit and v.words[j] == "(":
            close = next((k for k in range(j + 1, min(limit, j + 5)) if v.words[k] == ")"), None)
            if close is not None:
                return self.skip_adverbs(close + 1, limit)
        return j

    def implicit_holder(self, i: int, feminine: bool | None, same_sentence: bool = False) -> _Holder | None:
        """An implicit subject: inside a quote its (inner) speaker, otherwise the latest agent (for a
        participle — داعيا، مجددا — the subject of its own sentence)."""
        v = self.v
        if v.quote_at[i] >= 0 and v.norm(i)[:1] in "وف":
            # a coordinated verb inside a quote shares the subject named earlier in its sentence
            # (مجلس الامن الدولي يدعو ... ويطلب، الخطاب الذي ألقاه خامنئي ... وتوعد خلاله)
            q = v.quotes[v.quote_at[i]]
            qa = max(v.bounds(i)[0], bisect.bisect_left(v.starts, q.content.start))
            for k in range(i - 1, max(qa - 1, i - 20), -1):
                if v.ent_label(k) in ("PER", "ORG") or (v.ent_label(k) == "LOC" and k == qa):
                    ent = v.entities[v.ent_at[k]]
                    return _Holder(ent.name, ent.id, None, "anaphoric", ent.label)
        inner = self.quote_holder(i)
        if inner is not None:
            return inner
        h = self.last_agent(i, feminine, same_sentence)
        return h.implicit() if h is not None else None

    def quote_holder(self, i: int) -> _Holder | None:
        """The speaker of the quote holding token i, or a subject it reports (ان كيري "قال ... نحث")."""
        v = self.v
        q_idx = v.quote_at[i]
        if q_idx < 0:
            return None
        q = v.quotes[q_idx]
        # an inner reporting verb with a named subject between the quote start and the cue
        a = bisect.bisect_left(v.starts, q.content.start)
        for k in range(i - 1, max(a - 1, i - 25), -1):
            if self.is_reporting(k):
                # its subject right before it (ان كيري "قال) or right after it (وقال كيري)
                cands = [k - 1, k + 1] + (
                    [k - 2] if v.words[k - 1] in _CLOSE_MARKS or v.words[k - 1] in _OPEN_MARKS else []
                )
                for c in cands:
                    if a <= c < v.n and v.ent_label(c) in ("PER", "ORG", "LOC") and c != i:
                        ent = v.entities[v.ent_at[c]]
                        return _Holder(ent.name, ent.id, None, "anaphoric", ent.label)
                break
        if q.speaker is not None and self._trust(q.speaker):
            return self._from_speaker(q.speaker)
        h = self.last_agent(i, None)
        return h.implicit() if h is not None else None

    def relative_antecedent(self, i: int) -> _Holder | None:
        """X، الذي لم يتوان ...: the phrase before a relative pronoun that precedes the cue."""
        v = self.v
        sa, _ = v.bounds(i)
        for k in range(i - 1, max(sa - 1, i - 4), -1):
            if v.norm(k) in RELATIVES:
                j = k - 1
                if j >= sa and v.words[j] in _COMMAS:
                    j -= 1
                if j < sa:
                    return None
                start = self.phrase_back(j, sa)
                if start is not None and self.agent_like(start, j + 1):
                    return self.holder_from_np(start, j + 1)
                return None
            if not v.word(k) or self.is_cue_verb(k):
                return None
        return None

    def phrase_back(self, j: int, sa: int) -> int | None:
        """Start of the noun phrase ending at token j (adjectives, a definite head, a construct head)."""
        v = self.v
        k = j
        ment = v.ment_at[k]
        if v.ent_at[k] >= 0 and ment is not None:
            k = ment[0]
            start = k
        else:
            while k > sa and _adjlike(v.norm(k)) and v.definite(k - 1) and v.word(k - 1):
                k -= 1
            start = k
        steps = 0
        while start - 1 >= sa and steps < 4:
            p = start - 1
            n = v.norm(p)
            if not v.word(p) or n in PREPS or self.stop_word(p) or self.is_cue_verb(p):
                break
            pment = v.ment_at[p]
            if v.ent_at[p] >= 0 and pment is not None:
                start = pment[0]
                steps += 1
                continue
            if (n.startswith("ل") and not n.startswith("لل") and len(n) > 3) or n.startswith("لل"):
                start = p  # لحقوق الإنسان: a genitive of the phrase
                steps += 1
                continue
            if v.definite(p) and _adjlike(n):
                start = p
                steps += 1
                continue
            head_word = _in(n, ORG_HEADS) or _in(n, PERSON_TITLES) or _in(n, HUMAN_NOUNS)
            if (
                not v.definite(p)
                and not v.verblike(p)
                and not _in(n, COPULAS)
                and (head_word or (n[:1] not in "وف" and v.ent_at[start] < 0))
            ):
                start = p  # the construct head: اعضاء الكونغرس، حزب الشعوب
                break
            if v.definite(p) and (_in(n, ORG_HEADS) or (v.definite(start) and _in(n, PERSON_TITLES))):
                start = p
                steps += 1
                continue
            break
        return start

    # -- targets -------------------------------------------------------------------------
    def interpret(
        self, i: int, limit: int, label: StanceLabel, depth: int = 0
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        """Targets of a complement starting at token i: (start tok, end tok, label, flipped).

        A coordinated verbal noun after the phrase (وضع حد للعنف ... والعودة الى وقف دائم) is read too."""
        out = self._interpret(i, limit, label, depth)
        if not out or depth > 4:
            return out
        v = self.v
        end = max(b for _, b, _, _ in out)
        k = end
        while k < limit and (
            v.words[k] in (")", "”", "»", '"') or (v.words[k] in _COMMAS and v.norm(k + 1)[:1] == "و")
        ):
            k += 1
        if (
            k < limit
            and k > i
            and v.norm(k)[:1] == "و"
            and len(v.norm(k)) > 2
            and not any(a <= k < b for a, b, _, _ in out)
        ) and any(h.form.kind in ("flip", "keep", "goal", "means") for h in self.lex.lookup(v.norm(k)[1:])):
            out.extend(self.interpret(k, limit, label, depth + 1))
        return out

    def _interpret(
        self, i: int, limit: int, label: StanceLabel, depth: int = 0
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        v = self.v
        if depth > 4:
            return []
        while i < limit and (
            (not v.word(i) and v.words[i] != "#")
            or v.norm(i) in ADVERBS
            or v.norm(i) in COPULAS
            or v.norm(i) in ("و", "ف", "او", "ثم")
        ):
            i += 1
        if i >= limit:
            return []
        n = v.norm(i)
        if n in BARE_COMP or n == "انه":
            return self.interpret_clause(i + 1, limit, label, depth + 1)
        # a means toward a purpose: اتخاذ التدابير اللازمة لـ، مضاعفة الجهود لـ، القيام بخطوات لـ
        for k in range(i, min(limit, i + 3)):
            if self.has_kind(k, "means") and not (k > i and v.norm(k - 1) in PREPS):
                purpose = self.find_purpose(k + 1, min(limit, k + 8))
                if purpose is not None:
                    return self.interpret(purpose, limit, label, depth + 1)
                break
            if not v.word(k) or v.norm(k) in PREPS:
                break
        hits = {h.form.kind: h for h in self.hits[i] if h.n_tokens >= 1}
        multi = next((h for h in self.hits[i] if h.n_tokens > 1), None)
        if n == "عدم" or _core(n) == "عدم":
            return [
                (a, b, _flip(lab), True) for a, b, lab, _ in self.interpret(i + 1, limit, label, depth + 1)
            ]
        ev = multi if multi is not None and multi.form.kind == "eval_obj" else hits.get("eval_obj")
        if ev is not None and depth < 4:
            # nested evaluative (أوصى بضرورة X، الوقوف الى جانب X): read its own frame
            pol: StanceLabel = "against" if ev.form.entry.polarity == "against" else "favor"
            lab2 = label if pol == "favor" else _flip(label)
            if ev.form.entry.frames[:1] == ("obj",) and "ان" not in ev.form.entry.frames:
                return self.interpret(i + ev.n_tokens, limit, lab2, depth + 1)
            inner, _ = self.frame_target(i + ev.n_tokens, limit, ev.form.entry)
            return [(a, b, lab2 if lab == "favor" else _flip(lab2), f) for a, b, lab, f in inner]
        if "flip" in hits or (multi is not None and multi.form.kind == "flip"):
            hit = multi if multi is not None and multi.form.kind == "flip" else hits["flip"]
            j = i + hit.n_tokens
            frames = hit.form.entry.frames
            if j < limit and v.norm(j) in frames and v.norm(j) in PREPS:
                j += 1
            elif j < limit and any(f != "obj" for f in frames) and v.norm(j)[:1] in "ل" and "ل" in frames:
                pass  # وضع حد للعنف: the ل is glued to the object
            if self.truce(i, j):
                return self.plain(i, limit, label, depth)
            if hit.form.imperfect:
                # توقف القوات السورية قصفها: skip the verb's subject
                subj = self.subject_after(j, limit)
                if subj is not None:
                    j = subj[1]
            j = self.skip_adverbs(j, limit)
            if _core(n) in DEPARTURE and (
                j >= limit or not v.word(j) or (not v.definite(j) and v.ent_at[j] < 0)
            ):
                return [(i, i + hit.n_tokens, label, False)]  # الرحيل: the caller knows whose departure
            if j >= limit or (not v.word(j) and v.words[j] not in _OPEN_MARKS):
                return []
            return [(a, b, _flip(lab), True) for a, b, lab, _ in self._interpret(j, limit, label, depth + 1)]
        if "goal" in hits:
            hit = hits["goal"]
            for j in range(i + 1, min(limit, i + 6)):
                if v.norm(j) in hit.form.entry.frames:
                    return self.interpret(j + 1, limit, label, depth + 1)
                if not v.word(j) or self.is_cue_verb(j):
                    break
        if "eval_obj" in hits and hits["eval_obj"].form.entry.lemma in ("الوقوف",):
            return self.interpret(i + 1, limit, label, depth + 1)
        if ("keep" in hits or "means" in hits) and any(h.form.imperfect for h in self.hits[i]):
            j = i + 1
            subj = self.subject_after(j, limit)
            if subj is not None:
                j = subj[1]
            j = self.skip_adverbs(j, limit)
            if j < limit and v.norm(j) in ("علي", "الي", "ب"):
                j += 1
            return self.interpret(j, limit, label, depth + 1)
        return self.plain(i, limit, label, depth)

    def truce(self, i: int, j: int) -> bool:
        """وقف اطلاق النار، وقف الاعمال العدائية، وقف دائم، وقف لـ...: a truce, favored as such."""
        v = self.v
        if _core(v.norm(i)) not in ("وقف", "ايقاف"):
            return False
        n = v.norm(j)
        if n in TRUCE_OBJECTS or _core(n) in {_core(x) for x in TRUCE_OBJECTS}:
            return True
        return n in TRUCE_ADJ or (n.startswith("ل") and len(n) > 3)

    def plain(
        self, i: int, limit: int, label: StanceLabel, depth: int
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        """A noun phrase target, split at coordinations of separate entities or of verbal nouns."""
        v = self.v
        end = self.np_end(i, limit)
        if end <= i:
            return []
        out: list[tuple[int, int, StanceLabel, bool]] = []
        start = i
        k = i + 1
        while k < end:
            n = v.norm(k)
            if n[:1] == "و" and len(n) > 2 and v.word(k) and not self.same_mention(k - 1, k):
                conj_vn = any(
                    h.form.kind in ("flip", "keep", "goal", "means") for h in self.lex.lookup(n[1:])
                )
                ent_head = (
                    (v.ent_at[start] >= 0 or _in(v.norm(start), ORG_HEADS))
                    and (v.ent_at[k] >= 0 or _in(n, ORG_HEADS))
                    and v.ent_at[k - 1] >= 0
                )
                lead_vn = self.has_kind(start, "flip", "keep", "goal") or any(
                    self.has_kind(x, "flip", "keep") for x in range(start, k)
                )
                complete = lead_vn and any(v.definite(x) for x in range(start + 1, k))
                if (conj_vn and k - start >= 2) or ent_head or (complete and v.word(k)):
                    out.extend(self._one(start, k, label, depth))
                    start = k
            k += 1
        out.extend(self._one(start, end, label, depth))
        return out

    def _one(
        self, a: int, b: int, label: StanceLabel, depth: int
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        v = self.v
        n = v.norm(a)
        if a > 0 and n[:1] == "و" and len(n) > 2 and v.ent_at[a] < 0:
            # a conjunct that is itself a verbal noun: interpret it on its own
            rest_hits = self.lex.lookup(n[1:])
            if any(h.form.kind in ("flip", "keep", "goal", "means") for h in rest_hits) and depth < 4:
                kinds = {h.form.kind for h in rest_hits}
                if "flip" in kinds or "goal" in kinds or "means" in kinds:
                    return (
                        self.interpret(a, b, label, depth + 1)
                        if self.has_kind(a, "flip", "goal", "means")
                        else [(a, b, label, False)]
                    )
        if b - a == 1 and self.has_kind(a, "flip", "keep", "goal") and not self.has_kind(a, "noun"):
            # a bare verbal noun (وقف، العودة) without an object is no target
            return []
        return [(a, b, label, False)]

    def interpret_clause(
        self, i: int, limit: int, label: StanceLabel, depth: int
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        """An أن-clause: skip its verb (and adverbs) and read the rest; a flip or means verb steers it."""
        v = self.v
        i = self.skip_adverbs(i, limit)
        if i >= limit:
            return []
        if self.has_kind(i, "flip", "keep", "means") or v.norm(i) in NEGATIONS:
            return self.interpret(i, limit, label, depth)
        if v.verblike(i) or (
            v.norm(i)[:1] in "تن" and not v.definite(i) and v.ent_at[i] < 0 and len(v.norm(i)) >= 3
        ):
            j = self.skip_adverbs(i + 1, limit)
            return self.interpret(j, limit, label, depth)
        return self.interpret(i, limit, label, depth)

    def find_purpose(self, j: int, limit: int) -> int | None:
        """After a means: the token of its purpose (لوقف، لإنقاذ، بوقف، على الالتحاق، من أجل ...)."""
        v = self.v
        fallback: int | None = None
        for k in range(j, limit):
            n = v.norm(k)
            if v.words[k] in _CLAUSE_END or (v.words[k] in _COMMAS and k > j + 1) or n in RELATIVES:
                break  # الجهود التي يبذلها ... بهدف: the purpose of a relative clause is not the means'
            if n in ("اجل", "بهدف", "لاجل"):
                return k + 1 if k + 1 < limit else None
            if n in ("علي", "الي", "في") and k + 1 < limit and self.has_kind(k + 1, "flip", "keep", "goal"):
                return k + 1
            if n[:1] in "لبف" and len(n) > 3 and self.has_kind(k, "flip", "keep", "goal"):
                return k
            if (
                fallback is None
                and n[:1] in "ل"
                and len(n) > 3
                and v.definite(k)
                and not v.norm(k).startswith("لل")
            ):
                fallback = k
            if fallback is None and n == "علي" and k + 1 < limit and v.definite(k + 1):
                fallback = k + 1
        return fallback

    def frame_target(
        self, cue_end: int, limit: int, entry: Entry
    ) -> tuple[list[tuple[int, int, StanceLabel, bool]], int | None]:
        """Read the cue's frame after ``cue_end``: targets and the addressee phrase start (if any)."""
        v = self.v
        label: StanceLabel = "against" if entry.polarity == "against" else "favor"
        j = self.skip_adverbs(cue_end, limit)
        while j < limit and v.words[j] in _OPEN_MARKS:
            j += 1
        frames = entry.frames or ("obj",)
        window = min(limit, j + _WINDOW)
        for frame in frames:
            addressee = "+" in frame
            prep = frame.split("+")[-1]
            k = j
            addr_start: int | None = None
            if addressee and prep != "obj":
                if k >= window or not v.word(k) or v.norm(k) in PREPS:
                    continue
                addr_start = k
                k = self.np_end(k, window)
                if k <= addr_start:
                    continue
                k = self.skip_adjuncts(k, window)
            if prep == "obj":
                k = self.skip_adjuncts(k, window)
                if k >= window:
                    continue
                if (not v.word(k) and v.words[k] not in _OPEN_MARKS) or v.norm(k) in COMPLEMENTIZERS:
                    continue
                if v.norm(k) in PREPS or (self.is_cue_verb(k) and v.ent_at[k] < 0):
                    continue
                if v.norm(k)[:1] == "ب" and v.ent_at[k] < 0 and _glued(v.norm(k), "ب"):
                    continue  # توعد بتحدي ...: a prepositional phrase is no direct object
                return self.interpret(k, limit, label), addr_start
            if prep == "ان":
                for m in range(k, window):
                    n = v.norm(m)
                    if n in BARE_COMP and not (n == "ان" and v.words[m].startswith("إ") and m > k + 1):
                        return self.interpret_clause(m + 1, limit, label, 1), addr_start
                    if v.words[m] in _CLAUSE_END or (
                        self.is_cue_verb(m) and m > k and entry.cls != "eval_obj"
                    ):
                        break
                continue
            # a preposition: separate (بـ، الى) or glued (بوقف، لوقف، للتخلص)
            for m in range(k, window):
                n = v.norm(m)
                w = v.words[m]
                if w in _CLAUSE_END or w == ":" or (m > k and self.is_cue_verb(m) and v.ent_at[m] < 0):
                    break
                if (
                    n in COMPLEMENTIZERS
                    and prep not in ("من",)
                    and not (prep == "ب" and n in ("بان", "بانه"))
                ):
                    break
                if n in RELATIVES:
                    break
                if (
                    n == prep or (prep == "ب" and w == "بـ") or (prep == "ل" and w == "لـ")
                ) and m + 1 < limit:
                    if prep == "من" and v.norm(m + 1) in BARE_COMP:
                        return self.clause_target(m + 2, limit, label), addr_start
                    return self.interpret(m + 1, limit, label), addr_start
                if len(prep) == 1 and n.startswith(prep) and len(n) > 3 and v.word(m) and n not in PREPS:
                    if m > k and not self.has_kind(m, "flip", "keep", "goal", "means"):
                        continue  # a glued preposition further on is usually a genitive (للمعارضة)
                    if prep == "ل" and m > k and not (self.lex.lookup(n) or v.definite(m)):
                        continue
                    if prep == "ب" and (n in ADVERBS or n in SPEECH_PREPS):
                        continue
                    return self.interpret(m, limit, label), addr_start
            continue
        return [], None

    def clause_target(
        self, i: int, limit: int, label: StanceLabel
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        """حذر من أن X ...: the clause itself (up to 8 words) is the target."""
        v = self.v
        end = i
        while end < limit and end - i < 8 and v.words[end] not in _CLAUSE_END and v.words[end] not in _COMMAS:
            end += 1
        return [(i, end, label, False)] if end > i else []

    def skip_adjuncts(self, k: int, window: int) -> int:
        """Before a direct object: adverbs, bracketed asides, short PPs (أمام الكونغرس، باسم بلدي جيبوتي)."""
        v = self.v
        for _ in range(4):
            k = self.skip_adverbs(k, window)
            if k >= window:
                return k
            n = v.norm(k)
            if v.norm(k) in RELATIVES and k > 0 and v.words[k - 1] in _COMMAS:
                # ، التي تقاتل ...، تركيا: a relative clause between subject and object
                m = k + 1
                while m < window + 12 and m < v.n and v.words[m] not in _CLAUSE_END:
                    if v.words[m] in _COMMAS and m + 1 < v.n and v.norm(m + 1)[:1] != "و":
                        break
                    m += 1
                k = m + 1
                continue
            if (
                (n in PREPS and n not in ("ب", "بـ"))
                or n in SPEECH_PREPS
                or (n[:1] == "ب" and len(n) > 3 and (n in ADVERBS or _core(n) in ("اسم",)))
            ):
                end = self.np_end(k + 1, window) if n in PREPS else self.np_end(k, window)
                k = max(end, k + 1)
                continue
            break
        return k


def _flip(label: StanceLabel) -> StanceLabel:
    return "against" if label == "favor" else "favor"


# ============================================================================ patterns
class _Extractor(_Tagger):
    def run(self) -> list[_Found]:
        v = self.v
        for i in range(v.n):
            if not self.hits[i]:
                continue
            self.at(i)
        self.first_person_purposes()
        return self.found

    def at(self, i: int) -> None:
        order = {"verb": 0, "participle": 1, "eval_obj": 2, "noun": 3, "relation": 4, "eval_subj": 5}
        hits = sorted(
            (h for h in self.hits[i] if h.form.kind in order), key=lambda h: (-h.n_tokens, order[h.form.kind])
        )
        if i in self.consumed:
            hits = [h for h in hits if h.form.kind not in ("eval_obj", "eval_subj")]
        for hit in hits:
            kind = hit.form.kind
            done = False
            if kind in ("verb", "participle"):
                done = self.verb_cue(i, hit)
            elif kind == "noun":
                done = self.noun_cue(i, hit)
            elif kind == "relation":
                done = self.relation(i, hit)
            elif kind == "eval_obj":
                done = self.eval_obj(i, hit)
            elif kind == "eval_subj":
                done = self.eval_subj(i, hit)
            if done:
                return

    # -- negation and modality -----------------------------------------------------------
    def polarity_context(self, i: int) -> str:
        """'neg' when the cue is negated, 'cond' in a conditional or open question, 'hedge', or ''."""
        v = self.v
        sa, _ = v.bounds(i)
        out = ""
        for k in range(i - 1, max(sa - 1, i - 4), -1):
            n = v.norm(k)
            if n in NEGATIONS and v.norm(k + 1) not in NOT_NEG_NEXT:
                # a negation before the subject still negates a SVO verb (العالم لن يدع)
                return "neg"
            if n == "ما" and v.norm(k - 1) == "اذا":
                return "cond"
            if n in BARE_COMP and _core(v.norm(k - 1)) in ("يجب", "ينبغي", "يتعين"):
                return "cond"  # يجب ان يدعم X: an obligation, not yet a position
            if n in HEDGES:
                out = "hedge"
            if not v.word(k) or (n in PREPS and k < i - 1):
                break
        for k in range(i - 1, max(sa - 1, i - 8), -1):
            n = v.norm(k)
            if n in ("اذا", "لو", "ولو", "واذا", "فاذا") or (n == "ما" and v.norm(k - 1) == "اذا"):
                return "cond"
            if v.words[k] in _COMMAS:
                break
        return out

    # -- emitting ------------------------------------------------------------------------
    def emit(
        self,
        holder: _Holder | None,
        targets: Sequence[tuple[int, int, StanceLabel, bool]],
        cue: tuple[int, int] | None,
        cue_tok: int,
        kind: str,
        base: float,
        *,
        amb: bool = False,
        context: str = "",
        entry: Entry | None = None,
    ) -> bool:
        v = self.v
        if holder is None or not targets:
            return False
        if context in ("neg", "cond"):
            return False
        emitted = False
        q_idx = v.quote_at[cue_tok]
        if q_idx < 0 and v.qcue_at[cue_tok] >= 0:
            q_idx = v.qcue_at[cue_tok]
        quote_id = v.quotes[q_idx].id if q_idx >= 0 else None
        for a, b, label, flipped in targets:
            span = self.span_chars(a, b)
            if span is None:
                continue
            if normalize(v.text[span[0] : span[1]]).strip() in BLOCKED_TARGETS or not self.contentful(a, b):
                continue
            if entry is not None and "entity_obj" in entry.flags and v.ent_at[a] < 0:
                continue
            if holder.span is not None and span[0] < holder.span[1] and holder.span[0] < span[1]:
                continue  # the holder is not its own target
            score = base
            score += {"explicit": 0.1, "nominal": 0.05, "anaphoric": -0.05}[holder.resolution]
            if holder.entity_id is None and holder.label == "NP" and not holder.explicit_np:
                score -= 0.05
            if flipped:
                score -= 0.05
            if amb:
                score -= 0.15
            if context == "hedge":
                score -= 0.1
            if any(v.ent_at[t] >= 0 for t in range(a, b)):
                score += 0.05
            s0 = min(span[0], cue[0]) if cue is not None else span[0]
            if (
                holder.span is not None
                and v.sent[bisect.bisect_right(v.starts, holder.span[0]) - 1] == v.sent[cue_tok]
            ):
                s0 = min(s0, holder.span[0])
            e0 = max(span[1], cue[1]) if cue is not None else span[1]
            self.found.append(
                _Found(
                    holder, span, label, cue, (s0, e0), quote_id, round(min(0.97, max(0.05, score)), 2), kind
                )
            )
            emitted = True
        if emitted and holder.resolution != "anaphoric":
            self.add_agent(cue_tok, holder)
        if emitted and kind in ("eval", "verb", "noun"):
            # evaluative words inside this stance's complement were read with it (لم يتوان من الوقوف الى
            # جانب X): they do not start stances of their own
            end = max(b for _, b, _, _ in targets)
            self.consumed.update(range(cue_tok + 1, end))
        return emitted

    def contentful(self, a: int, b: int) -> bool:
        """A target names something: its first word is no function word or pronoun (لا، له، هذا alone)
        and, for a one-word target, not an indefinite adjective (متناهياً، كبيرة)."""
        v = self.v
        while a < b and not v.word(a):
            a += 1
        if a >= b:
            return False
        n = v.norm(a)
        if (self.stop_word(a) and n not in DEMONSTRATIVES) or n in PREP_PRONOUNS or n in PRONOUN_SUBJECTS:
            return False
        if (
            (n in DEMONSTRATIVES and b - a == 1)
            or _core(n) in NON_TARGETS
            or (n[:1].isdigit() and b - a == 1)
        ):
            return False
        words = [k for k in range(a, b) if v.word(k)]
        # دعماً متناهياً، أهمية كبيرة: a lone indefinite adjective left over is not a thing
        lone_adjective = len(words) == 1 and not v.definite(a) and v.ent_at[a] < 0
        possessive = n.endswith(("ها", "هم", "هما", "نا", "ه")) and len(n) > 5
        glued = n[:1] in "بل" and _glued(n, n[0])
        return not (lone_adjective and not possessive and not glued and n.endswith(("ا", "ه")) and len(n) > 4)

    def cue_span(self, i: int, hit: Hit, n_tokens: int = 1) -> tuple[int, int]:
        v = self.v
        cut = skip_letters(v.words[i], hit.clitic) if hit.clitic else 0
        return v.starts[i] + cut, v.ends[i + n_tokens - 1]

    # -- verbs ---------------------------------------------------------------------------
    def verb_cue(self, i: int, hit: Hit) -> bool:
        v = self.v
        entry = hit.form.entry
        if entry.cls != "verb":
            return False
        sa, sb = v.bounds(i)
        limit = min(sb, i + 40)
        for flag in entry.flags:
            if flag.startswith("needs="):
                need = normalize(flag[6:]).rstrip("ه")
                if not any(_core(v.norm(k)).startswith(need) for k in range(i + 1, min(sb, i + 10))):
                    return False
        # a verb form that is the light noun of another cue (دعم as a noun) is handled as a noun
        if v.norm(i - 1) in PREPS and hit.form.kind == "verb" and not hit.form.imperfect:
            return False
        if hit.form.kind == "verb" and v.norm(i).startswith(("ال", "وال", "بال", "لل")):
            return False
        if hit.form.kind == "participle" and i > sa and not self.participle_context(i):
            return False
        context = self.polarity_context(i)
        amb = "amb" in entry.flags
        holder: _Holder | None = None
        subj_end = i + 1
        first_person = hit.form.person == 1
        pronoun_subject = i > sa and v.norm(i - 1) in PRONOUN_SUBJECTS  # فإنها دعت X الى
        core = v.norm(i)[hit.clitic :]
        dual = hit.form.kind == "verb" and core in (
            entry.lemma + "ا",
            entry.lemma + "تا",
            entry.lemma[:-1] + "تا",
        )
        if (core.endswith(("وا", "ون")) and not entry.lemma.endswith(("وا", "ون"))) or dual:
            pronoun_subject = True  # طالبوا X بـ: the plural ending is the subject, X the addressee
        co_holder: _Holder | None = None
        if hit.form.kind == "verb" and not first_person:
            subj = self.subject_after(i + 1, limit)
            if subj is not None:
                a, b = subj
                # a single phrase before the frame is the object or the addressee, not the subject
                clitic = hit.clitic + (1 if pronoun_subject else 0)
                if self.only_object(a, b, limit, entry, clitic) or pronoun_subject:
                    subj = None
                else:
                    holder = self.holder_from_np(a, b)
                    co_holder = self.co_holder(a, b)
                    subj_end = b
            elif not pronoun_subject and all(f not in ("obj",) and "+" not in f for f in entry.frames):
                # a verb with only a prepositional frame (أشاد بـ، رحب بـ): the phrase before the
                # preposition can only be its subject (وأشاد معلم نيكول بإنجازها)
                j = self.skip_adverbs(i + 1, limit)
                n = v.norm(j)
                if (
                    j < limit
                    and v.word(j)
                    and n not in PREPS
                    and n not in COMPLEMENTIZERS
                    and not (n[:1] in "بل" and _glued(n, n[0]))
                ):
                    end = self.np_end(j, limit, subject=True)
                    if end > j:
                        holder = self.holder_from_np(j, end)
                        subj_end = end
            if holder is None and hit.clitic == 0:
                pre = self.subject_before(i, sa)
                if pre is not None:
                    holder = self.holder_from_np(*pre)
            if holder is None:
                holder = self.relative_antecedent(i)
        if holder is None:
            holder = self.implicit_holder(i, hit.form.feminine, same_sentence=hit.form.kind == "participle")
        targets, _addr = self.frame_target(subj_end, limit, entry)
        if not targets:
            return False
        # دعا X الى الرحيل: a departure asked of the addressee is against the addressee
        targets = self.departure(targets, subj_end, limit, _addr)
        if amb and not self.amb_ok(i, entry, targets):
            return False
        if entry.lemma == "رفض" and any(_core(v.norm(a)) in REFUSED_ACTS for a, _, _, _ in targets):
            return False
        neg_flip = False
        if context == "neg" and entry.polarity == "favor" and hit.form.imperfect:
            targets = [(a, b, _flip(lab), f) for a, b, lab, f in targets]
            context, neg_flip = "", True
        base = 0.75 if hit.form.kind == "verb" else 0.7
        if neg_flip:
            base -= 0.15
        if co_holder is not None:
            self.emit(
                co_holder,
                targets,
                self.cue_span(i, hit),
                i,
                "verb",
                base,
                amb=amb,
                context=context,
                entry=entry,
            )
        return self.emit(
            holder, targets, self.cue_span(i, hit), i, "verb", base, amb=amb, context=context, entry=entry
        )

    def co_holder(self, a: int, b: int) -> _Holder | None:
        """A second person coordinated in the subject: الملك سلمان ... وأخوه الرئيس ... السيسي."""
        v = self.v
        first = next((k for k in range(a, b) if v.ent_label(k) == "PER"), None)
        if first is None:
            return None
        seen_conj = False
        for k in range(first + 1, b):
            if (v.norm(k)[:1] == "و" and not self.same_mention(k - 1, k) and v.ent_at[k] < 0) or v.norm(
                k
            ) == "و":
                seen_conj = True
            if seen_conj and v.ent_label(k) == "PER" and v.ent_at[k] != v.ent_at[first]:
                ment = v.ment_at[k]
                ent = v.entities[v.ent_at[k]]
                span = (v.starts[ment[0]], v.ends[ment[1] - 1]) if ment else None
                return _Holder(ent.name, ent.id, span, "explicit", "PER", True)
        return None

    def participle_context(self, i: int) -> bool:
        """A circumstantial participle (، داعيا ...) follows a clause, not a preposition or a construct
        head (في إطار مساندة ... is the noun)."""
        v = self.v
        p = i - 1
        w = v.words[p]
        if w in _COMMAS or w in _CLOSE_MARKS or w in (")", "-", "–"):
            return True
        n = v.norm(p)
        if not v.word(p) or n in PREPS or n in RELATIVES or n in COMPLEMENTIZERS:
            return False
        return v.definite(p) or n in ADVERBS or v.ent_at[p] >= 0

    def only_object(self, a: int, b: int, limit: int, entry: Entry, clitic: int) -> bool:
        """After a phrase that follows the verb: is there no second phrase (so the first is the object)?"""
        v = self.v
        frames = entry.frames
        k = self.skip_adjuncts(b, limit)
        n = v.norm(k) if k < limit else ""
        frame_next = (
            k >= limit
            or (not v.word(k) and v.words[k] not in _OPEN_MARKS)
            or n in PREPS
            or n in BARE_COMP
            or (n[:1] in "لب" and len(n) > 3 and not v.definite(k))
            or (n[:1] == "ب" and len(n) > 3)
        )
        if any(f == "obj" for f in frames) and "accused" in entry.flags:
            return frame_next  # اتهم X بـ: a single phrase is the accused
        if any("+" in f for f in frames):
            # دعا X الى Y / ناشد X أن: with one phrase before the frame word, after a conjunction or a
            # pronoun subject (وناشد أطراف النزاع أن، فإنها دعت حزب العمال الى) it is the addressee
            if not frame_next:
                return False
            return clitic > 0 and not self.strong_agent(a, b)
        if frames[:1] == ("obj",):
            return frame_next
        return False

    def strong_agent(self, a: int, b: int) -> bool:
        """A phrase that is a subject rather than an addressee: a named entity, a title, a body."""
        v = self.v
        n = v.norm(a)
        return v.ent_label(a) in ("PER", "ORG", "LOC") or _in(n, PERSON_TITLES) or _in(n, ORG_HEADS)

    def departure(
        self, targets: list[tuple[int, int, StanceLabel, bool]], j: int, limit: int, addr: int | None
    ) -> list[tuple[int, int, StanceLabel, bool]]:
        v = self.v
        out: list[tuple[int, int, StanceLabel, bool]] = []
        for a, b, lab, f in targets:
            if b - a == 1 and _core(v.norm(a)) in DEPARTURE and addr is not None:
                end = self.np_end(addr, limit)
                out.append((addr, end, _flip(lab), True))
                continue
            # دعوته للأسد بالرحيل: ل-addressee then ب + departure
            nxt = b
            if nxt < limit and _core(v.norm(nxt)) in DEPARTURE and v.norm(nxt)[:1] in "ب":
                out.append((a, b, _flip(lab), True))
                continue
            out.append((a, b, lab, f))
        return out

    def amb_ok(self, i: int, entry: Entry, targets: list[tuple[int, int, StanceLabel, bool]]) -> bool:
        """Extra checks for ambiguous surfaces: دعم صفوفه بـ (reinforce), ثمن (price), دعا الله."""
        v = self.v
        for a, b, _lab, _f in targets:
            if b < v.n and v.norm(b)[:1] == "ب" and entry.lemma in ("دعم",):
                return False
            if any(v.norm(t).endswith(("صفوفه", "صفوفها")) for t in range(a, b)):
                return False
        return not (entry.lemma == "ثمن" and i + 1 < v.n and v.definite(i) and not v.word(i + 1))

    # -- nouns ---------------------------------------------------------------------------
    def noun_cue(self, i: int, hit: Hit) -> bool:
        """إدانة/دعوته/قلقه/انتقاداتهم: anchored by a pronoun suffix, a light verb or a genitive holder."""
        v = self.v
        entry = hit.form.entry
        sa, sb = v.bounds(i)
        limit = min(sb, i + 40)
        light = self.light_verb_before(i, sa)
        holder: _Holder | None = None
        j = i + 1
        # adjectives and a coordinated noun of the cue: قلقه البالغ، دعمه ومساندته
        while j < limit and (
            v.words[j] in _CLOSE_MARKS
            or (v.definite(j) and _adjlike(v.norm(j)))
            or v.norm(j) in ADJ_WORDS
            or (v.norm(j)[:1] == "و" and any(h.form.kind == "noun" for h in self.lex.lookup(v.norm(j)[1:])))
            or (v.norm(j) == "و" and any(h.form.kind == "noun" for h in self.lex.lookup(v.norm(j + 1))))
        ):
            j += 1
        if not hit.possessive and light is None:
            # a genitive holder: اتهام القضاء الأمريكي X، إدانة السعودية لـ
            if j < limit and v.word(j) and (v.ent_at[j] >= 0 or v.definite(j)) and self.agent_like(j, j + 1):
                end = self.np_end(j, limit)
                holder = self.holder_from_np(j, end)
                j = end
                # دعم سوريا: a genitive is the holder only before a prepositional frame (إدانة السعودية لـ)
                frames = tuple(f for f in entry.frames if f != "obj" or "accused" in entry.flags)
                if not frames:
                    return False
                entry = Entry(entry.lemma, entry.cls, entry.polarity, frames, entry.flags)
            else:
                return False  # no pronoun, light verb or genitive anchors the noun
        context = self.polarity_context(light if light is not None else i)
        if holder is None and light is not None:
            sub = self.subject_after(light + 1, i)
            if sub is not None:
                holder = self.holder_from_np(*sub)
            else:
                lh = self.hits[light]
                clitic = lh[0].clitic if lh else 0
                # أعرب رجل الأعمال ... عن اعتزازه: the phrase between the light verb and عن is its subject
                k = light + 1
                if not self.participle(light) and k < i and v.word(k) and v.norm(k) not in PREPS:
                    end = self.np_end(k, i, subject=True)
                    if end > k and (end == i or (end < i and v.norm(end) in PREPS)):
                        holder = self.holder_from_np(k, end)
                pre = self.subject_before(light, sa) if holder is None else None
                if pre is not None and clitic == 0 and not self.has_kind(light, "participle"):
                    holder = self.holder_from_np(*pre)
            if holder is None:
                holder = self.relative_antecedent(light)
            if holder is None:
                fem = any(h.form.feminine for h in self.hits[light])
                holder = self.implicit_holder(light, fem, same_sentence=self.participle(light))
        if holder is None and hit.possessive:
            holder = self.implicit_holder(i, None)
        targets, addr = self.frame_target(j, limit, entry)
        targets = self.departure(targets, j, limit, addr)
        if not targets:
            return False
        amb = "amb" in entry.flags
        return self.emit(
            holder, targets, self.cue_span(i, hit), i, "noun", 0.7, amb=amb, context=context, entry=entry
        )

    def participle(self, k: int) -> bool:
        n = self.v.norm(k)
        return self.has_kind(k, "participle") or (n[:1] == "م" and n.endswith(("ا", "ه")) and len(n) >= 5)

    def light_verb_before(self, i: int, sa: int) -> int | None:
        """أعرب الجبير عن أمله، كرر كيري دعوة، وجهوا انتقاداتهم، مجددا دعوته: the light verb's token."""
        v = self.v
        for k in range(i - 1, max(sa - 1, i - 15), -1):
            if self.has_kind(k, "light") and not self.has_kind(k, "noun"):
                return k
            n = v.norm(k)
            if (
                v.words[k] in _CLAUSE_END
                or n in COMPLEMENTIZERS
                or (self.has_kind(k, "verb") and v.ent_at[k] < 0)
            ):
                return None
        return None

    # -- relations -----------------------------------------------------------------------
    def relation(self, i: int, hit: Hit) -> bool:
        """روسيا الحليفة الثابتة لبشار الاسد، المرصد ... القريب من المعارضة، حزب مؤيد للأكراد."""
        v = self.v
        entry = hit.form.entry
        sa, sb = v.bounds(i)
        n = v.norm(i)
        prep = entry.frames[0] if entry.frames else "ل"
        if hit.clitic and not (n.startswith("و") and v.ent_at[i] < 0) and not n.startswith(("وال", "ال")):
            return False
        j = i + 1
        while j < sb and v.definite(j) and _adjlike(v.norm(j)) and j - i <= 2:
            j += 1
        if j >= sb:
            return False
        nj = v.norm(j)
        if prep == "ل":
            if not (nj.startswith("لل") or (nj.startswith("ل") and v.ent_at[j] >= 0)) and nj not in (
                "لـ",
                "ل",
            ):
                return False
            t0 = j + 1 if nj in ("لـ", "ل") else j
        else:
            if nj != prep:
                return False
            t0 = j + 1
        targets = self.interpret(
            t0, min(sb, t0 + _MAX_NP), "against" if entry.polarity == "against" else "favor"
        )
        if not targets:
            return False
        # the holder: the phrase the relation word describes
        k = i - 1
        while k >= sa and (v.norm(k) in ELATIVES or v.words[k] in _COMMAS):
            k -= 1
        holder: _Holder | None = None
        if k >= sa and v.word(k) and not self.stop_word(k) and not self.is_cue_verb(k):
            if v.definite(i) or v.ent_at[k] >= 0:
                start: int | None = self.phrase_back(k, sa)
            else:
                # أكبر حزب مؤيد لـ: an indefinite relation word describes the noun right before it
                start = k - 1 if k - 1 >= sa and v.norm(k - 1) in ELATIVES else k
            if start is not None:
                holder = self.holder_from_np(start, k + 1)
        if holder is None and i - 1 >= sa and v.norm(i - 1) in ELATIVES:
            return False
        # المعارضة للاتفاق من ساسة متعصبين: a masdar with its agent after the target
        tb = max(b for _, b, _, _ in targets)
        if tb < sb and v.norm(tb) == "من" and tb + 1 < sb and self.agent_like(tb + 1, tb + 2):
            end = self.np_end(tb + 1, sb)
            holder = self.holder_from_np(tb + 1, end)
        if holder is None or (
            holder.label == "NP" and not any(self.agent_like(t, t + 1) for t in self.tokens_of(holder.span))
        ):
            return False
        context = self.polarity_context(i)
        return self.emit(holder, targets, self.cue_span(i, hit), i, "relation", 0.75, context=context)

    def tokens_of(self, span: tuple[int, int] | None) -> range:
        v = self.v
        if span is None:
            return range(0)
        a = bisect.bisect_right(v.starts, span[0]) - 1
        b = bisect.bisect_left(v.starts, span[1])
        return range(max(0, a), min(v.n, b))

    # -- evaluative words ----------------------------------------------------------------
    def eval_obj(self, i: int, hit: Hit) -> bool:
        """ضرورة X، نأمل أن X، قلق إزاء X، بحاجة لـ X، الأولوية هي X: in quoted/reported speech, or
        governed by a speech verb (أكد على ضرورة X، مشددا على ضرورة X)."""
        v = self.v
        entry = hit.form.entry
        sa, sb = v.bounds(i)
        limit = min(sb, i + 40)
        in_quote = v.quote_at[i] >= 0
        governor = self.speech_governor(i, sa)
        first_person = hit.form.person == 1
        if (
            not in_quote
            and governor is None
            and not first_person
            and not entry.lemma.startswith("لم")
            and not (entry.lemma.startswith("لا") and self.relative_antecedent(i) is not None)
        ):
            return False
        context = self.polarity_context(i)
        if entry.lemma.startswith(("لا", "لم")):
            context = ""  # the idiom carries its own negation
        # يجب/ينبغي with a subject before it: الجهود ... يجب ان تشمل، هذه الهجمات ... يجب ان تتوقف
        if entry.lemma in ("يجب", "ينبغي"):
            if v.norm(i + 1) in BARE_COMP and self.is_reporting(i + 2):
                return False  # يجب أن نذكر أن: a remark, not a position
            done = self.must(i, hit, sa, limit, context)
            if done:
                return True
        j = i + hit.n_tokens
        # هدفنا وشعارنا هو X، الأولوية هي X: the object comes after the copula
        for k in range(j, min(limit, j + 3)):
            if v.norm(k) in COPULAS and entry.frames[:1] == ("obj",):
                j = k + 1
                break
        targets, _ = self.frame_target(j, limit, entry)
        if not targets:
            return False
        holder = self.experiencer(i, sa)
        if holder is None and governor is not None and not in_quote:
            sub = self.subject_after(governor + 1, i)
            if sub is not None:
                holder = self.holder_from_np(*sub)
            if holder is None:
                pre = self.subject_before(governor, sa)
                if pre is not None and not self.has_kind(governor, "participle"):
                    holder = self.holder_from_np(*pre)
        if holder is None:
            holder = self.relative_antecedent(i)
        if holder is None:
            holder = self.implicit_holder(i, None)
        base = 0.6 if in_quote else 0.55
        return self.emit(
            holder, targets, self.cue_span(i, hit, hit.n_tokens), i, "eval", base, context=context
        )

    def must(self, i: int, hit: Hit, sa: int, limit: int, context: str) -> bool:
        v = self.v
        j = i - 1
        while j >= sa and v.words[j] in (")", "”", "»", '"'):
            j -= 1
        if j < sa or not v.word(j) or self.stop_word(j) or v.norm(i)[:1] == "و":
            return False
        start = self.clause_start(j, sa)
        if start is None or start > j:
            return False
        # the verb after أن: a flip verb makes it against the subject
        k = i + 1
        if v.norm(k) not in BARE_COMP:
            return False
        k += 1
        label: StanceLabel = "against" if self.has_kind(k, "flip") else "favor"
        targets = self.interpret(start, j + 1, label)
        if not targets:
            return False
        holder = self.quote_holder(i) if v.quote_at[i] >= 0 else None
        if holder is None:
            return False
        return self.emit(holder, targets, self.cue_span(i, hit), i, "eval", 0.55, context=context)

    def clause_start(self, j: int, sa: int) -> int | None:
        """The first token of the clause that ends at token j (after أن/إن، a colon, a quote mark)."""
        v = self.v
        k = j
        while k > sa and j - k < 30:
            p = k - 1
            w = v.words[p]
            n = v.norm(p)
            if n in COMPLEMENTIZERS or w == ":" or w in _CLAUSE_END:
                break
            if w in _COMMAS:
                break
            if self.is_reporting(p) or (self.has_kind(p, "verb", "light", "eval_obj") and v.ent_at[p] < 0):
                break
            k = p
        q = v.quote_at[j]
        if q >= 0:
            qa = bisect.bisect_left(v.starts, v.quotes[q].content.start)
            k = max(k, qa)
        while k <= j and (not v.word(k) or v.norm(k) in ("مثل", "ان")):
            k += 1
        return k if k <= j else None

    def experiencer(self, i: int, sa: int) -> _Holder | None:
        """The subject of an evaluative predicate right before it: القيادة الفلسطينية واعية لضرورة ..."""
        v = self.v
        j = i - 1
        steps = 0
        while j >= sa and steps < 2 and v.word(j) and not v.definite(j) and v.ent_at[j] < 0:
            if self.stop_word(j) or self.is_cue_verb(j):
                return None
            j -= 1
            steps += 1
        if steps == 0 or j < sa or not v.word(j):
            return None
        start = self.phrase_back(j, sa)
        if start is None or not self.agent_like(start, j + 1):
            return None
        return self.holder_from_np(start, j + 1)

    def speech_governor(self, i: int, sa: int) -> int | None:
        """أكد دي مستورا على ضرورة، مشددا على ضرورة، أعرب عن أمله: a speech, light or stance verb before."""
        v = self.v
        for k in range(i - 1, max(sa - 1, i - 10), -1):
            n = v.norm(k)
            if self.has_kind(k, "light") or self.is_reporting(k):
                return k
            if v.words[k] in _CLAUSE_END or n in COMPLEMENTIZERS or n in RELATIVES:
                return None
            if self.has_kind(k, "verb") and v.ent_at[k] < 0:
                return k
        return None

    def eval_subj(self, i: int, hit: Hit) -> bool:
        """X (هو|يشكل|...) أولوية/مزعج/انتهاكا/فريد: in quoted or reported speech, about the clause subject;
        "إنه لأمر مخيب للآمال أن X" about the clause after it."""
        v = self.v
        if v.quote_at[i] < 0:
            return False
        sa, sb = v.bounds(i)
        n = v.norm(i)
        # a predicate is indefinite and not governed by a preposition (خلف أفضل مرشح، الوضع الخطير)
        if n.startswith(("ال", "وال", "بال", "لل")) or (i > sa and v.norm(i - 1) in PREPS):
            return False
        if i > sa and v.norm(i - 1)[:1] == "ب" and _glued(v.norm(i - 1), "ب"):
            return False  # دعم صفوفه بشكل مميز: an adverbial, not a predicate
        context = self.polarity_context(i)
        label: StanceLabel = "against" if hit.form.entry.polarity == "against" else "favor"
        holder = self.quote_holder(i)
        if holder is None:
            return False
        # it is disappointing that X: the clause after
        for k in range(i + 1, min(sb, i + 4)):
            if v.norm(k) in BARE_COMP:
                targets = self.interpret_clause(k + 1, min(sb, k + 20), label, 1)
                return self.emit(holder, targets, self.cue_span(i, hit), i, "eval", 0.5, context=context)
        j = i - 1
        while j >= sa and (
            v.norm(j) in COPULAS
            or v.norm(j) in ("امر", "لامر", "بالتاكيد")
            or not v.word(j)
            or v.norm(j) in ("للغايه", "جدا")
        ):
            if v.words[j] in _COMMAS or v.words[j] in _CLAUSE_END:
                return False
            j -= 1
        if j < sa:
            return False
        start = self.clause_start(j, sa)
        if start is None:
            return False
        n0 = v.norm(start)
        if n0 in PRONOUN_SUBJECTS or n0 in ("هو", "وهو", "هي", "وهي"):
            ref = self.pronoun_referent(start, sa)
            if ref is None:
                return False
            targets = [(ref[0], ref[1], label, False)]
        elif self.has_kind(start, "flip", "keep", "goal", "means"):
            targets = self.interpret(start, i, label)
        else:
            end = self.np_end(start, j + 1)
            if end <= start:
                return False
            # the predicate must follow the subject closely (or after a relative clause)
            gap = j + 1 - end
            if gap > 5 and v.norm(end) not in RELATIVES:
                return False
            targets = (
                self.interpret(start, end, label)
                if end - start > 1 or self.has_kind(start, "flip")
                else [(start, end, label, False)]
            )
            if self.has_kind(start, "flip", "keep", "goal") or any(
                v.norm(k)[:1] == "و" and self.has_kind(k, "flip", "keep", "goal") for k in range(start, j + 1)
            ):
                targets = self.interpret(start, j + 1, label)
        return self.emit(holder, targets, self.cue_span(i, hit), i, "eval", 0.5, context=context)

    def pronoun_referent(self, i: int, sa: int) -> tuple[int, int] | None:
        """هو/هي at the start of a clause: the nearest entity mention before it in the sentence (inside the
        quote: the speaker is not the referent)."""
        v = self.v
        q = v.quote_at[i]
        if q >= 0:
            sa = max(sa, bisect.bisect_left(v.starts, v.quotes[q].content.start))
        for k in range(i - 1, max(sa - 1, i - 15), -1):
            if v.ent_at[k] >= 0 and v.ment_at[k] is not None and v.ent_label(k) in ("PER", "ORG"):
                return v.ment_at[k]
        return None

    def first_person_verb(self, k: int) -> bool:
        """سنواصل، سنحتفظ، نعمل، نبذل: a first-person present verb (not نشطة، نظام)."""
        v = self.v
        n = v.norm(k)
        if v.ent_at[k] >= 0 or v.definite(k) or not v.word(k):
            return False
        if any(h.form.person == 1 for h in self.hits[k]):
            return True
        core = n[1:] if n[:1] in "وف" else n
        return core.startswith("سن") and len(core) >= 5

    # -- declared efforts in quotes ------------------------------------------------------
    def first_person_purposes(self) -> None:
        """In a quote, a first-person verb then a purpose (سنحتفظ بموقف ... لمنع اي عدوان، وتعزيز ...)."""
        v = self.v
        claimed = {f.target for f in self.found}
        for i in range(v.n):
            if v.quote_at[i] < 0:
                continue
            n = v.norm(i)
            if not (n[:1] == "ل" and len(n) > 3 and self.has_kind(i, "flip", "keep")):
                continue
            sa, sb = v.bounds(i)
            first = next((k for k in range(i - 1, max(sa - 1, i - 8), -1) if self.first_person_verb(k)), None)
            if first is None or any(self.has_kind(k, "verb", "eval_obj") for k in range(first, i)):
                continue
            targets = self.interpret(i, sb, "favor")
            targets = [t for t in targets if self.span_chars(t[0], t[1]) not in claimed]
            holder = self.quote_holder(i)
            if holder is None or not targets:
                continue
            hit = self.hits[i][0]
            self.emit(holder, targets, self.cue_span(i, hit), i, "effort", 0.45)


# ============================================================================ output
def _finalize(found: list[_Found], text: str) -> list[Stance]:
    """One stance per (holder, overlapping target, label) — the highest confidence wins — in text order."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda x: -x.score):
        dup = False
        for k in kept:
            same_holder = normalize(k.holder.name) == normalize(f.holder.name) or (
                k.holder.entity_id is not None and k.holder.entity_id == f.holder.entity_id
            )
            overlap = f.target[0] < k.target[1] and k.target[0] < f.target[1]
            if same_holder and overlap:
                dup = True
                break
        if not dup:
            kept.append(f)
    kept.sort(key=lambda x: (x.evidence[0], x.target[0]))
    return [
        Stance(
            holder=f.holder.speaker(text),
            target=Target(
                text=text[f.target[0] : f.target[1]],
                entity_id=None,
                mention=Mention(start=f.target[0], end=f.target[1], text=text[f.target[0] : f.target[1]]),
            ),
            label=f.label,
            evidence=Mention(
                start=f.evidence[0], end=f.evidence[1], text=text[f.evidence[0] : f.evidence[1]]
            ),
            cue=Mention(start=f.cue[0], end=f.cue[1], text=text[f.cue[0] : f.cue[1]]) if f.cue else None,
            quote_id=f.quote_id,
            confidence=f.score,
        )
        for f in kept
    ]


def _link_targets(stances: list[Stance], entities: list[Entity]) -> None:
    """entity_id of the entity the target phrase is, starts with, or contains (PER/ORG before places)."""
    mention_keys: list[tuple[str, list[str]]] | None = None
    for st in stances:
        m = st.target.mention
        if m is None:
            continue
        best: tuple[int, str] | None = None
        for ent in entities:
            for em in ent.mentions:
                if em.start >= m.start and em.end <= m.end:
                    rank = (3 if em.start == m.start else 0) + (1 if ent.label in ("PER", "ORG") else 0)
                    if best is None or rank > best[0]:
                        best = (rank, ent.id)
        if best is None:
            # no tagged mention inside (للأسد): an entity all of whose words the phrase contains
            if mention_keys is None:  # once per document, not per stance
                mention_keys = [
                    (ent.id, _word_keys(em.text))
                    for ent in entities
                    if ent.label in ("PER", "ORG", "LOC")
                    for em in ent.mentions
                ]
            tkeys = _word_keys(m.text)
            for ent_id, mk in mention_keys:
                if mk and _contains(tkeys, mk) >= 0 and len("".join(mk)) >= 3:
                    best = (0, ent_id)
                    break
        if best is not None:
            st.target.entity_id = best[1]


# ============================================================================ requested targets
def _word_keys(text: str) -> list[str]:
    """Comparison keys of a phrase: clitics and article off, ta marbuta/nisba folded, skeletons."""
    keys = []
    for w in normalize(text).split():
        k = _tkey(w)
        if k:
            keys.append(k)
    return keys


def _contains(long: list[str], short: list[str]) -> int:
    n = len(short)
    if n == 0 or n > len(long):
        return -1
    for i in range(len(long) - n + 1):
        if long[i : i + n] == short:
            return i
    return -1


def match_targets(
    stances: list[Stance], targets: list[str], entities: list[Entity], text: str
) -> list[Stance]:
    """Only the stances toward the requested targets, ``target.text`` = the requested string.

    A request matches a stance when the target phrase contains the request's words (spelling-, clitic-
    and article-insensitive: الاسد ~ الأسد ~ للأسد), or contains a mention of an entity the request names
    (الأسد ~ بشار الاسد ~ نظام الأسد), or is linked to that entity. A multiword person name also matches
    its family name (بشار الأسد ~ الأسد)."""
    out: list[Stance] = []
    wanted = [(t, _word_keys(t)) for t in targets if t and t.strip()]
    ent_keys = [(e, [_word_keys(m.text) for m in e.mentions] + [_word_keys(e.name)]) for e in entities]
    for req, rkeys in wanted:
        if not rkeys:
            continue
        named: set[str] = set()
        for ent, mkeys in ent_keys:
            for mk in mkeys:
                if mk and (_contains(mk, rkeys) >= 0 or (_contains(rkeys, mk) >= 0 and len(mk) >= 1)):
                    named.add(ent.id)
                    break
        alt = [rkeys]
        if len(rkeys) >= 2 and len(rkeys[-1]) >= 2:
            alt.append(rkeys[-1:])
        for st in stances:
            m = st.target.mention
            if m is None:
                continue
            hit: tuple[int, int] | None = None
            ent_id = st.target.entity_id if st.target.entity_id in named else None
            # a mention of a named entity inside the target phrase (انتهاكات نظام الأسد), not one that only
            # locates it (العنف في حلب)
            for ent, _ in ent_keys:
                if hit is not None:
                    break
                if ent.id not in named:
                    continue
                for em in ent.mentions:
                    if (
                        em.start >= m.start
                        and em.end <= m.end
                        and not _after_preposition(text, m.start, em.start)
                    ):
                        hit, ent_id = (em.start, em.end), ent.id
                        break
            if hit is None and ent_id is not None:
                hit = (m.start, m.end)
            if hit is None:
                hit = _find_keys(m, alt)
                if hit is not None and ent_id is None and len(named) == 1:
                    ent_id = next(iter(named))  # للأسد: the words of the named entity, not a tagged mention
            if hit is None:
                continue
            s, e = hit
            out.append(
                Stance(
                    holder=st.holder,
                    target=Target(
                        text=req, entity_id=ent_id, mention=Mention(start=s, end=e, text=text[s:e])
                    ),
                    label=st.label,
                    evidence=st.evidence,
                    cue=st.cue,
                    quote_id=st.quote_id,
                    confidence=st.confidence,
                )
            )
    out.sort(key=lambda s: (s.evidence.start, s.target.text))
    return out


_LOCATIVE = _ns(wordclasses.words("stance_locative"))


def _after_preposition(text: str, start: int, at: int) -> bool:
    """Is the word before ``at`` (within the phrase starting at ``start``) a preposition (في حلب)?"""
    before = text[start:at].split()
    return bool(before) and normalize(before[-1]) in _LOCATIVE


def _find_keys(m: Mention, alts: list[list[str]]) -> tuple[int, int] | None:
    """Where in the target mention the request's words occur (char span), if they do."""
    words = [(w.start(), w.end(), w.group()) for w in re.finditer(r"\S+", m.text)]
    keys = [_tkey(normalize(w)) for _, _, w in words]
    for alt in alts:
        pos = _contains(keys, alt)
        if pos >= 0:
            a = words[pos]
            b = words[pos + len(alt) - 1]
            start = m.start + a[0]
            # drop a glued clitic of the first word (للأسد keeps its لل)
            return start, m.start + b[1]
    return None


# ============================================================================ entry points
def extract_stances(
    doc: Doc,
    targets: list[str] | None = None,
    lexicon: StanceLexicon | None = None,
) -> list[Stance]:
    """Stances of ``doc`` (``doc._.entities`` and ``doc._.quotes`` set)."""
    text = doc_text(doc)
    if not text or not text.strip():
        return []
    entities = list((doc._.entities if Doc.has_extension("entities") else None) or [])
    quotes = list((doc._.quotes if Doc.has_extension("quotes") else None) or [])
    view = _View(doc, text, entities, quotes)
    if view.n == 0:
        return []
    found = _Extractor(view, lexicon or default_stance_cues()).run()
    stances = _finalize(found, text)
    _link_targets(stances, entities)
    if targets is not None:
        stances = match_targets(stances, list(targets), entities, text)
    return stances


class StanceTagger(Pipe):
    """spaCy component: ``doc._.stances`` from the text, ``doc._.entities`` and ``doc._.quotes``."""

    def __init__(
        self, nlp: Language | None = None, name: str = "qawl_stance", cues_path: str | None = None
    ) -> None:
        self.name = name
        self.lexicon = load_stance_cues(Path(cues_path)) if cues_path else default_stance_cues()

    def __call__(self, doc: Doc, targets: list[str] | None = None) -> Doc:
        doc._.stances = []  # what an error leaves behind when the error handler does not raise
        doc._.stances = extract_stances(doc, targets, self.lexicon)
        return doc

    def pipe(
        self, stream: Iterable[Doc], *, batch_size: int = 128, targets: list[str] | None = None
    ) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for doc in stream:
            try:
                yield self(doc, targets=targets)
            except Exception as e:
                error_handler(self.name, self, [doc], e)
                yield doc

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.lexicon = default_stance_cues()


@Language.factory("qawl_stance", default_config={"cues_path": None})
def make_stance_tagger(nlp: Language, name: str, cues_path: str | None) -> StanceTagger:
    return StanceTagger(nlp, name, cues_path)
