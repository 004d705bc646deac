"""Fixtures for the SDK tests: clients wired to an ``httpx.MockTransport``, with sleeping recorded
instead of done, for both ``qawl.Client`` and ``qawl.AsyncClient``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import qawl

BASE_URL = "http://qawl.test"

Handler = Callable[[httpx.Request], httpx.Response]


class Harness:
    """One client (sync or async) talking to ``handler``; records requests and sleeps."""

    def __init__(self, kind: str, handler: Handler, monkeypatch: pytest.MonkeyPatch, **client_kw: Any):
        self.kind = kind
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            assert len(self.requests) <= 100, "runaway retry loop"
            return handler(request)

        client_kw.setdefault("base_url", BASE_URL)
        transport = httpx.MockTransport(record)
        self.client: qawl.Client | qawl.AsyncClient
        if kind == "sync":
            self.client = qawl.Client(transport=transport, **client_kw)
            monkeypatch.setattr(self.client, "_sleep", self.sleeps.append)
        else:
            self.client = qawl.AsyncClient(transport=transport, **client_kw)

            async def sleep(seconds: float) -> None:
                self.sleeps.append(seconds)

            monkeypatch.setattr(self.client, "_sleep", sleep)

    @property
    def attempts(self) -> int:
        return len(self.requests)

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``client.<method>``, awaiting it for the async client."""
        result = getattr(self.client, method)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def close(self) -> None:
        if isinstance(self.client, qawl.AsyncClient):
            await self.client.aclose()
        else:
            self.client.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own QAWL_* settings must not leak into the tests."""
    monkeypatch.delenv("QAWL_BASE_URL", raising=False)
    monkeypatch.delenv("QAWL_API_KEY", raising=False)


Step = httpx.Response | Exception | Handler


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Harness]]:
    """``make(*steps, **client_kwargs) -> Harness``, once per client kind.

    One callable step answers every request; otherwise the steps are played once each, in order.
    """
    kind: str = request.param

    def factory(*steps: Step, **client_kw: Any) -> Harness:
        if len(steps) == 1 and callable(steps[0]) and not isinstance(steps[0], httpx.Response):
            handler = steps[0]
        else:
            handler = _sequence(steps)
        return Harness(kind, handler, monkeypatch, **client_kw)

    yield factory


def _sequence(steps: tuple[Step, ...]) -> Handler:
    """A handler that plays ``steps`` in order: return a response, raise an exception, or call."""
    remaining = list(steps)

    def handler(request: httpx.Request) -> httpx.Response:
        assert remaining, f"unexpected extra request: {request.method} {request.url}"
        step = remaining.pop(0)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    return handler
