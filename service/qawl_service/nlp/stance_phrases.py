"""Phrase machinery of the stance component: cue hits, the agent stack, noun-phrase ends, name runs,
holders from noun phrases and title linking.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from qawl.types import Speaker

from . import morphology
from .arabic import normalize
from .morphology import (
    BA,
    BA_KAF,
    CONJUNCTION_LETTERS,
    FUSED_LIL,
    IMPERFECT_PREFIXES,
    LAM,
    LAM_BA,
    TA,
    article_after_clitic,
    glued,
    has_article,
    has_fused_lil,
    member,
    skeleton_key,
)
from .phrases import AgentStack, NPState, PhraseReader, Step, TitleEntry, best_title
from .stance_cues import Hit, StanceLexicon, _reporting_cues
from .stance_view import (
    _CLOSE_MARKS,
    _COMMAS,
    _LOOKBACK_SENTS,
    _MAX_NP,
    _OPEN_MARKS,
    _SPACE_COMMAS,
    ADVERBS,
    COMPLEMENTIZERS,
    CONJ_WORDS,
    COPULAS,
    DEMONSTRATIVES,
    FRAME_PREPS,
    HEDGES,
    HONORIFIC_PRONOUNS,
    HONORIFICS,
    HUMAN_NOUNS,
    MODAL_VERBS,
    NEGATIONS,
    ORG_HEADS,
    PERSON_TITLES,
    PLACE_PREPS,
    PREPS,
    RELATIVES,
    SPEECH_PREPS,
    _adjlike,
    _Found,
    _Holder,
    _in,
    _View,
)
from .wordclasses import IBN, KULL, MIN


# ============================================================================ phrases
@dataclass
class _HolderNP(NPState):
    """A holder, subject or target phrase being read (``_Tagger.np_end``)."""

    pps: int = 0  # prepositional phrases taken in
    content: int = 0  # words read


def _holder_gender(h: _Holder) -> bool | None:
    return False if h.label == "PER" else None  # a holder's gender is unknown: a person is taken for a man


class _Tagger(PhraseReader[_Holder, _HolderNP]):
    """Cue hits, the agent stack, holder/subject/target phrases, name runs, holders from noun phrases
    and title linking (the shared parts in phrases.py); the frames and evaluations build on it."""

    TITLES = PERSON_TITLES
    STOP_WORDS = PREPS | RELATIVES | COMPLEMENTIZERS | NEGATIONS | ADVERBS | CONJ_WORDS | COPULAS
    NP_TRAILING = _COMMAS | _OPEN_MARKS
    TITLE_BEFORE = 6
    TITLE_AFTER = 6
    TITLE_COMMAS = (1, False)  # one comma between a name and its titles (عادل الجبير، وزير الخارجية)
    MENTION_IS_WHOLE = True
    TITLE_INSIDE_MENTIONS = True
    member = staticmethod(_in)  # the stance word classes hold normalized words

    def __init__(self, v: _View, lex: StanceLexicon) -> None:
        # the stack is seeded out of reading order (quote speakers, sentence subjects): kept in token
        # order, an antecedent no more than three sentences and two paragraphs back
        agents = AgentStack(
            v,
            _holder_gender,
            by_position=True,
            max_sentences=_LOOKBACK_SENTS,
            max_paragraphs=2,
            fallback=True,
        )
        super().__init__(v, agents)
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
        self.titles: list[TitleEntry[int]] = []  # who: the entity
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
    def title_stop(self, j: int, before: bool) -> bool:
        n = self.v.norm(j)
        if (n in PREPS and n not in SPEECH_PREPS) or self.is_cue_verb(j):
            return True
        return not before and self.v.ent_at[j] >= 0

    def _index_titles(self) -> None:
        """Title words before each PER mention (وزير الخارجية السعودية، عادل الجبير) and after it."""
        v = self.v
        for e, a, _, before, after in self.person_titles():
            for side in (before, after):
                # the title's head is its first title word: وزير in وزير الخارجية السعودية، متحدث in
                # المتحدث باسم الأمين العام (which is no title of the الأمين العام himself)
                first = self.first_title(side)
                if first < 0:
                    continue
                keys = frozenset(k for k in (skeleton_key(v.norm(j)) for j in side[first:]) if k)
                head = skeleton_key(v.norm(side[first]))
                self.titles.append(TitleEntry(a, frozenset({head}), keys, e, tiebreak=e))

    def _seed_agents(self) -> None:
        """Quote speakers (at their cue) and sentence subjects (وعقد كيري ...) in text order."""
        v = self.v
        for q in v.quotes:
            if q.speaker is None or not self._trust(q.speaker):
                continue
            pos = q.cue.start if q.cue is not None else q.content.start
            tok = max(0, bisect.bisect_right(v.starts, pos) - 1)
            self.add_agent(tok, self._from_speaker(q.speaker))
        seen: set[int] = set()
        for i in range(v.n):
            s = v.sent[i]
            if s in seen:
                continue
            seen.add(s)
            a, b = v.bounds(i)
            first = v.norm(a)
            if not v.word(a) or has_article(first) or first in PREPS or v.ent_at[a] >= 0:
                continue
            # the subject of a sentence-initial verb, after titles (استقبل صاحب السمو الملكي الأمير فيصل ...)
            for k in range(a + 1, min(b, a + 7)):
                if v.ent_at[k] >= 0 and v.ent_label(k) in ("PER", "ORG", "LOC"):
                    ent = v.entities[v.ent_at[k]]
                    self.add_agent(k, _Holder(ent.name, ent.id, None, "anaphoric", ent.label))
                    break
                if not (_in(v.norm(k), PERSON_TITLES) or v.norm(k) in HONORIFICS):
                    break

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

    # -- phrases -------------------------------------------------------------------------
    # A definite word after a complete phrase starts a new phrase unless it looks like an adjective;
    # an indefinite word after a definite one is a predicate or an adverb. Inside a subject, a name
    # after a title and a title after a name continue it (السفير محمد الهيصمي مندوب اليمن لدى ...).
    def _np_state(self, i: int, limit: int, subject: bool) -> _HolderNP:
        return _HolderNP(i, i, limit, _MAX_NP + 4 if subject else _MAX_NP, subject)

    def _np_mark(self, np: _HolderNP) -> Step:
        v = self.v
        i, j, limit = np.start, np.end, np.limit
        w = v.words[j]
        if w in _OPEN_MARKS and j + 1 < limit:
            close = self._name_pair_end(j, limit)
            if close is not None and (j > i or close - j <= 4):
                # «وحدات حماية الشعب» الكردية، صحيفة «ذا صن»: a quoted name is one unit
                np.content += close - j - 1
                np.end = close + 1
                return Step.NEXT
            if j == i:
                np.start += 1
                np.end += 1
                return Step.NEXT
            return Step.STOP
        if w == "(" and j > i:
            close = next((k for k in range(j + 1, min(limit, j + 6)) if v.words[k] == ")"), None)
            if close is not None:
                np.end = close + 1
                return Step.NEXT
            return Step.STOP
        return Step.PASS

    def _np_comma(self, np: _HolderNP, nxt: int) -> bool:
        """A subject goes on over a comma to a name or a title (apposition)."""
        v = self.v
        return (
            np.subject and nxt < np.limit and (v.ent_label(nxt) == "PER" or _in(v.norm(nxt), PERSON_TITLES))
        )

    def _np_word(self, np: _HolderNP) -> Step:
        """One word of a holder, subject or target phrase."""
        v = self.v
        i, j, limit, subject = np.start, np.end, np.limit, np.subject
        n = v.norm(j)
        if n == MIN and j > i and v.norm(j - 1) == KULL:
            np.end = j + 1  # كل من واشنطن وموسكو
            return Step.NEXT
        if (
            (j == i + 1 and v.norm(i) in DEMONSTRATIVES and v.definite(j))  # هذه الدول، هذا المركز
            or (j > i and self.same_mention(j - 1, j))
            or (v.ent_at[j] >= 0 and j > i and subject and v.ent_label(j) == "PER")
            or (j > i and subject and _in(n, PERSON_TITLES) and v.definite(j - 1))
        ):
            return self._np_take(np, j + 1)
        if n in SPEECH_PREPS and j > i and subject:
            np.end = j + 1  # a speech preposition inside a subject is no word of its own
            return Step.NEXT
        if (
            j > i
            and n[:1] == BA
            and len(n) > 3
            and n != IBN
            and v.ent_at[j] < 0
            and (glued(n, BA))
            and not (article_after_clitic(n) and v.ent_label(j) == "LOC")
        ):
            return Step.STOP  # بأداء، بمواجهة، بشدة: a prepositional phrase, not the noun phrase
        if n in PREPS or (j > i and len(n) > 3 and article_after_clitic(n) and n[0] in BA_KAF):
            # one PP: after a bare head noun (الاستماع إلى ...), a place (العنف في حلب), a title's scope
            nxt = j + 1 if n in PREPS else j
            if (
                np.pps == 0
                and j > i
                and nxt < limit
                and (
                    (
                        np.content == 1
                        and n in FRAME_PREPS
                        and not subject
                        and v.ent_at[j - 1] < 0
                        and v.definite(j - 1)
                        and not self.has_kind(j - 1, "flip")
                    )
                    or (n in PLACE_PREPS and v.ent_label(nxt) == "LOC")
                    or (n[:1] in BA and v.ent_label(j) == "LOC")
                )
            ):
                np.pps += 1
                np.content += 1  # the PP counts as one word
                np.end = nxt + 1 if n in PREPS else j + 1
                return Step.NEXT
            return Step.STOP
        if j > i and (
            n in RELATIVES or n in COMPLEMENTIZERS or n in NEGATIONS or n in ADVERBS or n in COPULAS
        ):
            return Step.STOP
        if j > i and (n in CONJ_WORDS or (self.is_cue_verb(j) and v.ent_at[j] < 0)):
            return Step.STOP
        if j > i and v.verblike(j):
            return Step.STOP
        if j > i and n[:1] in CONJUNCTION_LETTERS and len(n) > 2:
            # a conjunct: another noun phrase of the same kind, not a new clause; a verbal noun (وسد
            # الثغرات) is a conjunct of the whole phrase, read by the interpreter, unless it shares
            # the object of a bare verbal noun (إحياء وإرساء الهدنة)
            if v.ent_at[j] < 0 and (self.verbish_conjunct(j) or member(n, COMPLEMENTIZERS)):
                return Step.STOP
            if (
                v.ent_at[j] < 0
                and any(h.form.kind in ("flip", "keep", "goal", "means") for h in self.lex.lookup(n[1:]))
                and not (j == i + 1 and self.has_kind(i, "flip", "keep", "goal"))
            ):
                return Step.STOP
            return self._np_take(np, j + 1)
        if j > i and n.startswith(LAM) and not has_fused_lil(n) and len(n) > 3 and v.ent_at[j] < 0:
            # ل-genitive (لوقف is a purpose, handled by the interpreter; للنظام، لمدينة continue)
            if self.has_kind(j, "flip", "keep", "goal", "means") or np.content > (5 if subject else 2):
                return Step.STOP
            return self._np_take(np, j + 1)
        if (
            j > i
            and v.definite(j)
            and v.definite(j - 1)
            and not _adjlike(n)
            and not self.same_mention(j - 1, j)
        ):
            prev = v.norm(j - 1)
            name_after_noun = v.ent_at[j] >= 0 and v.ent_at[j - 1] < 0 and not has_article(prev)
            name_in_subject = (
                subject and v.ent_at[j] >= 0 and (v.ent_at[j - 1] < 0 or _in(prev, PERSON_TITLES))
            )
            if not name_after_noun and not name_in_subject:
                return Step.STOP
        if j > i and not v.definite(j) and v.definite(j - 1):
            if subject and self.name_before_comma(j, limit):
                return self._np_take(np, j + 1)
            if (
                _in(v.norm(i), PERSON_TITLES)
                or v.norm(i) in HONORIFICS
                or (j == i + 1 and _adjlike(v.norm(i)) and v.definite(i))
            ):
                run = self.name_run(j, limit)
                if run:
                    return self._np_take(np, j + run)  # رئيس البرلمان العربي أحمد الجروان، الملا أختر منصور
            apposition = subject and (
                _in(n, PERSON_TITLES) or (v.ent_label(j) == "PER" and v.ent_at[j - 1] < 0)
            )
            if not apposition and not v.norm(j - 1).startswith(FUSED_LIL):
                return Step.STOP
        return self._np_take(np, j + 1)

    @staticmethod
    def _np_take(np: _HolderNP, end: int) -> Step:
        """The phrase takes the words up to ``end``."""
        np.content += end - np.end
        np.end = end
        return Step.NEXT

    def name_word(self, k: int, first: bool) -> bool:
        """A word of a personal name after a title: a given name (no article), then up to three more
        words (أحمد الجروان، أختر منصور); not a preposition, a cue, a title, an adjective or a glued ب/ل."""
        v = self.v
        n = v.norm(k)
        if not v.word(k) or self.stop_word(k) or self.is_cue_verb(k) or _in(n, PERSON_TITLES):
            return False
        if _in(n, ORG_HEADS) or (v.ent_at[k] >= 0 and v.ent_label(k) != "PER"):
            return False
        if (first and (v.definite(k) or n[:1].isdigit())) or (
            not first and _adjlike(n) and not has_article(n)
        ):
            return False
        if n[:1] in LAM_BA and len(n) > 3 and (article_after_clitic(n) or glued(n, n[0])):
            return False
        return not (n[:1] in CONJUNCTION_LETTERS and not first)

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
        if self.is_cue_verb(j) or rest in COPULAS or rest in HEDGES or rest in MODAL_VERBS:
            return True
        return (len(rest) >= 4 and rest[0] in IMPERFECT_PREFIXES and not v.norm(j)[1:].startswith(TA)) or (
            rest[:1] == TA
            and self.has_kind(j, "means", "flip", "keep")
            and any(h.form.imperfect for h in self.hits[j])
        )

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

    def word_cut(self, i: int) -> int:
        """A و/ف/ب/ل/ك prefix glued to token i that is not part of the phrase itself (morphology)."""
        return morphology.cut_word(self.v.words[i], lambda rest: self.lex.lookup(rest) and True)

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
            while end > start and text[end - 1] in _SPACE_COMMAS:
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
        if has_article(first) or first in DEMONSTRATIVES:
            for k in range(a, b):
                if v.ent_label(k) == "ORG":
                    ent = v.entities[v.ent_at[k]]
                    return _Holder(ent.name, ent.id, span, "nominal", "ORG", True)
        return _Holder(text, None, span, "nominal" if has_article(first) else "explicit", "NP", True)

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
            if n[:1] in LAM_BA and len(n) > 3 and (article_after_clitic(n) or n[1] == LAM):
                break
            k -= 1
        start = k + 1
        if b - start >= 2 and start > a:
            return start, b
        return None

    def link_title(self, a: int, b: int) -> int | None:
        """The PER entity whose title context best matches the title phrase [a, b) (الوزير الاميركي):
        the same head title, two shared words when the phrase has two, then the nearest."""
        v = self.v
        start = a + 1 if v.norm(a) in DEMONSTRATIVES else a
        qkeys = {skeleton_key(v.norm(k)) for k in range(start, b) if v.word(k)}
        return best_title(self.titles, skeleton_key(v.norm(start)), qkeys, a, two_shared=True, nearest=True)
