"""spaCy's CNN context encoder, run over bounded slices of tokens at inference
(``[components.tok2vec.model.encode] @architectures = "qawl.chunked_window_encoder.v1"``).

thinc keeps every intermediate array of a ``chain`` until the chain returns, training or not: the
four encoder blocks hold about 7 kB per token at once, so one 100,000-character document (19k
tokens) took 142 MB for the encoder alone and a worker peaked near 480 MB. Each output row depends
only on the rows within ``window_size * depth`` of it (the receptive field), so at inference the
encoder runs on slices of at most ``chunk`` tokens, each with that many real neighbouring rows on
both sides, and keeps the middle of each: the same rows, computed in bounded memory. Training and
short batches go through spaCy's encoder unchanged; same weights, same layer tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.util import registry
from thinc.api import Model
from thinc.layers.with_array import forward as encode
from thinc.types import Floats2d

Piece = tuple[int, int, int, int, int]  # doc, slice start, slice end, kept start, kept end


def plan(lengths: list[int], chunk: int, margin: int) -> list[list[Piece]]:
    """Groups of slices, each group at most ``chunk`` kept rows (a longer document is cut into
    ``chunk``-row pieces, each read with ``margin`` rows of context either side)."""
    groups: list[list[Piece]] = []
    group: list[Piece] = []
    size = 0
    for doc, n in enumerate(lengths):
        for start in range(0, n, chunk) if n else (0,):
            end = min(n, start + chunk)
            if group and size + end - start > chunk:
                groups.append(group)
                group, size = [], 0
            group.append((doc, max(0, start - margin), min(n, end + margin), start, end))
            size += end - start
    if group:
        groups.append(group)
    return groups


@registry.architectures("qawl.chunked_window_encoder.v1")  # type: ignore[untyped-decorator]
def chunked_window_encoder(
    width: int, window_size: int, maxout_pieces: int, depth: int, chunk: int = 2048
) -> Model[list[Floats2d], list[Floats2d]]:
    encoder: Model[list[Floats2d], list[Floats2d]] = MaxoutWindowEncoder(
        width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth
    )
    margin = window_size * depth

    def forward(
        model: Model[Any, Any], Xs: list[Floats2d], is_train: bool
    ) -> tuple[list[Floats2d], Callable[..., Any]]:
        lengths = [len(x) for x in Xs]
        if is_train or sum(lengths) <= chunk:
            return encode(model, Xs, is_train)
        parts: list[list[Floats2d]] = [[] for _ in Xs]
        for group in plan(lengths, chunk, margin):
            Ys, _ = encode(model, [Xs[doc][lo:hi] for doc, lo, hi, _, _ in group], False)
            for (doc, lo, _, start, end), y in zip(group, Ys, strict=True):
                parts[doc].append(y[start - lo : end - lo])
        ops = model.ops
        Ys = [p[0] if len(p) == 1 else ops.xp.concatenate(p) for p in parts]

        def backprop(dYs: list[Floats2d]) -> list[Floats2d]:
            raise NotImplementedError("the chunked path runs at inference only")

        return Ys, backprop

    return Model(
        encoder.name,
        forward,
        init=encoder.init,
        layers=encoder.layers,
        attrs=dict(encoder.attrs),
        dims={name: encoder.maybe_get_dim(name) for name in encoder.dim_names},
    )
