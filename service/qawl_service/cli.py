"""``qawl-service``: run the server, analyze files in-process, or write the OpenAPI document."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import msgspec

from .settings import Settings


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


def _analyze(args: argparse.Namespace) -> int:
    from qawl.types import FEATURES, Analysis

    from .analyzer import Analyzer

    analyzer = Analyzer.load(Settings.from_env().model)
    results: list[Analysis] = []
    for name in args.files:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        results.append(analyzer.analyze(text, list(FEATURES), name))
    out = results[0] if len(results) == 1 else results
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(out).decode(), indent=2) + "\n")
    return 0


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
    analyze = sub.add_parser("analyze", help="analyze text files in-process and print JSON")
    analyze.add_argument("files", nargs="+", help="UTF-8 text files ('-' for stdin)")
    analyze.set_defaults(func=_analyze)
    openapi = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi.add_argument("--out", default="-")
    openapi.set_defaults(func=_openapi)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
