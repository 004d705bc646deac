"""Per-client rate limiting of ``/v1``: a token bucket per API key (per client address when open).

Each client has a bucket of ``limit`` tokens that refills at ``limit / window`` tokens per second;
a request takes one token, or is answered 429 when there is none. The state is in-process: every
worker keeps its own buckets (with N workers a client gets up to N times the limit through one
port). Responses carry the IETF draft headers (draft-ietf-httpapi-ratelimit-headers):

- ``RateLimit-Limit``: the bucket size; ``RateLimit-Policy``: ``<limit>;w=<window>``
- ``RateLimit-Remaining``: whole tokens left after this request
- ``RateLimit-Reset``: seconds until the bucket is full again
- on 429, ``Retry-After``: seconds until the next request will be accepted

At most ``max_clients`` buckets are kept; the least recently used one is dropped beyond that (that
client starts again with a full bucket), so a flood of addresses cannot grow memory without bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from .problems import ProblemException
from .requestlog import STATE_KEY_ID


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int
    policy: str

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": self.policy,
        }


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window: float,
        *,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.rate = limit / window if limit > 0 else 0.0  # tokens per second
        self.max_clients = max_clients
        self.clock = clock
        self.policy = f"{limit};w={window:g}"
        self._buckets: dict[str, tuple[float, float]] = {}  # identity -> (tokens, at); LRU order

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def hit(self, identity: str) -> Decision:
        now = self.clock()
        tokens, at = self._buckets.pop(identity, (float(self.limit), now))
        tokens = min(float(self.limit), tokens + (now - at) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[identity] = (tokens, now)  # re-inserted last: most recently used
        if len(self._buckets) > self.max_clients:
            del self._buckets[next(iter(self._buckets))]
        return Decision(
            allowed=allowed,
            limit=self.limit,
            remaining=int(tokens),
            reset=math.ceil((self.limit - tokens) / self.rate),
            retry_after=0 if allowed else max(1, math.ceil((1.0 - tokens) / self.rate)),
            policy=self.policy,
        )

    def __len__(self) -> int:
        return len(self._buckets)


def client_identity(scope: Scope) -> str:
    """``key:<key_id>`` for an authenticated caller, else ``addr:<client address>``."""
    state: dict[str, Any] = scope.get("state", {})
    key_id = state.get(STATE_KEY_ID)
    if key_id:
        return f"key:{key_id}"
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


class RateLimitMiddleware:
    """Runs after authentication: the bucket belongs to the key when there is one."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not self.limiter.enabled:
            await self.app(scope, receive, send)
            return
        decision = self.limiter.hit(client_identity(scope))
        headers = decision.headers()
        if not decision.allowed:
            raise ProblemException(
                429,
                f"Too many requests: {self.limiter.limit} per {self.limiter.window:g}s per client "
                f"(QAWL_RATE_LIMIT); retry in {decision.retry_after}s.",
                title="Too many requests",
                headers={**headers, "Retry-After": str(decision.retry_after)},
            )
        encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *encoded]
            await send(message)

        await self.app(scope, receive, send_with_headers)
