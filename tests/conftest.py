from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

# Pipeline components raise in tests (the service logs and degrades): a rule that breaks fails a test.
os.environ["QAWL_COMPONENT_ERRORS"] = "raise"

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED = (ROOT.parent / "shared").resolve()


def _shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test (with the reason) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (../shared is not present in a user's clone)")
    return path


@pytest.fixture(scope="session")
def shared_path() -> Callable[..., Path]:
    """``shared_path("data", ...)``: a path under ../shared, or a skip when it is absent."""
    return _shared_path


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer.load()


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


@pytest.fixture()
def settings() -> Settings:
    return Settings()


@pytest.fixture()
def app(settings: Settings, analyzer: Analyzer) -> Litestar:
    return create_app(settings, analyzer)


@pytest.fixture(scope="session")
def process_client() -> Iterator[TestClient[Litestar]]:
    """The production path: no analyzer given, so each worker runs its pipeline in its analysis
    process (server/analysis_process.py). Started once for the session: a child loads the model."""
    import time

    with TestClient(create_app(Settings())) as c:
        deadline = time.monotonic() + 120
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the analysis process did not become ready"
            time.sleep(0.05)
        yield c


@pytest.fixture(params=["thread", "process"])
def client(request: pytest.FixtureRequest, app: Litestar) -> Iterator[TestClient[Litestar]]:
    """The API suite runs twice: in-thread (an app given the session's analyzer) and on the
    production path (the analysis process)."""
    if request.param == "process":
        yield request.getfixturevalue("process_client")
        return
    with TestClient(app) as c:
        yield c
