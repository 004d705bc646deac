"""Which BLAS multiplies the networks' matrices.

thinc multiplies with the BLIS bundled in the ``blis`` package, which picks its kernels by CPU
model. On a CPU it does not know, it falls back to its generic C kernels. This VM's AMD EPYC
(family 25) is one: BLIS reports "selecting sub-configuration 'generic'", and a 256×192 · 192×192
product took 704 µs against 243 µs in numpy's OpenBLAS, which picks its kernels by CPU features.
So the pipeline's layers are built on ``NumpyOps(use_blis=False)``, which multiplies through numpy.
Measured: the same entities on 300 articles, and 15,000–16,000 words/s per document against
9,000–12,000 (full pipeline, one core, interleaved runs). (The transition parser's per-token step
still calls BLIS through thinc's C interface.)

BLAS gets one thread per process. Workers are processes, one per core; a second BLAS thread would
only compete with the other worker.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from thinc.api import use_ops
from threadpoolctl import threadpool_limits

_limits: Any = None


def numpy_ops() -> AbstractContextManager[Any]:
    """Build models inside this context; limits the process's BLAS to one thread (once)."""
    global _limits
    if _limits is None:
        _limits = threadpool_limits(limits=1, user_api="blas")  # held for the process's lifetime
    return use_ops("numpy", use_blis=False)
