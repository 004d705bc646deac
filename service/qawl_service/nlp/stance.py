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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Stance, StanceLabel

from .arabic import normalize
from .doctext import doc_text
from .morphology import (
    ALEF,
    ALEF_OR_TA,
    ARTICLE,
    BA,
    DETACHED_LAM,
    DUAL_FEMININE,
    LAM,
    LAM_BA,
    MIM,
    NOUN_PREFIXES,
    PLURAL_SUFFIXES,
    TA_MARBUTA,
    WA,
    WA_ARTICLE,
    clitic_forms,
    core,
    glued,
    has_fused_lil,
    member,
)
from .rulepipe import RulePipe
from .stance_confidence import calibrate, default_calibration
from .stance_cues import Entry, Hit, StanceLexicon, default_stance_cues, load_stance_cues
from .stance_evaluation import _Evaluations
from .stance_frames import _flip
from .stance_learned import LearnedStances
from .stance_targets import _finalize, _link_targets, match_targets
from .stance_view import (
    _CLAUSE_END,
    _CLOSE_MARKS,
    _COMMAS,
    _MAX_NP,
    _OPEN_MARKS,
    ADJ_WORDS,
    ADVERBS,
    BARE_COMP,
    COMPLEMENTIZERS,
    DEPARTURE,
    ELATIVES,
    ORG_HEADS,
    OWN_RANKS,
    PERSON_TITLES,
    PREPS,
    PRONOUN_SUBJECTS,
    REFUSED_ACTS,
    RELATIVES,
    _adjlike,
    _Found,
    _Holder,
    _in,
    _View,
)
from .wordclasses import MIN

__all__ = ["StanceLexicon", "StanceTagger", "extract_stances", "load_stance_cues", "match_targets"]

if not Doc.has_extension("stances"):
    Doc.set_extension("stances", default=None)


# ============================================================================ patterns


def _starts(n: str, need: str) -> bool:
    """The word, or it without a glued clitic, has a core starting with ``need`` (a needs= flag)."""
    return any(core(w).startswith(need) for w in clitic_forms(n))


class _Extractor(_Evaluations):
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

    # -- emitting ------------------------------------------------------------------------

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
                need = normalize(flag[6:]).rstrip(TA_MARBUTA)
                if not any(_starts(v.norm(k), need) for k in range(i + 1, min(sb, i + 10))):
                    return False
        # a verb form that is the light noun of another cue (دعم as a noun) is handled as a noun
        if v.norm(i - 1) in PREPS and hit.form.kind == "verb" and not hit.form.imperfect:
            return False
        if hit.form.kind == "verb" and v.norm(i).startswith(NOUN_PREFIXES):
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
            entry.lemma + ALEF,
            entry.lemma + DUAL_FEMININE,
            entry.lemma[:-1] + DUAL_FEMININE,
        )
        if (core.endswith(PLURAL_SUFFIXES) and not entry.lemma.endswith(PLURAL_SUFFIXES)) or dual:
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
                    and not (n[:1] in LAM_BA and glued(n, n[0]))
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
        if "refuse_acts" in entry.flags and any(member(v.norm(a), REFUSED_ACTS) for a, _, _, _ in targets):
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
            if (v.norm(k)[:1] == WA and not self.same_mention(k - 1, k) and v.ent_at[k] < 0) or v.norm(
                k
            ) == WA:
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
            or (n[:1] in LAM_BA and len(n) > 3 and not v.definite(k))
            or (n[:1] == BA and len(n) > 3)
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
            if b - a == 1 and member(v.norm(a), DEPARTURE) and addr is not None:
                end = self.np_end(addr, limit)
                out.append((addr, end, _flip(lab), True))
                continue
            # دعوته للأسد بالرحيل: ل-addressee then ب + departure
            nxt = b
            if nxt < limit and member(v.norm(nxt), DEPARTURE) and v.norm(nxt)[:1] in BA:
                out.append((a, b, _flip(lab), True))
                continue
            out.append((a, b, lab, f))
        return out

    def amb_ok(self, i: int, entry: Entry, targets: list[tuple[int, int, StanceLabel, bool]]) -> bool:
        """Extra checks for ambiguous surfaces: دعم صفوفه بـ (reinforce), ثمن (price), دعا الله."""
        v = self.v
        for a, b, _lab, _f in targets:
            if b < v.n and v.norm(b)[:1] == BA and "reinforce_ba" in entry.flags:
                return False
            if any(v.norm(t).endswith(OWN_RANKS) for t in range(a, b)):
                return False
        return not ("price" in entry.flags and i + 1 < v.n and v.definite(i) and not v.word(i + 1))

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
            or (v.norm(j)[:1] == WA and any(h.form.kind == "noun" for h in self.lex.lookup(v.norm(j)[1:])))
            or (v.norm(j) == WA and any(h.form.kind == "noun" for h in self.lex.lookup(v.norm(j + 1))))
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
        return self.has_kind(k, "participle") or (n[:1] == MIM and n.endswith(ALEF_OR_TA) and len(n) >= 5)

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
        prep = entry.frames[0] if entry.frames else LAM
        if (
            hit.clitic
            and not (n.startswith(WA) and v.ent_at[i] < 0)
            and not n.startswith((WA_ARTICLE, ARTICLE))
        ):
            return False
        j = i + 1
        while j < sb and v.definite(j) and _adjlike(v.norm(j)) and j - i <= 2:
            j += 1
        if j >= sb:
            return False
        nj = v.norm(j)
        if prep == LAM:
            if (
                not (has_fused_lil(nj) or (nj.startswith(LAM) and v.ent_at[j] >= 0))
                and nj not in DETACHED_LAM
            ):
                return False
            t0 = j + 1 if nj in DETACHED_LAM else j
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
        if tb < sb and v.norm(tb) == MIN and tb + 1 < sb and self.agent_like(tb + 1, tb + 2):
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


