"""``Client`` and ``AsyncClient``.

Both derive from ``_BaseClient``, which owns configuration, request building, response decoding,
error mapping and retry decisions. The subclasses only perform the I/O: sending a request and
sleeping between attempts.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from types import TracebackType
from typing import Any, Final, Generic, Literal, TypeVar

import httpx
import msgspec

from . import _retry
from ._batching import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_BATCH_BYTES,
    DocumentInput,
    ProgressCallback,
    StoryDocumentInput,
    chunks,
    flatten,
    halves,
    progress_callback,
    to_documents,
    to_story_documents,
    too_large,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    InvalidRequestError,
    PayloadTooLargeError,
    make_status_error,
)
from ._version import __version__
from .types import (
    Analysis,
    AnalyzeRequest,
    BatchDocument,
    BatchItem,
    BatchRequest,
    BatchResponse,
    EntitiesRequest,
    EntitiesResponse,
    Feature,
    Health,
    Info,
    QuotesRequest,
    QuotesResponse,
    StanceRequest,
    StanceResponse,
    StoryRequest,
    StoryResponse,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "AsyncClient",
    "Client",
    "NotGiven",
]

log = logging.getLogger("qawl")

DEFAULT_BASE_URL: Final = "http://localhost:8000"
"""Used when neither ``base_url=`` nor ``$QAWL_BASE_URL`` is given."""

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
"""30 s for each of read, write and pool acquisition; 5 s to connect."""

DEFAULT_MAX_RETRIES: Final = 2
"""Retries after the first attempt, so at most three attempts in all."""

BASE_URL_ENV: Final = "QAWL_BASE_URL"
API_KEY_ENV: Final = "QAWL_API_KEY"


class NotGiven:
    """Sentinel for "argument not passed", where ``None`` has a meaning of its own
    (``timeout=None`` disables timeouts)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutTypes = float | httpx.Timeout | None

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SelfT = TypeVar("_SelfT", bound="_BaseClient[Any]")


def _to_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout)


def _check_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {max_retries!r}")
    return max_retries


def _resolve_base_url(base_url: str | httpx.URL | None) -> str:
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    url = httpx.URL(str(base_url))
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL such as {DEFAULT_BASE_URL!r}, got {url}")
    return str(url).rstrip("/")


