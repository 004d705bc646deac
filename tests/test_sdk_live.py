"""The SDK against the real app, in-process: ASGITransport (async) and Litestar's TestClient (sync)."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

import qawl
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

BASE = "http://testserver.local"


@pytest.fixture()
def sdk(app: Litestar):  # type: ignore[no-untyped-def]
    with TestClient(app, base_url=BASE) as http, qawl.Client(BASE, http_client=http, max_retries=0) as client:
        yield client


def test_sync_entities_on_a_seed(sdk: qawl.Client, seed_texts: list[str]) -> None:
    text = seed_texts[0]
    result = sdk.entities(text, id="seed-0")
    assert isinstance(result, qawl.EntitiesResponse) and result.id == "seed-0"
    assert any(e.name == "جون كيري" and e.label == "PER" for e in result.entities)
    for entity in result.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text


def test_sync_analyze_info_health(sdk: qawl.Client) -> None:
    analysis = sdk.analyze("وقال كيري بعيد وصوله الى جنيف", features=["entities"], id="x")
    assert isinstance(analysis, qawl.Analysis)
    assert not isinstance(analysis.entities, type(None))
    assert {e.name for e in analysis.entities} >= {"كيري", "جنيف"}  # type: ignore[union-attr]
    info = sdk.info()
    assert isinstance(info, qawl.Info) and info.model.labels == ["LOC", "MISC", "ORG", "PER"]
    assert sdk.health().status == "ok"
    assert sdk.ready() is True


def test_sync_errors_are_typed_with_problem_details(sdk: qawl.Client) -> None:
    with pytest.raises(qawl.UnprocessableEntityError) as err:
        sdk.entities("   ")
    assert err.value.status_code == 422
    assert err.value.problem is not None and err.value.problem.field == "text"


def test_text_over_limit_raises_payload_too_large(analyzer: Analyzer) -> None:
    app = create_app(Settings(max_text_chars=10), analyzer)
    with TestClient(app, base_url=BASE) as http, qawl.Client(BASE, http_client=http) as client:
        with pytest.raises(qawl.PayloadTooLargeError) as err:
            client.entities("ا" * 11)
        assert err.value.problem is not None and err.value.problem.field == "text"


@pytest.mark.asyncio
async def test_async_client_over_asgi_transport(app: Litestar, seed_texts: list[str]) -> None:
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with qawl.AsyncClient("http://qawl.test", transport=transport, max_retries=0) as client:
            assert await client.ready() is True
            for text in seed_texts:
                result = await client.entities(text)
                assert result.entities
                assert all(text[m.start : m.end] == m.text for e in result.entities for m in e.mentions)
            with pytest.raises(qawl.UnprocessableEntityError):
                await client.analyze("نص", features=[])


@pytest.mark.asyncio
async def test_async_not_ready_is_503(analyzer: Analyzer) -> None:
    import threading

    release = threading.Event()
    app = create_app(Settings(), lambda: (release.wait(10), analyzer)[1])
    try:
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app)
            async with qawl.AsyncClient("http://qawl.test", transport=transport, max_retries=0) as client:
                assert await client.ready() is False
                with pytest.raises(qawl.ServiceUnavailableError) as err:
                    await client.entities("قال كيري")
                assert err.value.status_code == 503
                release.set()
    finally:
        release.set()
