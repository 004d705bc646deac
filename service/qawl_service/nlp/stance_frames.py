"""Subjects, implicit holders and stance frames: the target a cue's frame names, clause targets,
purposes and truces.
"""

from __future__ import annotations

import bisect

from qawl.types import StanceLabel

from .morphology import (
    ALEF_HAMZA_BELOW,
    BA,
    BA_TATWEEL,
    CONJUNCTION_LETTERS,
    DETACHED_BA,
    IMPERFECT_TA_NUN,
    LAM,
    LAM_BA_FA,
    LAM_TATWEEL,
    WA,
    core,
    glued,
    has_fused_lil,
    member,
)
from .stance_cues import Entry
from .stance_phrases import _Tagger
from .stance_view import (
    _CLAUSE_END,
    _CLOSE_MARKS,
    _COMMAS,
    _OPEN_MARKS,
    _WINDOW,
    ADVERBS,
    BARE_COMP,
    CLAUSE_LINKS,
    COMPLEMENTIZERS,
    COPULAS,
    DEPARTURE,
    HONORIFIC_PRONOUNS,
    HUMAN_NOUNS,
    LAM_PRONOUNS,
    NEGATIONS,
    ORG_HEADS,
    PERSON_TITLES,
    PREP_PRONOUNS,
    PREPS,
    PRONOUN_SUBJECTS,
    PURPOSE_WORDS,
    QUANTIFIERS,
    RELATIVES,
    SPEECH_PREPS,
    TRUCE_ADJ,
    TRUCE_HEADS,
    TRUCE_OBJECTS,
    VERB_PARTICLES,
    _adjlike,
    _Holder,
    _in,
)
from .wordclasses import ADAM, ALA, ANNA, ANNAHU, BI_ANNA, BI_ANNAHU, FI, ILA, ISM, MIN

# The prepositions a keep/means verb takes before its object (حافظ على، سعى إلى، تمسك بـ).
_OBJECT_PREPS = (ALA, ILA, BA)
# The prepositions of a goal after a verb (عمل على وقف، دعا إلى، ساهم في).
_GOAL_PREPS = (ALA, ILA, FI)
_BI_ANNA_FORMS = (BI_ANNA, BI_ANNAHU)  # بأن، بأنه after a ب-frame
# eval_obj lemmas whose object follows right away (الوقوف إلى جانب X).
_TRUCE_OBJECT_CORES = frozenset(core(x) for x in TRUCE_OBJECTS)


