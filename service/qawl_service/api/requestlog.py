"""Request ids and the request log: one JSON line per HTTP request, never the submitted text.

``X-Request-ID`` is taken from the request when it is a sane token (1-128 characters of
``A-Z a-z 0-9 . _ : / + = @ -``), else generated; it is echoed on every response, problems included.
The log line carries ``request_id, method, path, status, duration_ms, text_chars, client`` and, when
the caller authenticated, ``key_id`` (a fingerprint, never the key). ``text_chars`` is the length of
the decoded ``text`` (summed over ``documents`` for a batch) or, when the body does not decode, the
``Content-Length``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from .jsonlog import FIELDS_ATTR

log = logging.getLogger("qawl.request")

REQUEST_ID_HEADER = b"x-request-id"
STATE_REQUEST_ID = "qawl_request_id"
STATE_KEY_ID = "qawl_key_id"  # set by the auth middleware
_VALID_ID = re.compile(rb"[A-Za-z0-9._:/+=@-]{1,128}")
_MAX_PATH = 512


class _Doc(msgspec.Struct):
    text: str | None = None


class _Body(msgspec.Struct):
    text: str | None = None
    documents: list[_Doc] | None = None


PROBES = frozenset({"/healthz", "/readyz"})  # liveness and readiness: logged at debug


def request_id_of(scope: Scope) -> str:
    state: dict[str, Any] = scope.setdefault("state", {})
    rid = state.get(STATE_REQUEST_ID)
    if rid is None:
        given = next((v for k, v in scope["headers"] if k.lower() == REQUEST_ID_HEADER), b"")
        rid = given.decode("ascii") if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        state[STATE_REQUEST_ID] = rid
    return str(rid)


def _text_chars(body: bytes | None, headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    if body:
        try:
            decoded = msgspec.json.decode(body, type=_Body)
        except Exception:  # not JSON, wrong shape, bad UTF-8, too deep: fall back to the size
            decoded = None
        if decoded is not None and decoded.text is not None:
            return len(decoded.text)
        if decoded is not None and decoded.documents is not None:
            return sum(len(d.text) for d in decoded.documents if d.text is not None)
    length = next((v for k, v in headers if k.lower() == b"content-length"), None)
    try:
        return int(length) if length is not None else None
    except ValueError:
        return None


class RequestLogMiddleware:
    """Outermost ASGI layer (around Litestar's exception handling): sees every response."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id_of(scope)
        rid_header = (REQUEST_ID_HEADER, rid.encode("ascii"))
        chunks: list[bytes] = []
        captured = 0
        complete = False
        status: int | None = None

        async def receive_capturing() -> ReceiveMessage:
            nonlocal captured, complete
            message = await receive()
            if message["type"] == "http.request" and captured <= self.max_body_bytes:
                chunk: bytes = message.get("body", b"")
                captured += len(chunk)
                if captured <= self.max_body_bytes:
                    chunks.append(chunk)
                    complete = not message.get("more_body", False)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), rid_header]
            await send(message)

        try:
            await self.app(scope, receive_capturing, send_with_id)
        finally:
            body = b"".join(chunks) if complete else None
            self._log(scope, rid, status or 500, started, _text_chars(body, scope["headers"]))

    @staticmethod
    def _log(scope: Scope, rid: str, status: int, started: float, text_chars: int | None) -> None:
        client = scope.get("client")
        state: dict[str, Any] = scope.get("state", {})
        fields: dict[str, Any] = {
            "request_id": rid,
            "method": scope.get("method"),
            "path": scope["path"][:_MAX_PATH],
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "text_chars": text_chars,
            "client": client[0] if client else None,
        }
        if state.get(STATE_KEY_ID):
            fields["key_id"] = state[STATE_KEY_ID]
        if scope["path"] in PROBES and (status < 500 or status == 503):
            # Kubernetes probes every few seconds per pod: at info they drown the request log. A
            # probe that fails otherwise than "not ready yet" (a 500) is still logged as an error.
            level = logging.DEBUG
        else:
            level = logging.INFO if status < 500 else logging.WARNING if status == 503 else logging.ERROR
        log.log(level, "request", extra={FIELDS_ATTR: fields})
