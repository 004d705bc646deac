"""API keys: with ``QAWL_API_KEYS``/``QAWL_API_KEYS_FILE`` set, every ``/v1`` route needs one.

A key is sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. The presented key is
hashed and compared with every configured key's hash in constant time (``hmac.compare_digest``,
no early exit), so timing says nothing about how much of a key was right or which key matched.
Neither the presented nor the configured keys are ever logged or echoed: the request log only gets
``key_id``, the first 8 hex digits of the key's SHA-256, to tell callers apart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from .problems import ProblemException
from .requestlog import STATE_KEY_ID

MIN_KEY_CHARS = 16
_KEY_CHARS = re.compile(r"[\x21-\x7e]+")  # visible ASCII: what a header carries verbatim
_REALM = 'Bearer realm="qawl"'


class KeyRing:
    """The configured keys, kept as SHA-256 digests."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests: list[tuple[str, bytes]] = []
        for n, key in enumerate(keys, start=1):
            if len(key) < MIN_KEY_CHARS or not _KEY_CHARS.fullmatch(key) or "," in key:
                # Name the key by position only: the message must not reveal it.
                raise ValueError(
                    f"API key #{n} is invalid: keys need at least {MIN_KEY_CHARS} characters of "
                    "visible ASCII without commas, e.g. "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
                )
            digest = hashlib.sha256(key.encode("ascii")).digest()
            self._digests.append((f"k-{digest.hex()[:8]}", digest))

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def __repr__(self) -> str:
        return f"KeyRing({len(self._digests)} keys)"

    def match(self, presented: bytes) -> str | None:
        """The ``key_id`` of the key ``presented`` is, or ``None``. Constant time in the key values."""
        digest = hashlib.sha256(presented).digest()
        matched: str | None = None
        for key_id, expected in self._digests:
            if hmac.compare_digest(digest, expected):
                matched = key_id
        return matched


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> bytes | None:
    """The key in ``Authorization: Bearer ...`` (preferred) or ``X-API-Key``, if any."""
    bearer: bytes | None = None
    api_key: bytes | None = None
    for name, value in headers:
        lname = name.lower()
        if lname == b"authorization" and bearer is None:
            scheme, _, credentials = value.strip().partition(b" ")
            if scheme.lower() == b"bearer" and credentials.strip():
                bearer = credentials.strip()
        elif lname == b"x-api-key" and api_key is None and value.strip():
            api_key = value.strip()
    return bearer if bearer is not None else api_key


class AuthMiddleware:
    """401 problem with ``WWW-Authenticate: Bearer`` unless the request carries a configured key."""

    def __init__(self, app: ASGIApp, *, keys: KeyRing) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and self.keys:
            presented = presented_key(scope["headers"])
            if presented is None:
                raise ProblemException(
                    401,
                    "This service needs an API key: "
                    "send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
                    title="Missing API key",
                    headers={"WWW-Authenticate": _REALM},
                )
            key_id = self.keys.match(presented)
            if key_id is None:
                raise ProblemException(
                    401,
                    "The API key is not valid.",
                    title="Invalid API key",
                    headers={"WWW-Authenticate": f'{_REALM}, error="invalid_token"'},
                )
            state: dict[str, Any] = scope.setdefault("state", {})
            state[STATE_KEY_ID] = key_id
        await self.app(scope, receive, send)
