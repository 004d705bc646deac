"""Loaded by `spacy train --code`: registers the Qawl tokenizer rules and lexical features."""

import qawl_service.nlp.pipeline  # noqa: F401
