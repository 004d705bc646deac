"""HTTP routes: thin handlers that turn requests into analysis jobs for the runtime."""

from __future__ import annotations

import logging
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
)

from .. import __version__
from ..server.jobs import Job
from ..server.runtime import Runtime
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
        limit = runtime.settings.max_batch_docs
        if not data.documents:
            raise ProblemException(422, "Send at least one document.", title="Empty batch", field="documents")
        if len(data.documents) > limit:
            raise ProblemException(
                413,
                f"{len(data.documents)} documents; the limit is {limit} per request (QAWL_MAX_BATCH_DOCS).",
                title="Too many documents",
                field="documents",
            )
        features = checked_features(data.features)
        model, _ = runtime.require()
        errors = {
            i: text_problem(d.text, runtime, f"documents[{i}].text") for i, d in enumerate(data.documents)
        }
        valid = [i for i, problem in errors.items() if problem is None]
        texts = [data.documents[i].text for i in valid]
        ids = [data.documents[i].id for i in valid]
        targets = checked_targets(data.targets, features)
        analyses = await runtime.analyze(Job(texts, features, ids, targets, batch=True)) if texts else []
        results: list[BatchItem] = []
        done = dict(zip(valid, analyses, strict=True))
        for i, doc in enumerate(data.documents):
            outcome = done.get(i)
            if isinstance(outcome, Analysis):
                results.append(BatchItem(id=doc.id, ok=True, result=outcome))
                continue
            exc = errors[i] or ProblemException(
                500,
                "This document could not be analyzed; the failure has been logged.",
                field=f"documents[{i}]",
            )
            problem = Problem(
                status=exc.status_code, title=exc.title, detail=str(exc.detail), field=exc.field
            )
            results.append(BatchItem(id=doc.id, ok=False, error=problem))
        return BatchResponse(model=model, results=results)

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
