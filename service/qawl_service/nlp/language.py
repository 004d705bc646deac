"""spaCy's ``ar`` language adapted to news text, wired in through the pipeline config.

``[nlp.before_creation] @callbacks = "qawl.arabic_defaults.v1"`` swaps in these defaults, so a
trained pipeline loads with the same tokenizer rules and lexical features it was trained with.
The lexical attributes the tok2vec layer embeds (NORM, PREFIX, SUFFIX, SHAPE, LOWER) are all
computed on the normalized form: orthographic variants share every feature.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

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

# The words whose features stay computed: over 2,000 articles of the bench sample, 20,000 words (~8 MB)
# held 60 % of each document's distinct words, 50,000 (~20 MB) 71 %.
_FEATURE_CACHE = 20_000


@lru_cache(maxsize=_FEATURE_CACHE)
def _features(orth: str) -> tuple[str, str, str, str, str, str]:
    """NORM, PREFIX, SUFFIX, SHAPE (v1, v2) and LOWER of one word, computed once: the analyzer frees
    each document's new lexemes when it is done (``memory_zone``), so spaCy asks again for every
    word outside the model's vocabulary in every document (about 2.5 ms per 1,000 words of CPU on
    the bench sample, most of it the gazetteer shape)."""
    norm = normalize(orth)
    lex = default_lexicon()
    clitic = feature_proclitic(norm, lex)
    gaz = lex.gazetteer_class(norm) or lex.gazetteer_class(norm[len(clitic) :])
    shape = word_shape(norm)
    return (
        # Never empty: a token of only marks or invisible controls ("\u0640", "\u200f") keeps its
        # text, so vectors keyed by NORM always have a key (floret fails on a batch of empty keys).
        norm or orth,
        norm[:2],
        norm[-3:],
        shape,
        # Word shape + gazetteer class of the stem + rarity bucket: "xxxx|P|1" is a rare person name.
        f"{shape}|{gaz}|{lex.rarity(norm)}",
        # The word's core for features, stored in LOWER (Arabic has no case).
        feature_stem(orth),
    )


def _norm(orth: str) -> str:
    return _features(orth)[0]


def _prefix(orth: str) -> str:
    return _features(orth)[1]


def _suffix(orth: str) -> str:
    return _features(orth)[2]


def _shape(orth: str) -> str:
    return _features(orth)[3]


def _shape_gazetteer(orth: str) -> str:
    """Word shape + gazetteer class of the stem + rarity bucket (v2's SHAPE)."""
    return _features(orth)[4]


def _stem(orth: str) -> str:
    """``morphology.feature_stem``, in LOWER."""
    return _features(orth)[5]


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
