"""Phrase machinery of the quote component: noun-phrase ends, name runs, title linking, speaker
resolution and the stack of earlier speakers (agents).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from qawl.types import Resolution

from . import morphology
from .arabic import skip_letters
from .constructions import Rule, constructions
from .lexicon import Lexicon
from .morphology import (
    ADJECTIVE_ENDINGS,
    ALEF,
    ARTICLE,
    CLITIC_LETTERS,
    CONJUNCTION_LETTERS,
    CONJUNCTIONS,
    DETACHED_LAM_BA,
    LAM,
    LAM_BA,
    LAM_BA_CLITICS,
    MIM,
    SOUND_PLURAL_NOMINATIVE,
    SOUND_PLURAL_OBLIQUE,
    TA_MARBUTA,
    TWO_LETTER_CLITICS,
    YA,
    article_after_clitic,
    core,
    has_article,
    has_fused_lil,
    is_definite_form,
    is_nisba,
    key,
    skeleton_key,
)
from .phrases import AgentStack, NPState, PhraseReader, Step, TitleEntry, best_title
from .quote_text import (
    _BOUNDARY,
    _COMMAS,
    _COMPLEMENT_PREPS,
    _MARKS,
    _MAX_AGENTS,
    _MAX_CANDIDATES,
    _MAX_LOOKBACK,
    _MAX_NP,
    _TITLE_LINKS,
    ADVERB_PARTICIPLES,
    BARE_ALEF_COMPLEMENTIZERS,
    BARE_COMPLEMENTIZERS,
    BARE_SOURCE_NOUNS,
    CHAIN_NOUNS,
    CHANNEL_NOUNS,
    COMPLEMENTIZERS,
    CONDITIONAL_INNA,
    DEMONSTRATIVES,
    DOC_NOUNS,
    DOC_WRAPPERS,
    EMPHATICS,
    FEMININE_TITLES,
    GOVERNORS,
    GROUP_PLURALS,
    HAMZA_COMPLEMENTIZERS,
    HONORIFIC_NOUNS,
    HONORIFICS,
    ISSUED,
    NAMED_VERBS,
    NAMING_NOUNS,
    NEGATIONS,
    OBJECT_NOUNS,
    ORG_HEADS,
    OWNER_PRONOUNS,
    PERFECT_PARTICLES,
    PERSON_TITLES,
    PREPOSITIONS,
    PUBLISH_STEMS,
    QUANTIFIERS,
    RELATIVES,
    SAME_AFTER,
    SAME_BEFORE,
    SOURCE_HEADS,
    SUBJUNCTIVE_EXCEPTIONS,
    TIME_WORDS,
    TITLE_MODIFIERS,
    TOTALS,
    _clean_name,
    _contains,
    _Found,
    _key_member,
    _name_keys,
    _Pair,
    _Spk,
    _Text,
)
from .reporting_cues import IDIOM_OBJECTS, NOT_CUE_SURFACES, Cue, CueLexicon
from .wordclasses import AN, ANNA, BI_ANNA, ISM, KI, LIMA, MA, MIN

OBJECT_PRONOUN_ENDINGS = ("ه", "ها")  # أصدرته، نشرتها: the verb carries the document as its object


@dataclass
class _SpeakerNP(NPState):
    """A speaker or source phrase being read (``_Phrases.np_end``)."""

    titled: bool = False  # it opens with a title or an honorific
    named: bool = False  # a personal name has been read (after a title)
    mention_end: int = -1  # end of the last entity mention read
    source: bool = False  # مصدر أمني لمراسلة ...: the ل-phrase is the channel


def group_word(n: str) -> bool:
    """Is the normalized word one for a group of people: a group plural or a size (العملة، الأهالي،
    عدد), or a definite sound masculine plural (المعتصمين، النقابيون: that plural is for people)?"""
    c = core(n)
    plural = len(c) >= 5 and c.endswith((SOUND_PLURAL_NOMINATIVE, SOUND_PLURAL_OBLIQUE))
    return c in GROUP_PLURALS or (has_article(n) and plural)


# A definite document with no antecedent is the latest body's within this many sentences.
_ISSUER_SENTENCES = 3


def _issuer(spk: _Spk) -> bool:
    """A speaker that is an entity and no person: a body, or a place named as an actor."""
    return spk.entity_id is not None and not spk.person


def _speaker_gender(spk: _Spk) -> bool | None:
    return spk.feminine if spk.person else None


class _Phrases(PhraseReader[_Spk, _SpeakerNP]):
    """Reading phrases: predicates on tokens, speaker phrases, name runs, titles, speaker resolution
    and the agent stack (the shared parts in phrases.py). The cue pass (quotes.py) builds on it."""

    TITLES = PERSON_TITLES
    STOP_WORDS = PREPOSITIONS | RELATIVES | COMPLEMENTIZERS | TIME_WORDS | TOTALS | NEGATIONS
    # a person's titles: up to eight words before the name (commas inside them skipped: وزير
    # الخارجية، جون كيري), six after it (once a title follows the name, after any commas)
    TITLE_BEFORE = 8
    TITLE_AFTER = 6
    TITLE_COMMAS = (None, True)
    member = staticmethod(_key_member)  # the quote word classes hold _key forms

    def __init__(self, t: _Text, cues: CueLexicon, lexicon: Lexicon) -> None:
        # the latest 200 speakers pushed (in reading order), any distance back
        super().__init__(t, AgentStack(t, _speaker_gender, recent=_MAX_AGENTS))
        self.t = t
        self.cues = cues
        self.lexicon = lexicon
        self.cue_at: list[tuple[Cue, int] | None] = [
            cues.lookup(n) if n[:1].isalpha() and w not in NOT_CUE_SURFACES else None
            for w, n in zip(t.words, t.norms, strict=True)
        ]
        for k, hit in enumerate(self.cue_at):
            if hit is None:
                continue
            if k and t.norms[k] in ADVERB_PARTICIPLES and t.words[k - 1] not in _COMMAS:
                self.cue_at[k] = None  # مجددا (again): a cue only right after a comma (، مجددا التمسك بـ)
            elif (
                k + 1 < t.n
                and hit[0].cls != "participle"  # لافتا النظر إلى أن stays a cue
                and (hit[0].lemma, core(t.norms[k + 1])) in IDIOM_OBJECTS
            ):
                self.cue_at[k] = None  # لفت انتباه X، لفت نظر: an idiom, no cue (reporting_idiom_objects)
        for k in range(1, t.n):  # وفق ما ذكره X، وفقا لما نشره موقع X: after ما a verb, not the noun ذكره
            if self.cue_at[k] is None and t.norms[k - 1] in (MA, LIMA):
                self.cue_at[k] = cues.verb_with_object(t.norms[k])
        # fixed constructions (بحسب X، نقلا عن X، على لسان X، كما قال X): data/patterns
        self.constructions = constructions("quote_constructions").match(
            [n or w for w, n in zip(t.words, t.norms, strict=True)],
            [(i, hit[0].lemma, hit[0].cls, hit[0].past) for i, hit in enumerate(self.cue_at) if hit],
        )
        # outlets that write hamza (أن، بأن) make a bare بان a name (بان كي مون)
        hamza = sum(1 for w in t.words if w in HAMZA_COMPLEMENTIZERS)
        bare = sum(1 for w in t.words if w in BARE_ALEF_COMPLEMENTIZERS)
        self.hamza_style = hamza > bare
        t.cut_pairs(self._narration)
        self.found: list[_Found] = []
        self.titles: list[TitleEntry[_Spk]] = []
        self.claimed: list[bool] = [False] * t.n  # tokens inside a produced quote
        self._attribution_ends: dict[tuple[int, int], bool] = {}  # quote_content: memo per phrase
        self._in_attribution = False  # quote_content: reading an attributive phrase's tail
        self._proclitic: dict[str, str] = {}
        self._head_index: dict[str, list[int]] | None = None
        self._feminine: dict[int, bool] = {}  # person entity -> named after a woman's title
        self._honorific: _Spk | bool | None = False  # not looked up yet
        self._dignitary: _Spk | bool | None = False  # not looked up yet
        self._index_titles()

    # -- small predicates ----------------------------------------------------------------
    def _narration(self, k: int) -> bool:
        """The journalist reports at token k: a sentence opening with a coordinated past reporting verb
        (وأضافت، وأشار) or a participle cue with its complementizer (مشيرا الى ان، مؤكدة أن)."""
        hit = self.cue_at[k]
        if hit is None or (hit[0].ambiguous and hit[0].cls != "participle"):
            return False
        cue, conj = hit
        if cue.cls == "verb":
            t = self.t
            opens = t.sent[k] != t.sent[k - 1] and (t.words[k - 1] == "." or t.para[k] != t.para[k - 1])
            return conj > 0 and cue.past and opens  # not after an ellipsis: .. وتوقعت (first person)
        return cue.cls == "participle" and self._participle_statement(k)

    def _participle_statement(self, k: int) -> bool:
        """A participle cue at k opens a statement with its complementizer: مشيرا إلى أن، مؤكدة أن; also
        an ambiguous lemma's participle right before أن (مبينا أن: بين is ambiguous as a preposition only)."""
        hit = self.cue_at[k]
        if hit is None or hit[0].cls != "participle":
            return False
        if self.is_complementizer(k + 1):
            return True
        ambiguous = hit[0].ambiguous
        return not ambiguous and self.norm(k + 1) in _COMPLEMENT_PREPS and self.is_complementizer(k + 2)

    def proclitic(self, n: str) -> str:
        pc = self._proclitic.get(n)
        if pc is None:
            pc = morphology.proclitic(n, self.lexicon)
            self._proclitic[n] = pc
        return pc

    def count(self, n: str) -> int:
        return self.lexicon.counts.get(n, 0)

    def construction(self, i: int, role: str) -> Rule | None:
        """The rule of ``role`` in data/patterns/quote_constructions.jsonl that matches from token i."""
        return self.constructions.get((i, role))

    def source_at(self, i: int, role: str) -> int | None:
        """Where the source phrase of the construction of ``role`` at token i begins (None: no
        such construction, or one that names no source)."""
        rule = self.constructions.get((i, role))
        return i + rule.source if rule is not None and rule.source is not None else None

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
        if (
            n not in COMPLEMENTIZERS
            or self.t.ent_at[i] >= 0
            or self.t.words[i].startswith(morphology.ALEF_MADDA)
        ):
            return False  # في آن واحد
        if n == BI_ANNA and ((self.t.words[i] == BI_ANNA and self.hamza_style) or self.norm(i + 1) == KI):
            return False  # بان كي مون
        if n in BARE_COMPLEMENTIZERS:
            nxt = self.norm(i + 1)
            if nxt[:1] == YA and len(nxt) >= 3 and nxt not in SUBJUNCTIVE_EXCEPTIONS:
                return False  # أنْ + subjunctive verb: not a reported clause
            if (
                n == ANNA
                and self.t.words[i].startswith(morphology.ALEF_HAMZA_BELOW)
                and nxt in CONDITIONAL_INNA
            ):
                return False  # conditional إن
            if self.norm(i - 1) in GOVERNORS:
                return False
        return True

    def stray(self, i: int) -> bool:
        """A quote mark that pairs with nothing (a lost mark): transparent inside phrases."""
        return self.t.words[i] in _MARKS and i not in self.t.paired

    def stop_word(self, i: int) -> bool:
        if self.norm(i) == BI_ANNA and not self.is_complementizer(i):
            return False  # بان كي مون
        if self.opens_person_name(i):
            return False  # السيد علي البنزرتي: the name علي, not the preposition على it normalizes to
        return super().stop_word(i)

    def opens_person_name(self, i: int) -> bool:
        """Token i opens a person mention of two words or more, written with its final ي (علي العريض،
        علي بن مزين): a name, though normalized it is the preposition على."""
        t = self.t
        span = t.ment_at[i]
        return (
            span is not None
            and span[0] == i
            and span[1] - i >= 2
            and t.ment_char[i] == t.starts[i]
            and self.is_person(i)
            and t.words[i].endswith(morphology.YA)
        )

    def is_pp(self, i: int) -> bool:
        """An addressee or genitive phrase opener: لـ، للصحفيين، لوكالة، لدي ماريا, بـ."""
        t = self.t
        w, n = t.words[i], self.norm(i)
        if w in DETACHED_LAM_BA:
            return True
        if len(n) < 3 or n[0] not in LAM_BA:
            return False
        if has_fused_lil(n) or article_after_clitic(n):
            return True
        if t.ent_at[i] >= 0 and t.ment_char[i] > t.starts[i]:
            return True  # ل + a name: لدي ماريا، لروسيا
        rest = n[1:]
        return self.heads_phrase(rest)

    @staticmethod
    def heads_phrase(n: str) -> bool:
        """Does the word ``n`` (a glued ب/ل off) head a title, a body or a naming phrase (لمراسل، بمجلس،
        لصحيفة)? Then a ب/ل phrase opening with it belongs to the phrase before it."""
        k = key(n)
        return k in ORG_HEADS or k in NAMING_NOUNS or k in PERSON_TITLES

    def is_adjective(self, i: int) -> bool:
        n = self.norm(i)
        if self.in_set(i, TITLE_MODIFIERS):
            return True
        return has_article(n) and len(n) > 4 and is_nisba(n)

    def conj(self, i: int) -> bool:
        """A token carrying the conjunction و/ف (a new conjunct or clause), not a word starting with و."""
        n = self.norm(i)
        if len(n) < 3 or n[0] not in CONJUNCTION_LETTERS:
            return False
        if n.startswith(morphology.CONJ_ARTICLE_PREFIXES):
            return True
        return self.proclitic(n)[:1] in CONJUNCTIONS

    def speaker_like(self, i: int) -> bool:
        """Can a speaker phrase start here? A name, a title, an institution, a document, a name-like word."""
        t = self.t
        if t.ent_at[i] >= 0:
            return True
        if self._same(i) or (self.norm(i) in DEMONSTRATIVES and has_article(self.norm(i + 1))):
            return True  # ذات المصدر، هذا المركز; not اعتبرت ذلك أمرا عاديا (the object)
        if self.norm(i) in QUANTIFIERS and (
            self.in_set(i + 1, PERSON_TITLES)
            or (self.norm(i + 1) == MIN and self.people(i + 2))
            or (self.is_verb_cue(i - 1) and has_article(self.norm(i + 1)) and self.t.ent_at[i + 1] < 0)
        ):
            # أحد المغردين، بعض المسؤولين، عدد من العملة; right after a cue that is no ambiguous word, any
            # definite noun (وأوضحت بعض المواقع الإلكترونية، تقول بعض التقارير; not يعد أحد البرامج)
            return True
        for k in range(i + 1, min(self.t.n, i + 5)):  # الشاب إبراهيم دوابشة، حاكم محافظة شانلي أورفة عز الدين
            if not self.word(k) or self.stop_word(k):
                break
            if self.is_person(k):
                return True
        for s in (PERSON_TITLES, HONORIFICS, ORG_HEADS, DOC_NOUNS):
            if self.in_set(i, s):
                return True
        if self.channel_noun(i):
            return True  # the paper's own reporter: وأضاف مراسلنا، وأفاد موفدنا
        return self.namelike(i) and self.count(self.norm(i)) < 20

    def channel_noun(self, i: int) -> bool:
        """A reporter (مراسل، موفد), also the paper's own (مراسلنا: its key form loses the final alef)."""
        return self.in_set(i, CHANNEL_NOUNS) or self.norm(i) in CHANNEL_NOUNS

    def people(self, i: int) -> bool:
        """A word for people: a person noun or title, or a group (:meth:`group`)."""
        return self.in_set(i, PERSON_TITLES) or self.group(i)

    def group(self, i: int) -> bool:
        return group_word(self.norm(i))

    def _same(self, i: int) -> bool:
        """ذات المصدر، نفس المصدر: "the same" before a definite noun."""
        return self.norm(i) in SAME_BEFORE and i + 1 < self.t.n and has_article(self.norm(i + 1))

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
        if n[0] in LAM_BA and (
            article_after_clitic(n) or n[1:2] == LAM or self.proclitic(n) in LAM_BA_CLITICS
        ):
            return False
        lex = self.lexicon
        c = self.count(n)
        if n in lex.places and n not in lex.persons and (has_article(n) or c >= 100):
            return False
        if has_article(n):
            if is_nisba(n) and c >= 20:
                return False
            if c >= 100 and n not in lex.persons:
                return False
        elif c >= 200 and n not in lex.persons:
            return False
        return True

    def name_word(self, k: int, first: bool) -> bool:
        return self.namelike(k)

    def real_entity(self, i: int) -> bool:
        """An entity that is not a title phrase the NER labelled PER (مشرف نادي)."""
        e = self.t.ent_at[i] if 0 <= i < self.t.n else -1
        return e >= 0 and (self.t.person_ent[e] or self.t.entities[e].label != "PER")

    # -- title contexts ------------------------------------------------------------------
    def title_stop(self, j: int, before: bool) -> bool:
        if before:
            return self.norm(j) in PREPOSITIONS or self.is_verb_cue(j, True) or self.is_person(j)
        return self.stop_word(j) or self.is_verb_cue(j, True)

    def _index_titles(self) -> None:
        """Title words around each PER mention: وزير الخارجية الاميركي جون كيري -> {وزير, خارجي, امرك};
        the heads are the first title word before the name and a title right after it."""
        for e, a, _, before, after in self.person_titles():
            first = self.first_title(before)
            head = skeleton_key(self.norm(before[first])) if first >= 0 else ""
            heads = {head} if head else set()
            if after:
                heads.add(skeleton_key(self.norm(after[0])))
            if heads:
                keys = frozenset(k for k in (skeleton_key(self.norm(j)) for j in before + after) if k)
                spk = self._entity_speaker(e, None, "explicit", keys)
                self.titles.append(TitleEntry(a, frozenset(heads), keys, spk))
        self.title_pos = [entry.pos for entry in self.titles]

    # -- speaker phrases -----------------------------------------------------------------
    def _np_state(self, i: int, limit: int, subject: bool) -> _SpeakerNP:
        return _SpeakerNP(
            i,
            i,
            limit,
            _MAX_NP,
            subject,
            titled=self.in_set(i, PERSON_TITLES) or self.in_set(i, HONORIFICS),
            source=self.in_set(i, SOURCE_HEADS),
        )

    def _np_mark(self, np: _SpeakerNP) -> Step:
        j = np.end
        if j > np.start and self.stray(j) and j + 1 < np.limit and self.word(j + 1):
            np.end = j + 1  # ونقلت صحيفة “نيويورك تايمز ...: a lost mark
            return Step.NEXT
        heads = j == np.start + 1 or (j == np.start + 2 and self.in_set(np.start, NAMING_NOUNS))
        pair = self.named_pair(j) if heads else None  # the naming noun heads the phrase
        if pair is not None and pair.after <= np.limit:
            np.end = pair.after  # وذكر موقع "فلايت رادار 24" أن ...: the noun's name in marks
            return Step.NEXT
        paren = self.paren_name(j) if heads else None
        if paren is not None and paren[1] < np.limit:
            np.end = paren[1] + 1  # قالت شبكة (سي.إن.إن) الإخبارية: the name in brackets
            return Step.NEXT
        return Step.PASS

    def paren_name(self, j: int) -> tuple[int, int] | None:
        """(open, close) of the brackets at token j holding at most three words, right after a naming
        noun (وكالة (تاس)، شبكة (سي.إن.إن)، قناة (SWR)): the noun's name, as in marks."""
        t = self.t
        if j == 0 or t.words[j] != "(" or not self.in_set(j - 1, NAMING_NOUNS):
            return None
        close = next((k for k in range(j + 1, min(t.n, j + 7)) if t.words[k] in ("(", ")")), None)
        if close is None or t.words[close] != ")":
            return None
        n_words = sum(1 for k in range(j + 1, close) if self.word(k))
        return (j, close) if 0 < n_words <= 3 else None

    def named_pair(self, j: int) -> _Pair | None:
        """The closed pair of marks opening at token j when it holds the name of the naming noun
        before it (صحيفة "الشروق"، موقع "فلايت رادار 24"), marked as a name."""
        t = self.t
        pair = t.pair_at_open.get(j)
        if pair is None or pair.close is None or pair.n_words > 4 or j == 0:
            return None
        if not self.in_set(j - 1, NAMING_NOUNS):
            return None
        pair.name = True
        return pair

    def _np_comma(self, np: _SpeakerNP, nxt: int) -> bool:
        """A speaker phrase goes on over a comma to a name or a title (وزير الخارجية، جون كيري)."""
        limit = np.limit
        return (
            nxt - 1 > np.start
            and nxt < limit
            and (
                self.starts_entity(nxt)
                or self.in_set(nxt, PERSON_TITLES)
                or self.in_set(nxt, HONORIFICS)
                or (np.titled and self.name_run(nxt, limit) >= 1 and self._name_closes(nxt, limit))
            )
        )

    def _np_word(self, np: _SpeakerNP) -> Step:
        """One word of a speaker or source phrase."""
        t = self.t
        i, j = np.start, np.end
        n = self.norm(j)
        if j == i:
            if (n in PREPOSITIONS and not self.opens_person_name(j)) or n in COMPLEMENTIZERS:
                return Step.STOP
        elif j == i + 1 and n == MIN and self.norm(i) in QUANTIFIERS and self.people(j + 1):
            np.end = j + 1  # عدد من العملة: the group's size, then who they are
            return Step.NEXT
        else:
            if self.stop_word(j) or n in DEMONSTRATIVES or n in CHAIN_NOUNS:
                return Step.STOP
            if np.source and ((n[:1] == LAM and self.is_pp(j)) or n in CHANNEL_NOUNS):
                return Step.STOP
            if n[:1] in LAM_BA and n[1:] in CHANNEL_NOUNS:
                return Step.STOP  # المدير الجهوي للحماية المدنية لمراسل ...: the channel it spoke to
            if self.channel_noun(i) and n[:1] in LAM_BA and article_after_clitic(n):
                return Step.STOP  # مراسل الجوهرة اف ام بالجهة: the reporter, not where he is
            if self._object_after_definite(j):
                return Step.STOP  # أعلنت السلطات الكندية إخلاء أكثر ...: the subject, then its object
            if self._definite_object(j):
                return Step.STOP  # جددت الهيئة السياسية للحزب الكتلة البرلمانية: a second definite noun
            if n in OBJECT_NOUNS and t.ent_at[j] < 0:
                return Step.STOP  # وثمّن الوزير أهمية الشراكة: a verbal noun opens the object
            if self.cue_cls(j) in ("verb", "participle", "attrib") and t.ent_at[j] < 0:
                return Step.STOP
            if self.conj(j) and not (
                self.in_set(j, ORG_HEADS)
                or self.in_set(j, PERSON_TITLES)
                or self.starts_entity(j)
                or (n.startswith(morphology.WA_ARTICLE) and is_definite_form(self.norm(j - 1)))
            ):
                return Step.STOP
            if (
                self.is_adjective(j - 1)
                and t.words[j].endswith(morphology.TA_MARBUTA_WRITTEN)
                and n[:1] not in CLITIC_LETTERS
                and not has_article(n)
                and t.ent_at[j] < 0
                and not self.in_set(j, PERSON_TITLES)
            ):
                # واكد الوزير الاميركي اهمية المسألة: the phrase is complete, its object follows
                return Step.STOP
            if (
                j == np.mention_end
                and has_article(n)
                and t.ent_at[j] < 0
                and not self.is_adjective(j)
                and not self.in_set(j, PERSON_TITLES)
            ):
                return Step.STOP  # a named subject, then its object: أدانت رئاسة كردستان القصف
            if self._possessed_object(j):
                return Step.STOP  # وجدد أعضاء هيئة الدفاع مطلبهم: a complete subject, then its object
            if self._verbal_complement(j):
                return Step.STOP  # وقامت السلطات المختصة بإخلاء المطار: the verb's ب-complement
        bare_name = self.starts_entity(j) and not self.is_person(j) and t.ment_char[j] == t.starts[j]
        if bare_name and (np.named or (np.source and j > i + 1)):
            # دعا الأمين العام بان كي مون موسكو وواشنطن: the name, then the object; أفاد مصدر أمني
            # وكالة تونس افريقيا للأنباء: an unnamed source, then the channel it told
            return Step.STOP
        if (
            np.titled
            and j > i
            and (
                self.is_person(j)
                or (self.namelike(j) and (self.namelike(j - 1) or self.in_set(j - 1, HONORIFICS)))
            )
        ):
            np.named = True
        span = t.ment_at[j]
        if span is not None and self.real_entity(j):
            np.mention_end = span[1]
        np.end = j + 1
        return Step.NEXT

    def _object_after_definite(self, j: int) -> bool:
        """An indefinite common word right after a definite one ends the phrase: inside a noun phrase
        a definite word is followed by adjectives, genitives with the article or a name, not by a
        bare noun (السلطات الكندية إخلاء، الوزارتان نشر), a body's head noun too (حذرت السلطات البحرينية
        وسائل الاعلام، قال مسؤول البلدية تقارير)."""
        t = self.t
        n = self.norm(j)
        if not has_article(self.norm(j - 1)) or has_article(n):
            return False
        if n[:1] in CLITIC_LETTERS and (
            n[:1] != morphology.WA or article_after_clitic(n) or self.proclitic(n)
        ):
            return False  # بالمدرسة، لكرة، وللمرصد: a clitic; وجود، وسائل: a word that starts with و
        if n in EMPHATICS or t.words[j] in NAMED_VERBS:
            return False  # المصدر ذاته، أحد المغردين يدعى احمد
        if t.ent_at[j] >= 0 or not n[:1].isalpha() or n in self.lexicon.persons or self.count(n) < 20:
            return False  # a name the recognizer missed (a known name word, or a rare one)
        return not any(self.in_set(j, s) for s in (PERSON_TITLES, HONORIFICS, NAMING_NOUNS))

    def _definite_object(self, j: int) -> bool:
        """A definite common noun right after a definite word ends the phrase: inside a noun phrase a
        definite word is followed by adjectives or a name, not by another definite noun, which opens the
        verb's object (أوضحت الشركة المنتجة لهذا الجينز السبب، جددت الهيئة السياسية للحزب الكتلة
        البرلمانية). Not a nisba or participle adjective (الأمريكية، المختصة), an elative or plural
        adjective (العليا، الآخرين), a title, a body or a name, nor after a word that only looks definite
        (التهاب الكبد: no word تهاب) or after a title (والي الجهة)."""
        t = self.t
        n, before = self.norm(j), self.norm(j - 1)
        if not has_article(n) or not (is_definite_form(before) or article_after_clitic(before)):
            return False
        if t.ent_at[j] >= 0 or t.ent_at[j - 1] >= 0 or self.is_adjective(j) or n in self.lexicon.persons:
            return False
        if self.count(n) < 20 or n in EMPHATICS or n[2:3] == MIM or n.endswith(ADJECTIVE_ENDINGS):
            return False
        if any(self.in_set(j, s) for s in (PERSON_TITLES, HONORIFICS, ORG_HEADS, NAMING_NOUNS)):
            return False
        stem = before[2:] if is_definite_form(before) else before[3:]
        return not self.in_set(j - 1, PERSON_TITLES) and self.count(stem) > 0

    def _verbal_complement(self, j: int) -> bool:
        """A glued ب on a bare noun right after a definite word (بإخلاء، بزيارة): a verb's complement;
        inside a noun phrase ب opens a place or a body with the article (المدير الجهوي بالقيروان)."""
        t = self.t
        n = self.norm(j)
        if n[:1] != morphology.BA or len(n) < 4 or has_article(n[1:]) or not has_article(self.norm(j - 1)):
            return False
        if t.ent_at[j] >= 0 or n[1:] == ISM:
            return False
        return not self.heads_phrase(n[1:])

    def speaker_end(self, a: int, b: int) -> int:
        """A learned speaker span [a, b) without the words the phrase grammar never ends a speaker
        with: a time word (مصادر إعلامية يوم), a stop word, a possessed object (هيئة الدفاع مطلبهم)."""
        for k in range(a + 1, b):
            if self.norm(k) in TIME_WORDS or self._possessed_object(k) or self._object_after_definite(k):
                return k
        while b - 1 > a and self.norm(b - 1) in PREPOSITIONS:
            b -= 1  # التقطها الباحثون في المنطقة: a span cut after the preposition that opens a place
        return b

    def _possessed_object(self, j: int) -> bool:
        """A noun with a possessive pronoun after a definite word or a name: the verb's object
        (مطلبهم، موقفه), not a word of the subject phrase before it."""
        t = self.t
        if not self.possessed(j):
            return False
        before = self.norm(j - 1)
        return has_article(before) or (t.ent_at[j - 1] >= 0 and t.ent_at[j - 1] != t.ent_at[j])

    def possessed(self, j: int) -> bool:
        """A common noun with a possessive pronoun (كشفها، تمسكها، مطلبهم), no name, title or body:
        right after a reporting verb it is the verb's object, the subject is the pronoun's referent."""
        t = self.t
        w, n = t.words[j], self.norm(j)
        if (
            t.ent_at[j] >= 0
            or self.in_set(j, PERSON_TITLES)
            or self.in_set(j, ORG_HEADS)
            or self.in_set(j, HONORIFICS)
            or len(n) < 4
            or has_article(n)
            or n in EMPHATICS
        ):
            return False
        if w.endswith(morphology.TA_MARBUTA_WRITTEN) or not n.endswith(morphology.POSSESSIVE_SUFFIXES):
            return False
        suffix = max((x for x in morphology.POSSESSIVE_SUFFIXES if n.endswith(x)), key=len)
        stem = n[: -len(suffix)]
        stems = (stem, stem[:-1] + morphology.TA_MARBUTA) if stem.endswith(morphology.TA) else (stem,)
        # مديرها، والدته، رئيستها: a title or a person noun with its pronoun is a subject
        return not any(key(x) in PERSON_TITLES or key(x) in ORG_HEADS for x in stems)

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
        marks = t.pair_at_open.get(b)
        if self.norm(b) in _TITLE_LINKS:
            k = b + 1
        elif marks is not None and marks.close is not None and marks.n_words <= 3:
            k = b  # كاتب جمعية ... "أجداد" بالمنطقة محمد صالح غربي: the body's name in marks, then the name
        elif self.norm(b)[:1] == morphology.WA and self.word(b) and self.cue_at[b] is None:
            # مدير وحدة البرمجة والتنسيق والصلح الاداري بالادارة العامة للاداءات NAME: a coordinated noun
            k = b + 1
        else:
            return b
        names = []  # short spans in marks passed over: names, once a person's name closes the phrase
        while k < limit and k - b <= 8:
            if k in t.pair_at_open and t.pair_at_open[k].n_words <= 3:
                names.append(t.pair_at_open[k])
                k = t.pair_at_open[k].after
                continue
            after_comma = t.words[k] in _COMMAS and k + 1 < limit
            if after_comma and self.starts_entity(k + 1) and self.is_person(k + 1):
                # المسؤول الكبير في قسم خدمات العملاء بشركة أمازون، توم ويلاند: the name in apposition after a
                # comma (a comma had ended the search)
                span = t.ment_at[k + 1]
                return span[1] if span is not None else b
            if not self.word(k) or self.is_complementizer(k) or self.cue_at[k] is not None:
                return b
            if self.norm(k) in PERFECT_PARTICLES:
                return b  # نواب حزب "نداء تونس" قد رفعوا: the verb's particle, no name after the title
            if self.norm(k) in RELATIVES:
                return b  # الخبيرة في التغذية من ظاهرة السمنة التي سوف ينجر: a relative clause, no name
            if self.possessed(k):
                return b  # أعرب النائب عن استيائه من ...: a possessed noun is the verb's object
            end = 0
            if self.in_set(k, HONORIFICS) and self.name_run(k + 1, limit) >= 1:
                end = k + 1 + self.name_run(k + 1, limit)
            elif self.starts_entity(k) and self.is_person(k):
                span = t.ment_at[k]
                end = span[1] if span is not None else b
            else:
                # not after من (الخبيرة في التغذية من ظاهرة السمنة)
                run = self.name_run(k, limit) if self.norm(k - 1) not in PREPOSITIONS else 0
                if run >= 2 and self._name_closes(k, limit):
                    end = k + run
            if end:
                for pair in names:
                    pair.name = True
                return end
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
        mention = (t.starts[a] + self.clitic_cut(a), t.ends[b - 1])
        keys = self._np_keys(a, b)
        first = self.norm(a)
        if first in DEMONSTRATIVES:  # هذا المركز
            if b - a < 2:
                return None
            spk = self._definite(a + 1, b, at, mention)
            return spk or self._nominal(mention, a + 1, keys)
        same = self._same_source(a, b, at, mention)  # المصدر ذاته، ذات البيان
        if same is not None:
            return same
        if self.channel_noun(a):
            # أفاد به مراسل وكالة تونس افريقيا للأنباء مصدر أمني: the reporter was told, the source spoke
            src = next((k for k in range(a + 2, b) if self._unnamed_source(k)), None)
            if src is not None:
                return self._resolve_np(src, b, src)
        told = self._source_after_outlet(a, b)
        if told is not None:
            # حسب ما أفاد به، الجوهرة أف أم، مصدر أمني، وفق ما أفاد وات مصدر امني: the outlet was told, the
            # unnamed source right after it spoke
            return self._resolve_np(told, b, told)
        if self.in_set(a, DOC_WRAPPERS) and b - a >= 2 and self.in_set(a + 1, DOC_NOUNS):
            spk = self._resolve_np(a + 1, b, at)  # نص البلاغ: the document's source
            return replace(spk, mention=mention) if spk is not None else None
        if b - a == 1 and self.possessed(a) and self.in_set(a, DOC_NOUNS):
            last = self.last_agent(at, None)  # وفق تصريحه: the pronoun's referent, the latest speaker
            return last.as_resolution("anaphoric", mention) if last is not None else None
        if self.in_set(a, DOC_NOUNS):  # بيان صادر عن X، حصيلة للمرصد، التقرير الصادر عن X
            owner = self._doc_owner(a, b)
            if owner is not None:
                return owner
        for k in range(a + 1, b - 1):  # أحد المغردين يدعى احمد
            if t.words[k] in NAMED_VERBS:
                text = _clean_name(t.text[t.starts[k + 1] : t.ends[b - 1]])
                linked = self._link_name(text, at)
                if linked is not None:
                    return replace(linked, mention=mention)
                return _Spk(text, None, mention, "explicit", True, keys)
        for h in (a + 1, a + 2) if self.in_set(a, NAMING_NOUNS) else (a + 1,):
            if h >= b:
                break
            # صحيفة "الشروق"، موقع صحيفة "ديلي ميل"، وكالة (تاس): the name in the marks is the speaker (not
            # in "الوزير ضيف برنامج "..."", where the naming noun is no head of the phrase)
            pair = self.named_pair(h)
            inside = (pair.open + 1, pair.close) if pair is not None and pair.close is not None else None
            if inside is None and (paren := self.paren_name(h)) is not None:
                inside = (paren[0] + 1, paren[1])
            if inside is not None and inside[1] < b:
                spk = self._resolve_np(inside[0], inside[1], at)
                if spk is not None:
                    return replace(spk, mention=mention)
        if (
            self.norm(a) in HONORIFIC_NOUNS
            and self.in_set(a + 1, PERSON_TITLES)
            and not any(self.is_person(k) for k in range(a, b))
        ):  # سمو أمير منطقة مكة: the article's dignitary
            spk = self.dignitary()
            if spk is not None:
                return replace(spk, mention=mention, keys=spk.keys | keys)
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
            linked = self._link_name(text, at)
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
        if has_article(first) or self.is_pp(a):
            spk = self._definite(a, b, at, mention)
            if spk is not None:
                return spk
        for k in range(a, b):
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label == "ORG":
                return self._entity_speaker(e, mention, "explicit", keys)
        return self._nominal(mention, a, keys)

    def _same_source(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """المصدر ذاته، ذات المصدر، نفس البيان: the latest speaker whose phrase had that noun, else what
        the noun as a definite description names (a document's author)."""
        if b - a < 2:
            return None
        if self.norm(a) in SAME_BEFORE:
            noun = a + 1
        elif self.norm(b - 1) in SAME_AFTER:
            noun = a
        else:
            return None
        head = skeleton_key(core(self.norm(noun)))
        for agent in reversed(self.agents.recent()):
            if agent.pos < at and head in agent.who.keys:
                return agent.who.as_resolution("anaphoric", mention)
        if self.in_set(noun, SOURCE_HEADS):
            # المصدر ذاته after a source named otherwise (وفق ما أفادت به المديرة الجهوية ...): the latest
            # speaker; an earlier word with the noun's letters is no antecedent (corpus train: 5 such
            # phrases had read a clause fragment, وفقا للمصدر ذاته -> "درجتين")
            last = self.last_agent(at, None)
            return last.as_resolution("anaphoric", mention) if last is not None else None
        return self._definite(noun, noun + 1, at, mention)

    def dignitary(self) -> _Spk | None:
        """The person the article names after an honorific noun (سمو الأمير خالد الفيصل), if any."""
        if self._dignitary is not False:
            return self._dignitary if isinstance(self._dignitary, _Spk) else None
        self._dignitary = None
        t = self.t
        for k in range(t.n):
            if self.norm(k) in HONORIFIC_NOUNS:
                j = next((j for j in range(k + 1, min(t.n, k + 5)) if self.is_person(j)), None)
                if j is not None:
                    self._dignitary = self._entity_speaker(t.ent_at[j], None, "explicit")
                    return self._dignitary
        return None

    def _nominal(self, mention: tuple[int, int], a: int, keys: frozenset[str]) -> _Spk:
        text = _clean_name(self.t.text[mention[0] : mention[1]])
        person = self.in_set(a, PERSON_TITLES)
        fem = person and self.norm(a).endswith(TA_MARBUTA)
        return _Spk(text, None, mention, "nominal", person, keys, fem)

    def _definite_phrase(self, a: int, b: int) -> bool:
        """الوزير ...، وزير الخارجية ...، مدير مهرجان أبها: a definite title (article or a construct
        chain ending in a definite noun or a name); مسؤولا عسكريا is indefinite."""
        if has_article(self.norm(a)):
            return True
        if self.norm(a).endswith(ALEF):
            return False
        return any(is_definite_form(self.norm(k)) or self.t.ent_at[k] >= 0 for k in range(a + 1, b))

    def word_cut(self, i: int) -> int:
        """A clitic before the article (وللمرصد، والوزارة) or before a title, a body or a document
        noun (لمراسل، لوزارة)."""
        t = self.t
        n = self.norm(i)
        if len(n) > 3 and n[0] in CLITIC_LETTERS and article_after_clitic(n):
            return skip_letters(t.words[i], 1)
        if len(n) > 4 and n[:2] in TWO_LETTER_CLITICS and n[2:4] == ARTICLE:
            return skip_letters(t.words[i], 2)
        if (
            len(n) > 3
            and n[0] in LAM_BA
            and any(key(n[1:]) in s for s in (PERSON_TITLES, ORG_HEADS, DOC_NOUNS))
        ):
            return skip_letters(t.words[i], 1)  # لمراسل، لوزارة
        if (
            len(n) > 3
            and n[0] in LAM_BA
            and t.ent_at[i] < 0
            and i + 1 < t.n
            and self.starts_entity(i + 1)
            and self.count(n[1:]) > self.count(n)
        ):
            return skip_letters(t.words[i], 1)  # لولاية المنستير: a noun before a name
        return 0

    def _np_keys(self, a: int, b: int) -> frozenset[str]:
        return frozenset(skeleton_key(self.norm(k)) for k in range(a, b) if self.word(k))

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
                heads.add(skeleton_key(self.norm(k)))
        return frozenset(heads)

    def _entity_speaker(
        self,
        e: int,
        mention: tuple[int, int] | None,
        resolution: Resolution,
        keys: frozenset[str] = frozenset(),
    ) -> _Spk:
        ent = self.t.entities[e]
        fem = self._feminine_person(e)
        return _Spk(_clean_name(ent.name), ent.id, mention, resolution, self.t.person_ent[e], keys, fem)

    def _feminine_person(self, e: int) -> bool:
        """A person entity named right after a woman's title (النائبة صابرين القوبنطيني، الناشطة الحقوقية
        X: a feminine adjective between), at any of its mentions."""
        t = self.t
        if not t.person_ent[e]:
            return False
        if e not in self._feminine:
            self._feminine[e] = any(self._feminine_title_before(k) for k in t.mention_starts[e])
        return self._feminine[e]

    def _feminine_title_before(self, k: int) -> bool:
        for j in (k - 1, k - 2):
            if j < 0:
                return False
            n = self.norm(j)
            if (n[len(morphology.ARTICLE) :] if has_article(n) else n) in FEMININE_TITLES:
                return True
            if not n.endswith(TA_MARBUTA):  # only a feminine adjective may stand between
                return False
        return False

    def _doc_owner(self, a: int, b: int) -> _Spk | None:
        """The author of a statement or report: بيان صادر عن X، حصيلة للمرصد، تقرير أصدرته X."""
        t = self.t
        limit = t.sentence_span(a)[1]
        e = b
        while e < limit and self.norm(e) in TIME_WORDS:
            e += 1  # بلاغ صادر اليوم الخميس عن الوزارة: the time phrase after the phrase, then عن
        for k in range(a + 1, min(e + 2, limit)):  # the phrase may end before "الصادر عن" or at عن
            n = self.norm(k)
            before = k - 1
            while before > a and self.norm(before) in TIME_WORDS:
                before -= 1  # بلاغ صادر اليوم عن X
            if n == AN and key(self.norm(before)) in ISSUED:
                end = self.np_end(k + 1, limit)
                return self.speaker_from_np(k + 1, end, k + 1) if end > k + 1 else None
            if n.startswith(PUBLISH_STEMS) and len(n) <= 7 and k + 1 < limit:
                s = k + 1
                while s < limit and self.norm(s) in TIME_WORDS:
                    s += 1  # بلاغ أصدرته الخميس: a time word is no author
                if (s > k + 1 or n.endswith(OBJECT_PRONOUN_ENDINGS)) and not (
                    s < limit and (self.speaker_like(s) or has_article(self.norm(s)))
                ):
                    # بيان أصدرته اليوم الثلاثاء.، بيان أصدرته.: the verb's dropped subject, the latest agent
                    # (not تقرير نشر في مجلة: a passive, no owner)
                    return self._latest_owner(a)
                end = self.np_end(s, limit)
                return self.speaker_from_np(s, end, s) if end > s else None
        if a + 1 < limit and self.norm(a + 1) in OWNER_PRONOUNS:
            return self._latest_owner(a)  # في بيان لها: the pronoun's referent, the latest agent
        named = a + 2 < limit and (self.real_entity(a + 2) or self.in_set(a + 2, ORG_HEADS))
        if named and self.norm(a + 1) == MIN:
            end = self.np_end(a + 2, limit)  # بلاغ من وزارة الداخلية
            return self.speaker_from_np(a + 2, end, a + 2) if end > a + 2 else None
        o = a
        while o + 2 < b and self.is_adjective(o + 1):
            o += 1  # الصفحة الرسمية لولاية المنستير: the owner after the document's adjectives
        n1 = self.norm(o + 1)
        if (
            b - o >= 2
            and len(n1) > 3
            and n1[0] == LAM
            and (
                has_fused_lil(n1)
                or article_after_clitic(n1)
                or self.t.ent_at[o + 1] >= 0
                or self.is_pp(o + 1)
                or (o + 2 < b and self.starts_entity(o + 2))  # لولاية المنستير
            )
        ):
            return self.speaker_from_np(o + 1, b, o + 1)  # حصيلة للمرصد، بيان لوزارة الصحة
        g = a + 1  # a genitive owner: تصريح رئيس الحكومة، بلاغ وزارة الداخلية
        named = self.starts_entity(g) or self.in_set(g, PERSON_TITLES) or self.in_set(g, ORG_HEADS)
        if b - a >= 2 and not has_article(self.norm(a)) and named:
            return self.speaker_from_np(g, b, g)
        return None

    def _source_after_outlet(self, a: int, b: int) -> int | None:
        """Where an unnamed source starts right after an organization named at token a (over commas),
        inside the phrase [a, b); None without one."""
        t = self.t
        e = t.ent_at[a]
        if e < 0 or t.entities[e].label != "ORG" or not self.starts_entity(a):
            return None
        span = t.ment_at[a]
        k = span[1] if span is not None else a + 1
        while k < b and t.words[k] in _COMMAS:
            k += 1
        return k if k < b and self._unnamed_source(k) else None

    def _unnamed_source(self, k: int) -> bool:
        """مصدر، مصادر، مسؤول without the article: the head of an unnamed source phrase."""
        return self.in_set(k, SOURCE_HEADS) and not has_article(self.norm(k))

    def _latest_owner(self, a: int) -> _Spk | None:
        """A document the pronoun or the dropped subject owns (بيان لها، بيان أصدرته): the latest agent."""
        last = self.last_agent(a, None)
        return last.as_resolution("anaphoric", None) if last is not None else None

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

    def _link_name(self, text: str, at: int) -> _Spk | None:
        """An entity or an earlier speaker (one named before token ``at``) whose name contains this
        one (الجلال -> وليد الجلال)."""
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
        for agent in self.agents.recent():
            if agent.pos >= at:
                continue  # a speaker the text names later (an attribution read before its turn)
            spk = agent.who
            if not spk.person or spk.resolution == "nominal":
                continue  # a description (خبراء الآثار، مصدر أمني) is no name to link to
            sk = list(_name_keys(spk.name))
            if _contains(sk, keys) and (best is None or len(spk.name) > len(best.name)):
                best = spk
        return best

    def _title_match(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """الوزير الاميركي، وزير الخارجية السعودي، المسؤول الروسي: the person the title refers to."""
        lo = bisect.bisect_left(self.title_pos, at - _MAX_LOOKBACK)
        hi = bisect.bisect_right(self.title_pos, at + _MAX_LOOKBACK)
        cands = self.titles[lo:hi]
        cands += [
            TitleEntry(ag.pos, ag.who.heads, ag.who.keys, ag.who)
            for ag in self.agents.recent()
            if ag.who.heads and ag.who.person
        ]
        # the head title and every adjective must match: الوزير السعودي is not the American minister,
        # and the spokesman of the Secretary-General is not the Secretary-General
        adjectives = {skeleton_key(self.norm(k)) for k in range(a, b) if self.is_adjective(k)}
        head = skeleton_key(self.norm(a))
        spk = best_title(cands, head, self._np_keys(a, b), at, skip_pos=a, required=adjectives)
        if spk is not None:
            return spk.as_resolution("nominal", mention)
        if b - a <= 1 and key(self.norm(a)) in BARE_SOURCE_NOUNS:
            last = self.last_agent(at, None)
            if last is not None:
                return last.as_resolution("nominal", mention)
        return None

    def _definite(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """الوزارة، البيان، الوكالة، هذا المركز: the phrase that introduced what the description names;
        when that names another entity than the latest speaker, a body whose phrase had the head, the
        speaker (وأشارت الإدارة after الإدارة العامة للعلاقات spoke, منتسبي الإدارة العامة للمرور between)."""
        if self.in_set(a, PERSON_TITLES):
            return self._title_match(a, b, at, mention)
        found = self._definite_scan(a, b, at, mention)
        if found is None or self.in_set(a, DOC_NOUNS):
            return found
        head = skeleton_key(core(self.norm(a)))
        last = self.last_agent(at, None)
        if (
            last is not None
            and _issuer(last)
            and head in last.keys
            and last.entity_id != found.entity_id
            and found.entity_id is not None
        ):
            return last.as_resolution("nominal", mention)
        return found

    def _definite_scan(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        t = self.t
        head = key(core(self.norm(a)))
        if len(head) < 2:
            return None
        positions = self.head_index().get(head, [])
        upto = bisect.bisect_left(positions, a)
        for j in reversed(positions[max(0, upto - _MAX_CANDIDATES) : upto]):
            if j < a - _MAX_LOOKBACK:
                break
            n = self.norm(j)
            definite = has_article(n) or article_after_clitic(n)
            pair = self.named_pair(j + 1) if not definite and j + 1 < t.n else None
            if pair is not None and pair.close is not None:
                # دعت منظمة "هيومن رايتس ووتش" ... وقالت المنظمة الحقوقية الدولية: the name in the marks
                named = self._resolve_np(j + 2, pair.close, j + 2)
                if named is not None:
                    return named.as_resolution("nominal", mention)
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
            spoke = self._named_speaker_at(j)
            if spoke is not None:
                return spoke.as_resolution("nominal", mention)
            cut = skip_letters(t.words[j], 1) if key(n) != head else self.clitic_cut(j)
            text = _clean_name(t.text[t.starts[j] + cut : t.ends[end - 1]])
            return _Spk(text, None, mention, "nominal", False, self._np_keys(j, end))
        if self.in_set(a, DOC_NOUNS):
            # حسب البلاغ، وفق نص البيان with no statement named before: the body that issued it, the latest
            # organization that spoke (the guideline: the organization behind the document)
            body = self.last_agent(at, None, where=self._organization, within=_ISSUER_SENTENCES)
            if body is not None:
                return body.as_resolution("nominal", mention)
        return None

    def _organization(self, spk: _Spk) -> bool:
        """An ORG entity's speaker, no person: what can issue a document (a place named as an actor, واشنطن
        التي تتهم, cannot)."""
        return spk.entity_id in self.t.organization_ids and not spk.person

    def _named_speaker_at(self, j: int) -> _Spk | None:
        """The entity a speaker phrase read at token ``j`` named (تنظيم داعش الإرهابي، شركة أبل): a later
        description that finds its antecedent there (التنظيم الإرهابي، الشركة) names that entity, not the
        antecedent's words."""
        return next(
            (
                ag.who
                for ag in self.agents.recent()
                if ag.pos == j and ag.who.entity_id is not None and ag.who.resolution == "explicit"
            ),
            None,
        )

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
                index.setdefault(key(n), []).extend(js)
                if len(n) > 3 and n[0] in morphology.LAM_BA_WA and not has_article(n):
                    rest = key(n[1:])
                    if rest != key(n):
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
            definite = is_definite_form(n) or self.t.ent_at[k] >= 0 or article_after_clitic(n)
            nxt = self.norm(k + 1)
            if not definite and not (is_definite_form(nxt) or (k + 1 < limit and self.t.ent_at[k + 1] >= 0)):
                break
            k += 1
        return k
