"""The per-word floret cache returns exactly what spaCy computes, through refills and overflows."""

from __future__ import annotations

import random

import numpy
import pytest
from spacy.strings import StringStore
from spacy.vectors import Vectors

from qawl_service.nlp import vectors
from qawl_service.nlp.pipeline import load_pipeline


def _pair() -> tuple[Vectors, vectors.CachedVectors]:
    data = numpy.random.default_rng(3).standard_normal((500, 8)).astype("float32")
    options = dict(mode="floret", minn=3, maxn=5, hash_count=2, bow="<", eow=">")
    strings = StringStore()
    plain = Vectors(strings=strings, data=data, **options)
    return plain, vectors.CachedVectors(strings=strings, data=data.copy(), **options)


def test_cached_batches_equal_spacys_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "CACHE_ROWS", 40)  # small: the table fills and restarts often
    plain, cached = _pair()
    rng = random.Random(5)
    vocabulary = [
        "".join(rng.choice("ابتثجحخدرسعلمنهوي") for _ in range(rng.randint(2, 9))) for _ in range(90)
    ]
    for key in vocabulary:
        plain.strings.add(key)
    for size in (1, 7, 30, 39, 40, 55, 3, 120):  # under, at and over the table's size
        words = [rng.choice(vocabulary) for _ in range(size)]
        keys = [plain.strings[w] for w in words] if size % 2 else words  # hashes or strings
        assert numpy.array_equal(cached.get_batch(keys), plain.get_batch(keys))
    assert len(cached._index) <= max(vectors.CACHE_ROWS, 120)


def test_the_shipped_model_uses_the_cache() -> None:
    nlp = load_pipeline()
    assert isinstance(nlp.vocab.vectors, vectors.CachedVectors)
    assert nlp.vocab.vectors.mode == "floret"
    doc = nlp("وقال كيري في جنيف إن المحادثات مستمرة")
    assert doc.ents is not None and len(nlp.vocab.vectors._index) == len({t.norm for t in doc})


def test_array_batches_equal_spacys_and_repeat_from_the_recent_ones() -> None:
    plain, cached = _pair()
    words = ["حلب", "جنيف", "كيري", "حلب", "الهدنة"]
    keys = numpy.array([plain.strings.add(w) for w in words], dtype="uint64")
    first = cached.get_batch(keys)
    assert numpy.array_equal(first, plain.get_batch(words))
    assert cached.get_batch(keys.copy()) is first  # the second tok2vec's look-up of the same tokens
    assert numpy.array_equal(cached.get_batch(keys[:2]), plain.get_batch(words[:2]))
