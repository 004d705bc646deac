"""uvicorn's h11 protocol with ``TCP_NODELAY`` set on every connection, and counted for balancing.

With ``--workers`` > 1 uvicorn binds the listening socket itself (``socket.socket(family)``, proto 0),
and asyncio only sets ``TCP_NODELAY`` on accepted sockets whose proto is ``IPPROTO_TCP``. A response
written as headers, then body, then waits for the client's delayed ACK (Nagle): measured, ``/healthz``
took 44 ms at p50 with 2 workers against 0.4 ms with 1 (BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

from . import balance


def enable_nodelay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the peer is already gone: nothing to speed up
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        enable_nodelay(transport)
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        balance.connection_closed()  # the worker's open-connection count (balance.py)
        super().connection_lost(exc)
