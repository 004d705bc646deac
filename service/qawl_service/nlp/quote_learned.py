"""Quotes from the learned roles (``qawl_quote_roles``), merged with the rules' quotes.

The roles are char spans: the first token of a content (labelled DIRECT / INDIRECT / MIXED), CUE
and SPEAKER. A content start becomes a quote whose end the rules find (the closing mark, or the end
of the reported clause), with the cue nearest to it in its sentence and the speaker phrase nearest to
that cue, resolved by the same phrase machinery as the rules' speakers (entities, titles,
descriptions); without a speaker phrase the speaker is implicit (the agent stack, as for وأضاف).
Modes (docs/quotes.md, the ablation): ``rules`` ignores the roles, ``learned`` keeps only quotes
from the roles, ``combined`` takes the learned quotes with the rules' speaker where the rules found
the same quote, and adds the rules' quotes the roles missed.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Literal

from qawl.types import QuoteKind

from .arabic import skip_letters
from .morphology import has_article
from .quote_text import _MARKS, _Found, _Spk, _Text

if TYPE_CHECKING:
    from .quotes import _Extractor

Mode = Literal["rules", "learned", "combined"]
Role = tuple[str, int, int]  # label, start char, end char

_KINDS: dict[str, QuoteKind] = {"DIRECT": "direct", "INDIRECT": "indirect", "MIXED": "mixed"}


def _nearest(spans: list[tuple[int, int]], a: int, b: int) -> tuple[int, int] | None:
    """The span closest to [a, b), one before it winning a tie (reporting verbs come first)."""
    best: tuple[int, int] | None = None
    best_d = 0
    for s, e in spans:
        d = (a - e) if e <= a else (s - b + 1) if s >= b else 0
        if best is None or d < best_d:
            best, best_d = (s, e), d
    return best


def _content(ex: _Extractor, a: int, stop: int, label: str = "DIRECT") -> tuple[QuoteKind, int, int] | None:
    """The content that starts at token ``a``: a quoted span when a mark opens it, else the reported
    clause up to its end as the rules find it (sentence end, a new cue, an attribution) and before
    ``stop`` (where the next learned quote's cue or content starts). A span labelled MIXED that opens
    with marks is the clause when it goes on right after them (إن "تلاعبا" وقع في ملف زروق)."""
    t = ex.t
    opens = False  # a mark opens a clause that goes on after it
    for o in (a - 1, a):
        pair = t.pair_at_open.get(o)
        if pair is not None and not pair.used and not ex._is_name_pair(pair):
            if label == "MIXED" and pair.after < min(stop, t.n) and ex.word(pair.after):
                a, opens = o, True
                break
            kind, start, end, _ = ex._direct(pair, None)
            return kind, start, end
    if t.words[a] in _MARKS and not opens:
        return None
    if t.in_pair[a] >= 0 and ex._is_name_pair(t.pairs[t.in_pair[a]]):
        return None  # a start inside a name in marks (موقع "فلايت رادار 24")
    kind, start, end, _ = ex._clause(a, ex._clause_end(a, min(stop, t.sentence_span(a)[1])), None)
    return (kind, start, end) if end > start else None


def _next_quote(t: _Text, cue_tokens: list[int], starts: list[int], a: int) -> int:
    """Where the next learned quote of the sentence begins: the CUE role before the next content start
    that has one after ``a`` (``t.n`` when there is none). A later start with no cue role between it and
    ``a`` is no boundary: the rules' clause end decides there, and the start is claimed when the
    clause runs over it (مطالبين [السلط المسؤولة] [بإيجاد حلول]، أن [الادارة تعنتت ورفضت فتح باب]
    [التفاوض ...] had been cut in two; corpus train: 15 spurious quotes fewer). ``cue_tokens``: the
    sentence's CUE roles."""
    k = bisect.bisect_right(starts, a)
    while k < len(starts) and t.sent[starts[k]] == t.sent[a]:
        nxt = starts[k]
        cue = max((c for c in cue_tokens if a < c < nxt), default=None)
        if cue is not None:
            return cue
        k += 1
    return t.n


def add_learned(ex: _Extractor, roles: list[Role], mode: Mode) -> None:
    """Replace ``ex.found`` (the rules' quotes) by the quotes of the learned content starts, merged
    with the rules' quotes as ``mode`` says."""
    t = ex.t
    if t.n == 0:
        return
    rules = list(ex.found)
    ex.found.clear()
    ex.claimed[:] = [False] * t.n
    for pair in t.pairs:
        pair.used = False
    limit = t.ends[-1]  # the text the rules read (the boilerplate cut)
    located = [(label, s, e, t.token_of(s)) for label, s, e in roles if e <= limit]
    by_sent: dict[str, dict[int, list[tuple[int, int]]]] = {"CUE": {}, "SPEAKER": {}}
    cue_tokens: dict[int, list[int]] = {}
    for label, s, e, k in located:
        if label in by_sent:
            by_sent[label].setdefault(t.sent[k], []).append((s, e))
        if label == "CUE":
            cue_tokens.setdefault(t.sent[k], []).append(k)
    starts = sorted(k for label, _s, _e, k in located if label in _KINDS)
    for label, _s, _e, a in located:
        if label not in _KINDS or ex.claimed[a]:
            continue
        content = _content(ex, a, _next_quote(t, cue_tokens.get(t.sent[a], []), starts, a), label)
        if content is None:
            continue
        kind, start, end = content
        sent = t.sent[a]
        first = t.sentence_span(a)[0]
        cue_span = _nearest(by_sent["CUE"].get(sent, []), start, end)
        spk_span = _nearest(by_sent["SPEAKER"].get(sent, []), *(cue_span or (start, end)))
        cue_tok = t.token_of(cue_span[0]) if cue_span else a
        hit = ex.cue_at[cue_tok] if cue_span else None
        cue = hit[0] if hit else None
        speaker: _Spk | None = None
        if spk_span is not None:
            sa, sb = t.token_of(spk_span[0]), t.token_of(spk_span[1] - 1) + 1
            speaker = ex.speaker_from_np(sa, ex.speaker_end(sa, sb), sa)
        elif cue is not None and cue.cls != "participle":
            # the rules' reading of the cue's subject (VSO, then SVO); a circumstantial participle has none
            # (مطالبين السلطات بإيجاد حلول: the noun after it is its object), as in the rules: its subject is
            # the sentence's (the implicit reading below; corpus train: strict speaker +3 quotes)
            if cue_tok < a:
                speaker = ex._subject_after(cue_tok, a)[0]
            if speaker is None:
                speaker = ex._subject_before(cue_tok, first, cue)
        elif cue is None and cue_span is not None and cue_tok < a and not has_article(t.norms[cue_tok]):
            # a CUE role on a verb the cue inventory lacks (اكتشف أعضاء الفريق، وأنكر الشاب، واستغربت
            # النقابة): its subject after it, read as for a known verb, before the implicit one (corpus
            # train: strict speaker +3 quotes, one more found)
            speaker = ex._subject_after(cue_tok, a)[0]
        speaker = ex._outside(speaker, start, max(a, cue_tok), cue) if speaker is not None else None
        if speaker is not None:
            ex.add_agent(cue_tok, speaker)
        else:  # the sentence's subject up to the content (or the cue after it), else earlier
            speaker = ex._implicit(max(a, cue_tok), cue, cue_tok if cue_span else None)
        if cue is not None and kind != "direct" and start == t.starts[a]:
            governed = ex._governed(a, cue)  # طالب بتدخل السلط: the content starts after the preposition
            if governed is not None and governed[1]:
                start += skip_letters(t.words[a], governed[1])
        if cue_span is None or speaker is None:
            # no cue role in the sentence, or no speaker anywhere: mostly narration (corpus dev: dropping
            # the speakerless F1 +0.002, speaker +0.012; the cueless F1 +0.002, seeds F1 +0.031)
            continue
        score = ex._score(kind, cue, speaker)
        ex.found.append(_Found(kind, start, end, cue_span, speaker, score, len(ex.found), "learned"))
    if mode == "learned":
        return
    # combined: the learned span wins an overlap (dev precision 0.95 against the rules' 0.91), but
    # the rules' speaker, cue and confidence stay when they found one (dev speaker accuracy 0.87
    # against 0.79); the rules' quotes the roles missed are added.
    learned = list(ex.found)
    for f in learned:
        over = next((r for r in rules if r.start < f.end and f.start < r.end), None)
        if over is not None:
            f.origin = "both"
        if over is not None and over.speaker is not None:
            f.speaker, f.cue, f.score = over.speaker, over.cue, over.score
    for r in rules:
        if not any(r.start < f.end and f.start < r.end for f in learned):
            r.order = len(ex.found)
            ex.found.append(r)
    for f in ex.found:
        at = t.token_of(f.cue[0]) if f.cue else t.token_of(f.start)
        hit = ex.cue_at[at] if f.cue else None
        f.speaker = ex._before_content(f.speaker, f.start, at, hit[0] if hit else None)
