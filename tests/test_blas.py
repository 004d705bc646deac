"""The pipeline multiplies through numpy's BLAS, on one thread per process (nlp/blas.py)."""

from __future__ import annotations

from typing import Any

from threadpoolctl import threadpool_info


def test_the_networks_multiply_through_numpy(analyzer: Any) -> None:
    for name in ("tok2vec", "ner"):
        model = analyzer.nlp.get_pipe(name).model
        # the parser's output layer is applied by spaCy's C loop, not through its ops
        layers = [n for n in model.walk() if n.name != "linear"]
        assert layers and not any(n.ops.use_blis for n in layers), name


def test_blas_runs_one_thread(analyzer: Any) -> None:
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
