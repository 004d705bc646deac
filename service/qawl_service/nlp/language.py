"""spaCy's ``ar`` language adapted to news text, wired in through the pipeline config.

``[nlp.before_creation] @callbacks = "qawl.arabic_defaults.v1"`` swaps in these defaults, so a
trained pipeline loads with the same tokenizer rules and lexical features it was trained with.
The lexical attributes the tok2vec layer embeds (NORM, PREFIX, SUFFIX, SHAPE, LOWER) are all
computed on the normalized form: orthographic variants share every feature.
"""

from __future__ import annotations

from collections.abc import Callable

import spacy
from spacy.attrs import LOWER, NORM, PREFIX, SHAPE, SUFFIX
from spacy.lang.ar import Arabic
from spacy.lang.ar.lex_attrs import LEX_ATTRS as AR_LEX_ATTRS
from spacy.lang.ar.punctuation import TOKENIZER_SUFFIXES as AR_SUFFIXES
from spacy.lang.lex_attrs import word_shape
from spacy.lang.punctuation import TOKENIZER_INFIXES as BASE_INFIXES
from spacy.lang.punctuation import TOKENIZER_PREFIXES as BASE_PREFIXES
from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.language import Language
from spacy.util import registry

from .arabic import (
    normalize,
    tokenizer_infixes,
    tokenizer_prefixes,
    tokenizer_suffixes,
    url_match,
)
from .lexicon import default_lexicon
from .morphology import feature_proclitic, feature_stem


def _norm(orth: str) -> str:
    # Never empty: a token of only marks or invisible controls ("\u0640", "\u200f") keeps its
    # text, so vectors keyed by NORM always have a key (floret fails on a batch of empty keys).
    return normalize(orth) or orth


def _prefix(orth: str) -> str:
    return normalize(orth)[:2]


def _suffix(orth: str) -> str:
    return normalize(orth)[-3:]


def _shape(orth: str) -> str:
    return word_shape(normalize(orth))


def _shape_gazetteer(orth: str) -> str:
    """Word shape + gazetteer class of the stem + rarity bucket: "xxxx|P|1" is a rare person name."""
    norm = normalize(orth)
    lex = default_lexicon()
    clitic = feature_proclitic(norm, lex)
    gaz = lex.gazetteer_class(norm) or lex.gazetteer_class(norm[len(clitic) :])
    return f"{word_shape(norm)}|{gaz}|{lex.rarity(norm)}"


def _stem(orth: str) -> str:
    """The word's core for features, stored in LOWER (Arabic has no case): ``morphology.feature_stem``."""
    return feature_stem(orth)


def _configure(lang_cls: type[Arabic], shape: Callable[[str], str]) -> type[Arabic]:
    # spaCy requires the very class back, so its Defaults are set in place; values are
    # computed from spaCy's own constants, which makes repeated calls idempotent.
    defaults = lang_cls.Defaults
    defaults.prefixes = tokenizer_prefixes(list(BASE_PREFIXES))
    defaults.suffixes = tokenizer_suffixes(list(AR_SUFFIXES))
    defaults.infixes = tokenizer_infixes(list(BASE_INFIXES))
    defaults.url_match = url_match(URL_PATTERN)
    defaults.lex_attr_getters = {
        **AR_LEX_ATTRS,
        NORM: _norm,
        PREFIX: _prefix,
        SUFFIX: _suffix,
        SHAPE: shape,
        LOWER: _stem,
    }
    return lang_cls


@registry.callbacks("qawl.arabic_defaults.v1")  # type: ignore[untyped-decorator]
def create_arabic_defaults() -> Callable[[type[Arabic]], type[Arabic]]:
    """Normalized NORM/PREFIX/SUFFIX/SHAPE and the clitic-free stem in LOWER."""
    return lambda lang_cls: _configure(lang_cls, _shape)


@registry.callbacks("qawl.arabic_defaults.v2")  # type: ignore[untyped-decorator]
def create_arabic_defaults_v2() -> Callable[[type[Arabic]], type[Arabic]]:
    """v1 + gazetteer class and rarity of the word folded into SHAPE (see :func:`_shape_gazetteer`)."""
    return lambda lang_cls: _configure(lang_cls, _shape_gazetteer)


def blank_pipeline() -> Language:
    """The tokenizer and lexical features alone, exactly as the trained model uses them."""
    return spacy.blank("ar", config={"nlp": {"before_creation": {"@callbacks": "qawl.arabic_defaults.v1"}}})
