"""``doc.text`` built once per document for all rule components.

spaCy's ``Doc.text`` is a property that joins every token's text on each access; the three rule
components each need the string. A Doc's text never changes, so it is kept for as long as the Doc
lives (weak keys: nothing outlives its document).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc

_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text
