"""Client.story / AsyncClient.story through the transport seam: the request on the wire, the typed
response, the accepted document forms and the errors. Every test runs against both clients."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import pytest

import qawl
from qawl.types import (
    Problem,
    StoryActor,
    StoryDocument,
    StoryDocumentStatus,
    StoryEntity,
    StoryResponse,
    StorySource,
    StorySpan,
    StoryStance,
    StoryStatement,
    StoryTarget,
)

A = "قال جون كيري “نقترب من التفاهم”"
B = "وقال كيري إن “الهدنة صامدة”"
STORY = StoryResponse(
    model="m",
    documents=[StoryDocumentStatus(id="a", ok=True), StoryDocumentStatus(id="b", ok=True)],
    entities=[
        StoryEntity(
            id="S-E1",
            label="PER",
            name="جون كيري",
            variants=["جون كيري", "كيري"],
            mentions=[
                StorySpan(doc="a", start=4, end=12, text="جون كيري"),
                StorySpan(doc="b", start=5, end=9, text="كيري"),
            ],
        )
    ],
    statements=[
        StoryStatement(
            id="S-Q1",
            speaker=StoryActor(name="جون كيري", entity_id="S-E1"),
            summary="نقترب من التفاهم",
            sources=[
                StorySource(doc="a", quote_id="Q1", kind="direct", start=14, end=30, text="نقترب من التفاهم")
            ],
        )
    ],
    stances=[
        StoryStance(
            holder=StoryActor(name="جون كيري", entity_id="S-E1"),
            target=StoryTarget(text="الهدنة", entity_id=None),
            label="favor",
            sources=[StorySpan(doc="b", start=17, end=23, text="الهدنة")],
        )
    ],
)


def story_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=msgspec.json.encode(STORY), headers={"content-type": "application/json"}
    )


@pytest.mark.asyncio
async def test_story_request_and_typed_response(make: Any) -> None:
    h = make(story_response)
    result = await h.call("story", [{"id": "a", "text": A}, {"id": "b", "text": B}])
    assert isinstance(result, StoryResponse) and result == STORY
    assert isinstance(result.entities[0].mentions[0], StorySpan)
    assert result.statements[0].speaker == StoryActor(name="جون كيري", entity_id="S-E1")
    [request] = h.requests
    assert (request.method, request.url.path) == ("POST", "/v1/story")
    assert request.headers["content-type"] == "application/json"
    assert msgspec.json.decode(request.content) == {
        "documents": [{"id": "a", "text": A}, {"id": "b", "text": B}],
        "targets": None,
    }


@pytest.mark.asyncio
async def test_story_takes_pairs_structs_and_targets(make: Any) -> None:
    h = make(story_response)
    await h.call("story", [("a", A), StoryDocument(id="b", text=B)], targets=("الهدنة",))
    body = msgspec.json.decode(h.requests[0].content)
    assert body == {"documents": [{"id": "a", "text": A}, {"id": "b", "text": B}], "targets": ["الهدنة"]}
    assert msgspec.json.decode(h.requests[0].content, type=qawl.types.StoryRequest).documents[1].id == "b"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("documents", "message"),
    [
        ([{"text": A}], "has no 'id'"),
        ([{"id": "a"}], "has no 'text'"),
        ([{"id": "a", "text": A, "lang": "ar"}], "unknown keys"),
        ([A], "expected an"),
    ],
)
async def test_story_refuses_documents_without_id_before_sending(
    make: Any, documents: Any, message: str
) -> None:
    h = make(story_response)
    with pytest.raises(TypeError, match=message):
        await h.call("story", documents)
    assert h.attempts == 0


@pytest.mark.asyncio
async def test_story_422_raises_with_the_problem(make: Any) -> None:
    problem = Problem(status=422, title="Duplicate id", detail="ids must be unique", field="documents[1].id")
    h = make(
        httpx.Response(
            422, content=msgspec.json.encode(problem), headers={"content-type": "application/problem+json"}
        )
    )
    with pytest.raises(qawl.UnprocessableEntityError) as info:
        await h.call("story", [("a", A), ("a", B)])
    assert info.value.problem is not None and info.value.problem.field == "documents[1].id"
    assert h.attempts == 1  # a 422 is not retried


@pytest.mark.asyncio
async def test_story_response_that_does_not_fit_is_a_validation_error(make: Any) -> None:
    h = make(
        httpx.Response(
            200, content=b'{"model": "m", "documents": []}', headers={"content-type": "application/json"}
        )
    )
    with pytest.raises(qawl.APIResponseValidationError, match="StoryResponse"):
        await h.call("story", [("a", A)])
