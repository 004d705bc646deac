"""The base of Qawl's rule components: spaCy's ``Pipe`` with a ``pipe`` that keeps a failed doc."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc


class RulePipe(Pipe):
    """spaCy's ``Pipe.pipe`` drops a doc whose component raised when the error handler does not
    raise; here the doc goes on with what ``__call__`` left (its empty attribute), so the service
    keeps the other components' results. Keyword arguments (``component_cfg``) reach ``__call__``."""

    name: str

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128, **kwargs: Any) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for doc in stream:
            try:
                yield self(doc, **kwargs)
            except Exception as e:
                error_handler(self.name, self, [doc], e)
                yield doc

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        return None
