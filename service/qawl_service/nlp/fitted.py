"""The shipped fits: JSON files a training script writes under ``data/`` (the quote and stance
calibrations, the speaker linker's trees), each holding the names of the features it was fitted on.

A fit read against features the code no longer computes would score the wrong columns without a
sign, so loading refuses it; an absent file means the step is off (the rules' figures stand).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol, TypeVar

import msgspec


class _Fit(Protocol):
    @property
    def features(self) -> tuple[str, ...]: ...


F = TypeVar("F", bound=_Fit)


def load_fit(path: Path, key: str, kind: type[F], features: tuple[str, ...]) -> F | None:
    """The ``kind`` stored under ``key`` in ``path``; None when the file is absent; a ValueError when
    it was fitted on other ``features`` than the code computes."""
    if not path.exists():
        return None
    fit = msgspec.convert(json.loads(path.read_text(encoding="utf-8"))[key], kind)
    if fit.features != features:
        raise ValueError(f"{path} was fitted on other features: {fit.features}")
    return fit
