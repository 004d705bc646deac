"""Phrase machinery shared by the two rule engines: the quote engine (``quote_phrases._Phrases`` over
``quote_text._Text``) and the stance engine (``stance_phrases._Tagger`` over ``stance_view._View``).

Written once here: the token-view primitives (``TokenView``), membership in a word class and stop
words, name runs, the noun-phrase end loop, the title index (the title words around each person's
name) and title linking, the stack of earlier agents, and the cut of a clitic glued to a phrase's
first word. Each engine says what differs as class options (documented where they are set) and
supplies its own grammar where the two readings really differ (which words continue a speaker
phrase vs a holder or target phrase) through the few ``_np_*``, ``name_word`` and ``title_stop``
hooks.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, Generic, TypeVar

from qawl.types import Entity

from .morphology import preposition_glued

COMMAS = frozenset({"،", ","})
MAX_NAME_WORDS = 4  # words of a personal name run (أحمد الجروان، ضياء الدين سعيد بامخرمة)

W = TypeVar("W")  # what an agent or a title entry stands for: a quote speaker, a stance holder, an entity


# ============================================================================ token view
class TokenView:
    """What both engines read of a document: tokens (``words``, ``norms``, char ``starts``/``ends``),
    sentence and paragraph numbers, and the entity mention over each token."""

    text: str
    n: int
    words: list[str]
    norms: list[str]
    starts: list[int]
    ends: list[int]
    sent: list[int]
    para: list[int]
    entities: list[Entity]
    ent_at: list[int]  # entity index per token (-1: none)
    ment_at: list[tuple[int, int] | None]  # the token span of the mention over each token
    person_ent: list[bool]  # per entity: a person

    def word(self, i: int) -> bool:
        return 0 <= i < self.n and self.words[i][:1].isalnum()

    def norm(self, i: int) -> str:
        return self.norms[i] if 0 <= i < self.n else ""

    def mention_char(self, i: int) -> int:
        """Start char of the mention over token i (-1: none)."""
        raise NotImplementedError

    def starts_entity(self, i: int) -> bool:
        span = self.ment_at[i]
        return span is not None and span[0] == i

    def same_mention(self, a: int, b: int) -> bool:
        return self.ment_at[a] is not None and self.ment_at[a] == self.ment_at[b]

    def is_person(self, i: int) -> bool:
        e = self.ent_at[i] if 0 <= i < self.n else -1
        return e >= 0 and self.person_ent[e]


# ============================================================================ agents
@dataclass
class Agent(Generic[W]):
    pos: int  # token
    who: W
    local: bool = False  # only a same-sentence antecedent (a subject seen without a quote)


class AgentStack(Generic[W]):
    """Earlier speakers or holders, for a pronoun, a dropped subject or a bare title to refer to.

    ``by_position``: keep the stack in token order (the stance engine seeds it from the quotes and
    the sentence subjects before it reads, so entries arrive out of order) rather than in the order
    pushed (the quote engine pushes as it reads; the latest pushed wins). ``recent``: only the last
    so many pushed are looked at. ``max_sentences``/``max_paragraphs``: how far back an antecedent
    may be. ``gender``: an agent's gender (None: unknown or not a person), checked against the one
    asked for; with ``fallback`` an agent of the other gender is still the answer when nothing else
    fits (the stance holders carry no gender: a person is only probably wrong there).
    """

    def __init__(
        self,
        view: TokenView,
        gender: Callable[[W], bool | None],
        *,
        by_position: bool = False,
        recent: int | None = None,
        max_sentences: int | None = None,
        max_paragraphs: int | None = None,
        fallback: bool = False,
    ) -> None:
        self.view = view
        self.gender = gender
        self.by_position = by_position
        self.recent_n = recent
        self.max_sentences = max_sentences
        self.max_paragraphs = max_paragraphs
        self.fallback = fallback
        self.entries: list[Agent[W]] = []

    def add(self, pos: int, who: W, local: bool = False) -> None:
        agent = Agent(pos, who, local)
        if self.by_position:
            bisect.insort(self.entries, agent, key=lambda a: a.pos)
        else:
            self.entries.append(agent)

    def recent(self) -> list[Agent[W]]:
        return self.entries[-self.recent_n :] if self.recent_n is not None else self.entries

    def _before(self, at: int) -> Iterator[Agent[W]]:
        """The agents before token ``at``, the nearest (or the latest pushed) first."""
        if self.by_position:
            k = bisect.bisect_left(self.entries, at, key=lambda a: a.pos)
            for idx in range(k - 1, -1, -1):
                yield self.entries[idx]
            return
        for agent in reversed(self.recent()):
            if agent.pos < at:
                yield agent

    def last(
        self,
        at: int,
        feminine: bool | None,
        same_sentence: bool = False,
        where: Callable[[W], bool] | None = None,
        within: int | None = None,
    ) -> W | None:
        """The latest agent before ``at`` of the gender asked for (and, with ``where``, that passes it;
        with ``within``, no more than that many sentences back)."""
        v = self.view
        s = v.sent[min(at, v.n - 1)]
        fallback: W | None = None
        for agent in self._before(at):
            in_sent = v.sent[agent.pos] == s
            if same_sentence and not in_sent:
                break
            if self.max_sentences is not None and s - v.sent[agent.pos] > self.max_sentences:
                break
            if within is not None and s - v.sent[agent.pos] > within:
                break
            if self.max_paragraphs is not None and v.para[at] - v.para[agent.pos] > self.max_paragraphs:
                break
            if agent.local and not in_sent:
                continue
            if where is not None and not where(agent.who):
                continue
            g = self.gender(agent.who)
            if feminine is not None and g is not None and g != feminine:
                # تؤكد، قالت، مشيرة after a man: look further back
                if self.fallback and fallback is None:
                    fallback = agent.who
                continue
            return agent.who
        return fallback


# ============================================================================ titles
@dataclass(frozen=True)
class TitleEntry(Generic[W]):
    """Title words next to a person's name: the head titles (وزير in وزير الخارجية الاميركي), all
    their keys, and who they belong to."""

    pos: int  # the name's first token
    heads: frozenset[str]
    keys: frozenset[str]
    who: W
    tiebreak: int = 0  # between equal ranks the higher wins (0 everywhere: the first found wins)


def best_title(
    entries: Sequence[TitleEntry[W]],
    head: str,
    qkeys: frozenset[str] | set[str],
    at: int,
    *,
    skip_pos: int = -1,
    required: frozenset[str] | set[str] = frozenset(),
    two_shared: bool = False,
    nearest: bool = False,
) -> W | None:
    """Who the title phrase (head title ``head``, word keys ``qkeys``, at token ``at``) refers to: the
    entry with the same head that shares most words, then the closest.

    ``required``: keys every candidate must have (the quote engine's adjectives: الوزير السعودي is
    not the American minister). ``two_shared``: a phrase of two or more words must share two (the
    stance engine, which links without the quote engine's adjective check). ``nearest``: the nearest
    entry on either side; otherwise the latest one before ``at``, then the first one after (a quote
    names its speaker in full first and refers back to him).
    """
    best: tuple[int, int, int, W] | None = None
    for entry in entries:
        if head not in entry.heads or entry.pos == skip_pos or not required <= entry.keys:
            continue
        score = len(qkeys & entry.keys)
        if two_shared and len(qkeys) >= 2 and score < 2:
            continue
        near = -abs(entry.pos - at) if nearest else (entry.pos if entry.pos < at else -entry.pos)
        if best is None or (score, near, entry.tiebreak) > best[:3]:
            best = (score, near, entry.tiebreak, entry.who)
    return best[3] if best is not None else None


# ============================================================================ the reader
class Step(Enum):
    """What an NP-end hook says about the token it looked at."""

    NEXT = 1  # the hook moved the phrase's end: go on from there
    STOP = 2  # the phrase ends before this token
    PASS = 3  # not this hook's business


@dataclass
class NPState:
    """A noun phrase being read: [start, end); the engines' subclasses add their bookkeeping."""

    start: int
    end: int
    limit: int
    max_len: int
    subject: bool = False


S = TypeVar("S", bound=NPState)  # an engine's noun-phrase state


class PhraseReader(Generic[W, S]):
    """The shared half of a rule engine's phrase reading; ``_Phrases`` and ``_Tagger`` derive from it.

    Options an engine sets as class attributes:
    ``TITLES``: the person-title word class. ``STOP_WORDS``: the words that end a name or a phrase.
    ``NP_TRAILING``: tokens dropped off a phrase's end. ``TITLE_BEFORE``/``TITLE_AFTER``: how many
    words are read before and after a name for its titles. ``TITLE_COMMAS``: (how many commas are
    skipped before the first title word on either side, None: any; are commas inside the words
    before a name skipped).
    ``MENTION_IS_WHOLE``: see ``clitic_cut``. ``TITLE_INSIDE_MENTIONS``: look for a person's name on
    every token of another entity's mention, not after it (mentions of two entities can overlap: a
    token goes to the first entity that claims it); the stance engine always has, the quote engine
    skips the whole mention.
    """

    TITLES: ClassVar[frozenset[str]] = frozenset()
    STOP_WORDS: ClassVar[frozenset[str]] = frozenset()
    NP_TRAILING: ClassVar[frozenset[str]] = COMMAS
    TITLE_BEFORE: ClassVar[int] = 6
    TITLE_AFTER: ClassVar[int] = 6
    TITLE_COMMAS: ClassVar[tuple[int | None, bool]] = (1, False)
    MENTION_IS_WHOLE: ClassVar[bool] = False
    TITLE_INSIDE_MENTIONS: ClassVar[bool] = False

    def __init__(self, view: TokenView, agents: AgentStack[W]) -> None:
        self.view = view
        self.word = view.word
        self.norm = view.norm
        self.is_person = view.is_person
        self.starts_entity = view.starts_entity
        self.same_mention = view.same_mention
        self.agents = agents

    # -- agents --------------------------------------------------------------------------
    def add_agent(self, pos: int, who: W, local: bool = False) -> None:
        self.agents.add(pos, who, local)

    def last_agent(
        self,
        at: int,
        feminine: bool | None,
        same_sentence: bool = False,
        where: Callable[[W], bool] | None = None,
        within: int | None = None,
    ) -> W | None:
        """The latest agent before token ``at`` of the gender asked for (None: any)."""
        return self.agents.last(at, feminine, same_sentence, where, within)

    # -- word classes --------------------------------------------------------------------
    @staticmethod
    def member(n: str, words: frozenset[str]) -> bool:
        """Is the normalized word ``n`` in the word class ``words`` (the engines' spelling rules)."""
        return n in words

    def in_set(self, i: int, words: frozenset[str]) -> bool:
        return self.member(self.norm(i), words)

    def stop_word(self, i: int) -> bool:
        return self.norm(i) in self.STOP_WORDS

    # -- names ---------------------------------------------------------------------------
    def name_word(self, k: int, first: bool) -> bool:
        """Can token k be (the ``first``) word of a personal name the recognizer missed?"""
        raise NotImplementedError

    def name_run(self, j: int, limit: int) -> int:
        """How many tokens from j (before ``limit``, at most four) read as a personal name."""
        k = j
        while k < limit and k - j < MAX_NAME_WORDS and self.name_word(k, k == j):
            k += 1
        return k - j

    # -- noun phrases --------------------------------------------------------------------
    def _np_state(self, i: int, limit: int, subject: bool) -> S:
        raise NotImplementedError

    def _np_mark(self, np: S) -> Step:
        """A quote mark or a bracket at np.end (before the comma and word checks)."""
        return Step.PASS

    def _np_comma(self, np: S, nxt: int) -> bool:
        """Does the phrase go on over the comma before token ``nxt``?"""
        return False

    def _np_word(self, np: S) -> Step:
        """The word at np.end: NEXT (having moved np.end past what it takes) or STOP."""
        raise NotImplementedError

    def np_end(self, i: int, limit: int, *, subject: bool = False) -> int:
        """End (exclusive) of the noun phrase starting at token i (no further than ``limit``).

        One loop for both engines: marks, commas and non-words end the phrase unless the engine's
        hook carries it over them; each word is the engine's grammar (``_np_word``). ``subject``:
        the phrase is a sentence's subject (the stance engine reads appositions there)."""
        words = self.view.words
        np = self._np_state(i, limit, subject)
        while np.end < limit and np.end - np.start < np.max_len:
            j = np.end
            step = self._np_mark(np)
            if step is Step.NEXT:
                continue
            if step is Step.STOP:
                break
            if words[j] in COMMAS:
                if self._np_comma(np, j + 1):
                    np.end = j + 1
                    continue
                break
            if not self.word(j) or self._np_word(np) is Step.STOP:
                break
        j = np.end
        while j > np.start and words[j - 1] in self.NP_TRAILING:
            j -= 1
        return j

    # -- titles --------------------------------------------------------------------------
    def title_stop(self, j: int, before: bool) -> bool:
        """Does token j end the title words read before (``before``) or after a name?"""
        raise NotImplementedError

    def _title_side(self, j: int, step: int, sent: int, most: int) -> list[int]:
        """The title words next to a name, read from token j away from it (``step`` -1: leftwards)."""
        v = self.view
        leading, inner = self.TITLE_COMMAS
        inner = inner and step < 0
        out: list[int] = []
        commas = 0
        while 0 <= j < v.n and len(out) < most and v.sent[j] == sent:
            if v.words[j] in COMMAS and (inner or (not out and (leading is None or commas < leading))):
                commas += 1
                j += step
                continue
            if not self.word(j) or self.title_stop(j, step < 0):
                break
            if step > 0 and not out and (not self.in_set(j, self.TITLES) or preposition_glued(v.norm(j))):
                break  # the words after a name are titles only when a title comes first (not لوزيرة: to)
            out.append(j)
            j += step
        return out

    def person_titles(self) -> Iterator[tuple[int, int, int, list[int], list[int]]]:
        """(entity, first token, end, title tokens before, title tokens after) of each person mention
        in text order; the tokens before are in text order too."""
        v = self.view
        i = 0
        while i < v.n:
            e = v.ent_at[i]
            span = v.ment_at[i]
            if e < 0 or span is None:
                i += 1
                continue
            a, b = span
            if v.person_ent[e]:
                before = self._title_side(a - 1, -1, v.sent[a], self.TITLE_BEFORE)[::-1]
                after = self._title_side(b, 1, v.sent[a], self.TITLE_AFTER)
                yield e, a, b, before, after
            elif self.TITLE_INSIDE_MENTIONS:
                i += 1
                continue
            i = max(b, i + 1)

    def first_title(self, tokens: list[int]) -> int:
        """Index in ``tokens`` of the first title word (-1: none)."""
        return next((x for x, k in enumerate(tokens) if self.in_set(k, self.TITLES)), -1)

    # -- clitics -------------------------------------------------------------------------
    def word_cut(self, i: int) -> int:
        """Code points of a clitic glued to token i, from the word alone."""
        raise NotImplementedError

    def clitic_cut(self, i: int) -> int:
        """Code points of a glued conjunction/preposition before the phrase proper (وللمرصد -> المرصد).

        A mention that begins inside the token says where the name begins. ``MENTION_IS_WHOLE``: a
        mention that begins with the token is the name as written (بشار is no ب + شار); the stance
        engine trusts that, the quote engine still cuts a clitic the recognizer swept in (ولروسيا)."""
        v = self.view
        mc = v.mention_char(i)
        if v.starts[i] < mc < v.ends[i]:
            return mc - v.starts[i]
        if self.MENTION_IS_WHOLE and 0 <= mc <= v.starts[i]:
            return 0
        return self.word_cut(i)
