"""A document's text and token offsets, read cheaply by the rule components.

spaCy's ``Doc.text`` is a property that joins every token's text on each access; the three rule
components each need the string. A Doc's text never changes, so it is kept for as long as the Doc
lives (weak keys: nothing outlives its document). Token offsets come from arrays, without a
``Token`` object per token.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """(starts, ends): each token's character offsets in ``doc_text(doc)``."""
    idx = doc.to_array(IDX)
    return idx.tolist(), (idx + doc.to_array(LENGTH)).tolist()
