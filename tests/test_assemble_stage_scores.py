"""training/assemble.py records each stage's own corpus dev token F1: with a stage 4, stage 3's figure
is read from stage 3's model meta (it used to be recorded as None)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ASSEMBLE = Path(__file__).resolve().parents[1] / "training" / "assemble.py"


def _assemble() -> ModuleType:
    spec = importlib.util.spec_from_file_location("training_assemble", ASSEMBLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_token_dev_f_reads_the_training_meta(tmp_path: Path) -> None:
    token_dev_f = _assemble().token_dev_f
    stage3 = tmp_path / "news" / "model-best"
    stage3.mkdir(parents=True)
    (stage3 / "meta.json").write_text(json.dumps({"performance": {"ents_f": 0.856563837}}))
    assert round(100 * token_dev_f(stage3), 2) == 85.66
    # controls: no model there, or a meta without the score
    assert token_dev_f(tmp_path / "missing") is None
    (stage3 / "meta.json").write_text(json.dumps({"performance": {}}))
    assert token_dev_f(stage3) is None
