"""Auth, rate limits, request ids, the request log and the analysis time budget."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import Problem
from qawl_service.analyzer import Analyzer
from qawl_service.api import auth as auth_module
from qawl_service.api.auth import KeyRing
from qawl_service.api.ratelimit import RateLimiter
from qawl_service.app import create_app
from qawl_service.openapi import openapi_json
from qawl_service.settings import Settings

KEY_A = "test-key-a-0123456789abcdef"
KEY_B = "test-key-b-0123456789abcdef"
TEXT = "وقال كيري بعيد وصوله الى جنيف"


def problem(resp: httpx.Response, status: int) -> Problem:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    return msgspec.json.decode(resp.content, type=Problem)


@pytest.fixture()
def keyed(analyzer: Analyzer) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(Settings(api_keys=(KEY_A, KEY_B)), analyzer)) as c:
        yield c


def log_lines(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


# ---------------------------------------------------------------------------------- auth


def test_v1_needs_a_key_health_does_not(keyed: TestClient[Litestar]) -> None:
    p = problem(keyed.post("/v1/entities", json={"text": TEXT}), 401)
    assert p.title == "Missing API key"
    assert problem(keyed.get("/v1/info"), 401).status == 401
    assert keyed.get("/healthz").status_code == 200
    assert keyed.get("/readyz").status_code == 200


def test_missing_and_wrong_keys_are_401_with_www_authenticate(keyed: TestClient[Litestar]) -> None:
    missing = keyed.post("/v1/entities", json={"text": TEXT})
    assert missing.headers["www-authenticate"] == 'Bearer realm="qawl"'
    for headers in (
        {"Authorization": "Bearer not-the-key-0123456789"},
        {"Authorization": f"Bearer {KEY_A}x"},
        {"Authorization": f"Bearer {KEY_A[:-1]}"},
        {"X-API-Key": "nope"},
        {"Authorization": f"Basic {KEY_A}"},  # not a bearer: no key presented
    ):
        resp = keyed.post("/v1/entities", json={"text": TEXT}, headers=headers)
        p = problem(resp, 401)
        assert resp.headers["www-authenticate"].startswith('Bearer realm="qawl"')
        assert KEY_A not in resp.text and "not-the-key" not in resp.text
        assert p.title in ("Invalid API key", "Missing API key")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": f"Bearer {KEY_A}"},
        {"Authorization": f"bearer   {KEY_B}  "},
        {"X-API-Key": KEY_A},
        {"X-API-Key": KEY_B},
    ],
)
def test_bearer_or_x_api_key_with_any_configured_key(keyed: TestClient[Litestar], headers: dict) -> None:  # type: ignore[type-arg]
    resp = keyed.post("/v1/entities", json={"text": TEXT}, headers=headers)
    assert resp.status_code == 200, resp.text
    assert keyed.get("/v1/info", headers=headers).status_code == 200


def test_auth_runs_before_body_validation(keyed: TestClient[Litestar]) -> None:
    """An unauthenticated caller learns nothing about the request: 401 before 415/422."""
    problem(keyed.post("/v1/entities", content=b"x", headers={"content-type": "text/plain"}), 401)
    problem(keyed.post("/v1/entities", json={"nope": 1}), 401)


def test_keys_are_compared_in_constant_time_against_all_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    ring = KeyRing([KEY_A, KEY_B, "third-key-0123456789abcdef"])
    calls: list[tuple[bytes, bytes]] = []
    real = auth_module.hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth_module.hmac, "compare_digest", counting)
    assert ring.match(KEY_A.encode()) is not None
    assert len(calls) == 3, "no early exit on the first match"
    assert all(len(a) == len(b) == 32 for a, b in calls), "digests, so lengths never differ"
    calls.clear()
    assert ring.match(b"wrong") is None and len(calls) == 3
    assert ring.match(KEY_A.encode()) != ring.match(KEY_B.encode())


def test_bad_keys_fail_at_startup_without_revealing_them(analyzer: Analyzer) -> None:
    for bad in ("short", "has space in it 0123456789", "comma,inside-0123456789", "ключ-0123456789abcdef"):
        with pytest.raises(ValueError) as err:
            create_app(Settings(api_keys=(KEY_A, bad)), analyzer)
        assert bad not in str(err.value) and "#2" in str(err.value)


def test_settings_never_show_keys() -> None:
    settings = Settings(api_keys=(KEY_A,))
    assert KEY_A not in repr(settings) and KEY_A not in str(settings)
    assert repr(KeyRing([KEY_A])) == "KeyRing(1 keys)"


def test_keys_from_env_and_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QAWL_API_KEYS_FILE", raising=False)
    monkeypatch.setenv("QAWL_API_KEYS", f" {KEY_A} , {KEY_B},,")
    assert Settings.from_env().api_keys == (KEY_A, KEY_B)
    keyfile = tmp_path / "keys"
    keyfile.write_text(f"# newsroom\n{KEY_B}\n\n  third-key-0123456789abcdef  \n", encoding="utf-8")
    monkeypatch.setenv("QAWL_API_KEYS_FILE", str(keyfile))
    assert Settings.from_env().api_keys == (KEY_A, KEY_B, "third-key-0123456789abcdef")
    monkeypatch.delenv("QAWL_API_KEYS")
    assert Settings.from_env().api_keys == (KEY_B, "third-key-0123456789abcdef")
    monkeypatch.delenv("QAWL_API_KEYS_FILE")
    assert Settings.from_env().api_keys == ()  # no variable: auth off


def test_keys_set_but_empty_or_unreadable_fail_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("QAWL_API_KEYS_FILE", raising=False)
    monkeypatch.setenv("QAWL_API_KEYS", " , ")
    with pytest.raises(ValueError, match="QAWL_API_KEYS"):
        Settings.from_env()
    monkeypatch.delenv("QAWL_API_KEYS")
    empty = tmp_path / "empty"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    monkeypatch.setenv("QAWL_API_KEYS_FILE", str(empty))
    with pytest.raises(ValueError, match="holds no key"):
        Settings.from_env()
    monkeypatch.setenv("QAWL_API_KEYS_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="cannot be read"):
        Settings.from_env()


def test_other_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QAWL_API_KEYS", "QAWL_API_KEYS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QAWL_RATE_LIMIT", "0")
    monkeypatch.setenv("QAWL_RATE_LIMIT_WINDOW", "1.5")
    monkeypatch.setenv("QAWL_ANALYSIS_TIMEOUT", "2.5")
    monkeypatch.setenv("QAWL_SHUTDOWN_DELAY", "3")
    s = Settings.from_env()
    assert (s.rate_limit, s.rate_limit_window, s.analysis_timeout, s.shutdown_delay) == (0, 1.5, 2.5, 3.0)
    for name, value in (
        ("QAWL_ANALYSIS_TIMEOUT", "0"),
        ("QAWL_RATE_LIMIT", "-1"),
        ("QAWL_SHUTDOWN_DELAY", "x"),
    ):
        monkeypatch.setenv(name, value)
        with pytest.raises(ValueError, match=name):
            Settings.from_env()
        monkeypatch.delenv(name)


def test_limits_that_contradict_each_other_fail_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text limit no request body could carry is refused when the settings are read, not found out
    by a client's 413. The default and a raised text limit that still fits are the positive controls."""
    for name in ("QAWL_API_KEYS", "QAWL_API_KEYS_FILE", "QAWL_MAX_BODY_BYTES", "QAWL_MAX_TEXT_CHARS"):
        monkeypatch.delenv(name, raising=False)
    s = Settings.from_env()
    assert s.max_body_bytes >= 6 * s.max_text_chars  # the defaults agree, escaped Arabic included
    monkeypatch.setenv("QAWL_MAX_TEXT_CHARS", "300000")
    assert Settings.from_env().max_text_chars == 300_000  # 1.8 MB escaped: fits in 2 MiB
    monkeypatch.setenv("QAWL_MAX_TEXT_CHARS", "1000000")
    with pytest.raises(ValueError, match="QAWL_MAX_BODY_BYTES=2097152 cannot hold a text of QAWL_MAX"):
        Settings.from_env()
    monkeypatch.setenv("QAWL_MAX_BODY_BYTES", str(6 * 1_000_000 + 1024))
    assert Settings.from_env().max_body_bytes == 6_001_024  # raised with it: accepted


