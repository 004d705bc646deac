"""``qawl-service``: run the server, analyze files in-process, or write the OpenAPI document."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import msgspec

from qawl.types import BatchItem, Problem

from .settings import Settings, SettingsError


def _serve(args: argparse.Namespace) -> int:
    import signal

    import uvicorn

    from .api.jsonlog import uvicorn_log_config
    from .server import supervisor
    from .server.tcp import NoDelayH11Protocol

    # Workers are separate processes that build their own app from the environment.
    for name, value in (("QAWL_HOST", args.host), ("QAWL_PORT", args.port), ("QAWL_WORKERS", args.workers)):
        if value is not None:
            os.environ[name] = str(value)
    settings = Settings.from_env()  # bad settings (e.g. an unreadable key file) fail here, once
    # uvicorn re-raises the SIGTERM it drained on once it has restored the previous handler; this
    # one makes that a no-op, so a graceful stop exits 0 instead of dying by the signal.
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    options: dict[str, Any] = dict(
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=uvicorn_log_config(settings.log_level),
        http=NoDelayH11Protocol,
        proxy_headers=True,
        timeout_graceful_shutdown=30,
        access_log=False,  # the app writes one JSON line per request (api/requestlog.py)
    )
    if settings.workers > 1:
        supervisor.run(uvicorn.Config("qawl_service.app:create_app", **options))
    else:
        uvicorn.run("qawl_service.app:create_app", **options)
    return 0


def _read(name: str, max_chars: int) -> tuple[str | None, Problem | None]:
    """A file's text, or the problem with it (as the HTTP API would answer for that text)."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, Problem(status=404, title="File not found", detail=f"{name}: no such file", field="file")
    except UnicodeDecodeError as exc:
        detail = f"{name}: not UTF-8 (byte {exc.start})"
        return None, Problem(status=400, title="Not UTF-8", detail=detail, field="file")
    except OSError as exc:
        detail = f"{name}: {exc.strerror or type(exc).__name__}"
        return None, Problem(status=400, title="File not readable", detail=detail, field="file")
    if not text.strip():
        detail = "The text is empty or only whitespace."
        return None, Problem(status=422, title="Empty text", detail=detail, field="text")
    if len(text) > max_chars:
        detail = f"The text has {len(text)} characters; the limit is {max_chars} (QAWL_MAX_TEXT_CHARS)."
        return None, Problem(status=413, title="Text too long", detail=detail, field="text")
    return text, None


def _analyze(args: argparse.Namespace) -> int:
    """One JSON line per input file, in order, shaped like a ``/v1/batch`` item: ``{"id", "ok",
    "result"}`` or ``{"id", "ok": false, "error": <problem>}``. Exit status 1 if any input failed."""
    from qawl.types import FEATURES

    from .analyzer import Analyzer

    settings = Settings.from_env()
    analyzer = Analyzer.load(settings.model)
    failed = 0
    for name in args.files:
        text, problem = _read(name, settings.max_text_chars)
        if text is not None:
            item = BatchItem(id=name, ok=True, result=analyzer.analyze(text, list(FEATURES), name))
        else:
            failed += 1
            item = BatchItem(id=name, ok=False, error=problem)
        sys.stdout.write(msgspec.json.encode(item).decode() + "\n")
        sys.stdout.flush()
    return 1 if failed else 0


def _openapi(args: argparse.Namespace) -> int:
    from .openapi import openapi_json

    data = openapi_json()
    if args.out == "-":
        sys.stdout.write(data)
    else:
        Path(args.out).write_text(data, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qawl-service", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server (settings from QAWL_* env, flags override)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers", type=int, help="worker processes (default: QAWL_WORKERS or the CPU count)"
    )
    serve.set_defaults(func=_serve)
    analyze = sub.add_parser(
        "analyze", help="analyze text files in-process: one JSON line per file, exit 1 if any failed"
    )
    analyze.add_argument("files", nargs="+", help="UTF-8 text files ('-' for stdin)")
    analyze.set_defaults(func=_analyze)
    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument("--out", default="-")
    openapi.set_defaults(func=_openapi)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:  # an operator's configuration error: one line, not a traceback
        parser.exit(2, f"qawl-service: {exc}\n")


if __name__ == "__main__":
    raise SystemExit(main())
