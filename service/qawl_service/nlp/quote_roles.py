"""``qawl_quote_roles``: the learned quote roles (docs/quotes.md, issue 19).

A transition-based span tagger (spaCy's entity recognizer) trained on the Qawl News Corpus
(``training/quote_roles.cfg``) that marks, for every quote, its content (labelled DIRECT, INDIRECT
or MIXED), its cue (CUE) and a speaker named in its own clause (SPEAKER). It listens to the shared
``tok2vec``, so it adds only its own small network to an analysis.

The roles go to ``doc.spans["quote_roles"]``, not to ``doc.ents``: the component clears the entity
annotation before predicting (a preset entity would constrain its transitions) and puts the
entities back afterwards, so it may sit anywhere after ``tok2vec``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry
from thinc.api import Model

KEY = "quote_roles"
_STASH = "_quote_roles_entities"
CONTENT = ("DIRECT", "INDIRECT", "MIXED")


class QuoteRoles(EntityRecognizer):  # type: ignore[misc]
    def predict(self, docs: Iterable[Doc] | Doc) -> Any:
        batch = [docs] if isinstance(docs, Doc) else list(docs)
        for doc in batch:
            if _STASH not in doc.spans:
                doc.spans[_STASH] = list(doc.ents)
                doc.spans[_STASH].attrs["annotated"] = doc.has_annotation("ENT_IOB")
                doc.set_ents([], default="missing")
        return super().predict(batch)

    def set_annotations(self, docs: Iterable[Doc], states: Any) -> None:
        batch = list(docs)
        super().set_annotations(batch, states)
        for doc in batch:
            doc.spans[KEY] = list(doc.ents)
            saved = doc.spans[_STASH]
            del doc.spans[_STASH]
            doc.set_ents(list(saved), default="outside" if saved.attrs.get("annotated") else "missing")


@registry.scorers("qawl.quote_roles_scorer.v1")  # type: ignore[untyped-decorator]
def make_scorer() -> Callable[..., dict[str, Any]]:
    def score(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        # Gold roles are the reference's entities; predicted ones are in doc.spans.
        def getter(doc: Doc, attr: str) -> Iterable[Any]:
            spans: Iterable[Any] = doc.spans.get(KEY, doc.ents)
            return spans

        return Scorer.score_spans(examples, KEY, getter=getter, has_annotation=None, **kwargs)

    return score


@Language.factory(
    "qawl_quote_roles",
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "scorer": {"@scorers": "qawl.quote_roles_scorer.v1"},
    },
)
def make_quote_roles(
    nlp: Language,
    name: str,
    model: Model[Any, Any],
    moves: Any,
    update_with_oracle_cut_size: int,
    scorer: Callable[..., dict[str, Any]] | None,
) -> QuoteRoles:
    return QuoteRoles(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        scorer=scorer,
    )