# ---------------------------------------------------------------------------- rate limits


def test_token_bucket() -> None:
    now = [0.0]
    limiter = RateLimiter(3, 3.0, clock=lambda: now[0])  # 1 token per second, bursts of 3
    decisions = [limiter.hit("a") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[0].reset == 1 and decisions[2].reset == 3
    assert decisions[3].retry_after == 1 and decisions[0].headers()["RateLimit-Policy"] == "3;w=3"
    assert limiter.hit("b").allowed  # another client has its own bucket
    now[0] = 1.0
    assert limiter.hit("a").allowed and not limiter.hit("a").allowed
    now[0] = 100.0
    assert limiter.hit("a").remaining == 2  # refilled to the brim, never beyond


def test_bucket_table_is_bounded() -> None:
    limiter = RateLimiter(1, 60.0, max_clients=100)
    for i in range(1000):
        limiter.hit(f"addr:{i}")
    assert len(limiter) == 100
    assert limiter.hit("addr:999").allowed is False  # recent clients are kept...
    assert limiter.hit("addr:0").allowed is True  # ...the least recently seen were dropped


def test_rate_limit_headers_and_429(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(rate_limit=2, rate_limit_window=60), analyzer)) as c:
        first = c.post("/v1/entities", json={"text": TEXT})
        assert first.status_code == 200
        assert first.headers["ratelimit-limit"] == "2" and first.headers["ratelimit-remaining"] == "1"
        assert first.headers["ratelimit-policy"] == "2;w=60" and int(first.headers["ratelimit-reset"]) > 0
        assert c.get("/v1/info").headers["ratelimit-remaining"] == "0"  # every /v1 request counts
        limited = c.post("/v1/entities", json={"text": TEXT})
        p = problem(limited, 429)
        assert p.title == "Too many requests"
        assert limited.headers["retry-after"] == "30"
        assert limited.headers["ratelimit-remaining"] == "0" and limited.headers["ratelimit-limit"] == "2"
        for _ in range(5):  # health checks are never limited
            assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200
        assert "ratelimit-limit" not in c.get("/healthz").headers


