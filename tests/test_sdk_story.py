"""Client.story / AsyncClient.story against the real app: the same story as a direct POST."""

from __future__ import annotations

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

import qawl
from qawl.types import StoryResponse

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
