"""A document's text and token offsets, read cheaply by the rule components.

spaCy's ``Doc.text`` is a property that joins every token's text on each access; the three rule
components each need the string. A Doc's text never changes, so it is kept for as long as the Doc
lives (weak keys: nothing outlives its document). Token offsets come from arrays, without a
``Token`` object per token.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from weakref import WeakKeyDictionary

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from qawl.types import Entity, Mention

from .arabic import normalize

_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()
_WORDS: WeakKeyDictionary[Doc, tuple[list[str], list[str]]] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """(starts, ends): each token's character offsets in ``doc_text(doc)``."""
    idx = doc.to_array(IDX)
    return idx.tolist(), (idx + doc.to_array(LENGTH)).tolist()


def token_words(doc: Doc) -> tuple[list[str], list[str]]:
    """(texts, norms): each token's text and its :func:`~qawl_service.nlp.arabic.normalize` form,
    computed once per Doc (the entity grouper, the ORG lexicon and the formula cut read the same
    tokens; a Doc's tokens never change once made). The lists are shared: callers do not mutate them."""
    found = _WORDS.get(doc)
    if found is None:
        text = doc_text(doc)
        words = [text[a:b] for a, b in zip(*token_offsets(doc), strict=True)]
        found = _WORDS[doc] = (words, [normalize(w) for w in words])
    return found


def mention_tokens(
    entities: Iterable[Entity], starts: list[int], ends: list[int]
) -> Iterator[tuple[int, Mention, int, int]]:
    """(entity index, mention, first token, last token) of each entity mention over a token view
    (``starts``/``ends``: its tokens' offsets); a mention past the last token or between tokens is
    skipped."""
    n = len(starts)
    if not n:
        return
    last = ends[-1]
    for e, ent in enumerate(entities):
        for m in ent.mentions:
            if m.end > last or m.start >= m.end:
                continue
            a = bisect.bisect_right(starts, m.start) - 1
            b = bisect.bisect_left(ends, m.end)
            if a < 0 or b >= n or a > b:
                continue
            yield e, m, a, b


def char_mention(text: str, span: tuple[int, int] | None) -> Mention | None:
    """The mention of the character span ``span`` of ``text`` (None for no span)."""
    if span is None:
        return None
    s, e = span
    return Mention(start=s, end=e, text=text[s:e])
