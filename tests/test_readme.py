"""The README's Python examples run against the app and print exactly what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

import qawl
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://testserver.local"
# A ```python block followed by the ```text block that shows its output.
EXAMPLE = re.compile(r"```python\n(.*?)```\n\n```text\n(.*?)```", re.S)


def test_readme_examples_print_what_the_readme_shows(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(examples) >= 2, "the README lost its SDK examples"
    monkeypatch.chdir(ROOT)  # the examples read seeds/ relative to the repo
    # warning: the request log (JSON on stdout) stays out of what the examples print
    with TestClient(create_app(Settings(log_level="warning"), analyzer), base_url=BASE) as http:
        real_client = qawl.Client

        def client(*args: Any, **kwargs: Any) -> qawl.Client:  # the examples' Client(), bound to the app
            return real_client(BASE, http_client=http)

        monkeypatch.setattr(qawl, "Client", client)
        namespace: dict[str, Any] = {}
        for code, shown in examples:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(code, namespace)
            assert out.getvalue() == shown, code
