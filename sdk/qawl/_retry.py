"""Retry policy: which failures are retried, and how long to wait before the next attempt.

Pure functions, no I/O: the clients call them between attempts and do the sleeping.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Callable

import httpx

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RETRYABLE_STATUS_CODES",
    "backoff_delay",
    "is_retryable_error",
    "parse_retry_after",
    "retry_delay",
    "should_retry_response",
]

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled for each later one."""

MAX_RETRY_DELAY = 8.0
"""Upper bound of the computed backoff, in seconds."""

MAX_RETRY_AFTER = 60.0
"""A server's ``Retry-After`` is obeyed only when it is in ``(0, MAX_RETRY_AFTER]`` seconds."""

RETRYABLE_STATUS_CODES = frozenset({408, 429, 502, 503, 504})

_NON_RETRYABLE_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def is_retryable_error(error: httpx.TransportError) -> bool:
    """Connect/read/write/pool timeouts, network errors and broken responses are worth a retry;
    a bad URL scheme or a request httpx refuses to send is not."""
    return not isinstance(error, _NON_RETRYABLE_ERRORS)


def should_retry_response(response: httpx.Response) -> bool:
    """Whether a non-2xx ``response`` is worth retrying.

    An ``x-should-retry: true|false`` header from the server decides; otherwise the status does.
    """
    should_retry = response.headers.get("x-should-retry", "").strip().lower()
    if should_retry == "true":
        return True
    if should_retry == "false":
        return False
    return response.status_code in RETRYABLE_STATUS_CODES


def parse_retry_after(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``retry-after-ms`` or ``Retry-After``.

    ``Retry-After`` may be delay-seconds or an HTTP-date (RFC 9110 §10.2.3); ``now`` (a Unix
    timestamp, default: the current time) is what a date is measured from. Returns ``None`` when
    neither header is present or parseable. The value may be zero or negative (a past date).
    """
    retry_after_ms = headers.get("retry-after-ms")
    if retry_after_ms is not None:
        try:
            value = float(retry_after_ms) / 1000.0
        except ValueError:
            pass
        else:
            if math.isfinite(value):
                return value

    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    retry_after = retry_after.strip()
    try:
        value = float(retry_after)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None

    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, per RFC 5322
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp() - (time.time() if now is None else now)


def backoff_delay(retries_taken: int, *, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter for the retry that follows ``retries_taken`` earlier ones.

    ``INITIAL_RETRY_DELAY * 2**retries_taken`` capped at ``MAX_RETRY_DELAY``, then scaled by a
    random factor in ``(0.75, 1.0]`` so that clients failing together do not retry in lockstep.
    """
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_taken, 32), MAX_RETRY_DELAY)
    return delay * (1.0 - 0.25 * rand())


def retry_delay(
    retries_taken: int,
    headers: httpx.Headers | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: float | None = None,
) -> float:
    """Seconds to sleep before the next attempt: the server's ``Retry-After`` when it is present
    and reasonable (``0 < value <= MAX_RETRY_AFTER``), else :func:`backoff_delay`."""
    if headers is not None:
        retry_after = parse_retry_after(headers, now=now)
        if retry_after is not None and 0 < retry_after <= MAX_RETRY_AFTER:
            return retry_after
    return backoff_delay(retries_taken, rand=rand)
