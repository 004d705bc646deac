"""Every documented error status, as an RFC 9457 problem naming the field where there is one."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import Problem
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings


def problem(resp, status: int) -> Problem:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    p = msgspec.json.decode(resp.content, type=Problem)
    assert p.status == status and p.title and p.detail
    return p


@pytest.mark.parametrize("path", ["/v1/entities", "/v1/analyze"])
@pytest.mark.parametrize("text", ["", "   ", "\n\t \u3000"])
def test_empty_text_is_422_naming_the_field(client: TestClient[Litestar], path: str, text: str) -> None:
    p = problem(client.post(path, json={"text": text}), 422)
    assert p.field == "text"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 5}, "text"),
        ({"text": "نص", "id": 3}, "id"),
        ({"id": "x"}, "text"),
        ({"text": "نص", "features": ["nope"]}, "features[0]"),
        ({"text": "نص", "features": "entities"}, "features"),
    ],
)
def test_wrong_types_are_422_naming_the_field(client: TestClient[Litestar], body: dict, field: str) -> None:
    p = problem(client.post("/v1/analyze", json=body), 422)
    assert p.field == field


def test_unknown_field_is_422(client: TestClient[Litestar]) -> None:
    p = problem(client.post("/v1/entities", json={"text": "نص", "lang": "ar"}), 422)
    assert "lang" in (p.detail or "")


def test_non_object_body_is_422(client: TestClient[Litestar]) -> None:
    problem(client.post("/v1/entities", json=["نص"]), 422)


def test_no_features_is_422(client: TestClient[Litestar]) -> None:
    assert problem(client.post("/v1/analyze", json={"text": "نص", "features": []}), 422).field == "features"


@pytest.mark.parametrize("body", [b'{"text": ', b"{'text': 'x'}", b"not json", b'{"text": "a",}'])
def test_malformed_json_is_400(client: TestClient[Litestar], body: bytes) -> None:
    resp = client.post("/v1/entities", content=body, headers={"content-type": "application/json"})
    assert problem(resp, 400).title == "Malformed JSON"


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_wrong_content_type_is_415(client: TestClient[Litestar], ctype: str) -> None:
    resp = client.post("/v1/entities", content=b'{"text": "x"}', headers={"content-type": ctype})
    assert problem(resp, 415).field == "content-type"


def test_text_over_the_limit_is_413(analyzer: Analyzer) -> None:
    app = create_app(Settings(max_text_chars=50), analyzer)
    with TestClient(app) as c:
        assert c.post("/v1/entities", json={"text": "ا" * 50}).status_code == 200
        p = problem(c.post("/v1/entities", json={"text": "ا" * 51}), 413)
        assert p.field == "text" and "50" in (p.detail or "")


def test_body_over_the_limit_is_413(client: TestClient[Litestar]) -> None:
    body = b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    resp = client.post("/v1/entities", content=body, headers={"content-type": "application/json"})
    problem(resp, 413)


def test_unknown_route_and_method_are_problems(client: TestClient[Litestar]) -> None:
    problem(client.get("/v1/nothing"), 404)
    problem(client.get("/v1/entities"), 405)


class _Broken(Analyzer):
    def analyze(self, text, features, doc_id, targets=None):  # type: ignore[no-untyped-def,override]
        raise RuntimeError("boom")


def test_internal_error_is_a_500_problem_without_internals(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(), _Broken(analyzer.nlp))) as c:
        p = problem(c.post("/v1/entities", json={"text": "قال كيري"}), 500)
        assert "boom" not in (p.detail or "")


@pytest.fixture()
def loading_client(analyzer: Analyzer) -> Iterator[TestClient[Litestar]]:
    """An app whose pipeline load blocks until the test releases it."""
    import threading

    release = threading.Event()

    def slow_load() -> Analyzer:
        release.wait(10)
        return analyzer

    with TestClient(create_app(Settings(), slow_load)) as c:
        c.release = release  # type: ignore[attr-defined]
        yield c
        release.set()


def test_not_ready_is_503_then_ready(loading_client: TestClient[Litestar]) -> None:
    import time

    assert loading_client.get("/healthz").json() == {"status": "ok"}
    p = problem(loading_client.get("/readyz"), 503)
    assert p.title == "Not ready"
    resp = loading_client.post("/v1/entities", json={"text": "قال كيري"})
    problem(resp, 503)
    assert resp.headers["retry-after"] == "1"
    loading_client.release.set()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while loading_client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert loading_client.post("/v1/entities", json={"text": "قال كيري"}).status_code == 200
