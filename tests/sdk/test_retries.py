"""Retry behaviour of qawl.Client and qawl.AsyncClient (every client test runs against both),
plus the pure retry policy in qawl._retry."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest

import qawl
from qawl import _retry
from qawl.types import EntitiesResponse, Entity, Mention, Problem

TEXT = "زار الرئيس المصري عبد الفتاح السيسي باريس"

OK_BODY = EntitiesResponse(
    id="doc-1",
    model="ar_qawl_ner-0.1.0",
    entities=[
        Entity(
            id="e1",
            label="PER",
            name="عبد الفتاح السيسي",
            mentions=[Mention(start=18, end=35, text="عبد الفتاح السيسي")],
        ),
        Entity(id="e2", label="LOC", name="باريس", mentions=[Mention(start=36, end=41, text="باريس")]),
    ],
)


def ok(request: httpx.Request | None = None) -> httpx.Response:
    return httpx.Response(
        200, content=msgspec.json.encode(OK_BODY), headers={"content-type": "application/json"}
    )


def problem(
    status: int,
    title: str = "Error",
    *,
    detail: str | None = None,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = Problem(status=status, title=title, detail=detail, field=field)
    return httpx.Response(
        status,
        content=msgspec.json.encode(body),
        headers={"content-type": "application/problem+json", **(headers or {})},
    )


def always(make_response: Callable[[], httpx.Response]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: make_response()


def raising(error: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error("boom", request=request)

    return handler


def assert_backoff(sleeps: list[float], expected: list[float]) -> None:
    """Each sleep is the nominal backoff scaled by a jitter factor in [0.75, 1.0]."""
    assert len(sleeps) == len(expected)
    for got, nominal in zip(sleeps, expected, strict=True):
        assert 0.75 * nominal <= got <= nominal, (sleeps, expected)


# -- retried statuses ---------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
async def test_retryable_status_then_success(make: Any, status: int) -> None:
    h = make(problem(status, "Flaky"), problem(status, "Flaky"), ok())
    result = await h.call("entities", TEXT, id="doc-1")
    assert result == OK_BODY
    assert h.attempts == 3
    assert_backoff(h.sleeps, [0.5, 1.0])
    # The same request is re-sent: same method, URL and body each time.
    assert {(r.method, str(r.url), r.content) for r in h.requests} == {
        ("POST", "http://qawl.test/v1/entities", h.requests[0].content)
    }
    assert msgspec.json.decode(h.requests[0].content) == {"text": TEXT, "id": "doc-1"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "error", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectTimeout]
)
async def test_transport_error_then_success(make: Any, error: type[httpx.TransportError]) -> None:
    h = make(raising(error), ok)
    assert await h.call("entities", TEXT) == OK_BODY
    assert h.attempts == 2
    assert_backoff(h.sleeps, [0.5])


@pytest.mark.asyncio
async def test_get_endpoints_are_retried_too(make: Any) -> None:
    h = make(problem(503), httpx.Response(200, json={"status": "ok"}))
    health = await h.call("health")
    assert health == qawl.types.Health(status="ok")
    assert h.attempts == 2
    assert [r.url.path for r in h.requests] == ["/healthz", "/healthz"]


# -- giving up ----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "exc_type"),
    [
        (503, qawl.ServiceUnavailableError),
        (429, qawl.RateLimitError),
        (502, qawl.InternalServerError),
        (504, qawl.InternalServerError),
    ],
)
async def test_gives_up_after_max_retries(
    make: Any, status: int, exc_type: type[qawl.APIStatusError]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return problem(
            status,
            "Model not loaded",
            detail="the NER model is still loading",
            headers={"x-request-id": f"req-{len(h.requests)}"},
        )

    h = make(handler)
    with pytest.raises(exc_type) as info:
        await h.call("entities", TEXT)
    assert type(info.value) is exc_type
    assert h.attempts == 3  # default max_retries=2
    assert len(h.sleeps) == 2
    err = info.value
    assert isinstance(err, qawl.APIStatusError)
    assert err.status_code == status
    assert err.problem == Problem(
        status=status, title="Model not loaded", detail="the NER model is still loading"
    )
    assert err.request_id == "req-3"  # from the last response
    assert err.response.status_code == status
    assert err.request.url.path == "/v1/entities"
    assert "Model not loaded" in str(err) and "still loading" in str(err)


@pytest.mark.asyncio
async def test_max_retries_from_client(make: Any) -> None:
    h = make(always(lambda: problem(503)), max_retries=4)
    with pytest.raises(qawl.ServiceUnavailableError):
        await h.call("entities", TEXT)
    assert h.attempts == 5
    assert_backoff(h.sleeps, [0.5, 1.0, 2.0, 4.0])


@pytest.mark.asyncio
async def test_max_retries_zero(make: Any) -> None:
    h = make(always(lambda: problem(503)), max_retries=0)
    with pytest.raises(qawl.ServiceUnavailableError):
        await h.call("entities", TEXT)
    assert h.attempts == 1
    assert h.sleeps == []


@pytest.mark.asyncio
async def test_max_retries_zero_transport_error(make: Any) -> None:
    h = make(raising(httpx.ConnectError), max_retries=0)
    with pytest.raises(qawl.APIConnectionError):
        await h.call("info")
    assert h.attempts == 1
    assert h.sleeps == []


@pytest.mark.asyncio
@pytest.mark.parametrize(("client_retries", "call_retries", "attempts"), [(2, 0, 1), (0, 3, 4), (5, 1, 2)])
async def test_max_retries_per_call_override(
    make: Any, client_retries: int, call_retries: int, attempts: int
) -> None:
    h = make(always(lambda: problem(502)), max_retries=client_retries)
    with pytest.raises(qawl.InternalServerError):
        await h.call("entities", TEXT, max_retries=call_retries)
    assert h.attempts == attempts
    # The override is for that call only.
    assert h.client.max_retries == client_retries


@pytest.mark.asyncio
async def test_with_options_max_retries(make: Any) -> None:
    h = make(always(lambda: problem(502)))
    h.client = h.client.with_options(max_retries=0)
    with pytest.raises(qawl.InternalServerError):
        await h.call("entities", TEXT)
    assert h.attempts == 1


# -- not retried --------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "exc_type"),
    [
        (400, qawl.BadRequestError),
        (401, qawl.AuthenticationError),
        (403, qawl.PermissionDeniedError),
        (404, qawl.NotFoundError),
        (409, qawl.ConflictError),
        (413, qawl.PayloadTooLargeError),
        (415, qawl.UnsupportedMediaTypeError),
        (422, qawl.UnprocessableEntityError),
        (500, qawl.InternalServerError),
    ],
)
async def test_non_retryable_status_raises_at_once(
    make: Any, status: int, exc_type: type[qawl.APIStatusError]
) -> None:
    # Even a Retry-After header does not make these retryable.
    h = make(always(lambda: problem(status, "Nope", field="text", headers={"retry-after": "1"})))
    with pytest.raises(exc_type) as info:
        await h.call("entities", TEXT)
    assert type(info.value) is exc_type
    assert h.attempts == 1
    assert h.sleeps == []
    assert info.value.problem is not None and info.value.problem.field == "text"


@pytest.mark.asyncio
@pytest.mark.parametrize("error", [httpx.UnsupportedProtocol, httpx.LocalProtocolError])
async def test_non_retryable_transport_errors(make: Any, error: type[httpx.TransportError]) -> None:
    h = make(raising(error))
    with pytest.raises(qawl.APIConnectionError) as info:
        await h.call("entities", TEXT)
    assert isinstance(info.value.__cause__, error)
    assert h.attempts == 1


@pytest.mark.asyncio
async def test_ready_is_never_retried(make: Any) -> None:
    h = make(always(lambda: problem(503, "Not ready", headers={"retry-after": "2"})))
    assert await h.call("ready") is False
    assert h.attempts == 1
    assert h.sleeps == []


# -- Retry-After --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_retry_after_seconds(make: Any) -> None:
    h = make(
        problem(429, headers={"retry-after": "3"}),
        problem(503, headers={"retry-after": "7"}),
        ok(),
    )
    assert await h.call("entities", TEXT) == OK_BODY
    assert h.sleeps == [3.0, 7.0]


@pytest.mark.asyncio
async def test_retry_after_fractional_seconds(make: Any) -> None:
    h = make(problem(429, headers={"retry-after": "1.5"}), ok())
    await h.call("entities", TEXT)
    assert h.sleeps == [1.5]


@pytest.mark.asyncio
async def test_retry_after_ms(make: Any) -> None:
    # retry-after-ms is more precise and wins over retry-after.
    h = make(problem(429, headers={"retry-after-ms": "250", "retry-after": "9"}), ok())
    await h.call("entities", TEXT)
    assert h.sleeps == [0.25]


@pytest.mark.asyncio
async def test_retry_after_http_date(make: Any) -> None:
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    h = make(problem(503, headers={"retry-after": when}), ok())
    await h.call("entities", TEXT)
    assert len(h.sleeps) == 1
    # HTTP dates have one-second resolution, and a little time passes before parsing.
    assert 8.0 < h.sleeps[0] <= 10.0


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "value",
    [
        "0",  # not > 0
        "-5",
        "61",  # over the 60 s cap
        "3600",
        "soon",  # garbage
        "Wed, 21 Oct 2015 07:28:00 GMT",  # in the past
        "nan",
        "inf",
    ],
)
async def test_unreasonable_retry_after_falls_back_to_backoff(make: Any, value: str) -> None:
    h = make(problem(503, headers={"retry-after": value}), problem(503, headers={"retry-after": value}), ok())
    await h.call("entities", TEXT)
    assert_backoff(h.sleeps, [0.5, 1.0])


@pytest.mark.asyncio
async def test_retry_after_does_not_extend_retry_budget(make: Any) -> None:
    h = make(always(lambda: problem(429, headers={"retry-after": "2"})), max_retries=1)
    with pytest.raises(qawl.RateLimitError):
        await h.call("entities", TEXT)
    assert h.attempts == 2
    assert h.sleeps == [2.0]


# -- backoff ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_backoff_grows_and_is_capped(make: Any) -> None:
    h = make(always(lambda: problem(503)), max_retries=7)
    with pytest.raises(qawl.ServiceUnavailableError):
        await h.call("entities", TEXT)
    assert h.attempts == 8
    assert_backoff(h.sleeps, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0])
    assert max(h.sleeps) <= _retry.MAX_RETRY_DELAY


@pytest.mark.asyncio
async def test_backoff_after_transport_errors(make: Any) -> None:
    h = make(raising(httpx.ReadError), max_retries=3)
    with pytest.raises(qawl.APIConnectionError):
        await h.call("entities", TEXT)
    assert h.attempts == 4
    assert_backoff(h.sleeps, [0.5, 1.0, 2.0])


def test_backoff_delay_exact_without_jitter() -> None:
    assert [_retry.backoff_delay(n, rand=lambda: 0.0) for n in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]
    assert _retry.backoff_delay(10_000, rand=lambda: 0.0) == 8.0  # no overflow for huge counts


def test_backoff_delay_jitter_range() -> None:
    assert [_retry.backoff_delay(n, rand=lambda: 1.0) for n in range(5)] == [0.375, 0.75, 1.5, 3.0, 6.0]
    delays = {_retry.backoff_delay(2) for _ in range(50)}
    assert all(1.5 <= d <= 2.0 for d in delays)
    assert len(delays) > 1  # actually jittered


# -- x-should-retry -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_x_should_retry_false_overrides_retryable_status(make: Any) -> None:
    h = make(always(lambda: problem(503, headers={"x-should-retry": "false"})))
    with pytest.raises(qawl.ServiceUnavailableError):
        await h.call("entities", TEXT)
    assert h.attempts == 1
    assert h.sleeps == []


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [400, 409, 500])
async def test_x_should_retry_true_overrides_status(make: Any, status: int) -> None:
    h = make(problem(status, headers={"x-should-retry": "true"}), ok())
    assert await h.call("entities", TEXT) == OK_BODY
    assert h.attempts == 2


@pytest.mark.asyncio
async def test_x_should_retry_true_respects_max_retries(make: Any) -> None:
    h = make(always(lambda: problem(409, headers={"x-should-retry": "True"})), max_retries=1)
    with pytest.raises(qawl.ConflictError):
        await h.call("entities", TEXT)
    assert h.attempts == 2


# -- timeouts and connection errors ------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.WriteTimeout, httpx.PoolTimeout]
)
async def test_timeouts_raise_api_timeout_error(make: Any, error: type[httpx.TransportError]) -> None:
    h = make(raising(error))
    with pytest.raises(qawl.APITimeoutError) as info:
        await h.call("entities", TEXT)
    assert isinstance(info.value, qawl.APIConnectionError)
    assert isinstance(info.value.__cause__, error)
    assert info.value.request is not None and info.value.request.url.path == "/v1/entities"
    assert h.attempts == 3
    assert len(h.sleeps) == 2


@pytest.mark.asyncio
async def test_connection_error_is_not_a_timeout(make: Any) -> None:
    h = make(raising(httpx.ConnectError))
    with pytest.raises(qawl.APIConnectionError) as info:
        await h.call("analyze", TEXT)
    assert not isinstance(info.value, qawl.APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "boom" in str(info.value)
    assert h.attempts == 3


@pytest.mark.asyncio
async def test_transport_error_then_status_error(make: Any) -> None:
    """Mixed failures share one retry budget; the last failure decides the exception."""
    h = make(raising(httpx.ConnectError), problem(502), problem(422, "Invalid", field="text"))
    with pytest.raises(qawl.UnprocessableEntityError):
        await h.call("entities", TEXT)
    assert h.attempts == 3


@pytest.mark.asyncio
async def test_non_transport_exceptions_propagate_unretried(make: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug in a transport")

    h = make(handler)
    with pytest.raises(RuntimeError, match="bug in a transport"):
        await h.call("entities", TEXT)
    assert h.attempts == 1


# -- the pure policy ----------------------------------------------------------------------------


def test_parse_retry_after_forms() -> None:
    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:27:30 GMT").timestamp()

    def parse(**headers: str) -> float | None:
        headers_ = httpx.Headers({k.replace("_", "-"): v for k, v in headers.items()})
        seconds: float | None = _retry.parse_retry_after(headers_, now=now)
        return seconds

    assert parse() is None
    assert parse(retry_after="120") == 120.0
    assert parse(retry_after=" 2 ") == 2.0
    assert parse(retry_after="Wed, 21 Oct 2015 07:28:00 GMT") == 30.0
    assert parse(retry_after="Wed, 21 Oct 2015 07:27:00 GMT") == -30.0
    assert parse(retry_after="Wed, 21 Oct 2015 07:28:00 -0000") == 30.0
    assert parse(retry_after="tomorrow") is None
    assert parse(retry_after="") is None
    assert parse(retry_after_ms="1500") == 1.5
    assert parse(retry_after_ms="junk", retry_after="4") == 4.0


def test_retry_delay_prefers_reasonable_retry_after() -> None:
    no_jitter: Callable[[], float] = lambda: 0.0  # noqa: E731
    assert _retry.retry_delay(3, httpx.Headers({"retry-after": "60"}), rand=no_jitter) == 60.0
    assert _retry.retry_delay(3, httpx.Headers({"retry-after": "60.5"}), rand=no_jitter) == 4.0
    assert _retry.retry_delay(3, httpx.Headers({"retry-after": "0"}), rand=no_jitter) == 4.0
    assert _retry.retry_delay(3, None, rand=no_jitter) == 4.0


def test_should_retry_response_table() -> None:
    def decide(status: int, **headers: str) -> bool:
        response = httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()})
        retry: bool = _retry.should_retry_response(response)
        return retry

    assert [s for s in range(400, 600) if decide(s)] == [408, 429, 502, 503, 504]
    assert decide(503, x_should_retry="false") is False
    assert decide(400, x_should_retry="TRUE") is True
    assert decide(503, x_should_retry="maybe") is True  # unknown values are ignored