class _Frames(_Tagger):
    """Subjects, implicit holders and the target frames of a cue (what a stance is about)."""

    def subject_after(self, i: int, limit: int) -> tuple[int, int] | None:
        """The subject phrase after a verb (VSO): [start, end) or None when the next phrase is no agent."""
        v = self.v
        j = self.skip_adverbs(i, limit)
        if j >= limit or (not v.word(j) and v.words[j] not in _OPEN_MARKS):
            return None
        n = v.norm(j)
        if n in PREPS or n in COMPLEMENTIZERS or n in NEGATIONS or (self.is_cue_verb(j) and v.ent_at[j] < 0):
            return None
        if n.startswith(LAM_PRONOUNS):
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
        while j >= sa and (v.norm(j) in VERB_PARTICLES or v.norm(j) in NEGATIONS):
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
            and v.norm(start - 1) == FI
            and v.word(start - 2)
            and not self.stop_word(start - 2)
        ):
            s2 = self.phrase_back(start - 2, sa)
            if s2 is not None and self.agent_like(s2, start - 1):
                start = s2  # مظاهرات في مدن وعواصم عربية
        if (
            start - 1 >= sa
            and v.norm(start - 1) in PREPS
            and not (v.norm(start - 1) == MIN and start - 2 >= sa and _in(v.norm(start - 2), QUANTIFIERS))
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
                or (n in PREPS and n != FI)
                or (self.stop_word(k) and n != FI)
            ):
                break
            if n[:1] not in CONJUNCTION_LETTERS and _in(n, HUMAN_NOUNS) and not v.definite(k):
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
        if v.quote_at[i] >= 0 and v.norm(i)[:1] in CONJUNCTION_LETTERS:
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
            if (n.startswith(LAM) and not has_fused_lil(n) and len(n) > 3) or has_fused_lil(n):
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
                and (head_word or (n[:1] not in CONJUNCTION_LETTERS and v.ent_at[start] < 0))
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
            v.words[k] in (")", "”", "»", '"') or (v.words[k] in _COMMAS and v.norm(k + 1)[:1] == WA)
        ):
            k += 1
        if (
            k < limit
            and k > i
            and v.norm(k)[:1] == WA
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
            or v.norm(i) in CLAUSE_LINKS
        ):
            i += 1
        if i >= limit:
            return []
        n = v.norm(i)
        if n in BARE_COMP or n == ANNAHU:
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
        if n == ADAM or member(n, (ADAM,)):
            return [
                (a, b, _flip(lab), True) for a, b, lab, _ in self.interpret(i + 1, limit, label, depth + 1)
            ]
        ev = multi if multi is not None and multi.form.kind == "eval_obj" else hits.get("eval_obj")
        if ev is not None and depth < 4:
            # nested evaluative (أوصى بضرورة X، الوقوف الى جانب X): read its own frame
            pol: StanceLabel = "against" if ev.form.entry.polarity == "against" else "favor"
            lab2 = label if pol == "favor" else _flip(label)
            if ev.form.entry.frames[:1] == ("obj",) and ANNA not in ev.form.entry.frames:
                return self.interpret(i + ev.n_tokens, limit, lab2, depth + 1)
            inner, _ = self.frame_target(i + ev.n_tokens, limit, ev.form.entry)
            return [(a, b, lab2 if lab == "favor" else _flip(lab2), f) for a, b, lab, f in inner]
        if "flip" in hits or (multi is not None and multi.form.kind == "flip"):
            hit = multi if multi is not None and multi.form.kind == "flip" else hits["flip"]
            j = i + hit.n_tokens
            frames = hit.form.entry.frames
            if j < limit and v.norm(j) in frames and v.norm(j) in PREPS:
                j += 1
            elif j < limit and any(f != "obj" for f in frames) and v.norm(j)[:1] in LAM and LAM in frames:
                pass  # وضع حد للعنف: the ل is glued to the object
            if self.truce(i, j):
                return self.plain(i, limit, label, depth)
            if hit.form.imperfect:
                # توقف القوات السورية قصفها: skip the verb's subject
                subj = self.subject_after(j, limit)
                if subj is not None:
                    j = subj[1]
            j = self.skip_adverbs(j, limit)
            if member(n, DEPARTURE) and (
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
        if ("keep" in hits or "means" in hits) and any(h.form.imperfect for h in self.hits[i]):
            j = i + 1
            subj = self.subject_after(j, limit)
            if subj is not None:
                j = subj[1]
            j = self.skip_adverbs(j, limit)
            if j < limit and v.norm(j) in _OBJECT_PREPS:
                j += 1
            return self.interpret(j, limit, label, depth + 1)
        return self.plain(i, limit, label, depth)

    def truce(self, i: int, j: int) -> bool:
        """وقف اطلاق النار، وقف الاعمال العدائية، وقف دائم، وقف لـ...: a truce, favored as such."""
        v = self.v
        if not member(v.norm(i), TRUCE_HEADS):
            return False
        n = v.norm(j)
        if n in TRUCE_OBJECTS or member(n, _TRUCE_OBJECT_CORES):
            return True
        return n in TRUCE_ADJ or (n.startswith(LAM) and len(n) > 3)

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
            if n[:1] == WA and len(n) > 2 and v.word(k) and not self.same_mention(k - 1, k):
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
        if a > 0 and n[:1] == WA and len(n) > 2 and v.ent_at[a] < 0:
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
            v.norm(i)[:1] in IMPERFECT_TA_NUN
            and not v.definite(i)
            and v.ent_at[i] < 0
            and len(v.norm(i)) >= 3
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
            if n in PURPOSE_WORDS:
                return k + 1 if k + 1 < limit else None
            if n in _GOAL_PREPS and k + 1 < limit and self.has_kind(k + 1, "flip", "keep", "goal"):
                return k + 1
            if n[:1] in LAM_BA_FA and len(n) > 3 and self.has_kind(k, "flip", "keep", "goal"):
                return k
            if (
                fallback is None
                and n[:1] in LAM
                and len(n) > 3
                and v.definite(k)
                and not has_fused_lil(v.norm(k))
            ):
                fallback = k
            if fallback is None and n == ALA and k + 1 < limit and v.definite(k + 1):
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
                if v.norm(k)[:1] == BA and v.ent_at[k] < 0 and glued(v.norm(k), BA):
                    continue  # توعد بتحدي ...: a prepositional phrase is no direct object
                return self.interpret(k, limit, label), addr_start
            if prep == ANNA:
                for m in range(k, window):
                    n = v.norm(m)
                    if n in BARE_COMP and not (
                        n == ANNA and v.words[m].startswith(ALEF_HAMZA_BELOW) and m > k + 1
                    ):
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
                if n in COMPLEMENTIZERS and prep not in (MIN,) and not (prep == BA and n in _BI_ANNA_FORMS):
                    break
                if n in RELATIVES:
                    break
                if (
                    n == prep or (prep == BA and w == BA_TATWEEL) or (prep == LAM and w == LAM_TATWEEL)
                ) and m + 1 < limit:
                    if prep == MIN and v.norm(m + 1) in BARE_COMP:
                        return self.clause_target(m + 2, limit, label), addr_start
                    return self.interpret(m + 1, limit, label), addr_start
                if len(prep) == 1 and n.startswith(prep) and len(n) > 3 and v.word(m) and n not in PREPS:
                    if m > k and not self.has_kind(m, "flip", "keep", "goal", "means"):
                        continue  # a glued preposition further on is usually a genitive (للمعارضة)
                    if prep == LAM and m > k and not (self.lex.lookup(n) or v.definite(m)):
                        continue
                    if prep == BA and (n in ADVERBS or n in SPEECH_PREPS):
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
                    if v.words[m] in _COMMAS and m + 1 < v.n and v.norm(m + 1)[:1] != WA:
                        break
                    m += 1
                k = m + 1
                continue
            if (
                (n in PREPS and n not in DETACHED_BA)
                or n in SPEECH_PREPS
                or (n[:1] == BA and len(n) > 3 and (n in ADVERBS or member(n, (ISM,))))
            ):
                end = self.np_end(k + 1, window) if n in PREPS else self.np_end(k, window)
                k = max(end, k + 1)
                continue
            break
        return k


def _flip(label: StanceLabel) -> StanceLabel:
    return "against" if label == "favor" else "favor"
