"""The sliced tok2vec gives spaCy's tok2vec output, in bounded slices.

Exactly, up to float32 rounding: OpenBLAS (nlp/blas.py) may sum a row's products in another order
when the matrix has fewer rows (measured differences <= 4e-6 on activations up to 12). A cut with
too little context differs by far more than ROUNDING."""

from __future__ import annotations

from typing import Any

import numpy
import pytest
from spacy.language import Language
from spacy.ml.models.tok2vec import build_Tok2Vec_model
from thinc.api import fix_random_seed

from qawl_service.nlp import tok2vec

LETTERS = "ابتثجحخدرسعلمنهوي"
ROUNDING = 1e-4


@pytest.fixture(scope="module")
def nlp(analyzer: Any) -> Language:
    return analyzer.nlp  # type: ignore[no-any-return]


def _texts(n_words: list[int]) -> list[str]:
    rng = numpy.random.default_rng(len(n_words))
    words = ["".join(rng.choice(list(LETTERS), size=rng.integers(2, 8))) for _ in range(300)]
    words += ["وقال", "كيري", "إن", "الولايات", "المتحدة", "،", ".", "\n\n"]
    return [" ".join(rng.choice(words, size=n)) for n in n_words]


def _models(nlp: Language, chunk: int) -> tuple[Any, Any]:
    shipped = nlp.get_pipe("tok2vec").model
    embed, encode = shipped.get_ref("embed"), shipped.get_ref("encode")
    plain = build_Tok2Vec_model(embed, encode)  # spaCy's tok2vec over the very same layers
    sliced = tok2vec.sliced_tok2vec(embed, encode, chunk=chunk)
    return plain, sliced


@pytest.mark.parametrize(
    "n_words", [[3000], [5, 0, 90, 40, 300, 1], [64], [65], [7] * 30, [0, 200], [1000, 2500]]
)
def test_sliced_output_equals_spacys(nlp: Language, n_words: list[int]) -> None:
    plain, sliced = _models(nlp, chunk=64)  # small slices: every kind of cut is exercised
    docs = [nlp.make_doc(t) for t in _texts(n_words)]
    expected, got = plain.predict(docs), sliced.predict(docs)
    assert [len(y) for y in got] == [len(d) for d in docs]
    for y, e in zip(got, expected, strict=True):
        numpy.testing.assert_allclose(y, e, rtol=0, atol=ROUNDING)


def test_a_margin_short_of_the_receptive_field_changes_the_output(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: cutting with too little context differs from spaCy's output."""
    real_plan = tok2vec.plan
    monkeypatch.setattr(tok2vec, "plan", lambda lengths, chunk, margin: real_plan(lengths, chunk, margin - 1))
    plain, sliced = _models(nlp, chunk=64)
    docs = [nlp.make_doc(_texts([500])[0])]
    assert numpy.abs(sliced.predict(docs)[0] - plain.predict(docs)[0]).max() > 100 * ROUNDING


def test_plan_bounds_every_slice() -> None:
    groups = tok2vec.plan([5, 40, 3, 0, 16], chunk=16, margin=4)
    kept: dict[int, list[tuple[int, int]]] = {}
    for group in groups:
        assert sum(end - start for _, _, _, start, end in group) <= 16
        for doc, lo, hi, start, end in group:
            assert lo == max(0, start - 4) and hi <= end + 4
            kept.setdefault(doc, []).append((start, end))
    # every row of every document is kept exactly once, in order
    assert kept == {0: [(0, 5)], 1: [(0, 16), (16, 32), (32, 40)], 2: [(0, 3)], 3: [(0, 0)], 4: [(0, 16)]}


def test_doc_slice_reads_the_docs_arrays(nlp: Language) -> None:
    doc = nlp.make_doc(_texts([50])[0])
    piece = tok2vec.DocSlice(doc, 10, 30, {})
    assert len(piece) == 20 and piece.vocab is doc.vocab
    assert numpy.array_equal(piece.to_array(["NORM", "SHAPE"]), doc.to_array(["NORM", "SHAPE"])[10:30])
    assert numpy.array_equal(piece.to_array("NORM"), doc.to_array("NORM")[10:30])


def test_training_goes_through_spacys_forward(nlp: Language) -> None:
    plain, sliced = _models(nlp, chunk=64)
    docs = [nlp.make_doc(_texts([200])[0])]
    fix_random_seed(7)  # the same dropout masks for both
    Y, backprop = sliced.begin_update(docs)
    fix_random_seed(7)
    expected, _ = plain.begin_update(docs)
    numpy.testing.assert_allclose(Y[0], expected[0], rtol=0, atol=ROUNDING)
    assert backprop([numpy.zeros_like(Y[0])]) == []  # gradients go to the layers, as in spaCy's


def test_the_shipped_model_uses_the_sliced_tok2vec(nlp: Language) -> None:
    assert nlp.config["components"]["tok2vec"]["model"]["@architectures"] == "qawl.sliced_tok2vec.v1"
    assert nlp.get_pipe("tok2vec").model.get_ref("encode").attrs["pad"] == 4  # window 1 x depth 4
