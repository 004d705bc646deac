"""Service settings, read once from ``QAWL_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    max_text_chars: int = 100_000
    max_body_bytes: int = 2 * 1024 * 1024
    max_batch_docs: int = 64
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
            model=env.get("QAWL_MODEL") or None,
        )
