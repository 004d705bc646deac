"""Build and load the Qawl spaCy pipeline.

The shipped model lives inside the package (``qawl_service/models/``), so a fresh install
serves without any download. Importing this module registers every Qawl spaCy function.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from . import components, language, quotes, stance, tok2vec, vectors  # noqa: F401  (registers factories and callbacks)
from .blas import numpy_ops

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "qawl_ar_news"
RULE_PIPES = ("qawl_quotes", "qawl_stance")


def blank_pipeline() -> Language:
    """The tokenizer and lexical features alone, exactly as the trained model uses them."""
    return spacy.blank("ar", config={"nlp": {"before_creation": {"@callbacks": "qawl.arabic_defaults.v1"}}})


def model_path(name_or_path: str | Path | None = None) -> Path:
    if name_or_path is None:
        return MODELS_DIR / DEFAULT_MODEL
    path = Path(name_or_path)
    if path.exists():
        return path
    return MODELS_DIR / str(name_or_path)


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
    search = tokenizer.suffix_search
    if search is not None:
        tokenizer.suffix_search = lambda s: search(s, max(0, len(s) - 64))
    # Rule components need no training: they are added at load time, so rules improve without
    # retraining the model.
    for name in RULE_PIPES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp
