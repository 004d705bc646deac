"""Client.story / AsyncClient.story against the real app: the same story as a direct POST."""

from __future__ import annotations

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

import qawl
from qawl.types import StoryResponse
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

BASE = "http://testserver.local"


def test_sync_story_matches_the_route(app: Litestar, seed_texts: list[str]) -> None:
    docs = [{"id": f"s{i}", "text": t} for i, t in enumerate(seed_texts[:3])]
    with TestClient(app, base_url=BASE) as http, qawl.Client(BASE, http_client=http) as client:
        story = client.story(docs)
        direct = msgspec.json.decode(
            http.post("/v1/story", json={"documents": docs}).content, type=StoryResponse
        )
        with pytest.raises(qawl.UnprocessableEntityError) as info:  # the service's 422, typed
            client.story([("a", seed_texts[0]), ("a", seed_texts[1])])
    assert story == direct and story.entities and story.statements
    assert info.value.problem is not None and info.value.problem.field == "documents[1].id"


@pytest.mark.asyncio
async def test_async_story_keeps_per_document_errors(app: Litestar, seed_texts: list[str]) -> None:
    transport = httpx.ASGITransport(app=app)
    async with qawl.AsyncClient("http://qawl.test", transport=transport) as client:
        story = await client.story([qawl.StoryDocument(id="kerry", text=seed_texts[0]), ("empty", "  ")])
    assert [(d.id, d.ok) for d in story.documents] == [("kerry", True), ("empty", False)]
    assert story.documents[1].error is not None and story.documents[1].error.status == 422
    assert {m.doc for e in story.entities for m in e.mentions} == {"kerry"}


def test_the_sdk_readme_story_example_prints_what_it_shows(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib
    import io
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    text = (root / "sdk" / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## The story view.*?```python\n(.*?)```.*?```\n(.*?)```", text, re.S)
    assert found, "sdk/README.md lost its story example"
    code, shown = found.groups()
    monkeypatch.chdir(root)
    # warning: the request log (JSON on stdout) stays out of what the example prints
    with TestClient(create_app(Settings(log_level="warning"), analyzer), base_url=BASE) as http:
        real = qawl.Client
        monkeypatch.setattr(qawl, "Client", lambda *a, **k: real(BASE, http_client=http))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, {"qawl": qawl})
    assert out.getvalue() == shown