def test_rate_limit_is_per_key(analyzer: Analyzer) -> None:
    app = create_app(Settings(api_keys=(KEY_A, KEY_B), rate_limit=1), analyzer)
    with TestClient(app) as c:
        a, b = {"X-API-Key": KEY_A}, {"X-API-Key": KEY_B}
        assert c.get("/v1/info", headers=a).status_code == 200
        problem(c.get("/v1/info", headers=a), 429)
        assert c.get("/v1/info", headers=b).status_code == 200  # same address, other key


@pytest.mark.asyncio
async def test_rate_limit_is_per_address_when_open(analyzer: Analyzer) -> None:
    app = create_app(Settings(rate_limit=1), analyzer)
    async with app.lifespan():
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(addr, 5000)), base_url="http://t"
            )
            for addr in ("192.0.2.1", "192.0.2.2")
        ]
        one, two = clients
        assert (await one.get("/v1/info")).status_code == 200
        assert (await one.get("/v1/info")).status_code == 429
        assert (await two.get("/v1/info")).status_code == 200
        for client in clients:
            await client.aclose()


def test_rate_limit_off(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(rate_limit=0), analyzer)) as c:
        for _ in range(3):
            resp = c.get("/v1/info")
            assert resp.status_code == 200 and "ratelimit-limit" not in resp.headers


# ------------------------------------------------------------------------- request ids, logs


