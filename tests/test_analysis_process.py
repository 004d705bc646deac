"""The analysis process behind a server's worker (qawl_service/analysis_process.py): the same results
as in-process, single-threaded, killed and restarted when it overruns or dies, a load failure
reported by readiness."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import FEATURES
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

TEXT = "وقال وزير الخارجية الأمريكي جون كيري إن الحل في سوريا يجب أن يكون سياسيا."
LONG = "وقال كيري في مؤتمر صحفي في جنيف إن الحل في سوريا سياسي. " * 1700  # ~1 s of analysis


def wait_ready(c: TestClient[Litestar], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while c.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, c.get("/readyz").text
        time.sleep(0.05)


def _serve(timeout: float) -> Iterator[tuple[TestClient[Litestar], Litestar]]:
    app = create_app(Settings(analysis_timeout=timeout, rate_limit=0))
    with TestClient(app) as c:
        wait_ready(c)
        yield c, app


@pytest.fixture()
def served() -> Iterator[tuple[TestClient[Litestar], Litestar]]:
    """A 0.4 s budget, for the overrun tests: LONG overruns it, TEXT does not."""
    yield from _serve(0.4)


@pytest.fixture()
def served_patient() -> Iterator[tuple[TestClient[Litestar], Litestar]]:
    """A budget no analysis here comes near, for the tests of results: a batch of the five seeds took
    more than 0.4 s on a loaded machine and was killed (a timing, not a result)."""
    yield from _serve(30.0)


def child_pid(app: Litestar) -> int:
    child = app.state.runtime._child
    assert child is not None
    return int(child.proc.pid)


def test_results_equal_the_in_process_pipeline(
    served_patient: tuple[TestClient[Litestar], Litestar], analyzer: Analyzer, seed_texts: list[str]
) -> None:
    c, _ = served_patient
    for i, text in enumerate([TEXT, *seed_texts]):
        got = c.post("/v1/analyze", json={"text": text, "features": list(FEATURES), "id": str(i)})
        assert got.status_code == 200
        expected = analyzer.analyze(text, list(FEATURES), str(i))
        assert got.json() == _plain(expected)
    batch = c.post("/v1/batch", json={"documents": [{"text": t} for t in seed_texts], "features": ["quotes"]})
    assert [r["result"]["quotes"] for r in batch.json()["results"]] == [
        _plain(a)["quotes"] for a in analyzer.analyze_many(seed_texts, ["quotes"], [None] * len(seed_texts))
    ]


def _plain(obj: object) -> object:
    import msgspec

    return msgspec.json.decode(msgspec.json.encode(obj))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_the_analysis_process_has_one_thread(served: tuple[TestClient[Litestar], Litestar]) -> None:
    """The point of the process: spaCy's parse loop runs 25 % slower in a multi-threaded process."""
    c, app = served
    assert c.post("/v1/entities", json={"text": TEXT}).status_code == 200
    assert app.state.runtime._child.ready.threads == 1
    assert len(os.listdir(f"/proc/{child_pid(app)}/task")) == 1  # still one after analyses


def test_an_overrun_is_killed_and_the_process_restarted(
    served: tuple[TestClient[Litestar], Litestar],
) -> None:
    c, app = served
    first = child_pid(app)
    started = time.monotonic()
    resp = c.post("/v1/entities", json={"text": LONG})
    assert resp.status_code == 503 and resp.headers["retry-after"] == "1"
    assert time.monotonic() - started < 0.9  # answered at the budget, not when the analysis would end
    assert resp.json()["title"] == "Analysis time budget exceeded"
    deadline = time.monotonic() + 10
    while True:  # killed at once, not left running
        try:
            os.kill(first, 0)
        except ProcessLookupError:
            break
        if os.waitpid(first, os.WNOHANG)[0] == first:
            break
        assert time.monotonic() < deadline
        time.sleep(0.02)
    wait_ready(c)
    assert child_pid(app) != first and app.state.runtime.restarts == 1
    assert c.post("/v1/entities", json={"text": TEXT}).status_code == 200


def test_requests_queued_behind_a_restart_wait_for_it() -> None:
    """A request arriving while the process restarts is served once it is up (within its budget).
    The budget covers the pipeline's reload: 30 s, as a loaded 2-core VM took more than 8 s."""
    app = create_app(Settings(analysis_timeout=30.0, rate_limit=0))
    with TestClient(app) as c:
        wait_ready(c)
        os.kill(child_pid(app), signal.SIGKILL)  # dies between jobs
        time.sleep(0.2)
        assert c.get("/readyz").status_code == 503
        resp = c.post("/v1/entities", json={"text": TEXT})
        assert resp.status_code == 200 and resp.json()["entities"]
        assert app.state.runtime.restarts == 1


def test_a_process_dying_mid_analysis_is_a_500_then_served_again() -> None:
    app = create_app(Settings(analysis_timeout=20, rate_limit=0))
    with TestClient(app) as c:
        wait_ready(c)
        pid = child_pid(app)
        threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
        resp = c.post("/v1/batch", json={"documents": [{"text": LONG}] * 4})
        assert resp.status_code == 500 and resp.headers["content-type"].startswith("application/problem+json")
        wait_ready(c)
        assert child_pid(app) != pid
        assert c.post("/v1/entities", json={"text": TEXT}).status_code == 200


def test_a_model_that_fails_to_load_is_reported_by_readiness(
    tmp_path: os.PathLike[str], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(model=str(tmp_path)))  # an empty directory: no model there
    with TestClient(app) as c:
        deadline = time.monotonic() + 30
        while "failed to load" not in (detail := c.get("/readyz").json().get("detail", "")):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert c.get("/readyz").status_code == 503 and "failed" in detail
        assert c.post("/v1/entities", json={"text": TEXT}).status_code == 503
        assert c.get("/healthz").status_code == 200
    failures = [r for r in caplog.records if r.getMessage() == "pipeline failed to load"]
    assert failures and failures[0].levelno == logging.ERROR


def test_stopping_while_the_model_loads_is_not_logged_as_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    """A worker stopped during its (seconds-long) load logs the cancellation at info: an operator's
    alert on errors must not fire on every quick restart. The test above is the positive control."""
    with TestClient(create_app(Settings())) as c:
        assert c.get("/readyz").status_code == 503  # still loading when the client leaves
    messages = {r.getMessage(): r.levelno for r in caplog.records if r.name == "qawl.runtime"}
    assert "pipeline failed to load" not in messages
    assert any(m.startswith("pipeline load cancelled") and lv == logging.INFO for m, lv in messages.items())


def test_a_failed_restart_is_retried_until_the_process_is_back(tmp_path: os.PathLike[str]) -> None:
    import dataclasses

    app = create_app(Settings(rate_limit=0))
    with TestClient(app) as c:
        wait_ready(c)
        runtime = app.state.runtime
        good = runtime.settings
        runtime.settings = dataclasses.replace(good, model=str(tmp_path))  # the next start fails
        os.kill(child_pid(app), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while "failed to load" not in c.get("/readyz").json().get("detail", ""):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert c.post("/v1/entities", json={"text": TEXT}).status_code == 503
        runtime.settings = good  # the retry (after 1 s, then 2 s, ...) succeeds
        wait_ready(c)
        assert c.post("/v1/entities", json={"text": TEXT}).status_code == 200
