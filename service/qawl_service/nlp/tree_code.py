"""Gradient-boosted trees as one generated Python function (the speaker linker's scorer).

Walking the node arrays costs an index and a comparison per node in the interpreter's slowest form
(tuple look-ups in a loop); the linker scores a few thousand rows per 150 articles. Each tree becomes a
nested conditional expression over ``x[feature] <= threshold`` with its leaf's ``learning_rate * value``
as a literal (``repr`` of a float reads back as the same float), and the trees are added to ``init`` in
their order: the same comparisons and the same float additions as the walk, so the same sums.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence


def _expr(
    feature: Sequence[int],
    threshold: Sequence[float],
    left: Sequence[int],
    right: Sequence[int],
    leaf: Sequence[float],
    n: int,
) -> str:
    """Tree node ``n`` as an expression of ``x`` (a leaf: its value)."""
    if feature[n] < 0:
        return repr(leaf[n])
    lo = _expr(feature, threshold, left, right, leaf, left[n])
    hi = _expr(feature, threshold, left, right, leaf, right[n])
    return f"({lo} if x[{feature[n]}] <= {threshold[n]!r} else {hi})"


def compile_trees(
    init: float,
    learning_rate: float,
    feature: Sequence[Sequence[int]],
    threshold: Sequence[Sequence[float]],
    left: Sequence[Sequence[int]],
    right: Sequence[Sequence[int]],
    value: Sequence[Sequence[float]],
) -> Callable[[Sequence[float]], float] | None:
    """``x -> init + Σ learning_rate * leaf value`` (added tree by tree), or None when a number has no
    literal (inf, nan) or the trees nest deeper than the compiler parses: the caller then walks them."""
    numbers = [init, *(t for ts in threshold for t in ts)]
    leaves = [[learning_rate * v for v in vs] for vs in value]
    if not all(math.isfinite(v) for v in numbers + [v for vs in leaves for v in vs]):
        return None
    lines = [f"def score(x):\n    z = {init!r}"]
    for f, th, lo, hi, lv in zip(feature, threshold, left, right, leaves, strict=True):
        lines.append(f"    z += {_expr(f, th, lo, hi, lv, 0)}")
    lines.append("    return z")
    scope: dict[str, Callable[[Sequence[float]], float]] = {}
    try:
        code = compile("\n".join(lines), "<speaker linker trees>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        return None
    exec(code, scope)  # the model file's numbers only
    return scope["score"]
