"""Graceful shutdown: the real server as a subprocess, SIGTERM mid-request; and the signal hook in-process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient
from live_server import free_port, wait_ready  # tests/ is on sys.path (no package)

from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_drains_the_in_flight_request_and_exits_0() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
    # The analysis budget (25 s by default) must not end the request this test drains: on a slow machine
    # (stop 24's VM) the batch below took longer than that and was answered 503.
    env.update(QAWL_LOG_LEVEL="info", QAWL_SHUTDOWN_DELAY="1", QAWL_ANALYSIS_TIMEOUT="90")
    cmd = [sys.executable, "-m", "qawl_service", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_ready(base, proc)
        # Seconds of analysis whatever the machine: a batch of 5 documents of 90,000 characters
        # (0.9 MB of JSON; about 8 s on a VM whose entities run at 9,000 words/s).
        text = ((SEED.read_text(encoding="utf-8") + "\n") * 50)[:90_000]
        docs = [{"id": str(i), "text": text} for i in range(5)]
        outcome: dict[str, httpx.Response | BaseException] = {}

        def post() -> None:
            try:
                outcome["response"] = httpx.post(
                    f"{base}/v1/batch",
                    json={"documents": docs, "features": ["entities"]},
                    headers={"X-Request-ID": "slow-1"},
                    timeout=120,
                )
            except BaseException as exc:  # reported by the assertion below
                outcome["response"] = exc

        worker = threading.Thread(target=post)
        worker.start()
        time.sleep(0.5)  # the request is in flight: its analysis takes seconds
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)

        # During QAWL_SHUTDOWN_DELAY the listener stays open and readiness answers 503.
        readiness = None
        while time.monotonic() - signalled < 0.9 and readiness != 503:
            readiness = httpx.get(f"{base}/readyz", timeout=2).status_code
        assert readiness == 503
        assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200  # still alive meanwhile

        worker.join(timeout=120)
        response = outcome["response"]
        assert isinstance(response, httpx.Response), response
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [r["id"] for r in results] == [d["id"] for d in docs] and all(r["ok"] for r in results)
        for r in results:  # the drained request carries its full result
            entities = r["result"]["entities"]
            assert entities
            assert all(text[m["start"] : m["end"]] == m["text"] for e in entities for m in e["mentions"])

        code = proc.wait(timeout=45)
        assert code == 0
        assert time.monotonic() - signalled < 40
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = proc.stdout.read() if proc.stdout else ""
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]  # every line is JSON
    messages = [line["msg"] for line in lines]
    assert any("SIGTERM: readiness is 503" in m for m in messages)
    slow = [i for i, line in enumerate(lines) if line.get("request_id") == "slow-1"]
    assert len(slow) == 1 and lines[slow[0]]["status"] == 200
    assert lines[slow[0]]["text_chars"] == len(text) * len(docs)
    # The request finished after uvicorn had stopped listening: it was drained, not raced.
    assert messages.index("Shutting down") < slow[0]
    assert text[:40] not in out  # the text itself is never logged


def test_signal_hook_flips_readiness_and_chains_the_servers_handler(analyzer: Analyzer) -> None:
    """In the main thread (as under uvicorn): SIGTERM marks the runtime shutting down at once, then
    hands the signal to the handler that was there before (uvicorn's)."""
    received: list[int] = []

    def server_handler(sig: int, frame: object) -> None:
        received.append(sig)

    previous = signal.signal(signal.SIGTERM, server_handler)
    try:
        import asyncio

        app = create_app(Settings(), analyzer)

        async def scenario() -> tuple[int, int]:
            async with app.lifespan():
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://qawl.test") as client:
                    before = (await client.get("/readyz")).status_code
                    signal.raise_signal(signal.SIGTERM)
                    await asyncio.sleep(0)
                    after = (await client.get("/readyz")).status_code
                    problem = await client.post("/v1/entities", json={"text": "قال كيري"})
                    assert problem.status_code == 503 and problem.headers["retry-after"] == "1"
                    return before, after

        before, after = asyncio.run(scenario())
        assert (before, after) == (200, 503)
        assert received == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is server_handler  # the app's hook is gone again
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_no_hook_outside_the_main_thread(analyzer: Analyzer) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with TestClient(create_app(Settings(), analyzer)) as client:  # runs the app in a portal thread
        assert client.get("/readyz").status_code == 200
        assert signal.getsignal(signal.SIGTERM) is before
