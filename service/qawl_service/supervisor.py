"""Worker processes with a listening socket each (``SO_REUSEPORT``), for ``serve --workers N``.

uvicorn's ``--workers`` shares one listening socket: the worker that is accepting when connections
arrive takes them all, and keep-alive clients stay with it (measured: 8 connections opened together,
8 on one worker and 0 on the other, so 2 workers served what 1 does). With a socket per worker
bound with ``SO_REUSEPORT`` the kernel spreads new connections over the workers by a hash of their
addresses. Everything else (health checks, restarts, signals, draining) is uvicorn's supervisor.
"""

from __future__ import annotations

import logging
import socket
import sys

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import multiprocess

log = logging.getLogger("uvicorn.error")


def available(port: int) -> bool:
    """Port 0 would give every worker a different port; some platforms lack SO_REUSEPORT."""
    return port != 0 and hasattr(socket, "SO_REUSEPORT")


def reuseport_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


class _Worker(multiprocess.Process):
    def target(self, sockets: list[socket.socket] | None = None) -> None:  # runs in the worker
        try:
            sock = reuseport_socket(self.config.host, self.config.port)
        except OSError as exc:  # e.g. the port is taken by a process without SO_REUSEPORT
            log.error("cannot listen on %s:%d: %s", self.config.host, self.config.port, exc)
            sys.exit(STARTUP_FAILURE)  # the supervisor stops instead of restarting in a loop
        super().target([sock])


def run(config: Config) -> None:
    log.info(
        "listening on http://%s:%d with %d workers, a socket each (SO_REUSEPORT)",
        config.host,
        config.port,
        config.workers,
    )
    multiprocess.Process = _Worker  # type: ignore[misc]  # the supervisor makes its workers by this name
    multiprocess.Multiprocess(config, sockets=[]).run()