class _BaseClient(Generic[_HttpxClientT]):
    _client: _HttpxClientT
    _owns_client: bool

    timeout: httpx.Timeout
    """Default timeout of each HTTP request (per attempt, not across retries)."""
    max_retries: int
    """Default number of retries after a failed first attempt."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        api_key: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        self._base_url = _resolve_base_url(base_url)
        self._api_key = api_key if api_key is not None else (os.environ.get(API_KEY_ENV) or None)
        self.timeout = _to_timeout(timeout)
        self.max_retries = _check_max_retries(max_retries)
        self._custom_headers: dict[str, str] = dict(default_headers or {})

    # -- configuration -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Root URL of the service, without a trailing slash."""
        return self._base_url

    @property
    def api_key(self) -> str | None:
        return self._api_key

    @property
    def is_closed(self) -> bool:
        """Whether the underlying ``httpx`` client has been closed."""
        return self._client.is_closed

    @property
    def default_headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        headers = {
            "User-Agent": f"qawl-python/{__version__}",
            "Accept": "application/json",
        }
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        headers.update(self._custom_headers)
        return headers

    def with_options(
        self: _SelfT,
        *,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _SelfT:
        """A copy of this client with some options changed, sharing its connection pool.

        ``default_headers`` are merged over the current ones. Closing the copy does not close
        the shared pool; close the original client for that.
        """
        new = copy.copy(self)
        new._owns_client = False
        if base_url is not None:
            new._base_url = _resolve_base_url(base_url)
        if api_key is not None:
            new._api_key = api_key
        if not isinstance(timeout, NotGiven):
            new.timeout = _to_timeout(timeout)
        if max_retries is not None:
            new.max_retries = _check_max_retries(max_retries)
        new._custom_headers = {**self._custom_headers, **(default_headers or {})}
        return new

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    # -- requests ------------------------------------------------------------------------------

    def _resolve_options(
        self, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> tuple[httpx.Timeout, int]:
        return (
            self.timeout if isinstance(timeout, NotGiven) else _to_timeout(timeout),
            self.max_retries if isinstance(max_retries, NotGiven) else _check_max_retries(max_retries),
        )

    def _build_request(
        self, method: str, path: str, *, body: msgspec.Struct | None, timeout: httpx.Timeout
    ) -> httpx.Request:
        headers = self.default_headers
        content: bytes | None = None
        if body is not None:
            try:
                content = msgspec.json.encode(body)
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
                raise InvalidRequestError(
                    f"the request contains {bad!r} at character {exc.start} of a string field:"
                    " a lone surrogate is not valid Unicode and cannot be sent as UTF-8 JSON"
                ) from exc
            headers["Content-Type"] = "application/json"
        return self._client.build_request(
            method, self._base_url + path, headers=headers, content=content, timeout=timeout
        )

    # -- retries -------------------------------------------------------------------------------

    def _retry_delay_after_response(
        self, response: httpx.Response, retries_taken: int, max_retries: int
    ) -> float | None:
        """Seconds to wait before retrying, or ``None`` to hand ``response`` back as final."""
        if response.is_success or retries_taken >= max_retries:
            return None
        if not _retry.should_retry_response(response):
            return None
        delay = _retry.retry_delay(retries_taken, response.headers)
        log.info(
            "%s %s -> %d; retry %d/%d in %.2fs",
            response.request.method,
            response.request.url,
            response.status_code,
            retries_taken + 1,
            max_retries,
            delay,
        )
        return delay

    def _retry_delay_after_error(
        self, error: httpx.TransportError, request: httpx.Request, retries_taken: int, max_retries: int
    ) -> float | None:
        """Seconds to wait before retrying, or ``None`` to raise ``error`` as final."""
        if retries_taken >= max_retries or not _retry.is_retryable_error(error):
            return None
        delay = _retry.retry_delay(retries_taken)
        log.info(
            "%s %s failed (%s: %s); retry %d/%d in %.2fs",
            request.method,
            request.url,
            type(error).__name__,
            error,
            retries_taken + 1,
            max_retries,
            delay,
        )
        return delay

    @staticmethod
    def _connection_error(error: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
        reason = str(error) or type(error).__name__
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(f"Request timed out: {reason}", request=request)
        return APIConnectionError(f"Connection error: {reason}", request=request)

    # -- responses -----------------------------------------------------------------------------

    @staticmethod
    def _process_response(response: httpx.Response, cast_to: type[_T]) -> _T:
        if not response.is_success:
            raise make_status_error(response)
        try:
            return msgspec.json.decode(response.content, type=cast_to)
        except msgspec.DecodeError as err:
            raise APIResponseValidationError(
                f"{response.status_code} response to {response.request.method} {response.request.url.path}"
                f" does not decode as {cast_to.__name__}: {err}",
                response=response,
            ) from err

    @staticmethod
    def _process_ready(response: httpx.Response) -> bool:
        if response.is_success:
            return True
        if response.status_code == 503:
            return False
        raise make_status_error(response)


def _init_http_client(
    http_client: _HttpxClientT | None,
    transport: object | None,
    expected: type[_HttpxClientT],
) -> tuple[_HttpxClientT | None, bool]:
    if http_client is None:
        return None, True
    if transport is not None:
        raise ValueError("pass either http_client or transport, not both")
    if not isinstance(http_client, expected):
        raise TypeError(
            f"http_client must be an {expected.__module__}.{expected.__name__}, got {http_client!r}"
        )
    return http_client, False


class Client(_BaseClient[httpx.Client]):
    """Synchronous client of the Qawl service.

    >>> with qawl.Client("http://localhost:8000") as client:
    ...     result = client.entities("زار الرئيس المصري عبد الفتاح السيسي باريس")

    Pass ``http_client`` to use a configured ``httpx.Client`` (proxies, certificates, ...); it stays
    yours to close. Pass ``transport`` to plug in an ``httpx`` transport (e.g. ``MockTransport``).
    """

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        api_key: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        given, self._owns_client = _init_http_client(http_client, transport, httpx.Client)
        self._client = given if given is not None else httpx.Client(transport=transport, timeout=self.timeout)

    # -- API -----------------------------------------------------------------------------------

    def entities(
        self,
        text: str,
        *,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> EntitiesResponse:
        """Named entities of ``text``, each with all its mentions (``POST /v1/entities``).

        ``id`` is your document id, echoed back in the response.
        """
        body = EntitiesRequest(text=text, id=id)
        response = self._send("POST", "/v1/entities", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, EntitiesResponse)

    def quotes(
        self,
        text: str,
        *,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> QuotesResponse:
        """Quotes in ``text`` with their speakers, plus the entities they link to (``POST /v1/quotes``)."""
        body = QuotesRequest(text=text, id=id)
        response = self._send("POST", "/v1/quotes", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, QuotesResponse)

    def stance(
        self,
        text: str,
        *,
        targets: Sequence[str] | None = None,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> StanceResponse:
        """Who is for or against what in ``text`` (``POST /v1/stance``); with ``targets``, only
        stances toward those targets (matched despite spelling variants and entity aliases)."""
        body = StanceRequest(text=text, id=id, targets=None if targets is None else list(targets))
        response = self._send("POST", "/v1/stance", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, StanceResponse)

    def analyze(
        self,
        text: str,
        *,
        features: Sequence[Feature] = ("entities",),
        id: str | None = None,
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Analysis:
        """Run the requested ``features`` on ``text`` (``POST /v1/analyze``)."""
        body = AnalyzeRequest(
            text=text, id=id, features=list(features), targets=None if targets is None else list(targets)
        )
        response = self._send("POST", "/v1/analyze", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, Analysis)

    def batch(
        self,
        documents: Iterable[DocumentInput],
        *,
        features: Sequence[Feature] = ("entities",),
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BatchResponse:
        """Analyze up to ``max_batch_docs`` documents in one request (``POST /v1/batch``).

        One result per document, in order; a bad document fails alone (``ok=False``, ``error``).
        """
        body = BatchRequest(
            documents=to_documents(documents),
            features=list(features),
            targets=None if targets is None else list(targets),
        )
        response = self._send("POST", "/v1/batch", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, BatchResponse)

    def analyze_many(
        self,
        documents: Iterable[DocumentInput],
        *,
        features: Sequence[Feature] = ("entities",),
        targets: Sequence[str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
        concurrency: int = 4,
        progress: bool | ProgressCallback | None = None,
    ) -> list[BatchItem]:
        """Any number of documents: split into ``/v1/batch`` requests of at most ``batch_size``
        documents and ``max_batch_bytes`` of JSON, up to ``concurrency`` in flight (threads), each
        retried like any call. A request refused with 413 is split in halves and sent again; a
        document refused alone gets its own ``ok=False`` result, and the others keep theirs.
        Results keep input order. ``progress=True`` draws a bar on stderr; a callable gets
        ``(done, total)``."""
        chunked = chunks(to_documents(documents), batch_size, max_batch_bytes)
        report = progress_callback(progress)
        total = sum(len(c) for c in chunked)
        done = 0
        results: list[list[BatchItem]] = [[] for _ in chunked]
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            futures = {
                pool.submit(self._batch_splitting, chunk, features, targets): n
                for n, chunk in enumerate(chunked)
            }
            for future in as_completed(futures):
                n = futures[future]
                results[n] = future.result()
                done += len(chunked[n])
                if report is not None:
                    report(done, total)
        return flatten(results)

    def _batch_splitting(
        self, chunk: list[BatchDocument], features: Sequence[Feature], targets: Sequence[str] | None
    ) -> list[BatchItem]:
        try:
            return self.batch(chunk, features=features, targets=targets).results
        except PayloadTooLargeError as exc:
            if len(chunk) == 1:
                return [too_large(chunk[0], exc.problem)]
            first, second = halves(chunk)
            return self._batch_splitting(first, features, targets) + self._batch_splitting(
                second, features, targets
            )

    def story(
        self,
        documents: Iterable[StoryDocumentInput],
        *,
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> StoryResponse:
        """One event across outlets (``POST /v1/story``): the documents analyzed and merged into
        story entities (one per real-world entity, every spelling), statements (one per thing said,
        each outlet's report a source) and stances (one per holder, target and label).

        ``documents`` are ``{"id", "text"}`` mappings, ``(id, text)`` pairs or
        :class:`~qawl.types.StoryDocument`; ids are required and unique. At most
        ``max_batch_docs`` documents (``/v1/info``); a bad document fails alone (its
        ``documents[i].ok`` is false, ``error`` says why) and the others are merged."""
        body = StoryRequest(
            documents=to_story_documents(documents), targets=None if targets is None else list(targets)
        )
        response = self._send("POST", "/v1/story", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, StoryResponse)

    def info(
        self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN, max_retries: int | NotGiven = NOT_GIVEN
    ) -> Info:
        """Service version, features, model card and request limits (``GET /v1/info``)."""
        response = self._send("GET", "/v1/info", timeout=timeout, max_retries=max_retries)
        return self._process_response(response, Info)

    def health(
        self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN, max_retries: int | NotGiven = NOT_GIVEN
    ) -> Health:
        """Liveness (``GET /healthz``)."""
        response = self._send("GET", "/healthz", timeout=timeout, max_retries=max_retries)
        return self._process_response(response, Health)

    def ready(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> bool:
        """Readiness (``GET /readyz``): ``True`` on 2xx, ``False`` on 503. Never retried;
        other statuses and connection failures raise."""
        response = self._send("GET", "/readyz", timeout=timeout, max_retries=0)
        return self._process_ready(response)

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- I/O -----------------------------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: msgspec.Struct | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> httpx.Response:
        """Send with retries; returns the final response, whatever its status."""
        timeout_, max_retries_ = self._resolve_options(timeout, max_retries)
        request = self._build_request(method, path, body=body, timeout=timeout_)
        retries_taken = 0
        while True:
            try:
                response = self._client.send(request)
            except httpx.TransportError as err:
                delay = self._retry_delay_after_error(err, request, retries_taken, max_retries_)
                if delay is None:
                    raise self._connection_error(err, request) from err
            else:
                delay = self._retry_delay_after_response(response, retries_taken, max_retries_)
                if delay is None:
                    return response
            self._sleep(delay)
            retries_taken += 1


class AsyncClient(_BaseClient[httpx.AsyncClient]):
    """Asynchronous client of the Qawl service; the same API as :class:`Client`, awaited.

    >>> async with qawl.AsyncClient() as client:
    ...     result = await client.entities("زار الرئيس المصري عبد الفتاح السيسي باريس")
    """

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        api_key: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        given, self._owns_client = _init_http_client(http_client, transport, httpx.AsyncClient)
        self._client = (
            given if given is not None else httpx.AsyncClient(transport=transport, timeout=self.timeout)
        )

    # -- API -----------------------------------------------------------------------------------

    async def entities(
        self,
        text: str,
        *,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> EntitiesResponse:
        """Named entities of ``text``, each with all its mentions (``POST /v1/entities``).

        ``id`` is your document id, echoed back in the response.
        """
        body = EntitiesRequest(text=text, id=id)
        response = await self._send(
            "POST", "/v1/entities", body=body, timeout=timeout, max_retries=max_retries
        )
        return self._process_response(response, EntitiesResponse)

    async def quotes(
        self,
        text: str,
        *,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> QuotesResponse:
        """Quotes in ``text`` with their speakers, plus the entities they link to (``POST /v1/quotes``)."""
        body = QuotesRequest(text=text, id=id)
        response = await self._send("POST", "/v1/quotes", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, QuotesResponse)

    async def stance(
        self,
        text: str,
        *,
        targets: Sequence[str] | None = None,
        id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> StanceResponse:
        """Who is for or against what in ``text`` (``POST /v1/stance``)."""
        body = StanceRequest(text=text, id=id, targets=None if targets is None else list(targets))
        response = await self._send("POST", "/v1/stance", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, StanceResponse)

    async def analyze(
        self,
        text: str,
        *,
        features: Sequence[Feature] = ("entities",),
        id: str | None = None,
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Analysis:
        """Run the requested ``features`` on ``text`` (``POST /v1/analyze``)."""
        body = AnalyzeRequest(
            text=text, id=id, features=list(features), targets=None if targets is None else list(targets)
        )
        response = await self._send(
            "POST", "/v1/analyze", body=body, timeout=timeout, max_retries=max_retries
        )
        return self._process_response(response, Analysis)

    async def batch(
        self,
        documents: Iterable[DocumentInput],
        *,
        features: Sequence[Feature] = ("entities",),
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BatchResponse:
        """Analyze up to ``max_batch_docs`` documents in one request (``POST /v1/batch``)."""
        body = BatchRequest(
            documents=to_documents(documents),
            features=list(features),
            targets=None if targets is None else list(targets),
        )
        response = await self._send("POST", "/v1/batch", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, BatchResponse)

    async def analyze_many(
        self,
        documents: Iterable[DocumentInput],
        *,
        features: Sequence[Feature] = ("entities",),
        targets: Sequence[str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
        concurrency: int = 4,
        progress: bool | ProgressCallback | None = None,
    ) -> list[BatchItem]:
        """Any number of documents as ``/v1/batch`` requests, at most ``concurrency`` in flight;
        413s split and retried, results keep input order. See :meth:`Client.analyze_many`."""
        chunked = chunks(to_documents(documents), batch_size, max_batch_bytes)
        report = progress_callback(progress)
        total = sum(len(c) for c in chunked)
        done = 0
        results: list[list[BatchItem]] = [[] for _ in chunked]
        gate = asyncio.Semaphore(max(1, concurrency))

        async def run(n: int) -> None:
            nonlocal done
            async with gate:
                results[n] = await self._batch_splitting(chunked[n], features, targets)
            done += len(chunked[n])
            if report is not None:
                report(done, total)

        await asyncio.gather(*(run(n) for n in range(len(chunked))))
        return flatten(results)

    async def _batch_splitting(
        self, chunk: list[BatchDocument], features: Sequence[Feature], targets: Sequence[str] | None
    ) -> list[BatchItem]:
        try:
            return (await self.batch(chunk, features=features, targets=targets)).results
        except PayloadTooLargeError as exc:
            if len(chunk) == 1:
                return [too_large(chunk[0], exc.problem)]
            first, second = halves(chunk)
            return await self._batch_splitting(first, features, targets) + await self._batch_splitting(
                second, features, targets
            )

    async def story(
        self,
        documents: Iterable[StoryDocumentInput],
        *,
        targets: Sequence[str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> StoryResponse:
        """One event across outlets (``POST /v1/story``); see :meth:`Client.story`."""
        body = StoryRequest(
            documents=to_story_documents(documents), targets=None if targets is None else list(targets)
        )
        response = await self._send("POST", "/v1/story", body=body, timeout=timeout, max_retries=max_retries)
        return self._process_response(response, StoryResponse)

    async def info(
        self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN, max_retries: int | NotGiven = NOT_GIVEN
    ) -> Info:
        """Service version, features, model card and request limits (``GET /v1/info``)."""
        response = await self._send("GET", "/v1/info", timeout=timeout, max_retries=max_retries)
        return self._process_response(response, Info)

    async def health(
        self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN, max_retries: int | NotGiven = NOT_GIVEN
    ) -> Health:
        """Liveness (``GET /healthz``)."""
        response = await self._send("GET", "/healthz", timeout=timeout, max_retries=max_retries)
        return self._process_response(response, Health)

    async def ready(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> bool:
        """Readiness (``GET /readyz``): ``True`` on 2xx, ``False`` on 503. Never retried;
        other statuses and connection failures raise."""
        response = await self._send("GET", "/readyz", timeout=timeout, max_retries=0)
        return self._process_ready(response)

    # -- lifecycle -----------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- I/O -----------------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: msgspec.Struct | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> httpx.Response:
        """Send with retries; returns the final response, whatever its status."""
        timeout_, max_retries_ = self._resolve_options(timeout, max_retries)
        request = self._build_request(method, path, body=body, timeout=timeout_)
        retries_taken = 0
        while True:
            try:
                response = await self._client.send(request)
            except httpx.TransportError as err:
                delay = self._retry_delay_after_error(err, request, retries_taken, max_retries_)
                if delay is None:
                    raise self._connection_error(err, request) from err
            else:
                delay = self._retry_delay_after_response(response, retries_taken, max_retries_)
                if delay is None:
                    return response
            await self._sleep(delay)
            retries_taken += 1
