"""Reading what was said: the complement of a cue (أن/إن clause, colon, marks, noun phrase), clause ends,
attributive phrases (بحسب، وفق، نقلا عن) and post-posed attribution.
"""

from __future__ import annotations

from qawl.types import QuoteKind

from .arabic import normalize, skip_letters
from .morphology import (
    CONJUNCTION_LETTERS,
    DETACHED_LAM,
    FEMININE_PLURAL,
    FIRST_PERSON_POSSESSIVE,
    FIRST_PERSON_PREFIXES,
    FIRST_PERSON_SUFFIX,
    FUTURE_PREFIX,
    LAM_BA,
    TA_MARBUTA,
    TANWEEN_FATH,
    THIRD_PERSON_SUFFIXES,
    WA,
    YA,
    has_article,
)
from .quote_phrases import _Phrases
from .quote_text import (
    _BOUNDARY,
    _BULLETS,
    _CLOSERS,
    _COMMAS,
    _FA_INNA,
    _FRAGMENT_PREPS,
    _MARKS,
    _MAX_WINDOW,
    _OPENERS,
    _PAREN_CLOSE,
    _SEMICOLONS,
    ADJUNCT_PREPS,
    ATTRIBUTION_NOUNS,
    BARE_COMPLEMENTIZERS,
    CASE_ACTS,
    CASE_NOUNS,
    CHAIN_NOUNS,
    CHANNEL_NOUNS,
    CHARGE_NOUNS,
    CLAUSE_PARTICIPLES,
    CLAUSE_SHIFTERS,
    CONJUNCTIONS,
    CONTRASTS,
    COORDINATED_COMPLEMENTIZERS,
    DEMONSTRATIVES,
    DOC_NOUNS,
    EVENT_NOUNS,
    FIRST_PERSON,
    FIRST_PERSON_NEGATIONS,
    FIRST_PERSON_NOT,
    FIRST_PERSON_PREDICATES,
    FIXED_PPS,
    GUEST_NOUNS,
    IRREALIS,
    LIST_ANNOUNCERS,
    NAMING_NOUNS,
    ORG_HEADS,
    OUR_SOURCES,
    PERSON_TITLES,
    POSTPOSED_PARTICLES,
    PREPOSITIONS,
    PRONOUN_SUBJECTS,
    RELATIVE_PRONOUNS,
    RELATIVES,
    SIDE_NOUNS,
    SLOGAN_NOUNS,
    TELLING_NOUNS,
    TERM_HEADS,
    TIME_WORDS,
    TITLE_OPENERS,
    TOPIC_SHIFTERS,
    _Found,
    _Pair,
    _Spk,
)
from .reporting_cues import Cue
from .segment import SENT_END
from .wordclasses import AN, FI, GHAYR, HAWL, LIMA, MA, MIN, QAD, TAHT

_SPEECH_CATEGORIES = frozenset({"report_neutral", "assert"})
_HIN = "حين"  # the contrast في حين (whereas); إلى حين (until) is none


_FEMININE_ENDINGS = (TA_MARBUTA, FEMININE_PLURAL)  # متهمة، اطارات: a feminine adjective or noun


