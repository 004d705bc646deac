"""Service settings, read once from ``QAWL_*`` environment variables."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    """A ``QAWL_*`` variable is invalid; its message names the variable (never a key's value)."""


def _int(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be >= {minimum}, got {value}")
    return value


def _float(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc
    if not math.isfinite(value) or value < minimum:
        raise SettingsError(f"{name} must be a finite number >= {minimum}, got {raw!r}")
    return value


def _api_keys() -> tuple[str, ...]:
    """Keys from ``QAWL_API_KEYS`` (comma-separated) and ``QAWL_API_KEYS_FILE`` (one per line, ``#``
    comments). Either variable being set but yielding no key is an error: auth never silently opens.
    Error messages name the variable, never a key."""
    keys: list[str] = []
    raw = os.environ.get("QAWL_API_KEYS")
    if raw is not None:
        found = [k.strip() for k in raw.split(",") if k.strip()]
        if not found:
            raise SettingsError("QAWL_API_KEYS is set but holds no key")
        keys += found
    path = os.environ.get("QAWL_API_KEYS_FILE")
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SettingsError(f"QAWL_API_KEYS_FILE={path!r} cannot be read: {exc.strerror}") from None
        found = [k.strip() for line in lines if not line.lstrip().startswith("#") for k in line.split(",")]
        found = [k for k in found if k]
        if not found:
            raise SettingsError(f"QAWL_API_KEYS_FILE={path!r} holds no key")
        keys += found
    return tuple(dict.fromkeys(keys))


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


BODY_ENVELOPE = 1024  # bytes of a request body besides its text: id, features, targets, JSON syntax


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    max_text_chars: int = 100_000
    max_body_bytes: int = 2 * 1024 * 1024
    max_batch_docs: int = 64
    # Auth: off when empty. repr=False: a logged or printed Settings never shows a key.
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    rate_limit: int = 600  # requests per client (API key, else address) per window, per worker; 0 = off
    rate_limit_window: float = 60.0  # seconds
    analysis_timeout: float = 25.0  # seconds a request may wait for and spend in analysis; then 503
    shutdown_delay: float = 0.0  # seconds between SIGTERM (readiness 503) and closing the listener
    model: str | None = None  # a model name under qawl_service/models or a directory; None = shipped default

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            host=env.get("QAWL_HOST", cls.host),
            port=_int("QAWL_PORT", cls.port),
            workers=_int("QAWL_WORKERS", _default_workers()),
            log_level=env.get("QAWL_LOG_LEVEL", cls.log_level).lower(),
            max_text_chars=_int("QAWL_MAX_TEXT_CHARS", cls.max_text_chars),
            max_body_bytes=_int("QAWL_MAX_BODY_BYTES", cls.max_body_bytes),
            max_batch_docs=_int("QAWL_MAX_BATCH_DOCS", cls.max_batch_docs),
            api_keys=_api_keys(),
            rate_limit=_int("QAWL_RATE_LIMIT", cls.rate_limit, minimum=0),
            rate_limit_window=_float("QAWL_RATE_LIMIT_WINDOW", cls.rate_limit_window, minimum=0.001),
            analysis_timeout=_float("QAWL_ANALYSIS_TIMEOUT", cls.analysis_timeout, minimum=0.001),
            shutdown_delay=_float("QAWL_SHUTDOWN_DELAY", cls.shutdown_delay),
            model=env.get("QAWL_MODEL") or None,
        )._check_limits()

    def _check_limits(self) -> Settings:
        """The limits must not contradict each other: a text of ``max_text_chars`` must fit in a body
        even JSON-escaped (``\\uXXXX``, 6 bytes a character: Python's ``json.dumps`` default), or the
        text limit promised in /v1/info could never be reached. A batch is bounded by both
        ``max_batch_docs`` and ``max_body_bytes``; the SDK sizes its batches by both."""
        needed = 6 * self.max_text_chars + BODY_ENVELOPE
        if self.max_body_bytes < needed:
            raise SettingsError(
                f"QAWL_MAX_BODY_BYTES={self.max_body_bytes} cannot hold a text of QAWL_MAX_TEXT_CHARS="
                f"{self.max_text_chars} characters (JSON-escaped: {needed} bytes); raise the first or "
                "lower the second"
            )
        return self
