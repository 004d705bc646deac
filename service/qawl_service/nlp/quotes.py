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
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Entity, Mention, Quote, QuoteKind

from .arabic import normalize
from .doctext import doc_text
from .lexicon import Lexicon, default_lexicon
from .morphology import (
    DETACHED_LAM,
    FEMININE_PLURAL,
    FEMININE_PRONOUN_ENDINGS,
    FEMININE_RELATIVE_PREFIXES,
    LAM_BA,
    NISBA_PLURAL,
    PLURAL_CUE_ENDINGS,
    SOUND_PLURAL_NOMINATIVE,
    SOUND_PLURAL_OBLIQUE,
    TA_MARBUTA,
    TA_MARBUTA_WRITTEN,
    THIRD_PERSON_SUFFIXES,
    WA,
    YA,
    article_after_clitic,
    has_article,
    is_definite_form,
    member,
    preposition_glued,
)
from .quote_confidence import Calibration, calibrate, default_calibration
from .quote_content import _Content
from .quote_learned import Mode, Role, add_learned
from .quote_phrases import group_word
from .quote_roles import KEY as ROLES_KEY
from .quote_text import (
    _CLOSERS,
    _COMMAS,
    _COMPLEMENT_PREPS,
    _MARKS,
    _MAX_NP,
    _MAX_WINDOW,
    _OPENERS,
    BARE_COMPLEMENTIZERS,
    CASE_ACTS,
    CASE_NOUNS,
    CHAIN_NOUNS,
    CLAUSE_OPENERS,
    COMPLEMENTIZERS,
    CONJUNCTIONS,
    COPULAS,
    DEMONSTRATIVES,
    DOC_NOUNS,
    FEMININE_SPEECH_PREP_PRONOUNS,
    HEADLINE_LABELS,
    HEADLINE_TOPICS,
    HONORIFIC_NOUNS,
    HONORIFIC_PRONOUNS,
    HONORIFICS,
    NAMING_NOUNS,
    ORG_HEADS,
    PERFECT_PARTICLES,
    PERSON_TITLES,
    PREPOSITIONS,
    PRONOUN_PPS,
    PRONOUN_SUBJECTS,
    QUANTIFIERS,
    RELATIVES,
    REQUEST_CATEGORIES,
    SPEECH_PREP_PRONOUNS,
    STATEMENT_VERBS,
    TIME_WORDS,
    TITLE_MODIFIERS,
    _Found,
    _Spk,
    _Text,
)
from .reporting_cues import Cue, CueLexicon, default_cues, load_cues
from .rulepipe import RulePipe
from .segment import SENT_END, Segmentation, segment_text, segmentation
from .speaker_linker import Trees, default_linker, link_speakers, speaker_spans
from .wordclasses import AN, FI, ISM, KAMA, LIMA, MA

__all__ = ["QuoteAttributor", "extract_quotes"]

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


# A plural cue's implicit subject is a group named at most this many sentences back (else the usual reading).
_GROUP_SENTENCES = 3