def test_request_id_echoed_or_generated_on_every_response(keyed: TestClient[Litestar]) -> None:
    resp = keyed.get("/healthz", headers={"X-Request-ID": "req-42_a.b:c/d+e=f@g"})
    assert resp.headers["x-request-id"] == "req-42_a.b:c/d+e=f@g"
    for bad in ("has space", "x" * 129, "new\tline", "ünï".encode()):
        generated = keyed.get("/healthz", headers={"X-Request-ID": bad}).headers["x-request-id"]
        assert generated != bad and len(generated) == 32 and int(generated, 16) >= 0
    for resp in (
        keyed.get("/nothing"),  # 404 from the router
        keyed.post("/v1/entities", json={"text": TEXT}),  # 401 from the auth middleware
        keyed.post("/v1/entities", json={"text": " "}, headers={"X-API-Key": KEY_A}),  # 422 from the handler
        keyed.request("PATCH", "/v1/entities"),  # 405
    ):
        assert resp.status_code >= 400 and len(resp.headers["x-request-id"]) == 32


def test_one_json_log_line_per_request_without_text_or_key(
    keyed: TestClient[Litestar], capsys: pytest.CaptureFixture[str]
) -> None:
    secret_text = "نص سري لا يسجل ابدا " * 3
    keyed.post(
        "/v1/entities", json={"text": secret_text}, headers={"X-API-Key": KEY_A, "X-Request-ID": "r-1"}
    )
    keyed.post(
        "/v1/entities", json={"text": secret_text}, headers={"Authorization": "Bearer wrong-key-0123456789"}
    )
    keyed.get("/v1/info", headers={"X-API-Key": KEY_A, "X-Request-ID": "r-3"})
    out = capsys.readouterr().out
    assert secret_text.strip()[:10] not in out and KEY_A not in out and "wrong-key" not in out
    lines = [line for line in log_lines(out) if line["logger"] == "qawl.request"]
    assert len(lines) == 3
    ok, denied, info = lines
    for line in lines:
        assert set(line) >= {"ts", "level", "request_id", "method", "path", "status", "duration_ms", "client"}
        assert line["ts"].endswith("Z") and line["duration_ms"] >= 0
    assert ok["request_id"] == "r-1" and ok["status"] == 200 and ok["path"] == "/v1/entities"
    assert ok["text_chars"] == len(secret_text) and ok["key_id"].startswith("k-") and ok["level"] == "info"
    assert denied["status"] == 401 and "key_id" not in denied
    assert denied["text_chars"] > 0  # the body was never decoded: its Content-Length
    assert info["request_id"] == "r-3" and info["method"] == "GET" and info["text_chars"] is None


def test_probes_are_logged_at_debug_only(analyzer: Analyzer, capsys: pytest.CaptureFixture[str]) -> None:
    """Kubernetes probes every few seconds per pod: /healthz and /readyz stay out of the info log."""
    for level, expected in (("info", 0), ("debug", 2)):
        with TestClient(create_app(Settings(log_level=level), analyzer)) as c:
            capsys.readouterr()
            assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200
            assert c.get("/v1/info").status_code == 200  # positive control: logged at info
            lines = [line for line in log_lines(capsys.readouterr().out) if line["logger"] == "qawl.request"]
        probes = [line for line in lines if line["path"] in ("/healthz", "/readyz")]
        assert len(probes) == expected, (level, lines)
        assert [line["path"] for line in lines if line["path"] == "/v1/info"] == ["/v1/info"]


class _Broken(Analyzer):
    def analyze(self, text, features, doc_id, targets=None):  # type: ignore[no-untyped-def,override]
        raise RuntimeError(f"failed on {text!r}")


