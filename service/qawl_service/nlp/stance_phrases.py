"""Phrase machinery of the stance component: cue hits, the agent stack, noun-phrase ends, name runs,
holders from noun phrases and title linking.
"""

from __future__ import annotations

import bisect

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
    has_article,
    has_fused_lil,
)
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
    _core,
    _Found,
    _glued,
    _Holder,
    _in,
    _tkey,
    _View,
)
from .wordclasses import IBN, KULL, MIN


# ============================================================================ phrases
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
            if not v.word(a) or has_article(first) or first in PREPS or v.ent_at[a] >= 0:
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
            if n == MIN and j > i and v.norm(j - 1) == KULL:
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
                and n[:1] == BA
                and len(n) > 3
                and n != IBN
                and v.ent_at[j] < 0
                and (_glued(n, BA))
                and not (article_after_clitic(n) and v.ent_label(j) == "LOC")
            ):
                break  # بأداء، بمواجهة، بشدة: a prepositional phrase, not the noun phrase
            if n in PREPS or (j > i and len(n) > 3 and article_after_clitic(n) and n[0] in BA_KAF):
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
                        or (n in PLACE_PREPS and v.ent_label(nxt) == "LOC")
                        or (n[:1] in BA and v.ent_label(j) == "LOC")
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
            if j > i and n[:1] in CONJUNCTION_LETTERS and len(n) > 2:
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
            if j > i and n.startswith(LAM) and not has_fused_lil(n) and len(n) > 3 and v.ent_at[j] < 0:
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
                name_after_noun = v.ent_at[j] >= 0 and v.ent_at[j - 1] < 0 and not has_article(prev)
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
                if not apposition and not v.norm(j - 1).startswith(FUSED_LIL):
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
                k > j and _adjlike(n) and not has_article(n)
            ):
                break
            if n[:1] in LAM_BA and len(n) > 3 and (article_after_clitic(n) or _glued(n, n[0])):
                break
            if n[:1] in CONJUNCTION_LETTERS and k > j:
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
        if self.is_cue_verb(j) or rest in COPULAS or rest in HEDGES or rest in MODAL_VERBS:
            return True
        return (len(rest) >= 4 and rest[0] in IMPERFECT_PREFIXES and not v.norm(j)[1:].startswith(TA)) or (
            rest[:1] == TA
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