# ============================================================================ extraction
class _Extractor(_Content):
    """One pass over the cues of a document, then the quoted spans no cue claimed."""

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
            if norms[i] in STATEMENT_VERBS and self.norm(i + 1) == FI and self.in_set(i + 2, DOC_NOUNS):
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
                if s < b and (has_article(self.norm(s)) or self.starts_entity(s)) and self.speaker_like(s):
                    spk = self.speaker_from_np(s, self.np_end(s, b), s)
                    if spk is not None:
                        self.add_agent(s, spk, local=True)
        if first == KAMA and a + 1 < b and self.norm(a + 1) not in COMPLEMENTIZERS:
            a, first = a + 1, self.norm(a + 1)  # كما استقبل والي نابل منور الورتاني ...: the verb after كما
        elif first in COMPLEMENTIZERS or first in CLAUSE_OPENERS:
            return
        for k in (a + 1, a + 2):
            if k >= b:
                return
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label in ("PER", "ORG") and self.starts_entity(k):
                if has_article(first) or first in PREPOSITIONS or not self.word(a):
                    return
                self.add_agent(k, self._entity_speaker(e, None, "explicit"), local=True)
                return
            if k == a + 1 and self._verb_then_description(a, k):
                # وقامت السلطات المختصة بإخلاء المطار ... محذرة: a described subject speaks on too
                spk = self.speaker_from_np(k, self.np_end(k, b), k)
                if spk is not None and (spk.entity_id is not None or has_article(self.norm(k))):
                    self.add_agent(k, spk, local=True)  # a bare title (والي نابل) only with its name
                return

    def _verb_opens(self, a: int) -> bool:
        """Does the sentence opening at token a open with a verb that is no cue: a word with no article,
        no preposition, no name (ونفذ الأهالي، وقامت السلطات، كما استقبل)?"""
        first = self.norm(a)
        if has_article(first) or first in PREPOSITIONS or not self.word(a) or self.t.ent_at[a] >= 0:
            return False
        return self.cue_at[a] is None

    def _verb_then_description(self, a: int, k: int) -> bool:
        """Does the sentence open with a verb followed by a definite title, body or group phrase?"""
        if not self._verb_opens(a) or self.t.ent_at[k] >= 0:
            return False
        if self.in_set(k, PERSON_TITLES):
            return True  # وقامت السلطات المختصة، استقبل والي نابل منور الورتاني
        return has_article(self.norm(k)) and self.in_set(k, ORG_HEADS)

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
                fem = self.norm(i - 1).endswith(FEMININE_PRONOUN_ENDINGS)
                cue = replace(cue, feminine=fem)
            elif cue.preps and self._governed(self._skip_adverbs(i + 1, sb), cue) is not None:
                speaker, subj_end = None, i + 1  # وتعهدت بملاحقة ...: the complement, no subject
            elif self._plural_cue(i) and not self.group(self._skip_adverbs(i + 1, sb)):
                speaker, subj_end = None, i + 1  # اتهموا الطبيبة ...: the verb carries its subject
            else:
                speaker, subj_end = self._subject_after(i, sb)
            explicit = speaker is not None
            if (
                speaker is None
                and conj == 0
                and self.norm(i - 1) not in PRONOUN_SUBJECTS
                and not self._in_attribution_phrase(i)
            ):
                speaker = self._subject_before(i, sa, cue)
                explicit = speaker is not None and speaker.resolution != "anaphoric"
        # source chains: نقلت X عن Y (قوله) ...، نقل عنه القول، ... على لسان Y
        k = self._skip_adverbs(subj_end, sb)
        n = self.norm(k)
        if n == AN and (cue.relay or self._chain_noun_ahead(k + 1, sb)):
            end = self.np_end(k + 1, sb)
            if end > k + 1 and self.speaker_like(k + 1):
                end = self.extend_to_name(k + 1, end, sb)
                speaker = self.speaker_from_np(k + 1, end, k + 1)
                explicit, subj_end, ambiguous = speaker is not None, end, False
        elif (src := self.source_at(k, "relay")) is not None and self.word(src):  # أفادت مصادر نقلا عن X
            end = self.extend_to_name(src, self.np_end(src, sb), sb)
            if end > src:
                speaker = self.speaker_from_np(src, end, src)
                explicit, subj_end = speaker is not None, end
        elif n in SPEECH_PREP_PRONOUNS and (cue.relay or self._chain_noun_ahead(k + 1, sb)):
            speaker, explicit, subj_end, ambiguous = None, False, k + 1, False
            # the speaker is the pronoun's referent: عنه (he), عنها (she)
            fem = n in FEMININE_SPEECH_PREP_PRONOUNS
            cue = replace(cue, feminine=fem)
        k = self._skip_adverbs(subj_end, sb)
        src = self.source_at(k, "voice")  # ... على لسان X
        if src is not None:
            end = self.np_end(src, sb)
            if end > src:
                end = self.extend_to_name(src, end, sb)
                speaker = self.speaker_from_np(src, end, src)
                explicit, subj_end = speaker is not None, end
        if speaker is None and subj_end == i + 2 and self.norm(i + 1) in DEMONSTRATIVES:
            speaker = self._implicit(i, cue)  # وقال هؤلاء إن: the people just mentioned
        if speaker is None:
            speaker = self._implicit(i, cue)
        elif not explicit:
            speaker = speaker.as_resolution("anaphoric", None)
        if explicit and speaker is not None and cue.feminine and speaker.person and speaker.entity_id is None:
            speaker.feminine = True
        inner = subj_end  # an attributive phrase after the subject: [inner, subj_end) once read past
        if explicit and speaker is not None and self.norm(i + 1) not in DEMONSTRATIVES:
            # not وتعتبر هذه النسبة، وفق بلاغ ...: a thing considered, the document speaks
            subj_end = self._past_inner_attribution(subj_end, sb)
        window = _MAX_WINDOW
        if ambiguous and (self.norm(i - 1) in PERFECT_PARTICLES or (explicit and cue.cls == "verb")):
            # وكانت الخارجية قد ذكرت في بيان لها أن، كشف موقوفون ... أنهم: a verb with its subject
            ambiguous, window = False, 12
        clauses = cue.category not in REQUEST_CATEGORIES
        speech = cue.category == "report_neutral" and cue.cls == "verb" and not cue.ambiguous
        span = None
        if (cue.preps or cue.np_object) and (
            speaker is not None or self._bare_governed(i, conj, subj_end, sb, cue, explicit)
        ):  # أكد على X، أعلن X، دعا إلى X
            obj = self._after_name(i, subj_end, speaker) if explicit and speaker is not None else subj_end
            span = self._object_complement(i, obj, sb, cue, explicit, ambiguous)
        comp: tuple[QuoteKind, int, int, int | None] | None
        if span is not None and self._object_or_clause(
            span, self._complement(subj_end, sb, ambiguous, clauses, window, speech, dry=True), cue
        ):
            comp = self._object_clause(span)
        else:
            comp = self._complement(subj_end, sb, ambiguous, clauses, window, speech)
        if comp is None:
            if explicit and speaker is not None:
                if self.construction(i - 1, "postposed") is not None and self._ends_sentence(subj_end, sb):
                    self._postposed_clause(i, cue_span, speaker, cue)  # ...، كما قال المرصد
                elif not ambiguous or speaker.entity_id is not None:
                    # وأشار X إلى قيام الوزارة ... . وأضاف أن ...: X goes on speaking
                    local = cue.category in REQUEST_CATEGORIES or cue.category.startswith("stance")
                    self.add_agent(i, speaker, local=local)
            return
        kind, start, end, chain = comp
        if cue.category == "commissive" and self._takes_a_case(start):
            return
        speaker = self._outside(speaker, start, i, cue)
        if chain is not None:
            cue_span = self._cue_span(chain, 0)
        self._emit(kind, start, end, cue_span, speaker, self._score(kind, cue, speaker))
        for x in range(inner, subj_end):
            self.claimed[x] = True  # the attributive phrase read past is this quote's, no quote of its own
        if speaker is not None and not (conj == 0 and self._relative(i - 1)):
            # not a relative clause's speaker (X، عن تصريح Y الذي اعتبر ...، قائلا: X goes on)
            pos = t.token_of(speaker.mention[0]) if speaker.mention is not None else i
            self.add_agent(pos, speaker)

    def _bare_governed(self, i: int, conj: int, subj_end: int, limit: int, cue: Cue, explicit: bool) -> bool:
        """ودعت إلى X، وشددت على X: a coordinated past verb with no subject and its governed preposition
        right after it reports a statement even when no agent is found for it (its speaker unknown)."""
        if explicit or not conj or cue.cls != "verb" or not cue.past or not cue.preps:
            return False
        return self._governed(self._skip_adverbs(subj_end, limit), cue, True) is not None

    def _after_name(self, i: int, subj_end: int, speaker: _Spk) -> int:
        """Where an object may start after a named subject: right after the name when the speaker phrase
        read on past it into a noun that is no title (انتقد النائب سامي الفهري قانون المالية)."""
        t = self.t
        if speaker.entity_id is None:
            return subj_end
        last = max((k for k in range(i + 1, subj_end) if t.ent_at[k] >= 0), default=subj_end)
        k = last + 1
        if k >= subj_end or not self.word(k) or self.is_adjective(k):
            return subj_end
        if any(self.in_set(k, s) for s in (PERSON_TITLES, ORG_HEADS, HONORIFICS)):
            return subj_end
        return k

    def _takes_a_case(self, start: int) -> bool:
        """تعهدت فرقة الأبحاث بالبحث في القضية، تعهد قاضي التحقيق بمباشرة الأبحاث: a pledge whose content
        opens with a case or an act on one is the police and court idiom "took charge of", no statement."""
        t = self.t
        k = t.token_of(start)
        first = normalize(t.text[start : t.ends[k]])  # the content starts after a glued بـ (بالبحث)
        if first not in CASE_NOUNS and first not in CASE_ACTS:
            # a place before the case: تعهد الحرس الوطني بالجهة بالتحقيق في ملابسات الحادث
            return self.norm(k)[:1] == LAM_BA[1] and self._case_at(k + 1)
        return self._is_case(first, k)

    def _in_attribution_phrase(self, i: int) -> bool:
        """وفق ما أفاد X، حسب ما ذكرته X: the verb of an attributive phrase has no subject before it (that is
        the clause the phrase vouches for: "ببضائع مهربة وفق ما" had become a speaker)."""
        return self.norm(i - 1) in (MA, LIMA) and self.cue_cls(i - 2) == "attrib"

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
        hit = self.cue_at[i]
        if (
            j == i + 1
            and self.norm(j) in SPEECH_PREP_PRONOUNS
            and hit is not None
            and not hit[0].relay
            and AN not in hit[0].preps  # كشف عنه هذا الفيديو: the verb's own complement
            and not self._chain_noun_ahead(j + 1, limit)
        ):
            j += 1  # والتي قال عنها المخرج إنها: what the speaker spoke about, then the speaker
        if j < limit and self.is_pp(j) and not self.speaker_like_pp(j):
            end = self.np_end(j + 1 if t.words[j] in DETACHED_LAM else j, limit)
            if j + 1 < limit and j + 1 in t.pair_at_open and t.words[j] in DETACHED_LAM:
                pair = t.pair_at_open[j + 1]
                pair.name = True
                end = pair.after
            end = self._construct_name(end, limit)
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
        verb_noun = (  # قال طالب في السابعة عشرة إنه: طالب (student; he demanded) after a verb is its subject
            self.is_verb_cue(j, True)
            and self.in_set(j, PERSON_TITLES)
            and not has_article(self.norm(j))
            and self.cue_cls(i) == "verb"
        )
        if (
            not self.word(j)
            or (self.is_verb_cue(j, True) and not verb_noun)
            or self._oblique_plural(j)
            or self.possessed(j)
        ):
            return None, i + 1  # ... أعلنت كشفها عن: a possessed noun is the object, no subject
        if self._disagreeing_object(i, j):
            return None, i + 1
        if (
            not self.speaker_like(j)
            and not self._agreeing_subject(j, self.cue_at[i])
            and not self._phrase_before_complementizer(i, j, limit)
        ):
            return None, i + 1
        end = self.np_end(j, limit)
        if end <= j:
            return None, i + 1
        named = t.pair_at_open.get(end)
        if (
            end == j + 1
            and self.in_set(j, NAMING_NOUNS)
            and named is not None
            and named.close is not None
            and 0 < named.n_words <= 3
        ):  # كشف موقع «بي سوكر» الإسباني: the quoted name is the source
            named.name = True
            after = self.np_end(named.after, limit) if self.is_adjective(named.after) else named.after
            return self.speaker_from_np(named.open + 1, named.close, named.open + 1), after
        hit = self.cue_at[i]
        ext = self.extend_to_name(j, end, limit)
        # أكد الوزير على ضرورة ...: the preposition the cue governs, unless a named person follows it
        if (
            hit is None
            or self.norm(end) not in hit[0].preps
            or any(self.is_person(k) for k in range(end, ext))
        ):
            end = ext
        if hit is not None and (hit[0].np_object or hit[0].preps):
            end = self._object_after_subject(j, end)
        if hit is not None and hit[0].preps:
            end = self._governed_inside(j, end, hit[0])
        return self.speaker_from_np(j, end, j), end

    def _governed_inside(self, j: int, end: int, cue: Cue) -> int:
        """وطالب المتحدث بإجراء تدقيق: a glued preposition the cue governs ends the subject phrase it was
        read into, unless it opens a name, a place, a title or an institution (الناطق باسم، المدير الجهوي
        بالقيروان، النائب بمجلس نواب الشعب)."""
        for k in range(j + 1, end):
            n = self.norm(k)
            if n in cue.preps or self._governed(k, cue) is None:
                continue  # only a glued preposition; one written apart already ends the phrase
            if (
                self.t.ent_at[k] >= 0
                or n[1:] == ISM
                or (article_after_clitic(n) and n[1:] in self.lexicon.places)
            ):
                continue  # باسم، بالقيروان; not بفتح (فتح is a place name too, and a verb and a noun)
            if self.is_pp(k) and not (
                article_after_clitic(n)
                and not self.heads_phrase(n[1:])
                and not any(self.is_person(m) for m in range(k, end))
            ):  # بمجلس، للصحفيين، مدير الكرة بالفريق الأول محمد ...; not بالتهميش (ويندد المحتجون بالتهميش)
                continue
            return k
        return end

    def _construct_name(self, end: int, limit: int) -> int:
        """وأوضح لموفدة "الجوهرة أف أم" نهلة بوغنجة، أنه ...: a quoted name right after a construct noun
        of the addressee phrase is its genitive, and a name closing after it the addressee's own."""
        t = self.t
        pair = t.pair_at_open.get(end)
        if pair is None or pair.close is None or pair.n_words > 4 or is_definite_form(self.norm(end - 1)):
            return end
        pair.name = True
        end = pair.after
        run = self.name_run(end, limit)
        return end + run if run and self._name_closes(end, limit) else end

    def _object_after_subject(self, j: int, end: int) -> int:
        """وصفت الشرطة الحادث بالمؤسف، أوصت وزارة الصحة المرضى بـ: after a verb that takes an object, a
        definite noun right after a definite subject word (no adjective, title or name) starts the object,
        not a genitive."""
        t = self.t
        for k in range(j + 1, end):
            comma = t.words[k - 1] in _COMMAS and k - 1 > j  # أعلن مسؤول رفيع بالجامعة، الانتهاء من ...
            if not has_article(self.norm(k)) or not (comma or has_article(self.norm(k - 1))):
                continue
            # an adjective, unless its final ي was written ى (المرضى: normalized, it looks like a nisba)
            maqsura = t.norms[k].endswith(YA) and not t.words[k].endswith(YA)
            if t.ent_at[k] >= 0 or (self.is_adjective(k) and not maqsura):
                continue
            if any(self.in_set(k, s) for s in (PERSON_TITLES, ORG_HEADS, HONORIFICS, TITLE_MODIFIERS)):
                continue
            return k - 1 if comma else k
        return end

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
        if not has_article(n) or not n.endswith(SOUND_PLURAL_OBLIQUE) or len(n) < 6 or self.is_person(j):
            return False
        return n.endswith(NISBA_PLURAL) or self.count(n[:-2] + SOUND_PLURAL_NOMINATIVE) > 0

    def _disagreeing_object(self, i: int, j: int) -> bool:
        """وطالب الحكومة بالإسراع، ودعا السلطات إلى: a verb in the masculine singular past (the lemma's own
        form) and, right after it, a definite feminine noun (ة، ات) that is no name, title or person: a
        feminine subject would make the verb طالبت، دعت, so the noun is the object and the subject is
        dropped (the one speaking before)."""
        hit = self.cue_at[i]
        if hit is None or hit[0].cls != "verb":
            return False
        cue, conj = hit
        if self.norm(i)[conj:] != normalize(cue.lemma):
            return False
        n = self.norm(j)
        if (
            not has_article(n)
            or self.t.ent_at[j] >= 0
            or self.in_set(j, PERSON_TITLES)
            or self.in_set(j, HONORIFICS)
        ):
            return False
        return self.t.words[j].endswith(TA_MARBUTA_WRITTEN) or n.endswith(FEMININE_PLURAL)

    def _agreeing_subject(self, j: int, hit: tuple[Cue, int] | None) -> bool:
        """أفادت الشبكة، قالت الهيئة: a feminine verb and a definite feminine noun right after it."""
        if hit is None or not hit[0].feminine:
            return False
        n = self.norm(j)
        return has_article(n) and n.endswith(TA_MARBUTA) and len(n) > 4 and self.cue_at[j] is None

    def _phrase_before_complementizer(self, i: int, j: int, limit: int) -> bool:
        """قالت حديقة الحيوان إن، وأوضحت دراسات سابقة أن، صرح أحدهما بأنه: after a plain speech verb (no
        ambiguous word) a short phrase of content words that runs straight into the complementizer is the
        verb's subject, whatever its head (the speech verb takes no object before its clause)."""
        hit = self.cue_at[i]
        if hit is None or hit[0].cls != "verb" or hit[0].category != "report_neutral" or hit[0].ambiguous:
            return False
        if self.is_pp(j) or self.norm(j) in PREPOSITIONS:
            return False
        t, nxt = self.t, self.norm(j + 1)
        if not (
            has_article(self.norm(j))
            or t.ent_at[j] >= 0
            or has_article(nxt)
            or nxt in DEMONSTRATIVES
            or (j + 1 < limit and (t.ent_at[j + 1] >= 0 or self.is_adjective(j + 1)))
        ):
            return False  # a noun phrase (not أعتقد أن، مطلع اكتوبر ان)
        for k in range(j + 1, min(j + 4, limit)):
            if self.is_complementizer(k) or (t.words[k] in _COMMAS and self.is_complementizer(k + 1)):
                return True
            if not self.word(k) or self.stop_word(k) or self.is_pp(k) or self.cue_at[k] is not None:
                return False
        return False

    def speaker_like_pp(self, j: int) -> bool:
        """لأمانة/للحملة at the start of a subject is a genitive, but لـ“X” / لوكالة X is an addressee."""
        return False

    def _relative(self, k: int) -> bool:
        """A relative pronoun, bare or with a glued conjunction (الذي، والذي، والتي): the clause it opens
        is no part of a subject phrase (موقع ... -الناطق بالتركية والذي يصف نفسه: not a speaker
        "الناطق بالتركية والذي")."""
        return member(self.norm(k), RELATIVES, form=str)

    def _subject_before(self, i: int, sa: int, cue: Cue) -> _Spk | None:
        """SVO: the phrase before a cue without a conjunction (وكان كيري صرح، إلا أن مسؤولا ... قال)."""
        t = self.t
        j = i - 1
        while j >= sa and self.norm(j) in PERFECT_PARTICLES:
            j -= 1
        if j > sa and j + 1 < i and self.norm(j) in COPULAS:
            j -= 1  # عدد من النقابيين كانوا قد اتهموا: the copula after its subject
        if j < sa:
            return None
        if self.norm(j) in PRONOUN_SUBJECTS:  # فإنها دعت، وهو يشير
            return self._implicit(i, cue)
        if self._relative(j):
            return self._relative_antecedent(j, sa, cue)
        named = self._marked_name_before(j) if j < i - 1 else None  # "داعش" قد أعلن: a particle between
        if named is not None:
            return named
        end, k = j + 1, j
        crossed = 0  # prepositions inside the phrase (السلطات الأمنية في تونس، مصدر من الحماية المدنية)
        while k >= sa and end - k <= _MAX_NP:
            n = self.norm(k)
            if t.words[k] in _COMMAS:
                k -= 1
                continue
            if not self.word(k) or self.is_verb_cue(k, True) or self._relative(k):
                break
            if n in CONJUNCTIONS:
                break
            if n in PREPOSITIONS:
                if k == j or crossed == 2:
                    return None  # the object of a preposition is not a subject
                crossed += 1
                k -= 1
                continue
            if n in COPULAS or n in COMPLEMENTIZERS or n in TIME_WORDS or n in CLAUSE_OPENERS:
                break
            k -= 1
        start = k + 1
        while start < end and t.words[start] in _COMMAS:
            start += 1
        if start >= end or end - start > 10 or not self.speaker_like(start):
            return None
        if crossed and not self._opens_subject(k, sa, start, end):
            return None  # ونشرت الصحيفة تقريرا عن الوضع في البلاد قالت: a verb's object, no subject
        if start == sa and self.conj(sa) and t.ent_at[sa] < 0:
            return None
        spk = self.speaker_from_np(start, end, start)
        if crossed and spk is not None and spk.entity_id is None and t.words[start] not in spk.name:
            return None  # الحارس مطلوب للعدالة في قضية ...: a clause, its phrase resolved to other words
        return spk

    def _relative_antecedent(self, j: int, sa: int, cue: Cue) -> _Spk | None:
        """رئيس الهيئة شوقي الطبيب الذي قال: a person named right before the relative pronoun (over a
        comma) is the subject of the relative clause's cue; any other antecedent is left to the implicit
        reading (حركة "النهضة" التي), and so is a relative whose gender is not the cue's (سياسة الوزير X
        التي قال إنها: the relative is the verb's object, not its subject)."""
        t = self.t
        if self.norm(j).startswith(FEMININE_RELATIVE_PREFIXES) != cue.feminine:
            return None
        k = j - 1
        if k >= sa and t.words[k] in _COMMAS:
            k -= 1
        if k < sa or not self.is_person(k):
            return None
        span = t.ment_at[k]
        if span is None or span[1] != k + 1:
            return None
        return self._entity_speaker(t.ent_at[k], (t.starts[span[0]], t.ends[k]), "explicit")

    def _marked_name_before(self, j: int) -> _Spk | None:
        """يذكر أن التنظيم الإرهابي "داعش" قد أعلن: a name in marks right before the verb's perfect particle
        is the verb's subject; the backward reading stopped at the closing mark. Not without the particle:
        بـ "الجوهرة أف أم" عبر، لكرة القدم "الفيفا" معربا are a preposition's and a construct's names."""
        t = self.t
        pair = t.pair_at_close.get(j)
        if (
            pair is None
            or pair.close is None
            or not 0 < pair.n_words <= 3
            or not self.speaker_like(pair.open + 1)
        ):
            return None
        pair.name = True
        return self.speaker_from_np(pair.open + 1, pair.close, pair.open + 1)

    def _opens_subject(self, k: int, sa: int, start: int, end: int) -> bool:
        """A phrase read back over a preposition is a subject only when it opens its clause (after the
        sentence start, كان، أن، لكن), holds no word with a pronoun (علماء من النمسا بتنزيله) and starts
        with a name, a title, a body or a group's size."""
        t = self.t
        n = self.norm(k) if k >= sa else ""
        if k >= sa and n not in COPULAS and n not in COMPLEMENTIZERS and n not in CLAUSE_OPENERS:
            return False
        if any(t.words[x].endswith(THIRD_PERSON_SUFFIXES) and t.ent_at[x] < 0 for x in range(start, end)):
            return False
        if t.ent_at[start] >= 0 or self.norm(start) in QUANTIFIERS:
            return True
        return any(self.in_set(start, s) for s in (PERSON_TITLES, ORG_HEADS, HONORIFICS))

    def _outside(self, speaker: _Spk | None, start: int, i: int, cue: Cue | None) -> _Spk | None:
        """A speaker phrase read where the content starts is the content (وحذرت ظاهرة السمنة ...: the
        object, no subject): the implicit subject speaks instead (corpus train: 7 of 8 such were wrong)."""
        if speaker is None or speaker.mention is None or abs(speaker.mention[0] - start) > 1:
            return speaker
        return self._implicit(i, cue)

    def _before_content(self, speaker: _Spk | None, start: int, i: int, cue: Cue | None) -> _Spk | None:
        """A speaker phrase read on into the content ends where the content starts (وطالب المحتجون
        بفتح المستشفى: the content starts after the governed ب, the subject is المحتجون)."""
        m = speaker.mention if speaker is not None else None
        if m is None or not m[0] < start < m[1] or speaker is None or speaker.entity_id is not None:
            return speaker  # a linked entity is named by the entity, not by the words read
        a, b = self.t.token_of(m[0]), self.t.token_of(start)
        if self.t.text[start : self.t.ends[b]] not in speaker.name:  # (البعض بسن قانون: named البعض)
            return speaker
        cut = self.speaker_from_np(a, b, a) if b > a else None
        return cut if cut is not None else self._implicit(i, cue)

    def _plural_cue(self, i: int) -> bool:
        """A cue in the plural (قالوا، يطالبون، معتبرين): its subject is a group of people."""
        n = self.norm(i)
        return len(n) >= 5 and n.endswith(PLURAL_CUE_ENDINGS)

    @staticmethod
    def _group(spk: _Spk) -> bool:
        """A speaker that is a group of people (العمال، عدد من الأهالي، المحتجون), no entity."""
        words = spk.name.split()
        return spk.entity_id is None and bool(words) and group_word(normalize(words[0]))

    def _implicit(self, i: int, cue: Cue | None, cue_tok: int | None = None) -> _Spk | None:
        """واضاف، وتابع، مشيرا، فإنها: the sentence's subject, else the previous speaker (``cue_tok``: the
        cue's token when ``i`` is the content's start, a learned quote's)."""
        t = self.t
        fem = cue.feminine if cue is not None else None
        if self._plural_cue(i) or (
            cue_tok is not None and cue_tok != i and self._plural_cue(cue_tok)
        ):  # قالوا، معتبرين: the group that spoke last, if one did just before
            group = self._sentence_group(i) or self.last_agent(
                i, None, where=self._group, within=_GROUP_SENTENCES
            )
            if group is not None:
                return group.as_resolution("anaphoric", None)
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

    def _sentence_group(self, i: int) -> _Spk | None:
        """وقام أطباء بإجراء فحوصات، وقالوا؛ كما أعرب عدد من المستعملين عن تذمرهم معتبرين؛ يذكر أن أعضاء
        المكتب قدموا ... بسبب ما اعتبروه: a group named as the subject of the verb that opens the sentence
        (after كما، قد or the opening أن) is the subject of a later plural cue of the sentence, before a
        group that spoke in an earlier sentence; its phrase ends before a glued ب/ل (the complement)."""
        t = self.t
        a = t.sentence_span(i)[0]
        j = a
        if self.norm(j) in (KAMA, WA + KAMA) or self.in_set(j, PERFECT_PARTICLES):
            j += 1  # كما أعرب، وقد قام
        if j >= i or not self.word(j) or has_article(self.norm(j)) or t.ent_at[j] >= 0:
            return None
        if self.norm(j) in PREPOSITIONS or self.in_set(j, COMPLEMENTIZERS):
            return None
        k = j + 1  # the opening verb, then its subject
        if self.in_set(k, BARE_COMPLEMENTIZERS):
            k += 1  # يذكر أن أعضاء ...
        if k >= i or not self.group(k):
            return None
        end = self.np_end(k, i, subject=True)
        # the group's words, not the verb's complement after them (أطباء بإجراء فحوصات، الأولياء بإذاعة)
        end = next((x for x in range(k + 1, end) if t.ent_at[x] < 0 and preposition_glued(self.norm(x))), end)
        return self.speaker_from_np(k, end, k)

    def _chain_noun_ahead(self, j: int, limit: int) -> bool:
        return any(self.norm(k) in CHAIN_NOUNS for k in range(j, min(limit, j + _MAX_NP + 2)))

    def _ends_sentence(self, j: int, limit: int) -> bool:
        """Only a short phrase (في المكان) is left before the sentence ends."""
        words = sum(1 for k in range(j, limit) if self.word(k))
        return words <= 3 and all(self.t.words[k] not in _MARKS for k in range(j, limit))

    # -- quoted spans no cue claimed ----------------------------------------------------
    def _unclaimed_pairs(self) -> None:
        t = self.t
        ends: list[int] | None = None
        spoken: list[_Found] = []
        slogan_end = -1  # the token after the last slogan's marks
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
            # a crowd's slogan (رفعوا شعار "ديقاج"، الشعارات على غرار "..." و "..."): its words, the
            # sentence's subject speaks
            if self._slogan_at(pair) or (slogan_end >= 0 and self._listed_after(slogan_end, pair.open)):
                kind, s, e, _ = self._direct(pair, None)
                speaker = self._raiser(pair.open)
                self._emit(kind, s, e, None, speaker, self._score(kind, None, speaker))
                slogan_end = pair.after
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

    def _raiser(self, o: int) -> _Spk | None:
        """Who raises the slogan whose marks open at o: the subject of the verb that opens its sentence
        (ورفع المتظاهرون الشعارات، ونفذ الأهالي وقفة ... رافعين شعار), else the implicit subject."""
        a, b = self.t.sentence_span(o)
        if self._verb_opens(a):
            speaker, _ = self._subject_after(a, min(b, o))
            if speaker is not None:
                return speaker
        return self._implicit(o, None)

    def _listed_after(self, end: int, o: int) -> bool:
        """Do the marks opening at o follow the marks ending before ``end`` as the next item of a list
        (“...” و “...”، “...”، “...”)?"""
        between = [self.t.words[k] for k in range(end, o)]
        return len(between) == 1 and (between[0] in _COMMAS or between[0] == WA)

    # -- headlines -----------------------------------------------------------------------
    def _headlines(self) -> None:
        """A short line "كيري: نقترب من ..." : a headline quote of a named speaker, or of a title or a body
        the article names (وزير الداخلية: ...، حزب آفاق تونس: ...، «النقد الدولي»: ...)."""
        t = self.t
        i = 0
        while i < t.n:
            end = t.para_end(i)
            if end - i <= 25 and t.words[end - 1] not in SENT_END and not any(self.claimed[i:end]):
                colon = next((k for k in range(i + 1, min(end, i + 9)) if t.words[k] == ":"), None)
                speaker = self._headline_speaker(i, colon) if colon is not None and colon + 1 < end else None
                if colon is not None and speaker is not None:
                    a = colon + 1
                    if a in t.pair_at_open and t.pair_at_open[a].close == end - 1:
                        kind, s, stop, _ = self._direct(t.pair_at_open[a], None)
                    else:  # a third-person report mostly (the corpus: 166 of 230 unmarked ones)
                        kind, s, stop, _ = self._clause(a, end, None)  # كيري: نقترب ...: direct
                    self._emit(kind, s, stop, None, speaker, 0.55)
            i = end

    def _headline_speaker(self, i: int, colon: int) -> _Spk | None:
        """Who a headline "X: ..." quotes: a person or a body named right at the line start (the name
        alone, or with a few words after it: لويس سواريز قبل المباراة:), a title or body phrase, or a
        short name in marks. A place (المهدية:)، a topic (كرة اليد:) quotes nobody."""
        t = self.t
        if self.norm(i) in HEADLINE_LABELS:
            return None
        label = tuple(self.norm(k) for k in range(i, colon))
        if any(label[: len(p)] == p for p in HEADLINE_TOPICS):
            return None  # a sport section's competition or team
        e = t.ent_at[i]
        span = t.ment_at[i]
        if e >= 0 and (t.person_ent[e] or t.entities[e].label == "ORG") and span is not None and span[0] == i:
            if span[1] == colon or t.person_ent[e]:
                return self._entity_speaker(e, (t.starts[i], t.ends[span[1] - 1]), "explicit")
            return None
        pair = t.pair_at_open.get(i)
        if pair is not None and pair.close is not None and pair.after == colon and 0 < pair.n_words <= 4:
            a, b = pair.open + 1, pair.close  # «النقد الدولي»: the quoted words name the body
            if any(t.ent_at[k] >= 0 and t.entities[t.ent_at[k]].label == "ORG" for k in range(a, b)):
                pair.name = True
                return self.speaker_from_np(a, b, a)
            return None
        if e < 0 and (self.in_set(i, PERSON_TITLES) or self.in_set(i, ORG_HEADS)):
            end = self.np_end(i, colon)
            if end == colon:  # وزير الداخلية:، حزب آفاق تونس:
                return self.speaker_from_np(i, end, i)
            if self.in_set(i, PERSON_TITLES) and end > i:  # عسكري متقاعد :، مسؤول من وزارة الفلاحة :
                return self.speaker_from_np(i, end, i)
        return None

    # -- output --------------------------------------------------------------------------


