"""``qawl_quote_roles``: the learned quote roles (docs/quotes.md, issue 19).

A token tagger trained on the Qawl News Corpus (``training/quote_roles.cfg``) that marks, for every
quote, the token its content starts with (labelled DIRECT, INDIRECT or MIXED), its cue (CUE) and a
speaker named in its own clause (SPEAKER). Tags are B-/I- + role; the component decodes them into
``doc.spans["quote_roles"]`` and sets no ``token.tag`` (nothing else in the pipeline tags).

A tagger, not spaCy's transition-based recognizer: the roles are starts and short phrases, and the
recognizer's per-token state machine cost as much as the tok2vec under it (docs/quotes.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import Tagger
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry
from thinc.api import Model

KEY = "quote_roles"
CONTENT = ("DIRECT", "INDIRECT", "MIXED")
OUTSIDE = "O"


def decode(doc: Doc, tags: Iterable[str]) -> list[Span]:
    """Spans from B-/I- tags: a B- starts a role, I- of the same role continues it, anything else
    ends it (a stray I- starts one)."""
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, OUTSIDE]):
        prefix, _, role = tag.partition("-")
        if start >= 0 and not (prefix == "I" and role == label):
            spans.append(Span(doc, start, i, label=label))
            start = -1
        if start < 0 and prefix in ("B", "I") and role:
            start, label = i, role
    return spans


def encode(doc: Doc, spans: Iterable[Span]) -> list[str]:
    """The tags of non-overlapping role spans."""
    tags = [OUTSIDE] * len(doc)
    for s in spans:
        tags[s.start] = f"B-{s.label_}"
        for i in range(s.start + 1, s.end):
            tags[i] = f"I-{s.label_}"
    return tags


class QuoteRoles(Tagger):  # type: ignore[misc]
    def set_annotations(self, docs: Iterable[Doc] | Doc, batch_tag_ids: Any) -> None:
        batch = [docs] if isinstance(docs, Doc) else list(docs)
        labels = self.labels
        for doc, ids in zip(batch, batch_tag_ids, strict=True):
            ids = ids.get() if hasattr(ids, "get") else ids
            doc.spans[KEY] = decode(doc, (labels[int(k)] for k in ids))


@registry.scorers("qawl.quote_roles_scorer.v1")  # type: ignore[untyped-decorator]
def make_scorer() -> Callable[..., dict[str, Any]]:
    def getter(doc: Doc, attr: str) -> Iterable[Span]:
        return list(doc.spans[KEY]) if KEY in doc.spans else []

    def score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return Scorer.score_spans(examples, KEY, getter=getter, has_annotation=None, **kwargs)

    return score


@Language.factory(
    "qawl_quote_roles",
    default_config={"scorer": {"@scorers": "qawl.quote_roles_scorer.v1"}, "label_smoothing": 0.0},
)
def make_quote_roles(
    nlp: Language,
    name: str,
    model: Model[Any, Any],
    scorer: Callable[..., dict[str, Any]] | None,
    label_smoothing: float,
) -> QuoteRoles:
    return QuoteRoles(
        nlp.vocab, model, name=name, overwrite=False, scorer=scorer, label_smoothing=label_smoothing
    )
