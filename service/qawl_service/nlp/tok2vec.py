"""spaCy's tok2vec, run over bounded slices of tokens at inference
(``[components.tok2vec.model] @architectures = "qawl.sliced_tok2vec.v1"``).

thinc keeps every intermediate array of a ``chain`` until the chain returns, training or not: the
embedding and the four CNN blocks held about 10 kB per token at once, so one 100,000-character
document (19k tokens) took ~200 MB in the tok2vec alone, as did a batch of 32 articles. The
embedding is per token, and each encoder output row depends only on the rows within the encoder's
receptive field (``window_size * depth``, which spaCy's encoder pads with). So at inference the
tok2vec runs on slices of at most ``chunk`` tokens, each read with that many real neighbouring
tokens on both sides, and keeps the middle of each: the same rows, computed in bounded memory (bit
for bit with BLIS; with OpenBLAS a matrix with fewer rows may round differently, by ~1e-6).
Training and short batches go through spaCy's forward unchanged; same weights, same layer tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.models.tok2vec import build_Tok2Vec_model
from spacy.ml.staticvectors import StaticVectors
from spacy.pipeline.tok2vec import Tok2VecListener
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.layers.chain import forward as chain_forward
from thinc.types import Floats2d, Ragged

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


class DocSlice:
    """Tokens ``lo:hi`` of a Doc as the embedding layers read them (``vocab``, ``len``,
    ``to_array``), without copying the Doc. (spaCy's ``Span.to_array`` rejects attribute names.)"""

    def __init__(self, doc: Doc, lo: int, hi: int, arrays: dict[Any, Any]) -> None:
        self.doc, self.lo, self.hi, self._arrays = doc, lo, hi, arrays
        self.vocab = doc.vocab

    def __len__(self) -> int:
        return self.hi - self.lo

    @property
    def tensor(self) -> Any:
        """The upstream tok2vec's rows of these tokens (what a ``Tok2VecListener`` reads at inference)."""
        return self.doc.tensor[self.lo : self.hi]

    def to_array(self, attrs: int | str | list[int | str]) -> Any:
        key = attrs if isinstance(attrs, int | str) else tuple(attrs)
        if key not in self._arrays:  # shared by the slices of one doc: computed once
            self._arrays[key] = self.doc.to_array(attrs)
        return self._arrays[key][self.lo : self.hi]


@registry.architectures("qawl.sliced_tok2vec.v1")  # type: ignore[untyped-decorator]
def sliced_tok2vec(
    embed: Model[list[Doc], list[Floats2d]], encode: Model[list[Floats2d], list[Floats2d]], chunk: int = 2048
) -> Model[list[Doc], list[Floats2d]]:
    tok2vec = build_Tok2Vec_model(embed, encode)
    margin = encode.attrs.get("pad")
    if not isinstance(margin, int):
        raise ValueError("qawl.sliced_tok2vec.v1 needs an encoder that pads by its receptive field")

    def forward(
        model: Model[Any, Any], docs: list[Doc], is_train: bool
    ) -> tuple[list[Floats2d], Callable[..., Any]]:
        lengths = [len(doc) for doc in docs]
        if is_train or sum(lengths) <= chunk:
            return chain_forward(model, docs, is_train)
        arrays: list[dict[Any, Any]] = [{} for _ in docs]
        parts: list[list[Floats2d]] = [[] for _ in docs]
        for group in plan(lengths, chunk, margin):
            inputs = [
                docs[d] if (lo, hi) == (0, lengths[d]) else DocSlice(docs[d], lo, hi, arrays[d])
                for d, lo, hi, _, _ in group
            ]
            Ys, _ = chain_forward(model, inputs, False)
            for (d, lo, _, start, end), y in zip(group, Ys, strict=True):
                parts[d].append(y[start - lo : end - lo])
        Ys = [p[0] if len(p) == 1 else model.ops.xp.concatenate(p) for p in parts]

        def backprop(dYs: list[Floats2d]) -> list[Doc]:
            raise NotImplementedError("the sliced path runs at inference only")

        return Ys, backprop

    model: Model[list[Doc], list[Floats2d]] = Model(
        tok2vec.name,
        forward,
        init=tok2vec.init,
        layers=tok2vec.layers,
        dims={name: tok2vec.maybe_get_dim(name) for name in tok2vec.dim_names},
        refs={name: tok2vec.get_ref(name) for name in tok2vec.ref_names},
    )
    return model


@registry.architectures("qawl.roles_on_shared.v1")  # type: ignore[untyped-decorator]
def roles_on_shared(
    width: int,
    upstream: str,
    upstream_width: int,
    attrs: list[str],
    rows: list[int],
    own_width: int,
    include_static_vectors: bool = False,
    maxout_pieces: int = 3,
) -> Model[list[Doc], list[Floats2d]]:
    """The quote roles' embedding on the pipeline's tok2vec (docs/quotes.md, stop 27): the rows of the
    ``upstream`` tok2vec (a ``Tok2VecListener``: the tok2vec runs anyway, for the entities, and is frozen
    while the roles train) beside a small embedding of the word's own identity (hash embeddings of
    ``attrs`` and, with ``include_static_vectors``, the static vectors projected, ``own_width`` each),
    mixed to ``width`` by a maxout layer. Per token, like spaCy's ``MultiHashEmbed``: the encoder after
    it (``qawl.sliced_tok2vec.v1``'s ``encode``) adds the context."""
    if len(attrs) != len(rows):
        raise ValueError("qawl.roles_on_shared.v1: one row count per attribute")
    listener = Tok2VecListener(upstream_name=upstream, width=upstream_width)
    embeddings: list[Model[Any, Any]] = [
        HashEmbed(own_width, n, column=i, seed=7 + i, dropout=0.0) for i, n in enumerate(rows)
    ]
    own: Model[list[Doc], Ragged] = chain(
        FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*embeddings))
    )
    parts = [chain(listener, list2ragged()), own]
    if include_static_vectors:
        parts.append(StaticVectors(own_width, dropout=0.0))
    n_in = upstream_width + own_width * (len(attrs) + include_static_vectors)
    mix: Model[Ragged, Ragged] = with_array(
        Maxout(width, n_in, nP=maxout_pieces, dropout=0.0, normalize=True)
    )
    model: Model[list[Doc], list[Floats2d]] = chain(concatenate(*parts), mix, ragged2list())
    return model