# ============================================================================ entry points
def extract_stances(
    doc: Doc,
    targets: list[str] | None = None,
    lexicon: StanceLexicon | None = None,
    learned: LearnedStances | None = None,
) -> list[Stance]:
    """Stances of ``doc`` (``doc._.entities`` and ``doc._.quotes`` set): the rules', and with
    ``learned`` the learned step's merged in (stance_learned.py) and the confidence calibrated
    (stance_confidence.py) before the targets are matched."""
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
    if learned is not None:
        stances = learned.merge(text, entities, quotes, stances)
        # calibrated on the output of rules ∪ learned; the rules alone (the learned step's training
        # analyses, QAWL_STANCE_LEARNED=0) keep their raw confidence, which the learned features read
        calibration = default_calibration()
        if calibration is not None:
            stances = calibrate(stances, calibration)
    if targets is not None:
        stances = match_targets(stances, list(targets), entities, text)
    return stances


class StanceTagger(RulePipe):
    """spaCy component: ``doc._.stances`` from the text, ``doc._.entities`` and ``doc._.quotes``.

    ``learned`` (load_pipeline switches it on unless QAWL_STANCE_LEARNED=0): the learned step after the
    rules (stance_learned.py), with the weights at ``learned_path`` (default: the packaged
    data/stance_model.npz) and ``learned_threshold`` (default: the one saved with the weights)."""

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "qawl_stance",
        cues_path: str | None = None,
        learned: bool = False,
        learned_path: str | None = None,
        learned_threshold: float | None = None,
    ) -> None:
        self.name = name
        self.lexicon = load_stance_cues(Path(cues_path)) if cues_path else default_stance_cues()
        self.learned = LearnedStances.load(learned_path, learned_threshold) if learned else None

    def __call__(self, doc: Doc, targets: list[str] | None = None) -> Doc:
        doc._.stances = []  # what an error leaves behind when the error handler does not raise
        doc._.stances = extract_stances(doc, targets, self.lexicon, self.learned)
        return doc

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.lexicon = default_stance_cues()


@Language.factory(
    "qawl_stance",
    default_config={"cues_path": None, "learned": False, "learned_path": None, "learned_threshold": None},
)
def make_stance_tagger(
    nlp: Language,
    name: str,
    cues_path: str | None,
    learned: bool,
    learned_path: str | None,
    learned_threshold: float | None,
) -> StanceTagger:
    return StanceTagger(nlp, name, cues_path, learned, learned_path, learned_threshold)
