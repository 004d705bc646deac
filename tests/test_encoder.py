"""The chunked context encoder gives spaCy's encoder output exactly, in bounded slices."""

from __future__ import annotations

import numpy
import pytest
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from thinc.api import fix_random_seed

from qawl_service.nlp import encoder
from qawl_service.nlp.pipeline import load_pipeline


def _encoders(chunk: int) -> tuple[object, object]:
    fix_random_seed(0)
    plain = MaxoutWindowEncoder(width=8, window_size=1, maxout_pieces=3, depth=4)
    chunked = encoder.chunked_window_encoder(width=8, window_size=1, maxout_pieces=3, depth=4, chunk=chunk)
    sample = [numpy.zeros((5, 8), dtype="float32")]
    plain.initialize(X=sample)
    chunked.initialize(X=sample)
    chunked.from_bytes(plain.to_bytes())  # same layer tree: spaCy's weights load as they are
    return plain, chunked


@pytest.mark.parametrize("lengths", [[100], [7, 0, 33, 12, 60, 1], [16], [17], [3] * 20, [0]])
def test_chunked_output_equals_spacys_bit_for_bit(lengths: list[int]) -> None:
    plain, chunked = _encoders(chunk=16)
    rng = numpy.random.default_rng(len(lengths))
    Xs = [rng.standard_normal((n, 8)).astype("float32") for n in lengths]
    expected = plain.predict(Xs)  # type: ignore[attr-defined]
    got = chunked.predict(Xs)  # type: ignore[attr-defined]
    assert [len(y) for y in got] == lengths
    for y, e in zip(got, expected, strict=True):
        assert numpy.array_equal(y, e)


def test_a_margin_short_of_the_receptive_field_changes_the_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: cutting with too little context differs from spaCy's output."""
    real_plan = encoder.plan
    monkeypatch.setattr(encoder, "plan", lambda lengths, chunk, margin: real_plan(lengths, chunk, margin - 1))
    plain, chunked = _encoders(chunk=16)
    X = [numpy.random.default_rng(1).standard_normal((100, 8)).astype("float32")]
    assert not numpy.array_equal(chunked.predict(X)[0], plain.predict(X)[0])  # type: ignore[attr-defined]


def test_plan_bounds_every_slice() -> None:
    groups = encoder.plan([5, 40, 3, 0, 16], chunk=16, margin=4)
    kept = {}
    for group in groups:
        assert sum(end - start for _, _, _, start, end in group) <= 16
        for doc, lo, hi, start, end in group:
            assert lo == max(0, start - 4) and hi <= end + 4
            kept.setdefault(doc, []).append((start, end))
    # every row of every document is kept exactly once, in order
    assert kept == {0: [(0, 5)], 1: [(0, 16), (16, 32), (32, 40)], 2: [(0, 3)], 3: [(0, 0)], 4: [(0, 16)]}


def test_training_goes_through_spacys_forward() -> None:
    plain, chunked = _encoders(chunk=16)
    X = [numpy.random.default_rng(2).standard_normal((50, 8)).astype("float32")]
    Y, backprop = chunked.begin_update(X)  # type: ignore[attr-defined]
    assert numpy.array_equal(Y[0], plain.predict(X)[0])  # type: ignore[attr-defined]
    assert backprop([numpy.ones_like(Y[0])])[0].shape == (50, 8)  # gradients flow as before


def test_the_shipped_model_uses_the_chunked_encoder() -> None:
    nlp = load_pipeline()
    encode = nlp.get_pipe("tok2vec").model.get_ref("encode")
    assert nlp.config["components"]["tok2vec"]["model"]["encode"]["@architectures"] == (
        "qawl.chunked_window_encoder.v1"
    )
    assert encode.attrs["pad"] == 4  # window 1 x depth 4: the margin each slice reads