def _kept(found: list[_Found]) -> list[_Found]:
    """Drop overlaps (the quote found first wins), order by position."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda x: x.order):
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    kept.sort(key=lambda x: (x.start, x.end))
    return kept


def _to_quotes(found: list[_Found], text: str) -> list[Quote]:
    """Wire quotes, numbered Q1.. ."""
    out: list[Quote] = []
    for n, f in enumerate(found, start=1):
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


def run_quotes(
    text: str,
    entities: list[Entity] | None = None,
    cues: CueLexicon | None = None,
    *,
    lexicon: Lexicon | None = None,
    seg: Segmentation | None = None,
    roles: list[Role] | None = None,
    mode: Mode = "combined",
) -> tuple[_Extractor | None, list[_Found]]:
    """The rules (and the merge with the learned roles) over ``text``: the extractor, and its quotes
    before conversion (the rules' scores, origins), overlaps dropped, in text order."""
    if not text or not text.strip():
        return None, []
    t = _Text(text, list(entities or []), seg or segment_text(text))
    if t.n == 0:
        return None, []
    ex = _Extractor(t, cues or default_cues(), lexicon or default_lexicon())
    ex.run()
    if roles is not None and mode != "rules":
        add_learned(ex, roles, mode)
    kept = _kept(ex.found)
    for f in kept:
        if f.kind == "mixed" and _wrapped(text, f.start, f.end):
            f.kind = "direct"  # "نعتقد أن توظيف "أقرباء" لا يتفق ...": inner marks in a wholly marked content
    return ex, kept


def _wrapped(text: str, start: int, end: int) -> bool:
    """An opening mark right before [start, end) and a closing mark right after it (spaces aside): the
    content is wholly in marks, whatever marks it holds inside (corpus train: 3 such mixed contents, all
    direct in gold)."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return before[-1:] in _OPENERS and after[:1] in _CLOSERS


def find_quotes(
    text: str,
    entities: list[Entity] | None = None,
    cues: CueLexicon | None = None,
    *,
    lexicon: Lexicon | None = None,
    seg: Segmentation | None = None,
    roles: list[Role] | None = None,
    mode: Mode = "combined",
    linker: Trees | None = None,
) -> list[_Found]:
    """:func:`run_quotes`, then the speaker linker (speaker_linker.py) when one is given."""
    ex, found = run_quotes(text, entities, cues, lexicon=lexicon, seg=seg, roles=roles, mode=mode)
    if ex is not None and linker is not None and found:
        link_speakers(ex, found, speaker_spans(roles), linker)
    return found


def extract_quotes(
    text: str,
    entities: list[Entity] | None = None,
    cues: CueLexicon | None = None,
    *,
    lexicon: Lexicon | None = None,
    seg: Segmentation | None = None,
    roles: list[Role] | None = None,
    mode: Mode = "combined",
    linker: Trees | None = None,
    calibration: Calibration | None = None,
) -> list[Quote]:
    """Quotes of ``text`` given its entities (``doc._.entities``), its segmentation (computed
    from the text when not given) and the learned quote roles, if any (quote_learned.py); with a
    ``calibration`` (quote_confidence.py) the confidence is its probability, else the rules' score."""
    found = find_quotes(text, entities, cues, lexicon=lexicon, seg=seg, roles=roles, mode=mode, linker=linker)
    if calibration is not None:
        found = calibrate(found, text, calibration)
    return _to_quotes(found, text)


# ============================================================================ component
class QuoteAttributor(RulePipe):
    """spaCy component: ``doc._.quotes`` from the text, ``doc._.entities`` and the segmentation
    (run after qawl_entities and qawl_segmenter)."""

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "qawl_quotes",
        cues_path: str | None = None,
        learned: Mode = "combined",
    ) -> None:
        self.name = name
        self.mode = learned
        self.cues = load_cues(Path(cues_path)) if cues_path else default_cues()
        self.lexicon = default_lexicon()
        self.calibration = default_calibration()
        self.linker = default_linker()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []  # what an error leaves behind when the error handler does not raise
        doc._.quotes = extract_quotes(**self.inputs(doc), linker=self.linker, calibration=self.calibration)
        return doc

    def find(self, doc: Doc) -> list[_Found]:
        """The document's quotes before conversion (the confidence fit reads them)."""
        return find_quotes(**self.inputs(doc), linker=self.linker)

    def inputs(self, doc: Doc) -> dict[str, Any]:
        """What the rules read from the Doc (the speaker linker's training runs them too)."""
        entities = doc._.entities if Doc.has_extension("entities") else None
        roles = doc.spans.get(ROLES_KEY)
        return {
            "text": doc_text(doc),
            "entities": list(entities or []),
            "cues": self.cues,
            "lexicon": self.lexicon,
            "seg": segmentation(doc),
            "roles": [(s.label_, s.start_char, s.end_char) for s in roles] if roles is not None else None,
            "mode": self.mode,
        }

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.cues = default_cues()
        self.lexicon = default_lexicon()


@Language.factory("qawl_quotes", default_config={"cues_path": None, "learned": "combined"})
def make_quote_attributor(nlp: Language, name: str, cues_path: str | None, learned: Mode) -> QuoteAttributor:
    return QuoteAttributor(nlp, name, cues_path, learned)
