"""Evaluation inside a holder's own words: evaluative objects and subjects, necessities (يجب، ضرورة),
experiencers, first-person purposes.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from qawl.types import StanceLabel

from .arabic import normalize, skip_letters
from .morphology import (
    ALEF_OR_TA,
    BA,
    CONJUNCTION_LETTERS,
    FUTURE_WE,
    LAM,
    LAM_BA,
    NOUN_PREFIXES,
    PRONOUN_SUFFIXES,
    WA,
    glued,
    member,
)
from .stance_cues import Entry, Hit
from .stance_frames import _Frames
from .stance_view import (
    _CLAUSE_END,
    _COMMAS,
    BARE_COMP,
    BLOCKED_TARGETS,
    COMPLEMENTIZERS,
    CONDITIONAL_OPENERS,
    COPULAS,
    DEMONSTRATIVES,
    EVAL_FILLERS,
    HEDGES,
    NEGATIONS,
    NON_TARGETS,
    NOT_NEG_NEXT,
    OBLIGATIONS,
    PERSONAL_PRONOUNS,
    PREP_PRONOUNS,
    PREPS,
    PRONOUN_SUBJECTS,
    RELATIVES,
    _Found,
    _Holder,
)
from .wordclasses import ANNA, IDHA, MA, MITHL

_CLAUSE_SKIP = (MITHL, ANNA)  # words before a clause's subject (مثل أن)


class _Evaluations(_Frames):
    """Evaluative cues; the stance patterns (stance.py) build on it."""

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
            and "standalone" not in entry.flags
            and not ("after_relative" in entry.flags and self.relative_antecedent(i) is not None)
        ):
            return False
        context = self.polarity_context(i)
        if "negated" in entry.flags:
            context = ""  # the idiom carries its own negation
        # يجب/ينبغي with a subject before it: الجهود ... يجب ان تشمل، هذه الهجمات ... يجب ان تتوقف
        if "modal" in entry.flags:
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
        if j < sa or not v.word(j) or self.stop_word(j) or v.norm(i)[:1] == WA:
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
        while k <= j and (not v.word(k) or v.norm(k) in _CLAUSE_SKIP):
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
        if n.startswith(NOUN_PREFIXES) or (i > sa and v.norm(i - 1) in PREPS):
            return False
        if i > sa and v.norm(i - 1)[:1] == BA and glued(v.norm(i - 1), BA):
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
        while j >= sa and (v.norm(j) in COPULAS or v.norm(j) in EVAL_FILLERS or not v.word(j)):
            if v.words[j] in _COMMAS or v.words[j] in _CLAUSE_END:
                return False
            j -= 1
        if j < sa:
            return False
        start = self.clause_start(j, sa)
        if start is None:
            return False
        n0 = v.norm(start)
        if n0 in PRONOUN_SUBJECTS or n0 in PERSONAL_PRONOUNS:
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
                v.norm(k)[:1] == WA and self.has_kind(k, "flip", "keep", "goal") for k in range(start, j + 1)
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
        core = n[1:] if n[:1] in CONJUNCTION_LETTERS else n
        return core.startswith(FUTURE_WE) and len(core) >= 5

    # -- declared efforts in quotes ------------------------------------------------------
    def first_person_purposes(self) -> None:
        """In a quote, a first-person verb then a purpose (سنحتفظ بموقف ... لمنع اي عدوان، وتعزيز ...)."""
        v = self.v
        claimed = {f.target for f in self.found}
        for i in range(v.n):
            if v.quote_at[i] < 0:
                continue
            n = v.norm(i)
            if not (n[:1] == LAM and len(n) > 3 and self.has_kind(i, "flip", "keep")):
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
            if n == MA and v.norm(k - 1) == IDHA:
                return "cond"
            if n in BARE_COMP and member(v.norm(k - 1), OBLIGATIONS):
                return "cond"  # يجب ان يدعم X: an obligation, not yet a position
            if n in HEDGES:
                out = "hedge"
            if not v.word(k) or (n in PREPS and k < i - 1):
                break
        for k in range(i - 1, max(sa - 1, i - 8), -1):
            n = v.norm(k)
            if n in CONDITIONAL_OPENERS or (n == MA and v.norm(k - 1) == IDHA):
                return "cond"
            if v.words[k] in _COMMAS:
                break
        return out

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

    def cue_span(self, i: int, hit: Hit, n_tokens: int = 1) -> tuple[int, int]:
        v = self.v
        cut = skip_letters(v.words[i], hit.clitic) if hit.clitic else 0
        return v.starts[i] + cut, v.ends[i + n_tokens - 1]

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
        if (n in DEMONSTRATIVES and b - a == 1) or member(n, NON_TARGETS) or (n[:1].isdigit() and b - a == 1):
            return False
        words = [k for k in range(a, b) if v.word(k)]
        # دعماً متناهياً، أهمية كبيرة: a lone indefinite adjective left over is not a thing
        lone_adjective = len(words) == 1 and not v.definite(a) and v.ent_at[a] < 0
        possessive = n.endswith(PRONOUN_SUFFIXES) and len(n) > 5
        prep = n[:1] in LAM_BA and glued(n, n[0])
        return not (lone_adjective and not possessive and not prep and n.endswith(ALEF_OR_TA) and len(n) > 4)
