"""One segmentation for every component: sentences and site boilerplate.

The ``qawl_segmenter`` pipe sets ``token.is_sent_start`` (so ``doc.sents`` works) and puts the site
furniture at the end of an article ("حول الموقع", "رابط الخبر", donation appeals) in the span group
``doc.spans["boilerplate"]``. Quotes, stance and every later component read these two; none splits
sentences or cuts boilerplate on its own.

Sentence rules: a paragraph break (a newline) or . ! ؟ ? … outside parentheses end a sentence;
a closing quote mark or bracket glued to the full stop stays with it (…سياسته.”); a full stop glued
to a single letter is an abbreviation (د. محمد). A semicolon does not end a sentence: the guideline
reads a reported clause across it.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple, cast

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.types import Ints2d

from . import wordclasses
from .doctext import doc_text, token_offsets
from .rulepipe import RulePipe

BOILERPLATE = "boilerplate"
SENT_END = frozenset({".", "!", "؟", "?", "…"})
_GLUED_CLOSERS = frozenset({"”", "»", '"', ")", "’"})
_PAREN_RESET = 200  # an open parenthesis farther back than this (characters) no longer holds a sentence


# The site furniture after an article, by its markers (word classes boilerplate_*): a marker line
# anywhere ends the article; the weaker markers only in its second half.
def _phrases(name: str, after: str = "") -> list[str]:
    return [re.escape(" ".join(p)) + after for p in wordclasses.phrases(name)]


_LINE_SPACE = r"[ \t\u00a0]*"
_END_MARKS = [r"//\s*" + re.escape(w) for w in wordclasses.words("boilerplate_end_words")]  # // انتهى //
_LINES = _phrases("boilerplate_headings") + [m + r"\s*//" for m in _END_MARKS]
_LINE_STARTS = (
    _phrases("boilerplate_headings")
    + _phrases("boilerplate_prompts")
    + _phrases("boilerplate_prompt_verbs", " ")
    + _END_MARKS
)
_ANYWHERE = _phrases("boilerplate_source_links")
_BOILERPLATE_LINE_RE = re.compile(
    "(?m)^" + _LINE_SPACE + "(?:" + "|".join(_LINES) + ")" + _LINE_SPACE + "$|" + "|".join(_ANYWHERE)
)
_BOILERPLATE_RE = re.compile(
    "(?m)^"
    + _LINE_SPACE
    + "(?:"
    + "|".join(_LINE_STARTS)
    + ")|"
    + "|".join(_ANYWHERE + _phrases("boilerplate_link_labels", r"\s*:"))
)


def boilerplate_start(text: str) -> int:
    """Where the site furniture after the article starts (``len(text)`` when there is none)."""
    strong = _BOILERPLATE_LINE_RE.search(text)
    weak = _BOILERPLATE_RE.search(text, len(text) // 2)
    return min(m.start() if m else len(text) for m in (strong, weak))


def _sentence_starts(doc: Doc, limit: int) -> list[bool]:
    """Per token: does a sentence start here (space tokens never start one). Reads the token
    offsets as arrays and slices the text: no Token object per token."""
    text = doc_text(doc)
    starts_at, ends_at = token_offsets(doc)
    n = len(starts_at)
    out = [False] * n
    new = True  # the next word token starts a sentence
    depth = 0
    paren_at = 0
    prev = -1  # the previous word token
    i = 0
    while i < n:
        a, b = starts_at[i], ends_at[i]
        w = text[a:b]
        if w.isspace():
            if "\n" in w:
                new, depth = True, 0
            i += 1
            continue
        if a >= limit and (prev < 0 or starts_at[prev] < limit):
            new, depth = True, 0  # the boilerplate is a sentence of its own
        if new:
            out[i] = True
            new = False
        if w == "(":
            depth, paren_at = depth + 1, a
        elif w == ")":
            depth = max(0, depth - 1)
        elif depth and a - paren_at > _PAREN_RESET:
            depth = 0
        if (w in SENT_END or w.startswith("..")) and depth == 0:
            glued_letter = (
                w == "."
                and prev >= 0
                and ends_at[prev] == a
                and ends_at[prev] - starts_at[prev] == 1
                and text[starts_at[prev]].isalpha()
            )
            if not glued_letter:
                j = i + 1
                while (
                    j < n
                    and ends_at[j - 1] == starts_at[j]
                    and text[starts_at[j] : ends_at[j]] in _GLUED_CLOSERS
                ):
                    j += 1
                prev, i, new = j - 1, j, True
                continue
        prev = i
        i += 1
    if n:
        out[0] = True
    return out


def segment(doc: Doc) -> Doc:
    """Set sentence starts and the boilerplate span group on ``doc``."""
    text = doc_text(doc)
    limit = boilerplate_start(text)
    if len(doc):
        # One array write: setting token.is_sent_start checks the whole Doc each time (quadratic).
        starts = numpy.array([1 if s else -1 for s in _sentence_starts(doc, limit)], dtype="int32")
        doc.from_array([SENT_START], cast(Ints2d, starts.reshape(-1, 1).astype("uint64")))
    group: list[Span] = []
    if limit < len(text):
        first = bisect.bisect_left(token_offsets(doc)[0], limit)
        if first < len(doc):
            group.append(doc[first:])
    doc.spans[BOILERPLATE] = group
    return doc


class Segmentation(NamedTuple):
    """What the rule components read: sentence start characters and the article's end."""

    sent_starts: list[int]
    limit: int

    def sentence_of(self, char: int) -> int:
        return max(bisect.bisect_right(self.sent_starts, char) - 1, 0)

    def sentences_of(self, chars: list[int]) -> list[int]:
        """``sentence_of`` of each offset, in one numpy search (the rule views ask it for every token)."""
        found = numpy.searchsorted(numpy.asarray(self.sent_starts, dtype=numpy.int64), chars, side="right")
        return numpy.maximum(found - 1, 0).tolist()  # type: ignore[no-any-return]


def segmentation(doc: Doc) -> Segmentation:
    """The segmentation of ``doc`` (computed without changing it when the segmenter has not run)."""
    if BOILERPLATE not in doc.spans or not doc.has_annotation("SENT_START"):
        text = doc_text(doc)
        limit = boilerplate_start(text)
        starts = _sentence_starts(doc, limit)
        return Segmentation([t.idx for t, s in zip(doc, starts, strict=True) if s], limit)
    group = doc.spans[BOILERPLATE]
    limit = group[0].start_char if len(group) else len(doc_text(doc))
    # ``doc.sents`` without a Span per sentence: a sentence starts at token 0 and at each later token
    # whose SENT_START is 1 (what ``Doc.sents`` yields)
    if not len(doc):
        return Segmentation([], limit)
    arr = doc.to_array([SENT_START, IDX])
    firsts = numpy.flatnonzero(arr[1:, 0] == 1) + 1
    return Segmentation([int(arr[0, 1]), *arr[firsts, 1].tolist()], limit)


_BLANK: list[Language] = []


def segment_text(text: str) -> Segmentation:
    """Segment a bare string with the pipeline's own tokenizer (for callers without a Doc)."""
    if not _BLANK:
        from .language import blank_pipeline

        _BLANK.append(blank_pipeline())
    return segmentation(_BLANK[0].make_doc(text))


class Segmenter(RulePipe):
    """spaCy component: ``token.is_sent_start`` and ``doc.spans["boilerplate"]``."""

    def __init__(self, nlp: Language, name: str = "qawl_segmenter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return segment(doc)


@Language.factory("qawl_segmenter")
def make_segmenter(nlp: Language, name: str) -> Segmenter:
    return Segmenter(nlp, name)