class _Content(_Phrases):
    """Content of a quote from its cue; the cue pass (quotes.py) builds on it."""

    def _complement(
        self,
        j: int,
        limit: int,
        ambiguous: bool,
        clauses: bool = True,
        window: int = _MAX_WINDOW,
        speech: bool = False,
        dry: bool = False,
    ) -> tuple[QuoteKind, int, int, int | None] | None:
        """The reported content after a cue: (kind, start, end, chain-noun token). Without ``clauses``
        (requests: دعا، طالب، وافق) only quoted words or a colon count, not an أن-clause. ``dry``: only
        where it would be, in tokens (kind, first token, token after it, chain), nothing claimed."""
        t = self.t
        chain: int | None = None
        k = j
        words_seen = 0
        while k < limit and k - j <= window:
            w = t.words[k]
            n = self.norm(k)
            if n in CHAIN_NOUNS:
                chain, ambiguous = k, False
                k += 1
                continue
            if w in _PAREN_CLOSE:  # (بي. بي. سي)، -الناطق بالتركية ...–
                ends = _PAREN_CLOSE[w]
                close = next((x for x in range(k + 1, min(limit, k + 26)) if t.words[x] in ends), None)
                if close is not None:
                    k = close + 1
                    continue
            if w == ":" and k > j and self.in_set(k - 1, TITLE_OPENERS):
                k += 1  # تحت عنوان: "...": a title follows, not the content
                continue
            if w == ":":
                nxt = k + 1
                if self.norm(nxt) in BARE_COMPLEMENTIZERS and nxt + 1 in t.pair_at_open:
                    nxt += 1  # قوله: إن “...”
                if nxt in t.pair_at_open and not self._is_name_pair(t.pair_at_open[nxt]):
                    return self._direct(t.pair_at_open[nxt], chain, dry)
                end_tok = self._clause_end(nxt, limit)
                if dry:
                    return ("indirect", nxt, end_tok, chain) if end_tok > nxt else None
                return self._clause(nxt, end_tok, chain) if end_tok > nxt else None
            if k in t.pair_at_open:
                pair = t.pair_at_open[k]
                if pair.used:
                    return None
                short = pair.n_words <= 3
                ends_sentence = speech and (pair.after >= t.n or t.words[pair.after] in SENT_END)
                if self._is_name_pair(pair) or (
                    short
                    and not ends_sentence  # واضاف قبل لقاء ... “لدينا الامل”.
                    and (
                        words_seen > 4
                        or self._pair_is_apposition(pair, limit)
                        or not self._fragment_slot(k, words_seen)
                    )
                ):
                    words_seen += pair.n_words
                    k = pair.after
                    continue
                if ambiguous and words_seen > 3 and short:
                    return None
                return self._direct(pair, chain, dry)
            if self.is_complementizer(k):
                if ambiguous and words_seen > 3:
                    return None
                bare = n in BARE_COMPLEMENTIZERS
                nxt = k + 1
                if nxt in t.pair_at_open:  # ان “...”، انه “...”
                    pair = t.pair_at_open[nxt]
                    if not pair.used and not self._is_name_pair(pair):
                        after = pair.after
                        goes_on = clauses and after < limit and self.word(after)
                        if not goes_on or self._clause_end(nxt, limit) <= after + 1:
                            return self._direct(pair, chain, dry)
                        # أنه "سيبقى حامي الديار" في هذا الحزب: the clause goes on right after the marks
                        # (no comma: "“...”، ما يعتبر" is the journalist's), a mixed quote of the clause
                if not clauses:
                    return None
                first = nxt if bare else k
                end_tok = self._clause_end(first, limit)
                if dry:
                    return ("indirect", first, end_tok, chain) if end_tok > first else None
                return self._clause(first, end_tok, chain) if end_tok > first else None
            if w in SENT_END or w in _SEMICOLONS:
                return None
            if k > j and (n in PRONOUN_SUBJECTS or self.cue_cls(k) == "attrib"):
                return None
            hit = self.cue_at[k]
            if (
                hit is not None
                and k == j
                and hit[0].cls == "verb"
                and not hit[1]
                and self._indefinite_before(j)
            ):
                k += 1  # وصرح مسؤول تركي رفض الكشف عن هويته ...: a relative clause, not a new statement
                continue
            if (
                hit is not None
                and hit[0].cls in ("verb", "participle")
                and (
                    not hit[0].ambiguous
                    or hit[1]
                    or self.norm(k - 1) in PRONOUN_SUBJECTS
                    or self.norm(k) != hit[0].lemma  # تبين، ذكرت: an inflected form is a verb
                )
            ):
                return None  # another reporting verb starts its own quote
            if self.word(k):
                words_seen += 1
            k += 1
        return None

    def _accusative_adverb(self, j: int) -> bool:
        """وصفتها صراحةً بأنها: a word written with the accusative's tanween is no subject (نقلاً, a
        cue, is read as one)."""
        if self.cue_at[j] is not None:
            return False
        return self.t.words[j].endswith(TANWEEN_FATH) and not has_article(self.norm(j))

    def _skip_adverbs(self, j: int, limit: int) -> int:
        t = self.t
        while j < limit:
            if (
                self.norm(j) in TIME_WORDS
                or t.words[j] in _COMMAS
                or self.stray(j)
                or self._accusative_adverb(j)
            ):
                j += 1
            elif t.words[j] in _PAREN_CLOSE:  # (بي. بي. سي)، -الناطق بالتركية ...–
                close = _PAREN_CLOSE[t.words[j]]
                k = j + 1
                while k < limit and k - j < 24 and t.words[k] not in close:
                    k += 1
                if k >= limit or t.words[k] not in close:
                    return j
                j = k + 1
            else:
                return j
        return j

    def _object_complement(
        self, cue_tok: int, j: int, limit: int, cue: Cue, explicit: bool, ambiguous: bool
    ) -> tuple[int, int, int] | None:
        """A noun-phrase complement that carries content (the guideline: أكد على X، أعلن X، دعا
        الأطراف إلى X، طالب بـ X، حذر من X، وصف X بـ Y): after the subject and an adjunct phrase
        (في بيان له، ...), the content starts after a preposition the cue governs (``cue.preps``, ب/ل
        also glued), or at a direct object when the cue takes one (``cue.np_object``); a cue that takes
        only a preposition may have its addressee before it (دعا الأطراف إلى). It ends with the reported
        clause, or before a coordinated cue (وتعهد بـ ...). An ``ambiguous`` cue (دعا، كشف، عبر) counts
        only before a preposition written apart (ودعت المواطنين إلى، كشف عن). Where it would be: (first
        token, letters of a glued preposition to cut off, token after it); nothing claimed."""
        t = self.t
        if self.norm(cue_tok - 1) in RELATIVE_PRONOUNS:
            return None  # وفق ما أكده مصدر أمني لمراسلنا: the relative is the object
        before = self.norm(cue_tok - 1)
        if before[:1] in CONJUNCTION_LETTERS and before[1:] in IRREALIS:
            before = before[1:]
        if cue.cls == "verb" and not cue.past and (not explicit or before in IRREALIS):
            return None  # أثار تجدد أعمال العنف، أن تشير الكليات، ولم يكشف: no report
        if self._headline_like(cue_tok):
            return None  # a headline or a list line (X يؤكد Y merely paraphrases)
        k = self._skip_adverbs(j, limit)
        pair = t.pair_at_open.get(k)
        if pair is not None and pair.close is not None and 0 < pair.n_words <= 3 and self.word(pair.after):
            pair.name = True  # أكدت وزارة الدفاع «البنتاغون» اليوم مقتل ...: the subject's other name
            k = self._skip_adverbs(pair.after, limit)
        adjunct = False
        for _ in range(3):
            span = t.ment_at[k] if k < limit else None
            if span is not None and span[0] < k < span[1] <= limit:
                k = self._skip_adverbs(span[1], limit)  # دعت منظمة الدفاع عن المستهلك إلى: the name goes on
            if self._object_stop(k, limit):
                return None
            n = self.norm(k)
            if n == MIN and self.norm(k + 1) in TOPIC_SHIFTERS | SIDE_NOUNS:
                # ودعا X من جهة أخرى إلى، من جهته: a discourse adjunct, the complement follows it
                k = self._skip_adverbs(k + (2 if self.norm(k + 1) in TOPIC_SHIFTERS else 3), limit)
                continue
            if n in ADJUNCT_PREPS and not adjunct:  # في بيان له اليوم، ...
                adjunct = True
                after = self._after_adjunct(k, limit, cue)
                if after is None or after > k:
                    k = after if after is not None else limit
                    continue
                return self._object_span(k, 0, limit) if cue.np_object else None
            start = self._governed(k, cue, ambiguous)
            if start is not None:
                return self._object_span(*self._past_source(start, limit), limit)
            if n in PRONOUN_SUBJECTS or n in PREPOSITIONS or n in RELATIVES:
                return None
            if cue.np_object and not ambiguous:
                return self._object_span(k, 0, limit)
            for m in range(
                k + 1, min(limit, k + 8)
            ):  # the addressee: دعا الأطراف إلى، حذر المعهد المستهلكين من
                if self._object_stop(m, limit) or self.t.words[m] in _COMMAS:
                    return None
                start = self._governed(m, cue, ambiguous)
                if start is not None:
                    return self._object_span(*start, limit)
            return None
        return None

    def _past_source(self, start: tuple[int, int], limit: int) -> tuple[int, int]:
        """حذر خبراء من جامعة القاهرة من احتمال ...: a named body right after the preposition, and the
        same preposition after it: the first belongs to the subject, the complement follows the second."""
        t = self.t
        k, cut = start
        span = t.ment_at[k] if k < limit else None
        if cut or span is None or span[0] != k or span[1] >= limit:
            return start
        if self.norm(span[1]) == self.norm(k - 1):
            return span[1] + 1, 0
        return start

    def _headline_like(self, k: int) -> bool:
        """Token k's paragraph ends with no sentence end and no colon: a headline or a list line, unless
        a closing mark ends a longer paragraph with sentences in it."""
        t = self.t
        end = t.para_end(k)
        last = t.words[end - 1]
        if last in SENT_END or last == ":":
            return False
        if last not in _CLOSERS:
            return True
        for x in range(end - 2, max(-1, end - 28), -1):  # a bounded look back (linear time)
            if t.para[x] != t.para[k]:
                return True
            if t.words[x] in SENT_END:
                return False
        return end < 27 or t.para[end - 27] != t.para[k]

    def _verb_before(self, k: int) -> bool:
        """The word before token k makes it a verb: a particle (وربما تعلن، لن يقبل) or a conjunction."""
        n = self.norm(k - 1)
        if n[:1] in CONJUNCTION_LETTERS and n[1:] in IRREALIS:
            n = n[1:]
        return n in IRREALIS or n in CONJUNCTIONS

    def _object_stop(self, k: int, limit: int) -> bool:
        """Where no noun-phrase complement can start or be looked for."""
        return (
            k >= limit
            or not self.word(k)
            or self.is_complementizer(k)
            or self.cue_at[k] is not None
            or k in self.t.pair_at_open
        )

    def _governed(self, k: int, cue: Cue, apart: bool = False) -> tuple[int, int] | None:
        """Token k is a preposition ``cue`` governs: where the complement starts (token, letters of a
        glued preposition to cut off); with ``apart``, only a preposition written apart."""
        if k >= self.t.n:
            return None
        n = self.norm(k)
        if self.t.ent_at[k] >= 0 and (not self.starts_entity(k) or len(n) > 3):
            return None  # كريم بن علي: inside a name, not على
        if n in cue.preps:  # إلى، على، عن، من; بـ/لـ written apart
            return (k + 1, 0) if self.norm(k + 1) not in FIXED_PPS else None
        if apart or n[:1] not in cue.preps or len(n) < 4:
            return None
        # بضرورة، لمساندة، بملاحقة: the letter is the preposition when the lexicon cuts it, or when the
        # rest is a word about as common as the whole (not بعض، لجنة)
        clitic = self.proclitic(n)
        rest = self.count(n[1:])
        if clitic == n[:1] or (not clitic and rest > 0 and 4 * rest >= self.count(n)):
            return k, 1
        return None

    def _after_adjunct(self, k: int, limit: int, cue: Cue) -> int | None:
        """Where the words after the adjunct phrase at k start: after its comma, or at a preposition the
        cue governs (خلال جلسة ... عن X); None when the clause ends first (the adjunct is all there
        is), k itself when neither comes soon (the adjunct cannot be told from the complement)."""
        named = self.t.pair_at_open.get(k + 1)
        if named is not None and named.close is not None and 0 < named.n_words <= 3:
            named.name = True  # في «بوليتيكا» اليوم: a programme's name, the complement after it
            return self._skip_adverbs(named.after, limit)
        m = k + 1
        while m < min(limit, k + 14):
            if self.t.words[m] in _COMMAS:
                return self._skip_adverbs(m, limit)
            pair = self.t.pair_at_open.get(m)
            if pair is not None and pair.close is not None and pair.n_words <= 3:
                m = pair.after  # في «بوليتيكا» اليوم: a programme's name
                continue
            if not self.word(m) or self.is_complementizer(m) or self.is_verb_cue(m, True):
                return None
            if self.norm(m) in cue.preps:
                return m
            m += 1
        return None if k + 14 >= limit else k

    def _object_span(self, a: int, cut: int, limit: int) -> tuple[int, int, int] | None:
        """The content from token ``a`` (``cut`` letters of a glued preposition off): to the clause end,
        or before a coordinated cue (وتعهدت بملاحقة) or a participle cue; two words at least."""
        t = self.t
        while a < limit and t.words[a] in _COMMAS:
            a += 1
        if a >= limit or (not self.word(a) and a not in t.pair_at_open) or self.is_complementizer(a):
            return None  # أكد على أن ...: a clause, the complement reading's
        b = self._clause_end(a, limit)
        for k in range(a + 1, b):
            hit = self.cue_at[k]
            if self.norm(k) in PRONOUN_SUBJECTS or (
                hit is not None
                and hit[0].cls in ("verb", "participle")
                and (not hit[0].ambiguous or hit[1] > 0 or self.norm(k - 1) in PRONOUN_SUBJECTS)
                and (hit[0].cls == "participle" or hit[0].past or hit[1] > 0 or self._verb_before(k))
            ):  # (a present form with nothing before it that makes it a verb is a noun: إزاء تجدد القتال)
                b = k  # ...، فإنها دعت، وتعهدت بملاحقة، مشيرا إلى: a new statement
                if self.norm(b - 1) in POSTPOSED_PARTICLES:
                    b -= 1  # ...، كما يعتبر
                break
        if sum(1 for k in range(a, b) if self.word(k)) < 2:
            return None
        return a, cut, b

    def _object_clause(self, span: tuple[int, int, int]) -> tuple[QuoteKind, int, int, int | None]:
        """The quote of an object complement (:meth:`_object_complement`)."""
        a, cut, b = span
        kind, start, end, chain = self._clause(a, b, None)
        if cut:
            start += skip_letters(self.t.words[a], cut)
        return kind, start, end, chain

    def _object_or_clause(
        self, span: tuple[int, int, int], probe: tuple[QuoteKind, int, int, int | None] | None, cue: Cue
    ) -> bool:
        """Does the object complement ``span`` win over what the complement reading would take (``probe``,
        in tokens)? A complementizer or a colon where the object starts (أكد على أن) is the content, and
        so are marks where it starts or after a preposition the cue governs when they end the clause
        (دعا إلى «...»، وصف الزيارة بـ«الممتازة»); marks or an أن later inside the object are part of it
        (حذر من احتمال أن ... "كارثة"، دعا إلى «تأكيد التزامها» بوقف ...), an أن far into it too."""
        if probe is None:
            return True
        kind, first, after, _ = probe
        a, _, b = span
        if not a <= first < b:
            return first > b
        if kind != "direct":
            # وتؤكد هذه الدول الثلاث أن ...: an أن soon after is the content
            return first > a + 3 and not self._before_the_clause(a, cue)
        if any(self.word(x) for x in range(after, b)):
            return True  # more words after the marks: a mixed clause
        return not (first == a or self.norm(first - 1) in cue.preps)

    def _before_the_clause(self, a: int, cue: Cue) -> bool:
        """The object reading's first token a belongs to what precedes the reported clause, not to an
        object: the subject's apposition as a guest (عبير موسي ضيفة بولتيكا اليوم الجمعة 17 مارس 2017 أن،
        quotes_guest_nouns) or the channel or addressee in a ل-phrase the cue does not govern (وأكد مصدر
        أمني للجوهرة أف أم أن، ل"جوهرة أف أم" أن). Then the أن-clause inside the object is the content."""
        if self.in_set(a, GUEST_NOUNS):
            return True
        lam = self.t.words[a] in DETACHED_LAM or self.norm(a)[:1] == LAM_BA[0]
        return lam and self.is_pp(a) and LAM_BA[0] not in cue.preps

    def _direct(
        self, pair: _Pair, chain: int | None, dry: bool = False
    ) -> tuple[QuoteKind, int, int, int | None]:
        if dry:
            return "direct", pair.open, pair.after, chain
        pair.used = True
        for x in range(pair.open, min(self.t.n, pair.after)):
            self.claimed[x] = True
        return "direct", pair.start, pair.end, chain

    def _clause(self, a: int, b: int, chain: int | None) -> tuple[QuoteKind, int, int, int | None]:
        t = self.t
        while b > a and (
            t.words[b - 1] in _COMMAS
            or t.words[b - 1] in _BOUNDARY
            or (t.words[b - 1] in _CLOSERS and b - 1 not in t.paired)  # a stray mark: ... المعدات ".
        ):
            b -= 1
        kind: QuoteKind = "indirect"
        for x in range(a, b):
            self.claimed[x] = True
            if x in t.pair_at_open:
                pair = t.pair_at_open[x]
                pair.used = True
                if not self._is_name_pair(pair):
                    kind = "mixed"
        if b <= a:
            return kind, t.starts[a], t.starts[a], chain
        if kind == "indirect" and a > 0 and t.words[a - 1] == ":" and self._first_person(a, b):
            kind = "direct"  # the guideline: a colon, then the speaker's first person (كيري: نقترب من ...)
        return kind, t.starts[a], t.ends[b - 1], chain

    def _first_person(self, a: int, b: int) -> bool:
        """The words [a, b) are in the speaker's own voice: a first-person word (نحن، لدينا), a word with
        the suffix نا (موقفنا، نجحنا، سيمنحنا), my on a noun in ة (قضيتي), a plural predicate opening them
        (جاهزون), or a first-person verb opening them or after a negation, قد or the future س (نقترب،
        أحتاج، لن أغادر، وقد نضطر، سنكشف، سنرد)."""
        for k in range(a, b):
            n = self.norm(k)
            if n in FIRST_PERSON:
                return True
            suffixed = len(n) >= 4 and n.endswith(FIRST_PERSON_SUFFIX) and n not in FIRST_PERSON_NOT
            if suffixed and self.count(n[:-1]) < 5:
                return True  # not بيانا، سجنا (tanween on a word ending in ن)
            if self._my_noun(n):
                return True
            if k == a and n in FIRST_PERSON_PREDICATES:
                return True  # جاهزون لـ ...، مستعدون لـ ...: a plural predicate with no subject (we)
            future = n[:1] == FUTURE_PREFIX and len(n) >= 4
            before = self.norm(k - 1) if k > a else ""
            slot = k == a or future or before in FIRST_PERSON_NEGATIONS or before.lstrip(WA) == QAD
            if slot and self._first_person_verb(n[1:] if future else n, 3 if future else 4):
                return True
        return False

    def _my_noun(self, n: str) -> bool:
        """قضيتي، أولويتي، لإدانتي: a noun in ة with the suffix ي (my), whose bare form (قضية) is the
        commoner word; a nisba adjective drops the ة (سياسة -> سياسي) and so never ends in تي."""
        if len(n) < 5 or not n.endswith(FIRST_PERSON_POSSESSIVE):
            return False
        bare = self.count(n[: -len(FIRST_PERSON_POSSESSIVE)] + TA_MARBUTA)
        return bare >= 3 and bare > 2 * self.count(n)

    def _first_person_verb(self, n: str, shortest: int = 4) -> bool:
        """نقترب، احتاج: an imperfect with the first person's ن/ا whose third person (يقترب، يحتاج) is the
        commoner word (so no noun starting with ن or ا)."""
        if len(n) < shortest or n[0] not in FIRST_PERSON_PREFIXES or has_article(n):
            return False
        return self.count(YA + n[1:]) > 2 * self.count(n) + 2

    def _clause_end(self, a: int, limit: int) -> int:
        """End of a reported clause: the sentence end (across quoted sentences and وأن continuations),
        or before a new cue (، مشيرا الى / ، وأضاف) or an attribution (، بحسب)."""
        t = self.t
        k = a
        colon = a > 0 and t.words[a - 1] == ":"  # a list may follow (ومن أهمها : -عدم الإشارة ...)
        while k < t.n:
            if t.in_pair[k] >= 0 and t.pairs[t.in_pair[k]].open < k:
                k = max(k + 1, t.pairs[t.in_pair[k]].after)
                continue
            if k >= limit or t.sent[k] != t.sent[a]:
                # a coordinated complement continues the clause: ... مدرسة.وأنه جرى ...
                if k < t.n and self.norm(k) in COORDINATED_COMPLEMENTIZERS and t.para[k] == t.para[a]:
                    limit = t.sentence_span(k)[1]
                    a = k
                    k += 1
                    continue
                if k < t.n and limit >= t.sentence_span(a)[1] and self._list_item(k, a, colon):
                    limit = t.sentence_span(k)[1]
                    a = k
                    k += 1
                    continue
                return k
            w = t.words[k]
            if w == ":":
                colon = True
            if w in _SEMICOLONS:
                return k
            if k > a and self.norm(k) in CONTRASTS and self._cue_within(k + 1, min(limit, k + 6), limit):
                if self.norm(k) != _HIN:
                    return k
                before = self.norm(k - 1)
                if before != FI and before[:1] in CONJUNCTION_LETTERS:
                    before = before[1:]  # وفي حين
                if before == FI and k - 1 > a:
                    return k - 1  # ...، في حين قالت روسيا: the clause ends before في (إلى حين: until)
            if w in _COMMAS and k + 1 < t.n:
                nxt = k + 1
                if self.norm(nxt) in CLAUSE_SHIFTERS or self.norm(nxt + 1) in TOPIC_SHIFTERS:
                    return k  # ...، من جهته قال الرئيس الكيني: ...
                if self.is_verb_cue(nxt) and self.cue_cls(nxt) == "verb" and self._new_statement(nxt, limit):
                    return k
                hit = self.cue_at[nxt]
                if hit is not None and (
                    hit[0].cls == "participle"
                    or (hit[0].cls == "attrib" and self._ends_at_attribution(nxt, limit))
                    or (hit[0].cls == "verb" and hit[1] and self._new_statement(nxt, limit))
                ):
                    return k
                if self.construction(nxt, "postposed") is not None and self._speech(nxt + 1):
                    return k  # ...، كما قال X (not ...، كما هاجم ثلاثة خنازير أحد المواطنين)
            elif k > a:
                hit = self.cue_at[k]
                if (
                    hit is not None
                    and hit[0].cls == "participle"
                    and (self._participle_statement(k) or self._participle_object(k, limit))
                ):
                    return k
                if (
                    hit is not None
                    and hit[0].cls == "verb"
                    and hit[1] > 0
                    and hit[0].past
                    and not hit[0].ambiguous
                    and self._new_statement(k, limit)
                ):
                    return k  # ... وقالت مديرة المنظمة: a coordinated reporting verb starts a new statement
            k += 1
        return k

    def _participle_object(self, k: int, limit: int) -> bool:
        """The participle cue at token k, inside a clause and with no comma before it, opens a statement
        of its own with a noun-phrase complement (... المهن الحرة مشيرا إلى ضرورة مراجعة ...، ... داعيا
        الوزارة إلى فتح تحقيق): for the lemmas of quotes_clause_participles (corpus train: their
        participles with no comma before them are a gold cue 232 times, never inside another gold quote;
        6 are no cue inside one: ومعبرا، غير مؤكدة، a feminine adjective)."""
        cue, conj = self.cue_at[k]  # type: ignore[misc]
        if conj or normalize(cue.lemma) not in CLAUSE_PARTICIPLES or k + 1 in self.t.pair_at_open:
            return False  # ورافدا لها ومعبرا عن: a coordinated predicate
        before = self.norm(k - 1)
        if before == GHAYR or (
            cue.feminine and not has_article(before) and before.endswith(_FEMININE_ENDINGS)
        ):
            return False  # غير مؤكدة (not confirmed), اطارات أمنية متهمة بـ (accused): an adjective
        return self._object_complement(k, k + 1, limit, cue, False, cue.ambiguous) is not None

    def _list_item(self, k: int, a: int, colon: bool) -> bool:
        """Does the sentence at token k go on with a list the clause before it announced? A list item
        after a colon (ومن أهمها : -عدم الإشارة ... . -عدم الإعلان ...، أنه : * يمنع ...) or the paragraph
        right after a line ending with "التالي :" (برنامج المقابلات على النحو التالي :)."""
        t = self.t
        if t.para[k] - t.para[a] > 1:
            return False
        if colon and t.words[k] in _BULLETS:
            return True
        return t.words[k - 1] == ":" and t.para[k] == t.para[a] + 1 and self.norm(k - 2) in LIST_ANNOUNCERS

    def _new_statement(self, k: int, limit: int) -> bool:
        """Does the cue at token k, coordinated or after a comma inside a reported clause, start a new
        statement? A past speech verb does (، وأضاف، وأكدت الوزارة); a stance verb or a present tense only
        with a subject or a clause of its own (، وندد الحزب بـ، ورفض الوزير أن): without them it is an act
        the clause reports (تعنتت ورفضت الامتثال، وهدده بقتله، ، تشير إلى بلوغ صابة)."""
        hit = self.cue_at[k]
        if hit is None:
            return False
        cue = hit[0]
        if cue.past and cue.category in _SPEECH_CATEGORIES:
            return True
        if cue.category == "commissive" and self._case_after(k, limit):
            return False  # وتعهدت فرقة الشرطة العدلية بالسيجومي بالبحث في الموضوع: the clause reports it
        t = self.t
        j = self._skip_adverbs(k + 1, limit)
        if j >= limit:
            return False
        if self.is_complementizer(j) or t.words[j] == ":" or j in t.pair_at_open:
            return True
        return t.ent_at[j] >= 0 or self.in_set(j, PERSON_TITLES) or self.in_set(j, ORG_HEADS)

    def _case_at(self, x: int) -> bool:
        """Token x is بـ + a case or an act on one (بالبحث، بمتابعة هذه القضية): what تعهد takes in the
        police and court idiom "took charge of" (quotes_case_nouns, quotes_case_acts)."""
        n = self.norm(x)
        return len(n) >= 4 and n[0] == LAM_BA[1] and self._is_case(n[1:], x)

    def _is_case(self, word: str, x: int) -> bool:
        """``word`` (token x, after its بـ) is a case, or an act whose object after x is one (متابعة هذه
        القضية): quotes_case_nouns, quotes_case_acts."""
        if word in CASE_NOUNS:
            return True
        if word not in CASE_ACTS:
            return False
        nxt = x + 2 if self.norm(x + 1) in DEMONSTRATIVES else x + 1
        return self.norm(nxt) in CASE_NOUNS

    def _case_after(self, k: int, limit: int) -> bool:
        """The commissive cue at k takes a case within its clause, after its subject and any place
        (وتعهد الحرس الوطني بالجهة بالتحقيق في ...، تعهدت فرقة الأبحاث بالنفيضة بالبحث في القضية)."""
        t = self.t
        for x in range(k + 1, min(limit, k + 10)):
            if t.words[x] in _COMMAS or self.is_complementizer(x):
                return False
            if self._case_at(x):
                return True
        return False

    def _ends_at_attribution(self, i: int, limit: int) -> bool:
        """Does the clause end before the attributive phrase at token i (…، بحسب المرصد.)? Not when the
        sentence goes on after it (X، وفق الدهماني، Z: the phrase vouches for the whole sentence), nor
        when it names no source (…، حسب التحاليل الأولية، …، طبقا لمقتضيات الفصل 5)."""
        if self._in_attribution:
            return True  # a phrase in the tail of another ends the tail's clause: no recursion
        memo = self._attribution_ends
        if (i, limit) not in memo:
            self._in_attribution = True
            try:
                src = self._attribution_source(i, limit)
                memo[i, limit] = src is not None and self._mid_tail(src[1], limit) is None
            finally:
                self._in_attribution = False
        return memo[i, limit]

    def _attribution_source(self, i: int, limit: int) -> tuple[int, int] | None:
        """The source phrase [j, end) of the attributive phrase at token i (بحسب X، وفق ما أكده X، وفق ما
        أوردته “X”), or None when it names none that looks like a source."""
        t = self.t
        j = self.source_at(i, "attribution")
        if j is None:
            return None
        j = self._skip_adverbs(j, limit)  # وفق ما صرح به عشية اليوم الجمعة X
        j = self._past_addressee(i, j, limit)
        pair = t.pair_at_open.get(j)
        if pair is not None and pair.close is not None and 0 < pair.n_words <= 4:
            return j, pair.after  # وفق ما أوردته “العربية”
        end = self._source_end(j, limit)
        if end <= j or not self._source_like(j, end):
            return None
        end = self.extend_to_name(j, end, limit)
        return self._relayed(end, limit) or (j, end)

    def _source_end(self, j: int, limit: int) -> int:
        """The end of the source phrase at j: where the vouched clause begins (بحسب ما نقلته تقارير دولية
        فإن ...)."""
        end = self.np_end(j, limit)
        return next((k for k in range(j, end) if self.norm(k) in _FA_INNA or self.is_complementizer(k)), end)

    def _relayed(self, end: int, limit: int) -> tuple[int, int] | None:
        """بحسب ما نقله مراسل "الجوهرة" عن مصدر أمني، حسب ما أكده مراسلنا نقلا عن مصدر أمني: the source the
        channel relays (guideline: in وفقا لوكالة X نقلا عن Y, the speaker is Y), else None."""
        t = self.t
        k = end
        pair = t.pair_at_open.get(k)
        if pair is not None and pair.close is not None and 0 < pair.n_words <= 3:
            k = pair.after  # مراسل "الجوهرة اف أم" عن: the channel's name in marks
        src = k + 1 if k < limit and self.norm(k) == AN else self.source_at(k, "relay")
        if src is None or src >= limit or not self.word(src):
            return None
        stop = self._source_end(src, limit)
        if stop <= src or not self._source_like(src, stop):
            return None
        if pair is not None and k == pair.after:
            pair.name = True
        return src, self.extend_to_name(src, stop, limit)

    def _past_inner_attribution(self, k: int, limit: int) -> int:
        """وأكد الوزيران، وفق بلاغ لوزارة الخارجية، على ...، وأوضح الأطرش، بحسب بلاغ نشرته الوزارة، أن: an
        attributive phrase right after a cue's subject, closed by a comma or followed by the complementizer,
        names where the words were reported; the complement follows it and the subject speaks (corpus
        train: 5 such quotes gave the document or the agency). k when no such phrase follows."""
        t = self.t
        a = k
        while a < limit and t.words[a] in _COMMAS:
            a += 1
        if a >= limit or self.cue_cls(a) != "attrib":
            return k
        src = self._attribution_source(a, limit)
        if src is None:
            return k
        for x in range(src[1], min(limit, src[1] + 8)):
            if t.words[x] in _COMMAS:
                return x + 1
            if self.is_complementizer(x):
                return x
            if not self.word(x) or self.is_verb_cue(x, True):
                return k
        return k

    def _past_addressee(self, i: int, j: int, limit: int) -> int:
        """وفق ما أكده لمراسل الجوهرة أف أم في المهدية، المدير الجهوي للتجارة ...: after ما + a verb, a
        ل-phrase is the channel the source told (guideline: the source, not the channel); the source is
        the phrase after it (over a place and a comma). Without one after it, j as before."""
        t = self.t
        if self.norm(i + 1) not in (MA, LIMA) or j <= i + 2 or j >= limit or not self.is_pp(j):
            return j
        if not (t.words[j] in DETACHED_LAM or self.norm(j)[:1] == LAM_BA[0]):
            return j  # بـ: no addressee
        k = self.np_end(j + 1 if t.words[j] in DETACHED_LAM else j, limit)
        if k <= j:
            return j
        k = self._before_comma(j, self.extend_to_name(j, k, limit))
        # وفق ما صرح به لوكالة تونس إفريقيا للأنباء وزير الشؤون الاجتماعية X: the channel's name, then
        # the source's title with no comma between (the phrase had read on over both)
        k = next((x for x in range(j + 2, k) if self._title_after_name(x)), k)
        if k < limit and self.norm(k) == FI:  # في المهدية، في الجهة
            k = self._before_comma(k, max(self.np_end(k + 1, limit), k + 1))
        while k < limit and t.words[k] in _COMMAS:
            k += 1
        k = self._skip_adverbs(k, limit)
        if k >= limit or not self.word(k) or self.is_pp(k):
            return j
        end = self.np_end(k, limit)
        return k if end > k and self._source_like(k, end) else j

    def _title_after_name(self, x: int) -> bool:
        """A person title right after a name's last word (a new phrase: وكالة تونس إفريقيا للأنباء وزير)."""
        t = self.t
        return t.ent_at[x - 1] >= 0 and t.ent_at[x] < 0 and self.in_set(x, PERSON_TITLES)

    def _before_comma(self, a: int, b: int) -> int:
        """The phrase [a, b) ends at its first comma (np_end reads an apposition over it)."""
        return next((x for x in range(a + 1, b) if self.t.words[x] in _COMMAS), b)

    def _cue_within(self, a: int, b: int, limit: int) -> bool:
        """A new statement within tokens [a, b) (after لكن، بينما، فيما): a participle cue, or a verb cue
        that is no ambiguous word (فيما بينهم عبر، فيما تم نقل) and starts a statement (لكن دريك قال، في
        حين تصر روسيا; not بينما تعهدت فرقة الأبحاث بالبحث)."""
        for k in range(a, b):
            if self.norm(k - 1) in FIRST_PERSON_NEGATIONS:
                continue  # ولكن لم يتطرق الحزب: a negated verb reports no new statement
            cls = self.cue_cls(k)
            if cls == "participle" and self.is_verb_cue(k):
                return True
            if cls == "verb" and self.is_verb_cue(k) and self._new_statement(k, limit):
                return True
        return False

    def _speech(self, k: int) -> bool:
        hit = self.cue_at[k] if 0 <= k < self.t.n else None
        return hit is not None and hit[0].category in _SPEECH_CATEGORIES

    def _is_name_pair(self, pair: _Pair) -> bool:
        if pair.name:
            return True
        t = self.t
        if t.text[pair.start : pair.start + 1] in ("#", "@"):
            pair.name = True
            return True
        if self._titled(pair.open - 1):
            pair.name = True  # ندوة حول "الإرهاب في المنطقة الإفريقية"، تحت عنوان "..."، بعنوان "..."
            return True
        if self._slogan_at(pair) and self.norm(self._slogan_at(pair) - 1) == TAHT:
            pair.name = True  # تظاهرة تحت شعار "الأرض تجمعنا": the theme of an event
            return True
        if pair.n_words <= 3 and self._term_head_before(pair.open):
            pair.name = True  # مخدر "الزطلة"، صنف "أ"، إعصار "ديبي": a thing's name or term
            return True
        if pair.n_words <= 8 and pair.open > 0 and self.in_set(pair.open - 1, CHARGE_NOUNS):
            pair.name = True  # قضية عدلية موضوعها "القتل العمد مع سابقية القصد": a case's charge
            return True
        inner = [k for k in range(pair.open + 1, pair.end_tok) if self.word(k)]
        if inner and all(t.ent_at[k] >= 0 for k in inner):
            # حقل "سيدي الكيلاني"، مصنع "سياب": marks around a name the recognizer read are no words of
            # the speaker (corpus train: of 107 contents made mixed by such marks alone, gold has 105
            # indirect)
            pair.name = True
            return True
        if pair.n_words > 4:
            return False
        first = pair.open + 1
        if first < pair.end_tok and (
            self.in_set(first, ORG_HEADS)
            or self.in_set(first, NAMING_NOUNS)
            or (pair.n_words == 1 and (self.norm(first) in TIME_WORDS or self.norm(first)[:1].isdigit()))
        ):
            pair.name = True  # «لجنة الميثاق»، «الثلاثاء»
            return True
        prev = pair.open - 1
        if prev >= 0 and (
            t.words[prev] in DETACHED_LAM or self.in_set(prev, NAMING_NOUNS) or self.cue_cls(prev) == "attrib"
        ):
            pair.name = True
            return True
        return False

    def _term_head_before(self, o: int) -> bool:
        """A category noun (quotes_term_heads.txt) right before the marks opening at o, or two or three
        words before them with only plain words between, when it has no article (the first noun of an
        idafa whose other words name it: مخدر القنب الهندي "الزطلة"، مخدر عجين "التكروري")."""
        for k in range(o - 1, max(-1, o - 4), -1):
            if self.in_set(k, TERM_HEADS):  # farther, only a head with no article: the first of an idafa
                return k == o - 1 or not has_article(self.norm(k))  # not الشهادة أصبحت "مجرد ورقة"
            if not self.word(k) or self.t.in_pair[k] >= 0 or self.cue_cls(k):
                return False
        return False

    def _slogan_at(self, pair: _Pair) -> int:
        """The slogan noun the marks follow within three words of their sentence (رفعوا شعار "..."،
        الشعارات على غرار "..."), else 0."""
        t = self.t
        for k in range(pair.open - 1, max(-1, pair.open - 5), -1):
            if t.sent[k] != t.sent[pair.open] or k in t.paired:
                return 0
            if self.in_set(k, SLOGAN_NOUNS):
                return k
        return 0

    def _titled(self, prev: int) -> bool:
        """Marks after token ``prev`` hold a title: after عنوان/موضوع, or after حول that follows an
        event (ندوة، ورشة، يوم دراسي ...) within three words."""
        if prev > 0 and self.t.words[prev] == ":":
            prev -= 1  # تحت عنوان: "..."
        if prev < 0:
            return False
        if self.in_set(prev, TITLE_OPENERS):
            return True
        before = range(max(0, prev - 3), prev)
        return self.norm(prev) == HAWL and any(self.in_set(k, EVENT_NOUNS) for k in before)

    # -- statements and attributive phrases ---------------------------------------------
    def _statement(self, i: int) -> None:
        """وجاء في البيان أن ...، وجاء في بيان للوزارة: “...”: the statement's author said it."""
        t = self.t
        _, sb = t.sentence_span(i)
        a = i + 2
        end = self.np_end(a, sb)
        speaker = self.speaker_from_np(a, end, a)
        if (
            speaker is not None
            and speaker.resolution == "nominal"
            and speaker.entity_id is None
            and end - a <= 1
        ):
            speaker = None
        comp = self._complement(end, sb, False)
        if comp is None:
            return
        kind, start, stop, _ = comp
        self._emit(kind, start, stop, self._cue_span(a, 0), speaker, self._score(kind, None, speaker) - 0.05)

    def _attributive(self, i: int, cue: Cue) -> None:
        t = self.t
        sa, sb = t.sentence_span(i)
        src = self._attribution_source(i, sb)  # بحسب X، وفقا لـ X، نقلا عن X، حسب ما ذكرت X
        if src is None:
            return
        j, end = src
        noun = False
        pair = t.pair_at_open.get(j)
        if pair is not None and pair.close is not None and pair.after == end:
            pair.name = True  # وفق ما أوردته “العربية”: the quoted words name the source
            speaker = self.speaker_from_np(pair.open + 1, pair.close, pair.open + 1)
        else:
            if self.in_set(j, TELLING_NOUNS) and end - j >= 2 and self.word(j + 1):
                j += 1  # وفق رواية المكلف بالإعلام، بحسب روايات شهود عيان: the teller speaks
                noun = True
            speaker = self.speaker_from_np(j, end, j)
        if speaker is None:
            return
        # a source read from quotes_attribution_nouns / quotes_telling_nouns with no entity of its own is
        # no agent for the statements after it (وفق رواية المكلف بالإعلام، ... مضيفا: the named one goes on)
        noun = noun or self.in_set(j, ATTRIBUTION_NOUNS)
        hit = self.cue_at[i]
        cue_span = self._cue_span(i, hit[1] if hit is not None else 0)
        found = len(self.found)
        self._vouched(i, j, end, sa, sb, cue_span, speaker, cue)
        if len(self.found) > found and not (noun and speaker.entity_id is None):
            self.add_agent(j, speaker)  # ...، وفق مصدر أمني. وأضاف المصدر ذاته: the source goes on

    def _vouched(
        self, i: int, j: int, end: int, sa: int, sb: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue
    ) -> None:
        """The clause an attributive phrase at i (source [j, end)) vouches for: after it (وبحسب X، فإن ...),
        before it (...، بحسب X) or around it (X، وفق Y، Z)."""
        t = self.t
        a = end
        while a < sb and (t.words[a] in _COMMAS or self.norm(a) in _FA_INNA):
            a += 1
        forward = a < sb and (self.is_complementizer(a) or self.norm(a - 1) in _FA_INNA)
        if i - sa <= 1 or forward:  # وبحسب المرصد، فان ... / ...، ووفقا لخبراء الآثار إن السور ...
            if self.norm(a) in BARE_COMPLEMENTIZERS and self.is_complementizer(a):
                a += 1
            if a in t.pair_at_open and not self._is_name_pair(t.pair_at_open[a]):
                kind, s, e, _ = self._direct(t.pair_at_open[a], None)
                self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
                return
            self._emit_clause(a, self._clause_end(a, sb), cue_span, speaker, cue)
        else:
            tail = self._mid_tail(end, sb)
            if tail is None and self._fragment_before(sa, i) and self._words(end, sb) >= 3:
                tail = end  # وتنطلق الحملة وفق ذات القرار يوم 25 نوفمبر: the clause goes on after it
            through = self._clause_end(tail, sb) if tail is not None else None
            self._postposed_clause(i, cue_span, speaker, cue, through)

    def _words(self, a: int, b: int) -> int:
        return sum(1 for k in range(a, b) if self.word(k))

    def _fragment_before(self, sa: int, i: int) -> bool:
        """Only a verb and its subject (three words at most, no marks) stand before the attributive
        phrase at i in its sentence: وستتضمن هذه الإجراءات حسب الوزير ...، ومن بين المشاريع حسب السفير ...
        (corpus train: 6 such fragments had been quotes of their own, none in the gold)."""
        t = self.t
        return self._words(sa, i) <= 3 and not any(t.words[k] in _MARKS for k in range(sa, i))

    def _yield(self, a: int, b: int) -> bool:
        """The quotes over tokens [a, b) give way to the attribution that vouches for the whole clause
        when each is weak: an ambiguous cue with no subject of its own (…تبين أن حالتهما مستقرة، وفقا
        للمصدر ذاته; سيارة نقل … على أنه عون أمن، وفق ما أكده مصدر أمني). Then they are dropped."""
        t = self.t
        lo, hi = t.starts[a], t.ends[b - 1]
        over = [f for f in self.found if f.start < hi and lo < f.end]
        for f in over:
            hit = self.cue_at[t.token_of(f.cue[0])] if f.cue is not None else None
            if (
                hit is None
                or not hit[0].ambiguous
                or (f.speaker is not None and f.speaker.resolution != "anaphoric")
            ):
                return False
        for f in over:
            self.found.remove(f)
            for x in range(t.token_of(f.start), t.token_of(f.end - 1) + 1):
                self.claimed[x] = False
        return True

    def _mid_tail(self, end: int, limit: int) -> int | None:
        """X، وفق ما أفاد به مصدر أمني مراسلنا، Y: where the sentence goes on after the attributive phrase
        (after its closing comma, two words or more that start no new statement), else None."""
        t = self.t
        for k in range(end, min(limit, end + 12)):
            if t.words[k] in _COMMAS:
                m = k + 1
                if m >= limit or self.cue_at[m] is not None or self.norm(m) in CLAUSE_SHIFTERS:
                    return None
                if self.norm(m + 1) in TOPIC_SHIFTERS or self.is_complementizer(m):
                    return None
                words = sum(1 for x in range(m, self._clause_end(m, limit)) if self.word(x))
                return m if words >= 2 else None
            if not self.word(k) or self.is_complementizer(k) or self.is_verb_cue(k, True):
                return None
        return None

    def _source_like(self, a: int, b: int) -> bool:
        t = self.t
        for k in range(a, b):
            if t.ent_at[k] >= 0:
                return True
            if self.in_set(k, PERSON_TITLES) or self.in_set(k, ORG_HEADS) or self.in_set(k, DOC_NOUNS):
                return True
            if k == a and (self.in_set(k, ATTRIBUTION_NOUNS) or self.in_set(k, TELLING_NOUNS)):
                return True  # وحسب المعطيات الأولية فقد ...، بحسب توضيح نشرته "رويترز"
            if self._our_source(k):
                return True
        return False

    def _our_source(self, k: int) -> bool:
        """مراسلنا، مراسلتنا، مصدرنا، مصادرنا: the outlet's own correspondent or source (حسب مراسلنا في
        الجهة، وفقا لمصدرنا من الحماية المدنية); corpus train: 12 of 14 such attributions are gold cues."""
        n = self.norm(k)
        if len(n) < 5 or not n.endswith(FIRST_PERSON_SUFFIX):
            return False
        if n[:1] in LAM_BA and n[1:] in CHANNEL_NOUNS | OUR_SOURCES:
            n = n[1:]
        return n in CHANNEL_NOUNS or n in OUR_SOURCES

    def _postposed_clause(
        self, i: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None, through: int | None = None
    ) -> None:
        """The clause before ، بحسب X / ، كما قال X / ، وفق X in the same sentence; with ``through``, the
        sentence goes on after the phrase and the quote is all of it up to there (X، وفق Y، Z)."""
        t = self.t
        sa = max(t.sentence_span(i)[0], i - 120)
        b = i
        while b > sa and (self.norm(b - 1) in POSTPOSED_PARTICLES or t.words[b - 1] in _COMMAS):
            b -= 1
        if b <= sa or (
            any(self.claimed[x] for x in range(sa, through or b)) and not self._yield(sa, through or b)
        ):
            return  # a quote already covers it: the phrase names the channel, not a new quote
        last = b - 1
        if through is None and t.words[last] in _CLOSERS and t.in_pair[last - 1] >= 0 if last >= 1 else False:
            pair = t.pairs[t.in_pair[last - 1]]
            if pair.close == last and not pair.used and not self._is_name_pair(pair):
                kind, s, e, _ = self._direct(pair, None)  # “...” بحسب X
                self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
                return
        a = sa
        while a < b and not self.word(a) and t.words[a] not in _OPENERS:
            a += 1
        self._emit_clause(a, through or b, cue_span, speaker, cue)

    def _emit_clause(self, a: int, b: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None) -> None:
        if b <= a:
            return
        kind, s, e, _ = self._clause(a, b, None)
        if e > s:
            self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))

    def _cue_span(self, i: int, conj: int) -> tuple[int, int]:
        cut = skip_letters(self.t.words[i], conj) if conj else 0
        return self.t.starts[i] + cut, self.t.ends[i]

    def _fragment_slot(self, k: int, words_seen: int) -> bool:
        """A short quoted fragment is the cue's content only in an object slot: right after the cue or
        its subject, after a preposition (عن “قلقه البالغ”، إلى “...”) or a noun with a pronoun
        (دعوته “...”). Elsewhere (…العضوية "إنوكيم") the marks name something."""
        if words_seen == 0:
            return True
        prev = self.norm(k - 1)
        if prev in PREPOSITIONS or self.t.words[k - 1] in _FRAGMENT_PREPS:
            return True
        return words_seen <= 2 and len(prev) > 3 and self.t.words[k - 1].endswith(THIRD_PERSON_SUFFIXES)

    def _indefinite_before(self, j: int) -> bool:
        """The phrase right before j is indefinite (مسؤول تركي), so a verb after it is a relative clause."""
        k = j - 1
        return k >= 0 and self.word(k) and not has_article(self.norm(k)) and self.t.ent_at[k] < 0

    def _pair_is_apposition(self, pair: _Pair, limit: int) -> bool:
        """A short quoted name right before the complement: بيان ... "يونيسيف" إن ..."""
        k = pair.after
        for _ in range(2):
            if k >= limit:
                return False
            if self.is_complementizer(k) or self.t.words[k] == ":" or k in self.t.pair_at_open:
                return True
            if self.t.words[k] not in _COMMAS:
                return False
            k += 1
        return False

    def _score(
        self, kind: QuoteKind, cue: Cue | None, speaker: _Spk | None, *, attributive: bool = False
    ) -> float:
        """Confidence: direct > mixed > indirect; verb cues > attributive phrases; named, linked speakers
        > descriptions > carried-over speakers > none."""
        score = {"direct": 0.8, "mixed": 0.75, "indirect": 0.7}[kind]
        if attributive:
            score -= 0.15
        if cue is not None and cue.ambiguous:
            score -= 0.05
        if speaker is None:
            score -= 0.3
        elif speaker.resolution == "anaphoric":
            score -= 0.1
        elif speaker.resolution == "nominal":
            score -= 0.05
        if speaker is not None and speaker.entity_id is not None:
            score += 0.1
        if cue is not None and cue.category == "report_neutral" and cue.cls == "verb":
            score += 0.05
        return round(min(0.99, max(0.05, score)), 2)

    def _emit(
        self,
        kind: QuoteKind,
        start: int,
        end: int,
        cue: tuple[int, int] | None,
        speaker: _Spk | None,
        score: float,
    ) -> None:
        text = self.t.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        self.found.append(_Found(kind, start, end, cue, speaker, score, len(self.found)))