def test_errors_log_type_and_stack_but_not_the_message(
    analyzer: Analyzer, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(Settings(), _Broken(analyzer.nlp))) as c:
        assert c.post("/v1/entities", json={"text": "نص خاص جدا"}).status_code == 500
    out = capsys.readouterr().out
    assert "نص خاص جدا" not in out
    errors = [line for line in log_lines(out) if line.get("exc_type")]
    assert (
        errors and errors[0]["exc_type"] == "builtins.RuntimeError" and "in analyze" in errors[0]["exc_trace"]
    )
    assert any(line.get("status") == 500 and line["level"] == "error" for line in log_lines(out))


# ------------------------------------------------------------------------------ time budget


class _Slow(Analyzer):
    """analyze() blocks until released (or 5 s); counts how many run at once."""

    def __init__(self, base: Analyzer) -> None:
        super().__init__(base.nlp)
        self.release = threading.Event()
        self.running = 0
        self.max_running = 0
        self.calls = 0
        self.lock = threading.Lock()

    def analyze(self, text, features, doc_id, targets=None):  # type: ignore[no-untyped-def,override]
        with self.lock:
            self.calls += 1
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            if text == "slow":
                self.release.wait(5)
            return super().analyze(text, features, doc_id, targets)
        finally:
            with self.lock:
                self.running -= 1


def test_time_budget_answers_503_and_timed_out_work_does_not_pile_up(analyzer: Analyzer) -> None:
    slow = _Slow(analyzer)
    with TestClient(create_app(Settings(analysis_timeout=0.3), slow)) as c:
        started = time.monotonic()
        resp = c.post("/v1/entities", json={"text": "slow"})
        assert time.monotonic() - started < 3
        p = problem(resp, 503)
        assert p.title == "Analysis time budget exceeded" and "QAWL_ANALYSIS_TIMEOUT" in (p.detail or "")
        assert resp.headers["retry-after"] == "1"
        # The timed-out analysis still runs: later requests wait for the slot, then time out too,
        # instead of starting more threads.
        for _ in range(3):
            queued = c.post("/v1/entities", json={"text": TEXT})
            assert problem(queued, 503).detail and "busy" in (problem(queued, 503).detail or "")
        assert slow.calls == 1 and slow.max_running == 1
        assert c.get("/healthz").status_code == 200  # the event loop stays responsive
        slow.release.set()
        deadline = time.monotonic() + 5
        while (resp := c.post("/v1/entities", json={"text": TEXT})).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert slow.max_running == 1


# ----------------------------------------------------------------------------------- openapi


def test_openapi_declares_auth_limits_and_budget() -> None:
    doc = json.loads(openapi_json())
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKeyAuth"]["name"] == "X-API-Key" and schemes["apiKeyAuth"]["in"] == "header"
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if path.startswith("/v1/"):
                assert operation["security"] == [{"bearerAuth": []}, {"apiKeyAuth": []}], (path, method)
                for status in ("401", "429", "503"):
                    assert "application/problem+json" in operation["responses"][status]["content"]
                assert "RateLimit-Remaining" in operation["responses"]["200"]["headers"]
            else:
                assert "security" not in operation, path
    request_schemas = [name for name in doc["components"]["schemas"] if name.endswith("Request")]
    assert request_schemas
    for name in request_schemas:
        assert doc["components"]["schemas"][name]["additionalProperties"] is False, name


# ----------------------------------------------------------------------- memory: the zone


def test_never_seen_words_do_not_stay_in_the_vocabulary(analyzer: Analyzer) -> None:
    """spaCy keeps every string it has seen; random words would grow a worker's memory without
    bound. Every analysis runs in a memory zone, which frees the strings it brought."""
    import random

    rng = random.Random(7)

    def novel() -> str:
        return " ".join(
            "".join(rng.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(7)) for _ in range(300)
        )

    strings = analyzer.nlp.vocab.strings
    before = len(strings)
    for _ in range(5):
        assert analyzer.analyze(novel(), ["entities", "quotes", "stance"], None).entities is not None
    analyzer.analyze_many([novel(), novel()], ["entities"], [None, None])
    assert len(strings) - before < 50
    analyzer.nlp(novel())  # positive control: outside a zone the same words stay
    assert len(strings) - before >= 250
