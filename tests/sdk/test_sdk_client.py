"""qawl.Client / qawl.AsyncClient: configuration, requests on the wire, response decoding, error
mapping and lifecycle. Every ``make`` test runs against both clients (see conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

import qawl
from qawl.types import Analysis, EntitiesResponse, Entity, Health, Info, Limits, Mention, ModelInfo, Problem

TEXT = "زار الرئيس المصري عبد الفتاح السيسي باريس"
ENTITIES = [
    Entity(
        id="e1",
        label="PER",
        name="عبد الفتاح السيسي",
        mentions=[Mention(start=18, end=35, text="عبد الفتاح السيسي")],
    ),
    Entity(id="e2", label="LOC", name="باريس", mentions=[Mention(start=36, end=41, text="باريس")]),
]
INFO = Info(
    service="qawl",
    version="0.1.0",
    features=["entities"],
    model=ModelInfo(
        name="ar_qawl_ner",
        version="0.1.0",
        lang="ar",
        pipeline=["tok2vec", "ner"],
        labels=["LOC", "MISC", "ORG", "PER"],
        training_data=["synthetic"],
        scores={"ents_f": 0.8},
    ),
    limits=Limits(max_text_chars=100_000, max_body_bytes=1_000_000, max_batch_docs=64),
)


def json_response(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=msgspec.json.encode(body), headers={"content-type": "application/json", **headers}
    )


def problem(status: int, title: str, **fields: Any) -> httpx.Response:
    headers = fields.pop("headers", {})
    return httpx.Response(
        status,
        content=msgspec.json.encode(Problem(status=status, title=title, **fields)),
        headers={"content-type": "application/problem+json", **headers},
    )


def echo_entities(request: httpx.Request) -> httpx.Response:
    body = msgspec.json.decode(request.content)
    return json_response(EntitiesResponse(id=body["id"], model="m", entities=ENTITIES))


# -- the public surface -------------------------------------------------------------------------


def test_public_surface() -> None:
    for name in qawl.__all__:
        assert hasattr(qawl, name), name
    assert qawl.__version__ == "0.1.0"
    assert qawl.DEFAULT_BASE_URL == "http://localhost:8000"
    assert qawl.DEFAULT_MAX_RETRIES == 2
    assert httpx.Timeout(30.0, connect=5.0) == qawl.DEFAULT_TIMEOUT
    assert qawl.Problem is Problem and qawl.types.Problem is Problem


def test_version_matches_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    pyproject = Path(__file__).resolve().parents[2] / "sdk" / "pyproject.toml"
    meta = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert meta["name"] == "qawl"
    assert meta["version"] == qawl.__version__
    assert sorted(meta["dependencies"]) == ["httpx>=0.27", "msgspec>=0.18"]


def test_exception_hierarchy() -> None:
    assert issubclass(qawl.APITimeoutError, qawl.APIConnectionError)
    assert issubclass(qawl.ServiceUnavailableError, qawl.InternalServerError)
    for cls in (
        qawl.BadRequestError,
        qawl.AuthenticationError,
        qawl.PermissionDeniedError,
        qawl.NotFoundError,
        qawl.ConflictError,
        qawl.PayloadTooLargeError,
        qawl.UnsupportedMediaTypeError,
        qawl.UnprocessableEntityError,
        qawl.RateLimitError,
        qawl.InternalServerError,
    ):
        assert issubclass(cls, qawl.APIStatusError)
    for base in (
        qawl.InvalidRequestError,
        qawl.APIConnectionError,
        qawl.APIResponseValidationError,
        qawl.APIStatusError,
    ):
        assert issubclass(base, qawl.QawlError)
        assert not issubclass(base, httpx.HTTPError)


# -- requests on the wire -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_entities_request_and_response(make: Any) -> None:
    h = make(echo_entities)
    result = await h.call("entities", TEXT, id="doc-7")
    assert result == EntitiesResponse(id="doc-7", model="m", entities=ENTITIES)
    [request] = h.requests
    assert request.method == "POST"
    assert str(request.url) == "http://qawl.test/v1/entities"
    assert request.headers["content-type"] == "application/json"
    assert msgspec.json.decode(request.content) == {"text": TEXT, "id": "doc-7"}
    assert msgspec.json.decode(request.content, type=qawl.types.EntitiesRequest).text == TEXT


@pytest.mark.asyncio
async def test_lone_surrogate_is_refused_before_sending(make: Any) -> None:
    h = make(echo_entities)
    with pytest.raises(qawl.InvalidRequestError, match=r"'\\ud800' at character 4") as info:
        await h.call("entities", "قال \ud800 كيري")
    assert isinstance(info.value, ValueError)
    assert h.attempts == 0  # nothing went on the wire, nothing was retried


@pytest.mark.asyncio
async def test_entities_without_id(make: Any) -> None:
    h = make(echo_entities)
    result = await h.call("entities", TEXT)
    assert result.id is None
    assert msgspec.json.decode(h.requests[0].content).get("id") is None


@pytest.mark.asyncio
async def test_analyze_request_and_response(make: Any) -> None:
    h = make(json_response({"id": None, "model": "m", "entities": msgspec.to_builtins(ENTITIES)}))
    result = await h.call("analyze", TEXT)
    assert isinstance(result, Analysis)
    assert result.entities == ENTITIES
    [request] = h.requests
    assert (request.method, request.url.path) == ("POST", "/v1/analyze")
    assert msgspec.json.decode(request.content) == {
        "text": TEXT,
        "id": None,
        "features": ["entities"],
        "targets": None,
    }


@pytest.mark.asyncio
async def test_analyze_features_and_missing_keys(make: Any) -> None:
    h = make(json_response({"id": "d", "model": "m"}))
    result = await h.call("analyze", TEXT, features=[], id="d")
    assert result.entities is msgspec.UNSET
    assert msgspec.json.decode(h.requests[0].content)["features"] == []


@pytest.mark.asyncio
async def test_info_and_health(make: Any) -> None:
    h = make(json_response(INFO), json_response({"status": "ok"}))
    assert await h.call("info") == INFO
    assert await h.call("health") == Health(status="ok")
    assert [(r.method, r.url.path, r.content) for r in h.requests] == [
        ("GET", "/v1/info", b""),
        ("GET", "/healthz", b""),
    ]
    assert "content-type" not in h.requests[0].headers


@pytest.mark.asyncio
async def test_ready(make: Any) -> None:
    h = make(
        json_response({"status": "ready"}),
        problem(503, "Service Unavailable", detail="model loading"),
        problem(500, "Internal Server Error"),
        httpx.ConnectError("refused"),
    )
    assert await h.call("ready") is True
    assert await h.call("ready") is False
    with pytest.raises(qawl.InternalServerError):
        await h.call("ready")
    with pytest.raises(qawl.APIConnectionError):
        await h.call("ready")
    assert [r.url.path for r in h.requests] == ["/readyz"] * 4
    assert h.sleeps == []


# -- headers and configuration ------------------------------------------------------------------


@pytest.mark.asyncio
async def test_default_headers(make: Any) -> None:
    h = make(echo_entities)
    await h.call("entities", TEXT)
    headers = h.requests[0].headers
    assert headers["user-agent"] == f"qawl-python/{qawl.__version__}"
    assert headers["accept"] == "application/json"
    assert "authorization" not in headers


@pytest.mark.asyncio
async def test_api_key_argument(make: Any) -> None:
    h = make(echo_entities, api_key="sk-arg")
    await h.call("entities", TEXT)
    assert h.requests[0].headers["authorization"] == "Bearer sk-arg"
    assert h.client.api_key == "sk-arg"


@pytest.mark.asyncio
async def test_api_key_from_env(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWL_API_KEY", "sk-env")
    h = make(json_response({"status": "ok"}))
    await h.call("health")
    assert h.requests[0].headers["authorization"] == "Bearer sk-env"


@pytest.mark.asyncio
async def test_api_key_argument_beats_env(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWL_API_KEY", "sk-env")
    h = make(json_response({"status": "ok"}), api_key="sk-arg")
    await h.call("health")
    assert h.requests[0].headers["authorization"] == "Bearer sk-arg"


@pytest.mark.asyncio
async def test_empty_api_key_env_sends_nothing(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWL_API_KEY", "")
    h = make(json_response({"status": "ok"}))
    await h.call("health")
    assert "authorization" not in h.requests[0].headers


@pytest.mark.asyncio
async def test_custom_default_headers(make: Any) -> None:
    h = make(echo_entities, default_headers={"X-Tenant": "t1", "User-Agent": "mine/1"})
    await h.call("entities", TEXT)
    headers = h.requests[0].headers
    assert headers["x-tenant"] == "t1"
    assert headers["user-agent"] == "mine/1"


@pytest.mark.asyncio
async def test_base_url_from_env(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWL_BASE_URL", "https://qawl.example.org/api/")
    h = make(json_response({"status": "ok"}), base_url=None)
    assert h.client.base_url == "https://qawl.example.org/api"
    await h.call("health")
    assert str(h.requests[0].url) == "https://qawl.example.org/api/healthz"


@pytest.mark.asyncio
async def test_base_url_argument_beats_env(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWL_BASE_URL", "https://env.example.org")
    h = make(json_response({"status": "ok"}), base_url="http://arg.example.org:9000/")
    await h.call("health")
    assert str(h.requests[0].url) == "http://arg.example.org:9000/healthz"


@pytest.mark.parametrize("cls", [qawl.Client, qawl.AsyncClient])
def test_base_url_default(cls: Any) -> None:
    client = cls(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    assert client.base_url == "http://localhost:8000"


@pytest.mark.parametrize("cls", [qawl.Client, qawl.AsyncClient])
@pytest.mark.parametrize("bad", ["localhost:8000", "ftp://example.org", "/v1"])
def test_base_url_must_be_http(cls: Any, bad: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        cls(bad)


@pytest.mark.parametrize(
    ("cls", "right", "wrong"),
    [(qawl.Client, httpx.Client, httpx.AsyncClient), (qawl.AsyncClient, httpx.AsyncClient, httpx.Client)],
)
def test_invalid_arguments(cls: Any, right: Any, wrong: Any) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        cls(max_retries=-1)
    with pytest.raises(ValueError, match="max_retries"):
        cls(max_retries=1.5)
    with pytest.raises(ValueError, match="http_client or transport"):
        cls(http_client=right(), transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    with pytest.raises(TypeError, match="http_client"):
        cls(http_client=wrong())


# -- timeouts -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_default_timeout_is_sent(make: Any) -> None:
    h = make(echo_entities)
    await h.call("entities", TEXT)
    assert h.requests[0].extensions["timeout"] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}


@pytest.mark.asyncio
async def test_client_and_per_call_timeouts(make: Any) -> None:
    h = make(echo_entities, timeout=12.5)
    await h.call("entities", TEXT)
    await h.call("entities", TEXT, timeout=httpx.Timeout(3.0, connect=1.0))
    await h.call("entities", TEXT, timeout=None)
    assert [r.extensions["timeout"] for r in h.requests] == [
        {"connect": 12.5, "read": 12.5, "write": 12.5, "pool": 12.5},
        {"connect": 1.0, "read": 3.0, "write": 3.0, "pool": 3.0},
        {"connect": None, "read": None, "write": None, "pool": None},
    ]
    assert h.client.timeout == httpx.Timeout(12.5)


@pytest.mark.asyncio
async def test_with_options(make: Any) -> None:
    h = make(echo_entities, api_key="k1", default_headers={"X-A": "1"})
    original = h.client
    h.client = original.with_options(api_key="k2", timeout=2.0, default_headers={"X-B": "2"})
    await h.call("entities", TEXT)
    request = h.requests[0]
    assert request.headers["authorization"] == "Bearer k2"
    assert (request.headers["x-a"], request.headers["x-b"]) == ("1", "2")
    assert request.extensions["timeout"]["read"] == 2.0
    # The original is unchanged and shares the connection pool.
    assert original.api_key == "k1" and original.timeout == qawl.DEFAULT_TIMEOUT
    assert h.client._client is original._client
    await h.close()  # closing the copy leaves the shared pool open
    assert not original.is_closed


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_problem_is_decoded_into_the_exception(make: Any) -> None:
    h = make(
        problem(
            422,
            "Unprocessable Entity",
            type="https://qawl.dev/problems/validation",
            detail="text must not be empty",
            instance="/v1/entities",
            field="text",
            headers={"X-Request-ID": "req-abc"},
        )
    )
    with pytest.raises(qawl.UnprocessableEntityError) as info:
        await h.call("entities", "")
    err = info.value
    assert err.problem == Problem(
        status=422,
        title="Unprocessable Entity",
        type="https://qawl.dev/problems/validation",
        detail="text must not be empty",
        instance="/v1/entities",
        field="text",
    )
    assert err.status_code == 422
    assert err.request_id == "req-abc"
    assert err.message == str(err) == "422 Unprocessable Entity: text must not be empty (field: text)"
    assert err.response.headers["x-request-id"] == "req-abc"


@pytest.mark.asyncio
async def test_error_without_request_id(make: Any) -> None:
    h = make(problem(401, "Unauthorized"))
    with pytest.raises(qawl.AuthenticationError) as info:
        await h.call("info")
    assert info.value.request_id is None
    assert str(info.value) == "401 Unauthorized"


@pytest.mark.asyncio
async def test_non_json_error_body(make: Any) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    h = make(httpx.Response(502, text=html, headers={"content-type": "text/html"}), max_retries=0)
    with pytest.raises(qawl.InternalServerError) as info:
        await h.call("entities", TEXT)
    err = info.value
    assert type(err) is qawl.InternalServerError
    assert err.problem is None
    assert err.status_code == 502
    assert str(err).startswith("502 Bad Gateway")
    assert "<h1>502 Bad Gateway</h1>" in str(err)


@pytest.mark.asyncio
async def test_empty_error_body(make: Any) -> None:
    h = make(httpx.Response(404))
    with pytest.raises(qawl.NotFoundError) as info:
        await h.call("info")
    assert info.value.problem is None
    assert str(info.value) == "404 Not Found"


@pytest.mark.asyncio
async def test_json_error_that_is_not_a_problem(make: Any) -> None:
    h = make(json_response({"error": "nope"}, status=403))
    with pytest.raises(qawl.PermissionDeniedError) as info:
        await h.call("info")
    assert info.value.problem is None
    assert '"error"' in str(info.value)


@pytest.mark.asyncio
async def test_long_error_body_is_truncated_in_message(make: Any) -> None:
    h = make(httpx.Response(400, text="x" * 5000))
    with pytest.raises(qawl.BadRequestError) as info:
        await h.call("info")
    assert len(str(info.value)) < 300
    assert len(info.value.response.text) == 5000


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "exc_type"),
    [(418, qawl.APIStatusError), (451, qawl.APIStatusError), (507, qawl.InternalServerError)],
)
async def test_unknown_statuses(make: Any, status: int, exc_type: type[qawl.APIStatusError]) -> None:
    h = make(problem(status, "Odd"), max_retries=0)
    with pytest.raises(qawl.APIStatusError) as info:
        await h.call("info")
    assert type(info.value) is exc_type
    assert info.value.status_code == status


@pytest.mark.asyncio
async def test_redirect_is_not_followed_and_raises(make: Any) -> None:
    h = make(httpx.Response(307, headers={"location": "http://elsewhere.test/v1/info"}))
    with pytest.raises(qawl.APIStatusError) as info:
        await h.call("info")
    assert info.value.status_code == 307
    assert h.attempts == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"",
        b'{"id": null, "model": "m"}',  # missing "entities"
        b'{"id": null, "model": "m", "entities": [{"id": "e1", "label": "DATE", "name": "x", '
        b'"mentions": []}]}',  # unknown label
        b'{"id": null, "model": "m", "entities": [{"id": "e1", "label": "PER", "name": "x", '
        b'"mentions": [{"start": -1, "end": 2, "text": "x"}]}]}',
    ],
)
async def test_undecodable_success_body(make: Any, body: bytes) -> None:
    h = make(httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    with pytest.raises(qawl.APIResponseValidationError) as info:
        await h.call("entities", TEXT)
    err = info.value
    assert err.status_code == 200
    assert err.response.content == body
    assert isinstance(err.__cause__, msgspec.DecodeError)
    assert "EntitiesResponse" in str(err)
    assert h.attempts == 1  # a bad body is not retried


# -- lifecycle ----------------------------------------------------------------------------------


def test_sync_context_manager_closes_client() -> None:
    transport = httpx.MockTransport(lambda request: json_response({"status": "ok"}))
    with qawl.Client(transport=transport) as client:
        assert client.health() == Health(status="ok")
        inner = client._client
        assert not client.is_closed
    assert client.is_closed and inner.is_closed
    with pytest.raises(RuntimeError):
        client.health()


@pytest.mark.asyncio
async def test_async_context_manager_closes_client() -> None:
    transport = httpx.MockTransport(lambda request: json_response({"status": "ok"}))
    async with qawl.AsyncClient(transport=transport) as client:
        assert await client.health() == Health(status="ok")
        inner = client._client
        assert not client.is_closed
    assert client.is_closed and inner.is_closed


def test_close_is_idempotent() -> None:
    client = qawl.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    client.close()
    client.close()
    assert client.is_closed


def test_user_http_client_is_used_and_left_open() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response({"status": "ok"})

    http_client = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-From-Http-Client": "yes"})
    with qawl.Client("http://qawl.test", http_client=http_client) as client:
        client.health()
    assert not http_client.is_closed
    assert seen[0].headers["x-from-http-client"] == "yes"
    assert seen[0].headers["user-agent"] == f"qawl-python/{qawl.__version__}"
    http_client.close()


@pytest.mark.asyncio
async def test_user_async_http_client_is_left_open() -> None:
    http_client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: json_response({"status": "ok"}))
    )
    async with qawl.AsyncClient("http://qawl.test", http_client=http_client) as client:
        assert await client.health() == Health(status="ok")
    assert not http_client.is_closed
    await http_client.aclose()


def test_repr_does_not_leak_api_key() -> None:
    client = qawl.Client(
        "http://qawl.test", api_key="sk-secret", transport=httpx.MockTransport(lambda r: httpx.Response(200))
    )
    assert repr(client) == "Client(base_url='http://qawl.test')"
    client.close()
