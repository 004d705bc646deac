"""RFC 9457 problem responses for every error the API can return."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from qawl.types import Problem

from ..server.runtime import AnalysisTimeout, NotReady

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("qawl.api")

_PATH = re.compile(r" - at `\$\.data(?P<path>[^`]*)`$")


class ProblemException(HTTPException):
    """Raised by handlers for an error with a precise title, detail and field."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        title: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail=detail, status_code=status_code, headers=headers)
        self.title = title or HTTPStatus(status_code).phrase
        self.field = field


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response[Problem]:
    return Response(problem, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _field_of(exc: ValidationException) -> tuple[str | None, str]:
    """The JSON path of the offending field ('text', 'features[1]') and msgspec's message."""
    cause = exc.__cause__
    if isinstance(cause, msgspec.ValidationError):
        message = str(cause)
        match = _PATH.search(message)
        if match:
            path = match.group("path").lstrip(".")
            return (path or None), message[: match.start()]
        return None, message
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            key = item.get("key")
            return (None if key in (None, "data") else str(key)), str(item.get("message", exc.detail))
    return None, str(exc.detail)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    field: str | None = None
    title = HTTPStatus(status).phrase
    detail = str(exc.detail) if exc.detail else title
    if isinstance(exc, ProblemException):
        title, field = exc.title, exc.field
    elif isinstance(exc, ValidationException):
        # A well-formed JSON body that does not fit the schema: 422, naming the field.
        status, title = 422, "Invalid request body"
        field, detail = _field_of(exc)
        if "missing required field" in detail and detail.count("`") >= 2:
            missing = detail.rsplit("`", 2)[-2]  # the field itself: documents[0].id, not documents[0]
            field = missing if field is None else f"{field}.{missing}"
        if field == "data":  # Litestar's name for the whole body: it was empty
            status, title, field = 400, "Malformed JSON", None
            detail = "The request body is empty: send a JSON object."
    elif status == 400:
        title, detail = "Malformed JSON", f"The request body is not valid JSON: {detail}"
    elif status == 413:
        title = "Request body too large"
        detail = "The request body exceeds the service's size limit."
    problem = Problem(status=status, title=title, detail=detail, instance=request.url.path, field=field)
    return problem_response(problem, headers=exc.headers)


def handle_analysis_timeout(request: Request[Any, Any, Any], exc: AnalysisTimeout) -> Response[Problem]:
    problem = Problem(
        status=503,
        title="Analysis time budget exceeded",
        detail=(
            f"The analysis did not finish within {exc.budget:g}s (QAWL_ANALYSIS_TIMEOUT)"
            + ("" if exc.running else ": the worker was busy with earlier requests")
            + f"; retry in {exc.retry_after}s."
        ),
        instance=request.url.path,
    )
    return problem_response(problem, headers={"Retry-After": str(exc.retry_after)})


def handle_not_ready(request: Request[Any, Any, Any], exc: NotReady) -> Response[Problem]:
    """The pipeline is not loaded (yet), or the worker is shutting down: wherever a route finds it."""
    problem = Problem(
        status=503,
        title="Service not ready",
        detail="The analysis pipeline is not loaded yet; retry shortly.",
        instance=request.url.path,
    )
    return problem_response(problem, headers={"Retry-After": "1"})


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    problem = Problem(
        status=500,
        title="Internal Server Error",
        detail="The service failed to process this request; it has been logged.",
        instance=request.url.path,
    )
    return problem_response(problem)


_SPEC_NOTES = {
    401: "; `WWW-Authenticate: Bearer`. Only when the service has API keys (QAWL_API_KEYS)",
    429: "; `Retry-After` and `RateLimit-*` headers say when to retry",
    503: "; `Retry-After`: the pipeline is loading, the worker is shutting down, or the request ran "
    "past the analysis time budget (QAWL_ANALYSIS_TIMEOUT)",
}


def problem_specs(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI declarations of the problem responses a route can return."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=f"{HTTPStatus(status).phrase} (RFC 9457 problem details)"
            + _SPEC_NOTES.get(status, ""),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


__all__ = [
    "PROBLEM_JSON",
    "MediaType",
    "ProblemException",
    "handle_analysis_timeout",
    "handle_http_exception",
    "handle_not_ready",
    "handle_unexpected",
    "problem_response",
    "problem_specs",
]
