"""Structured logs: one JSON object per line on stdout, for the app and for uvicorn.

Nothing a client submitted is ever logged except its size: the request log carries ``text_chars``,
never the text. Exceptions are logged as their type and stack frames only, because an exception's
message can quote the input (a token, a character) that caused it.
"""

from __future__ import annotations

import datetime
import json
import logging
import sys
import traceback
from typing import Any

FIELDS_ATTR = "qawl"
"""``log.info(msg, extra={"qawl": {...}})``: these fields are merged into the JSON object."""


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.datetime.fromtimestamp(record.created, tz=datetime.timezone.utc)
        out: dict[str, Any] = {
            "ts": ts.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, FIELDS_ATTR, None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            out["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            out["exc_trace"] = "".join(traceback.format_tb(tb)) if tb is not None else ""
        return json.dumps(out, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler bound to whatever ``sys.stdout`` is at emit time (test capture swaps it)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


_MARK = "_qawl_json_handler"


def configure_logging(level: str) -> None:
    """JSON lines to stdout through the root logger, at ``level``. Idempotent: building several
    apps in one process (tests) keeps a single handler."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
    handler = StdoutHandler()
    handler.setFormatter(JsonFormatter())
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper())


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """``uvicorn.run(log_config=...)``: uvicorn's own lines as JSON too; its access log is replaced
    by the app's request log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stdout": {"class": f"{__name__}.StdoutHandler", "formatter": "json"}},
        "loggers": {
            "uvicorn": {"handlers": ["stdout"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
