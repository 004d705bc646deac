"""HTTP routes: thin handlers that turn requests into analysis jobs for the runtime."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import JSONBody

from qawl.types import (
    FEATURES,
    Analysis,
    AnalyzeRequest,
    BatchItem,
    BatchRequest,
    BatchResponse,
    EntitiesRequest,
    EntitiesResponse,
    Feature,
    Health,
    Info,
    Limits,
    Problem,
    QuotesRequest,
    QuotesResponse,
    StanceRequest,
    StanceResponse,
    StoryDocumentStatus,
    StoryRequest,
    StoryResponse,
)

from .. import __version__
from ..server.jobs import Job
from ..server.runtime import Runtime
from ..story import StoryInput, build_story
from .problems import ProblemException, problem_response, problem_specs

log = logging.getLogger("qawl.api")
FAILED_DOC = "This document could not be analyzed; the failure has been logged."
POST_ERRORS = problem_specs(400, 401, 413, 415, 422, 429, 500, 503)


def runtime_of(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def require_json(request: Request[Any, Any, Any]) -> None:
    """415 for anything but a JSON body (checked before the body is read)."""
    media_type, _ = request.content_type
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise ProblemException(
            415,
            f"Send the body as JSON with 'Content-Type: application/json' (got {media_type or 'none'!r}).",
            title="Unsupported media type",
            field="content-type",
        )


def text_problem(text: str, runtime: Runtime, field: str = "text") -> ProblemException | None:
    """The problem with a submitted text, if any: empty (422) or over the size limit (413)."""
    if not text.strip():
        return ProblemException(422, "The text is empty or only whitespace.", title="Empty text", field=field)
    limit = runtime.settings.max_text_chars
    if len(text) > limit:
        return ProblemException(
            413,
            f"The text has {len(text)} characters; the limit is {limit} (QAWL_MAX_TEXT_CHARS).",
            title="Text too long",
            field=field,
        )
    return None


def checked_text(text: str, runtime: Runtime) -> str:
    problem = text_problem(text, runtime)
    if problem is not None:
        raise problem
    return text


def checked_targets(targets: list[str] | None, features: list[Feature]) -> list[str] | None:
    """Stance targets, stripped; blank ones are an error rather than silently matching nothing."""
    if targets is None:
        return None
    if "stance" not in features:
        raise ProblemException(
            422,
            "'targets' only applies to the 'stance' feature.",
            title="Targets without stance",
            field="targets",
        )
    cleaned = [t.strip() for t in targets]
    for i, t in enumerate(cleaned):
        if not t:
            raise ProblemException(422, "A target is empty.", title="Empty target", field=f"targets[{i}]")
    return list(dict.fromkeys(cleaned))


def checked_features(features: list[Feature]) -> list[Feature]:
    if not features:
        raise ProblemException(
            422, f"Request at least one feature of {list(FEATURES)}.", title="No feature", field="features"
        )
    return list(dict.fromkeys(features))


async def analyze_one(
    runtime: Runtime,
    text: str,
    features: list[Feature],
    doc_id: str | None = None,
    targets: list[str] | None = None,
) -> Analysis:
    """One text through the pipeline (a failure is the request's: 500; not loaded: 503)."""
    [result] = await runtime.analyze(Job([text], features, [doc_id], targets))
    assert result is not None  # a single-text job raises instead
    return result


def checked_documents(documents: Sequence[object], runtime: Runtime) -> None:
    """A many-document request holds at least one document and at most QAWL_MAX_BATCH_DOCS."""
    limit = runtime.settings.max_batch_docs
    if not documents:
        raise ProblemException(422, "Send at least one document.", title="Empty batch", field="documents")
    if len(documents) > limit:
        raise ProblemException(
            413,
            f"{len(documents)} documents; the limit is {limit} per request (QAWL_MAX_BATCH_DOCS).",
            title="Too many documents",
            field="documents",
        )


async def analyze_documents(
    runtime: Runtime,
    documents: Sequence[tuple[str | None, str]],
    features: list[Feature],
    targets: list[str] | None,
) -> list[Analysis | Problem]:
    """``(id, text)`` documents through the batch path: per document its analysis, or the problem
    that failed it alone (an empty or too long text: 422/413; a pipeline failure: 500, logged)."""
    errors = {i: text_problem(text, runtime, f"documents[{i}].text") for i, (_, text) in enumerate(documents)}
    valid = [i for i, problem in errors.items() if problem is None]
    texts = [documents[i][1] for i in valid]
    ids = [documents[i][0] for i in valid]
    analyses = await runtime.analyze(Job(texts, features, ids, targets, batch=True)) if texts else []
    done = dict(zip(valid, analyses, strict=True))
    out: list[Analysis | Problem] = []
    for i in range(len(documents)):
        outcome = done.get(i)
        if isinstance(outcome, Analysis):
            out.append(outcome)
            continue
        exc = errors[i] or ProblemException(500, FAILED_DOC, field=f"documents[{i}]")
        out.append(Problem(status=exc.status_code, title=exc.title, detail=str(exc.detail), field=exc.field))
    return out


def checked_story_ids(ids: Sequence[str]) -> None:
    """Story documents need ids (every offset of the view names its document): non-blank, unique."""
    first: dict[str, int] = {}
    for i, doc_id in enumerate(ids):
        if not doc_id.strip():
            raise ProblemException(
                422,
                "A document id is empty or only whitespace.",
                title="Empty id",
                field=f"documents[{i}].id",
            )
        if doc_id in first:
            raise ProblemException(
                422,
                f"The id {doc_id!r} is also the id of documents[{first[doc_id]}]; ids must be unique.",
                title="Duplicate id",
                field=f"documents[{i}].id",
            )
        first[doc_id] = i


STORY_FEATURES: list[Feature] = ["entities", "quotes", "stance"]


async def _before_post(request: Request[Any, Any, Any]) -> None:
    require_json(request)


class V1Controller(Controller):
    path = "/"
    tags = ["analysis"]  # noqa: RUF012  (Litestar reads it as a class attribute)

    @post(
        "/entities",
        operation_id="entities",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="Named entities, grouped by referent",
    )
    async def entities(self, data: JSONBody[EntitiesRequest], state: State) -> EntitiesResponse:
        runtime = runtime_of(state)
        text = checked_text(data.text, runtime)
        model, _ = runtime.require()
        result = await analyze_one(runtime, text, ["entities"])
        return EntitiesResponse(id=data.id, model=model, entities=result.entities or [])

    @post(
        "/quotes",
        operation_id="quotes",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="Quotes with their speakers (direct, indirect, mixed)",
    )
    async def quotes(self, data: JSONBody[QuotesRequest], state: State) -> QuotesResponse:
        runtime = runtime_of(state)
        text = checked_text(data.text, runtime)
        model, _ = runtime.require()
        result = await analyze_one(runtime, text, ["entities", "quotes"])
        entities, quotes = result.entities or [], result.quotes or []
        return QuotesResponse(id=data.id, model=model, entities=entities, quotes=quotes)

    @post(
        "/stance",
        operation_id="stance",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="Who is for or against what: holder, target, label and evidence",
    )
    async def stance(self, data: JSONBody[StanceRequest], state: State) -> StanceResponse:
        runtime = runtime_of(state)
        text = checked_text(data.text, runtime)
        targets = checked_targets(data.targets, ["stance"])
        model, _ = runtime.require()
        result = await analyze_one(runtime, text, ["entities", "quotes", "stance"], None, targets)
        return StanceResponse(
            id=data.id,
            model=model,
            entities=result.entities or [],
            quotes=result.quotes or [],
            stances=result.stances or [],
        )

    @post(
        "/analyze",
        operation_id="analyze",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="Run the requested analyses on one text",
    )
    async def analyze(self, data: JSONBody[AnalyzeRequest], state: State) -> Analysis:
        runtime = runtime_of(state)
        text = checked_text(data.text, runtime)
        if not data.features:
            raise ProblemException(
                422,
                f"Request at least one feature of {list(FEATURES)}.",
                title="No feature",
                field="features",
            )
        runtime.require()
        features = list(dict.fromkeys(data.features))
        targets = checked_targets(data.targets, features)
        return await analyze_one(runtime, text, features, data.id, targets)

    @post(
        "/batch",
        operation_id="batch",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="Many documents in one request: one result per input, in order, with per-document errors",
    )
    async def batch(self, data: JSONBody[BatchRequest], state: State) -> BatchResponse:
        runtime = runtime_of(state)
        checked_documents(data.documents, runtime)
        features = checked_features(data.features)
        model, _ = runtime.require()
        targets = checked_targets(data.targets, features)
        docs = [(d.id, d.text) for d in data.documents]
        outcomes = await analyze_documents(runtime, docs, features, targets)
        results = [
            BatchItem(id=doc.id, ok=True, result=outcome)
            if isinstance(outcome, Analysis)
            else BatchItem(id=doc.id, ok=False, error=outcome)
            for doc, outcome in zip(data.documents, outcomes, strict=True)
        ]
        return BatchResponse(model=model, results=results)

    @post(
        "/story",
        operation_id="story",
        status_code=200,
        responses=POST_ERRORS,
        before_request=_before_post,
        summary="One event across outlets: entities, statements and stances merged over the documents",
    )
    async def story(self, data: JSONBody[StoryRequest], state: State) -> StoryResponse:
        """Analyze the documents (the ``/v1/batch`` limits apply) and merge them: one entity per
        real-world entity whatever its spelling, one statement per thing said with every outlet's
        report as a source, one stance per (holder, target, label) with each outlet's evidence.
        A bad document fails alone (its ``ok``/``error``); the others are merged."""
        runtime = runtime_of(state)
        checked_documents(data.documents, runtime)
        checked_story_ids([d.id for d in data.documents])
        model, _ = runtime.require()
        targets = checked_targets(data.targets, STORY_FEATURES)
        docs = [(d.id, d.text) for d in data.documents]
        outcomes = await analyze_documents(runtime, docs, STORY_FEATURES, targets)
        inputs = [
            StoryInput(doc=d.id, text=d.text, analysis=outcome)
            for d, outcome in zip(data.documents, outcomes, strict=True)
            if isinstance(outcome, Analysis)
        ]
        story = await asyncio.to_thread(build_story, inputs)  # CPU work off the event loop
        statuses = [
            StoryDocumentStatus(id=d.id, ok=True)
            if isinstance(outcome, Analysis)
            else StoryDocumentStatus(id=d.id, ok=False, error=outcome)
            for d, outcome in zip(data.documents, outcomes, strict=True)
        ]
        return StoryResponse(
            model=model,
            documents=statuses,
            entities=story.entities,
            statements=story.statements,
            stances=story.stances,
        )

    @get(
        "/info",
        operation_id="info",
        responses=problem_specs(401, 429, 503),
        summary="Service, model and limits",
    )
    async def info(self, state: State) -> Info:
        runtime = runtime_of(state)
        _, model_info = runtime.require()
        limits = Limits(
            max_text_chars=runtime.settings.max_text_chars,
            max_body_bytes=runtime.settings.max_body_bytes,
            max_batch_docs=runtime.settings.max_batch_docs,
        )
        return Info(
            service="qawl", version=__version__, features=list(FEATURES), model=model_info, limits=limits
        )


@get("/healthz", operation_id="healthz", tags=["operations"], summary="Liveness: the process answers")
async def healthz() -> Health:
    return Health(status="ok")


@get(
    "/readyz",
    operation_id="readyz",
    tags=["operations"],
    responses=problem_specs(503),
    summary="Readiness: the pipeline is loaded",
)
async def readyz(state: State) -> Health:
    runtime = runtime_of(state)
    if runtime.ready:
        return Health(status="ready")
    detail = "shutting down" if runtime.shutting_down else "loading the analysis pipeline"
    if runtime.load_error is not None:
        detail = f"the pipeline failed to load: {runtime.load_error}"
    raise ProblemException(503, detail, title="Not ready", headers={"Retry-After": "1"})


__all__ = ["Problem", "V1Controller", "healthz", "problem_response", "readyz"]
