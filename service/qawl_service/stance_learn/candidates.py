"""Stance candidates from one document's analysis: (holder, target span, context) triples.

Holders are quote speakers and the rule stances' holders; targets are the entity mentions and noun-phrase
chunks inside a quote's content (and the sentence that introduces it), and the rule stances' targets.
Chunks are runs of words between punctuation, function words and finite verbs (``verb_kind``: "حلب
تستهدف جبهة النصرة" gives حلب and جبهة النصرة), extended over one preposition ("الترفيع في حصة تونس"), at
most ``MAX_TARGET`` words: the guideline's targets are noun phrases of 2-6 words, so a candidate never
covers a whole clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from qawl.types import Analysis, Speaker
from qawl_service.nlp.arabic import WORD_CHARS, normalize
from qawl_service.nlp.morphology import (
    ALEF,
    CONJUNCTIONS,
    FUTURE,
    IMPERFECT_PREFIXES,
    IMPERFECT_TA,
    VERB_CLITICS,
)
from qawl_service.nlp.wordclasses import normalized

MAX_TARGET = 6
_norm = lru_cache(maxsize=8192)(normalize)  # holder names, compared many times per document
_word_norm = lru_cache(maxsize=65536)(normalize)  # words recur across documents
_WORD = re.compile(WORD_CHARS + "+")  # Arabic punctuation breaks chunks like its Latin counterparts
_WORD_SPLIT = re.compile("(" + WORD_CHARS + "+)")  # the same words, kept by re.split
_BREAK_PUNCT = re.compile(r"[.,;:!?،؛؟()\[\]{}\"'«»“”‘’\-–—/…]")

# Words that end a chunk: prepositions, conjunctions standing alone, complementizers, relatives,
# negations, demonstratives and pronouns, auxiliaries.
_FUNCTION = normalized(
    "stance_preps",
    "relatives",
    "complementizers",
    "stance_negations",
    "demonstratives",
    "pronoun_subjects",
    "stance_chunk_subordinators",
) | frozenset(
    normalize(w)
    for w in [
        "و",
        "ف",
        "ثم",
        "أو",
        "او",
        "أم",
        "بل",
        "لكن",
        "لكنه",
        "ولكن",
        "قد",
        "لقد",
        "كان",
        "كانت",
        "يكون",
        "تكون",
        "كما",
        "ما",
        "ماذا",
        "لماذا",
        "هل",
        "إذا",
        "اذا",
        "لو",
        "كل",
        "كي",
        "لكي",
        "حيث",
        "عندما",
        "بينما",
        "ان",
        "إن",
        "أن",
        "أنه",
        "نحن",
        "انا",
        "أنا",
        "انت",
        "هم",
        "هن",
        "هما",
        "إنها",
        "انه",
        "انها",
        "ايضا",
        "أيضا",
        "فقط",
        "جدا",
        "الى",
        "على",
        "وفي",
        "ومن",
        "وعلى",
        "والى",
        "وإلى",
        "به",
        "بها",
        "بهم",
        "له",
        "لها",
        "لهم",
        "منه",
        "منها",
        "عليه",
        "عليها",
        "فيه",
        "فيها",
        "عنه",
        "عنها",
        "يجب",
        "لابد",
        "هناك",
        "هنا",
        "الآن",
        "اليوم",
        "امس",
        "أمس",
        "غدا",
    ]
)
# A preposition a chunk may extend over (a noun phrase's complement).
_LINK = frozenset(normalize(w) for w in ["في", "من", "على", "الى", "إلى", "عن", "ل", "ب", "مع", "ضد"])


# Finite verbs (a chunk with one is a clause, not the noun phrase the guideline's targets are): an imperfect
# prefix ي/ت/ن (after و/ف/ل, or the future س after و/ف) on a stem of data/words/stance_verb_stems.txt
# (training/build_verb_stems.py: stems the ANT news text writes as futures and with two imperfect
# prefixes, and the cue tables' imperfect forms).
_VERB_STEMS = normalized("stance_verb_stems")
VERB, VERB_INSIDE = 2, 1  # verb_kind: a verb anywhere; a verb inside a run only


@lru_cache(maxsize=65536)
def verb_kind(w: str) -> int:
    """``VERB`` when the normalized word ``w`` is a finite verb; ``VERB_INSIDE`` when it is one unless it
    starts a run: a ت-form whose stem has the shape of a Form V/VI verbal noun (تفعّل، تفاعل: تجنب،
    تراجع، تواصل), which a target may start with (تجنب الغوص); else 0."""
    for c in ("", *CONJUNCTIONS):
        r = w[len(c) :]
        future = len(r) >= 5 and r[0] == FUTURE and r[1] in IMPERFECT_PREFIXES
        if future and w.startswith(c) and r[2:] in _VERB_STEMS:
            return VERB  # a future: سيواصل، ستستهدف
    for c in VERB_CLITICS:
        r = w[len(c) :]
        if w.startswith(c) and len(r) >= 3 and r[0] in IMPERFECT_PREFIXES and r[1:] in _VERB_STEMS:
            x = r[1:]
            if r[0] == IMPERFECT_TA and (len(x) == 3 or (len(x) == 4 and x[1] == ALEF)):
                return VERB_INSIDE
            return VERB
    return 0


class Token(NamedTuple):
    start: int
    end: int
    norm: str


@dataclass
class Candidate:
    doc_index: int
    holder: str
    holder_label: str | None  # entity label of the holder, when linked
    target_start: int
    target_end: int
    target: str
    ctx_start: int  # the context: the quote content (or the rule stance's evidence)
    ctx_end: int
    quote_kind: str | None
    quote_cue: str | None
    target_label: str | None  # entity label when the target is an entity mention
    source: str  # "entity" | "chunk" | "rule"
    rule_label: str | None = None  # the rule stance's label when the rules proposed an overlapping target
    rule_conf: float = 0.0
    chunk_index: int = 0  # the target's rank among the context's targets
    gold: str = "none"  # favor | against | none (set by labels.py)
    extra: dict[str, str] = field(default_factory=dict)
    # what a stance built from the candidate carries (nlp/stance_learned.py); no feature reads them
    speaker: Speaker | None = None
    quote_id: str | None = None
    # what decode's exclusions read (model.excluded); no feature reads them either
    holder_spans: tuple[tuple[int, int], ...] = ()  # the holder's own mentions (its entity's, the speaker's)
    in_speaker_phrase: bool = False  # a sentence holder inside another speaker's phrase (model.title_holder)
    in_quoted_content: bool = False  # a sentence holder inside another speaker's quote (model.quoted_holder)
    content: tuple[int, int] | None = None  # the quote's content, for a quote's candidate
    cue_span: tuple[int, int] | None = None  # the quote's cue, for a quote's candidate
    # whether the context holds a favor or against word of the stance cue table (model.admitted, stop 26)
    evaluative: bool = True


_DEMONSTRATIVES = normalized("demonstratives")


@lru_cache(maxsize=8192)
def definite_holder(name: str) -> bool:
    """Whether a holder phrase is a definite description: its first word carries the article (الموقعون،
    الضابط) or is the head of a definite genitive (أهالي الجهة، نائب رئيس الحركة), and is no demonstrative
    (هذه الزيادة). An indefinite phrase is an anonymous source or no holder at all (مسؤولا عسكريا روسيا،
    تقارير إعلامية موازية، مقبرة جماعية تضم)."""
    words = [_word_norm(m.group()) for m in _WORD.finditer(name)]
    if not words or words[0] in _DEMONSTRATIVES:
        return False
    return words[0].startswith("ال") or (len(words) > 1 and words[1].startswith("ال"))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(*m.span(), _word_norm(m.group())) for m in _WORD.finditer(text, start, end)]


class Tokens:
    """The tokens of a whole text (``tokenize``) as parallel lists (``starts``, ``ends``, ``norms``), with
    the tokens of any span of it read from them. One ``re.split`` of the text: its pieces alternate
    between the gaps and the words, so the running sum of their lengths gives the words' offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        pieces = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
        offsets = list(accumulate(map(len, pieces)))
        self.starts: list[int] = offsets[:-1:2]
        self.ends: list[int] = offsets[1::2]
        self.norms: list[str] = list(map(_word_norm, pieces[1::2]))

    @property
    def tokens(self) -> list[Token]:
        return list(map(Token, self.starts, self.ends, self.norms))

    def index(self, offset: int) -> int:
        """The first token that starts at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def span(self, start: int, end: int) -> list[Token]:
        """``tokenize(text, start, end)``: the tokens inside the span, a word the span cuts cut alike (a
        token is a maximal run of word characters, so the runs of the span are the text's runs cut to it)."""
        if end <= start:
            return []
        starts, ends = self.starts, self.ends
        i = bisect_right(starts, start) - 1
        if i < 0 or ends[i] <= start:
            i += 1
        j = bisect_left(starts, end)
        out = list(map(Token, starts[i:j], ends[i:j], self.norms[i:j]))
        if out:
            for k in {0, len(out) - 1}:
                t = out[k]
                if t.start < start or t.end > end:
                    a, b = max(t.start, start), min(t.end, end)
                    out[k] = Token(a, b, normalize(self.text[a:b]))
        return out


_BREAK = -1


@lru_cache(maxsize=65536)
def _chunk_kind(w: str) -> int:
    """What a normalized word is to the chunker: ``_BREAK`` (a function word or a one-letter token), else
    its ``verb_kind``."""
    if w in _FUNCTION or len(w) < 2:
        return _BREAK
    return verb_kind(w)


def _broken(text: str, a: Token, b: Token) -> bool:
    return bool(_BREAK_PUNCT.search(text, a.end, b.start))


def chunks(text: str, start: int, end: int, tokens: Tokens | None = None) -> list[tuple[int, int]]:
    """Noun-phrase-like spans (char offsets) in text[start:end] (``tokens``: the text's, when at hand)."""
    toks = tokens.span(start, end) if tokens is not None else tokenize(text, start, end)
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, (t, kind) in enumerate(zip(toks, map(_chunk_kind, [t.norm for t in toks]), strict=True)):
        if kind == _BREAK:
            if cur:
                runs.append(cur)
            cur = []
            continue
        if cur and _broken(text, toks[cur[-1]], t):
            runs.append(cur)
            cur = []
        if kind and (kind == VERB or cur):
            if cur:  # a finite verb ends the noun phrase before it (its subject) ...
                runs.append(cur)
            cur = []  # ... and the one after it (its object) starts anew
            continue
        cur.append(i)
    if cur:
        runs.append(cur)
    out: list[tuple[int, int]] = []
    for k, run in enumerate(runs):
        base = run[:MAX_TARGET]
        out.append((toks[base[0]].start, toks[base[-1]].end))
        # extended over one linking preposition into the next run
        nxt = runs[k + 1] if k + 1 < len(runs) else None
        linked = bool(nxt) and nxt[0] == run[-1] + 2 and toks[run[-1] + 1].norm in _LINK  # type: ignore[index]
        if nxt and linked and not _broken(text, toks[run[-1]], toks[nxt[-1]]):
            span = [*run, run[-1] + 1, *nxt]
            if len(span) <= MAX_TARGET + 1:
                out.append((toks[span[0]].start, toks[span[-1]].end))
        # a long run also gives its head pair (الترفيع في ... -> first two words)
        if len(run) > 2:
            out.append((toks[run[0]].start, toks[run[1]].end))
        if LONG_RUN_SPLITS and len(run) > MAX_TARGET:
            for a, b in _long_run_parts(run, toks):
                out.append((toks[a].start, toks[b].end))
    return out


# A run longer than MAX_TARGET words is cut to its first MAX_TARGET: the noun phrase at its end is lost
# ("العاصمة بيرن استعداد بلاده لتسوية ملف الأملاك التونسية المجمدة", "حزب العدالة والتنمية مدعوما بحزب
# الحركة القومية لإقرار التعديلات"). Such a run also gives the parts that start at a word with a
# preposition or conjunction prefix (ب، ل، و، ف: the object of a verbal noun, a list's next item), up to
# MAX_TARGET words, and its last MAX_TARGET words (stop 24, docs/stance.md).
LONG_RUN_SPLITS = True
_PREFIXES = ("ب", "ل", "و", "ف")


def _long_run_parts(run: list[int], toks: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token indices of the parts of a long run (``LONG_RUN_SPLITS``)."""
    starts = [
        k for k in range(1, len(run)) if len(toks[run[k]].norm) > 3 and toks[run[k]].norm[0] in _PREFIXES
    ]
    starts.append(len(run) - MAX_TARGET)
    parts = {(run[k], run[min(k + MAX_TARGET, len(run)) - 1]) for k in starts if k > 0}
    return sorted(parts)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


_SENT_END = re.compile(r"[.!?؟\n]")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from the last sentence end before start to the next one after it."""
    a = max(
        (m.end() for m in _SENT_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400)
    )
    m = _SENT_END.search(text, end)
    return a, (m.start() if m else len(text))


def candidates(
    doc_index: int,
    text: str,
    analysis: Analysis,
    *,
    with_chunks: bool = True,
    sentence_context: bool = True,
    entity_holders: bool = True,
    tokens: Tokens | None = None,
) -> list[Candidate]:
    """``tokens``: the text's (``Tokens(text)``), when the caller has them: the chunks read their spans
    from them instead of tokenizing each span again."""
    entities = list(analysis.entities or [])
    label_of = {e.id: e.label for e in entities}
    mentions = [(m.start, m.end, e.label, e.name, e.id, m) for e in entities for m in e.mentions]
    stances = list(analysis.stances or [])
    out: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()

    labels: dict[tuple[int, int], str | None] = {}
    chunked: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def chunks_of(a: int, b: int) -> list[tuple[int, int]]:
        """``chunks`` of text[a:b], once per span (quotes of one sentence share their context)."""
        if (a, b) not in chunked:
            chunked[(a, b)] = chunks(text, a, b, tokens)
        return chunked[(a, b)]

    by_start = sorted(range(len(mentions)), key=lambda k: mentions[k][0])
    starts = [mentions[k][0] for k in by_start]
    longest = max((mb - ma for ma, mb, *_ in mentions), default=0)

    def chunk_label(a: int, b: int) -> str | None:
        """The label of the first entity mention (in ``mentions`` order) overlapping [a, b), looked up among
        the mentions that start in [a - longest + 1, b) (chunks recur across quotes: once per chunk)."""
        if (a, b) not in labels:
            near = by_start[bisect_left(starts, a - longest + 1) : bisect_left(starts, b)]
            first = min((k for k in near if mentions[k][1] > a), default=None)
            labels[(a, b)] = None if first is None else mentions[first][2]
        return labels[(a, b)]

    person_ends = sorted(mb for _, mb, ml, *_ in mentions if ml == "PER")
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for ma, mb, _, _, eid, _ in mentions:
        spans_of.setdefault(eid, []).append((ma, mb))

    def own_spans(sp: Speaker | None) -> tuple[tuple[int, int], ...]:
        """The holder's own mentions: its entity's and the speaker mention (model.holder_in_target)."""
        if sp is None:
            return ()
        out_ = list(spans_of.get(sp.entity_id or "", ()))
        if sp.mention is not None:
            out_.append((sp.mention.start, sp.mention.end))
        return tuple(out_)

    def person_run(a: int, b: int) -> bool:
        """A chunk with a person's name that does not end it is a list of people or a clause with its
        subject (دي ميستورا ومنسق المعارضة السورية رياض، كيري رفض تأكيدات روسيا), never the noun phrase a
        stance is about (seeds, tests/data dev: the learned step's garbage targets). Quote chunks only:
        the same cut on the sentence holders' chunks measured corpus dev combined 0.208 against 0.216."""
        k = bisect_right(person_ends, a)  # the first person's name that ends after a
        return k < len(person_ends) and person_ends[k] < b

    target_norms: dict[tuple[int, int], str] = {}

    def target_norm(a: int, b: int) -> str:
        if (a, b) not in target_norms:
            target_norms[(a, b)] = _norm(text[a:b])
        return target_norms[(a, b)]

    def admit(holder: str, a: int, b: int, source: str) -> bool:
        """Whether a candidate of ``holder`` (its ``_norm``; a blank holder has none) and target [a, b) is
        new (and a target, for a chunk); the caller then builds and appends it (most chunks recur for the
        same holder: built only once)."""
        if source == "chunk" and person_run(a, b):
            return False
        if source != "rule" and holder and holder in target_norm(a, b):
            return False  # a target that names its own holder (تقارير إعلامية ... against تقارير إعلامية ...)
        key = (holder, a, b)
        if key in seen:
            return False
        seen.add(key)
        return True

    add = out.append
    for s in stances:
        m = s.target.mention
        t0, t1 = (m.start, m.end) if m else (s.evidence.start, s.evidence.end)
        if not s.holder.name.strip() or not admit(_norm(s.holder.name), t0, t1, "rule"):
            continue
        add(
            Candidate(
                doc_index,
                s.holder.name,
                label_of.get(s.holder.entity_id or ""),
                t0,
                t1,
                s.target.text,
                s.evidence.start,
                s.evidence.end,
                None,
                s.cue.text if s.cue else None,
                label_of.get(s.target.entity_id or ""),
                "rule",
                s.label,
                s.confidence,
                speaker=s.holder,
                quote_id=s.quote_id,
                holder_spans=own_spans(s.holder),
            )
        )
    for q in analysis.quotes or []:
        if not q.speaker or not q.speaker.name.strip():
            continue
        holder, hlabel = q.speaker.name, label_of.get(q.speaker.entity_id or "")
        hkey = _norm(holder)
        c0, c1 = q.content.start, q.content.end
        if sentence_context:
            c0, c1 = sentence_bounds(text, min(c0, q.cue.start if q.cue else c0), c1)
        spans: list[tuple[int, int, str, str | None]] = [
            (a, b, "entity", lab) for a, b, lab, *_ in mentions if c0 <= a and b <= c1
        ]
        if with_chunks:
            spans += [(a, b, "chunk", None) for a, b in chunks_of(c0, c1)]
        spans.sort(key=lambda x: (x[0], -x[1]))
        for rank, (a, b, src, lab) in enumerate(spans):
            if not admit(hkey, a, b, src):
                continue
            if src == "chunk":
                lab = chunk_label(a, b)
            add(
                Candidate(
                    doc_index,
                    holder,
                    hlabel,
                    a,
                    b,
                    text[a:b],
                    c0,
                    c1,
                    q.kind,
                    q.cue.text if q.cue else None,
                    lab,
                    src,
                    chunk_index=rank,
                    speaker=q.speaker,
                    quote_id=q.id,
                    holder_spans=own_spans(q.speaker),
                    content=(q.content.start, q.content.end),
                    cue_span=(q.cue.start, q.cue.end) if q.cue else None,
                )
            )
    if entity_holders:
        # sentences with a quote or a rule stance: their PER/ORG mentions are holders of the sentence's chunks
        sents = {sentence_bounds(text, q.content.start, q.content.start + 1) for q in analysis.quotes or []}
        sents |= {sentence_bounds(text, s.evidence.start, s.evidence.start + 1) for s in stances}
        # each quote's speaker phrase: from its cue to its content (دعا الأمين العام للأمم المتحدة بان كي
        # مون X إلى ...، أدان السفير X مندوب اليمن لدى جامعة الدول العربية الممارسات), or to the sentence's
        # end when the content comes first; the other entities in it describe the speaker
        phrases: list[tuple[int, int, str | None, tuple[int, int]]] = []
        for q in analysis.quotes or []:
            if q.cue is None or q.speaker is None:
                continue
            z0, z1 = q.cue.end, q.content.start
            if z1 < z0:
                z1 = sentence_bounds(text, q.cue.start, q.cue.end)[1]
            sm = q.speaker.mention
            phrases.append((z0, z1, q.speaker.entity_id, (sm.start, sm.end) if sm else (z0, z0)))
        # each quote's content with its speaker: an entity named in it is the speaker's words, not a holder
        # of the sentence (السلطات الإسلامية in another speaker's quote)
        contents = [
            (q.content.start, q.content.end, q.speaker.entity_id if q.speaker else None)
            for q in analysis.quotes or []
        ]
        for s0, s1 in sorted(sents):
            holders = [
                (a, b, lab, name, eid, m)
                for a, b, lab, name, eid, m in mentions
                if s0 <= a and b <= s1 and lab in ("PER", "ORG")
            ]
            sent_spans = chunks_of(s0, s1) if with_chunks else []
            zones = [z for z in phrases if s0 <= z[0] < s1]
            for h0, h1, hlab, hname, hid, hm in holders:
                if not hname.strip():
                    continue
                inside = any(
                    z0 <= h0 and h1 <= z1 and hid != zid and (h0, h1) != sm for z0, z1, zid, sm in zones
                )
                quoted = any(q0 <= h0 and h1 <= q1 and hid != qid for q0, q1, qid in contents)
                hkey = _norm(hname)
                for rank, (a, b) in enumerate(sent_spans):
                    if _overlaps(a, b, h0, h1) or not admit(hkey, a, b, "sentence"):
                        continue
                    lab = chunk_label(a, b)
                    add(
                        Candidate(
                            doc_index,
                            hname,
                            hlab,
                            a,
                            b,
                            text[a:b],
                            s0,
                            s1,
                            None,
                            None,
                            lab,
                            "sentence",
                            chunk_index=rank,
                            speaker=Speaker(name=hname, entity_id=hid, mention=hm, resolution="explicit"),
                            holder_spans=tuple(spans_of.get(hid, ())),
                            in_speaker_phrase=inside,
                            in_quoted_content=quoted,
                        )
                    )

    # the rules' opinion on every candidate: an overlapping target of a rule stance with the same holder
    rule_targets = [(_norm(s.holder.name), s) for s in stances if s.target.mention]
    for c in out:
        if c.source == "rule" or not rule_targets:
            continue
        h = _norm(c.holder)
        for sh, s in rule_targets:
            m = s.target.mention
            if (
                m and sh == h and _overlaps(c.target_start, c.target_end, m.start, m.end)
            ) and s.confidence > c.rule_conf:
                c.rule_label, c.rule_conf = s.label, s.confidence
    _mark_evaluative(out, tokens or Tokens(text))
    return out


def _mark_evaluative(cands: list[Candidate], tokens: Tokens) -> None:
    """``Candidate.evaluative`` of each candidate: a word of its context hits a favor or against row of the
    stance cue table (``features.cue_hits``), once per context."""
    from .features import cue_hits  # features imports this module

    seen: dict[tuple[int, int], bool] = {}
    for c in cands:
        key = (c.ctx_start, c.ctx_end)
        got = seen.get(key)
        if got is None:
            words = tokens.norms[tokens.index(c.ctx_start) : tokens.index(c.ctx_end)]
            got = seen[key] = any(
                h.endswith((":favor", ":against")) and not h.startswith("lemma:")
                for w in words
                for h in cue_hits(w)
            )
        c.evaluative = got
