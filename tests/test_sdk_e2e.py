"""The SDK against the real server (``qawl-service serve`` on a loopback port): API keys, 429 with
``Retry-After`` and ``RateLimit-*`` headers, and the SDK waiting them out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from live_server import free_port, wait_ready  # tests/ is on sys.path (no package)

import qawl

# One bucket per key: each test uses its own key, so they do not drain each other's allowance.
KEYS = {name: f"e2e-{name}-key-0123456789abcdef" for name in ("retry", "exhaust", "auth", "async")}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
    env.update(
        QAWL_API_KEYS=",".join(KEYS.values()),
        QAWL_RATE_LIMIT="2",  # bursts of 2, then one request per second
        QAWL_RATE_LIMIT_WINDOW="2",
        QAWL_LOG_LEVEL="warning",
    )
    cmd = [sys.executable, "-m", "qawl_service", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
    )
    try:
        wait_ready(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(autouse=True)
def _no_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QAWL_API_KEY", raising=False)


def recording_http() -> tuple[httpx.Client, list[httpx.Response]]:
    seen: list[httpx.Response] = []
    return httpx.Client(event_hooks={"response": [seen.append]}), seen


def test_sdk_waits_out_a_429_as_retry_after_says(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    http, seen = recording_http()
    with http, qawl.Client(server, api_key=KEYS["retry"], http_client=http, max_retries=2) as client:
        sleeps: list[float] = []
        real_sleep = client._sleep
        monkeypatch.setattr(client, "_sleep", lambda s: (sleeps.append(s), real_sleep(s))[1])
        started = time.monotonic()
        results = [client.entities("وقال كيري بعيد وصوله الى جنيف") for _ in range(3)]
        elapsed = time.monotonic() - started
    assert all(r.entities for r in results)
    statuses = [r.status_code for r in seen]
    assert statuses == [200, 200, 429, 200]
    limited = seen[2]
    assert limited.headers["ratelimit-limit"] == "2" and limited.headers["ratelimit-remaining"] == "0"
    assert sleeps == [float(limited.headers["retry-after"])] and sleeps[0] >= 1
    assert elapsed >= sleeps[0]
    assert seen[3].headers["ratelimit-policy"] == "2;w=2"


def test_sdk_raises_rate_limit_error_once_retries_are_spent(server: str) -> None:
    with qawl.Client(server, api_key=KEYS["exhaust"], max_retries=0) as client:
        client.info()
        client.info()
        with pytest.raises(qawl.RateLimitError) as err:
            client.info()
    e = err.value
    assert e.status_code == 429 and e.problem is not None and e.problem.title == "Too many requests"
    assert int(e.response.headers["retry-after"]) >= 1 and "ratelimit-reset" in e.response.headers
    assert e.request_id and len(e.request_id) == 32


def test_sdk_without_or_with_a_wrong_key_raises_authentication_error(server: str) -> None:
    for api_key in (None, "not-a-valid-key-0123456789"):
        with qawl.Client(server, api_key=api_key) as client:
            with pytest.raises(qawl.AuthenticationError) as err:
                client.entities("قال كيري")
            assert err.value.problem is not None and err.value.status_code == 401
            assert err.value.response.headers["www-authenticate"].startswith("Bearer")
            assert client.health().status == "ok"  # health stays open
    headers = {"X-API-Key": KEYS["auth"]}
    with qawl.Client(server, default_headers=headers) as client:
        assert client.info().model.labels


@pytest.mark.asyncio
async def test_async_sdk_honours_retry_after(server: str) -> None:
    seen: list[int] = []

    async def record(response: httpx.Response) -> None:
        seen.append(response.status_code)

    async with (
        httpx.AsyncClient(event_hooks={"response": [record]}) as http,
        qawl.AsyncClient(server, api_key=KEYS["async"], http_client=http, max_retries=1) as client,
    ):
        for _ in range(3):
            assert (await client.info()).service == "qawl"
    assert seen == [200, 200, 429, 200]
