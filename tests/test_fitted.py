"""The shipped fits (nlp/fitted.py): the quote and stance calibrations and the speaker linker's trees load
with the features the code computes, record their data, and a file fitted on other features is refused."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from qawl_service.nlp import quote_confidence, speaker_linker, stance_confidence

FITS = [
    (quote_confidence, "default_calibration", "calibration", "dev", ("dev_reliability",)),
    (
        stance_confidence,
        "default_calibration",
        "calibration",
        "dev",
        ("dev_reliability", "dev_reliability_before"),
    ),
    (speaker_linker, "default_linker", "trees", "train", ("dev_strict_speaker_accuracy",)),
]


@pytest.mark.parametrize(
    ("module", "loader", "key", "split", "meta_keys"), FITS, ids=["quotes", "stances", "linker"]
)
def test_a_shipped_fit_loads_and_refuses_other_features(
    module: ModuleType,
    loader: str,
    key: str,
    split: str,
    meta_keys: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load = getattr(module, loader)
    fit = load()
    assert fit is not None and fit.features == module.FEATURES
    meta = json.loads(module.DATA.read_text(encoding="utf-8"))
    assert split in meta["data"] and all(meta[k] for k in meta_keys)
    other = tmp_path / module.DATA.name
    stored = json.loads(module.DATA.read_text(encoding="utf-8"))
    stored[key]["features"] = ["x", *stored[key]["features"][1:]]  # one column renamed
    other.write_text(json.dumps(stored), encoding="utf-8")
    monkeypatch.setattr(module, "DATA", other)
    load.cache_clear()
    try:
        with pytest.raises(ValueError, match="other features"):
            load()
        monkeypatch.setattr(module, "DATA", tmp_path / "absent.json")
        load.cache_clear()
        assert load() is None  # no file: the step is off
    finally:
        load.cache_clear()
