"""Exceptions raised by the Qawl client.

Everything the client raises on purpose derives from :class:`QawlError`::

    QawlError
    ├── InvalidRequestError           the request could not be built; nothing was sent (also a ValueError)
    ├── APIConnectionError            the request never got an HTTP response
    │   └── APITimeoutError           ... because a timeout expired
    ├── APIResponseValidationError    a 2xx response whose body is not what the API promises
    └── APIStatusError                a non-2xx response (``.status_code``, ``.problem``, ...)
        ├── BadRequestError               400
        ├── AuthenticationError           401
        ├── PermissionDeniedError         403
        ├── NotFoundError                 404
        ├── ConflictError                 409
        ├── PayloadTooLargeError          413
        ├── UnsupportedMediaTypeError     415
        ├── UnprocessableEntityError      422
        ├── RateLimitError                429
        └── InternalServerError           >= 500
            └── ServiceUnavailableError   503
"""

from __future__ import annotations

import httpx
import msgspec

from .types import Problem

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "QawlError",
    "RateLimitError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
]

_BODY_SNIPPET_CHARS = 200


class QawlError(Exception):
    """Base class of every exception the Qawl client raises."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequestError(QawlError, ValueError):
    """The request could not be built, so nothing was sent: e.g. text with a lone surrogate
    (``"\\ud800"``), which is not valid Unicode and cannot be encoded as UTF-8 JSON."""


class APIConnectionError(QawlError):
    """No HTTP response was received: DNS failure, refused connection, reset, protocol error..."""

    request: httpx.Request | None

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired before a response arrived."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(QawlError):
    """The server answered 2xx but the body does not decode into the documented type."""

    response: httpx.Response
    status_code: int
    request: httpx.Request

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.request = response.request


class APIStatusError(QawlError):
    """The server answered with a non-2xx status.

    ``problem`` holds the decoded RFC 9457 problem details when the body is one (the Qawl
    service always sends them; a proxy in between may not), else ``None``.
    """

    response: httpx.Response
    status_code: int
    request: httpx.Request
    problem: Problem | None
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, problem: Problem | None) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.request = response.request
        self.problem = problem
        self.request_id = response.headers.get("x-request-id")


class BadRequestError(APIStatusError):
    """400: the request is malformed (e.g. the body is not valid JSON)."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the API key is not allowed to do this."""


class NotFoundError(APIStatusError):
    """404: no such endpoint or resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the server's current state."""


class PayloadTooLargeError(APIStatusError):
    """413: the body or the text is over the service's limits (see ``Client.info().limits``)."""


class UnsupportedMediaTypeError(APIStatusError):
    """415: the request's content type is not accepted."""


class UnprocessableEntityError(APIStatusError):
    """422: the body is well-formed but invalid; ``problem.field`` names the offending field."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried automatically, raised once retries are used up."""


class InternalServerError(APIStatusError):
    """A 5xx status: the service (or a gateway in front of it) failed."""


class ServiceUnavailableError(InternalServerError):
    """503: the service is not ready (e.g. the model is still loading) or is overloaded."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def _decode_problem(response: httpx.Response) -> Problem | None:
    if not response.content:
        return None
    try:
        return msgspec.json.decode(response.content, type=Problem)
    except msgspec.DecodeError:
        return None


def _status_message(response: httpx.Response, problem: Problem | None) -> str:
    status = response.status_code
    if problem is not None:
        message = f"{status} {problem.title}"
        if problem.detail:
            message += f": {problem.detail}"
        if problem.field:
            message += f" (field: {problem.field})"
        return message
    message = f"{status} {response.reason_phrase}".rstrip()
    snippet = response.text.strip()[:_BODY_SNIPPET_CHARS] if response.content else ""
    if snippet:
        message += f": {snippet}"
    return message


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the typed exception for a non-2xx ``response`` (whose body must already be read)."""
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    problem = _decode_problem(response)
    return cls(_status_message(response, problem), response=response, problem=problem)
