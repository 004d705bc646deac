"""Build and load the Qawl spaCy pipeline.

The shipped model lives inside the package (``qawl_service/models/``), so a fresh install
serves without any download. Importing this module registers every Qawl spaCy function.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokenizer import Tokenizer

from . import components, language, quote_roles, quotes, segment, stance, tok2vec, vectors  # noqa: F401  (registers factories and callbacks)
from .arabic import normalize
from .blas import numpy_ops
from .lexicon import default_lexicon

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "qawl_ar_news"
RULE_PIPES = ("qawl_segmenter", "qawl_quotes", "qawl_stance")
# QAWL_STANCE_LEARNED=0: the stance component without its learned step, the rules alone (issue 20; on by
# default since stop 20, its measurements in docs/stance.md "The learned step in the pipeline").
LEARNED_ENV = "QAWL_STANCE_LEARNED"
# "log" (the service): a component that fails on a document is logged with its traceback and the
# document keeps that component's empty result; "raise" (the tests, QAWL_COMPONENT_ERRORS=raise).
ERRORS_ENV = "QAWL_COMPONENT_ERRORS"
log = logging.getLogger("qawl.pipeline")


def log_component_error(name: str, component: Any, docs: list[Any], e: Exception) -> None:
    log.error(
        "component %s failed on a document of %d characters",
        name,
        len(docs[0].text) if docs else 0,
        exc_info=e,
    )


def raise_component_error(name: str, component: Any, docs: list[Any], e: Exception) -> None:
    raise e


def model_path(name_or_path: str | Path | None = None) -> Path:
    if name_or_path is None:
        return MODELS_DIR / DEFAULT_MODEL
    path = Path(name_or_path)
    if path.exists():
        return path
    return MODELS_DIR / str(name_or_path)


# Tokenizations kept across requests: spaCy's default is 10,000; a cache entry costs ~100 bytes.
TOKENIZER_CACHE = 60_000
# The commonest model words warmed at load: 30k took 0.7 s, 60k 1.4 s and all 140k 3.3 s of the start
# (readiness bar 5 s), and the next 30k are rare enough in news to be tokenized when they come.
WARM_WORDS = 30_000


def warm_known_words(nlp: Language, tokenizer: Tokenizer) -> None:
    """Give the words the model knows a permanent lexeme and tokenizer-cache entry.

    Analyses run in memory zones (analyzer.py), where what a request adds to the vocabulary and to
    the tokenizer's cache lives only for that request, so a word's lexical features and its
    tokenization would be computed again by every request. The model's string store holds its
    training vocabulary; the ``WARM_WORDS`` commonest in news (the lexicon's counts) are warmed: a
    rarer word costs one lexeme and one tokenization per request that uses it.
    """
    counts = default_lexicon().counts
    known = [s for s in nlp.vocab.strings if 0 < len(s) <= 40 and not any(c.isspace() for c in s)]
    known.sort(key=lambda s: -counts.get(normalize(s), 0))
    tokenizer.max_cache_size = max(tokenizer.max_cache_size, TOKENIZER_CACHE)
    known = known[:WARM_WORDS]
    for k in range(0, len(known), 5000):
        nlp.make_doc(" ".join(known[k : k + 5000]))


def load_pipeline(name_or_path: str | Path | None = None) -> Language:
    """Load the trained pipeline (the packaged model unless a name or directory is given)."""
    path = model_path(name_or_path)
    if not (path / "meta.json").exists():
        raise FileNotFoundError(f"no Qawl model at {path}: run `make train` or reinstall the package")
    with numpy_ops():  # the layers keep the ops they were built with
        nlp = spacy.load(path)
    # spaCy searches the suffix pattern over the whole remaining string once per suffix it strips,
    # which is quadratic on long punctuation runs ('"' * 10_000 took 10-23 s). Suffixes are short:
    # searching the last 64 characters gives identical tokens in linear time. (Serving only: this
    # tokenizer is never written back to disk.)
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    # The URL rule as the Arabic defaults now set it (a model saved before keeps the old pattern).
    tokenizer.url_match = type(nlp).Defaults.url_match
    search = tokenizer.suffix_search
    if search is not None:
        tokenizer.suffix_search = lambda s: search(s, max(0, len(s) - 64))
    # Rule components need no training: they are added at load time, so rules improve without
    # retraining the model.
    for name in RULE_PIPES:
        if name not in nlp.pipe_names:
            on = name == "qawl_stance" and os.environ.get(LEARNED_ENV, "1") != "0"
            nlp.add_pipe(name, last=True, config={"learned": True} if on else {})
    warm_known_words(nlp, tokenizer)
    strict = os.environ.get(ERRORS_ENV, "log") == "raise"
    for name in ("qawl_entities", *RULE_PIPES):  # spaCy's own ner has no settable handler (3.8)
        if name in nlp.pipe_names:
            pipe = cast(Pipe, nlp.get_pipe(name))
            # spaCy types the handler as never returning, though its own ignore_error returns.
            pipe.set_error_handler(raise_component_error if strict else log_component_error)  # type: ignore[arg-type]
    return nlp
