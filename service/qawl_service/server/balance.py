"""Least-connections accept for worker processes that share one listening socket.

Each worker publishes its number of open connections in a slot of a small shared-memory table. When
the listening socket becomes readable, a worker accepts one connection only if no other serving
worker has fewer open; otherwise it leaves the connection in the kernel's queue, where the worker
with fewer picks it up, and looks again a millisecond later. Keep-alive connections therefore end up
spread evenly (8 connections opened together: 4 / 4), where a shared socket gives them all to
whichever worker wakes first and per-worker ``SO_REUSEPORT`` sockets split them by a hash (5 / 3
in the benchmark). A worker that has deferred for ``MAX_DEFER_S`` accepts anyway, so a peer that
hangs, or died with a low count, delays new connections by at most that.

Only the accept differs from asyncio's selector loop; without an installed board (one worker, or
tests) the loop is asyncio's own.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
from typing import Any

SLOTS = 64  # more than any worker count plus the replacements of a rolling restart
RECHECK_S = 0.001
MAX_DEFER_S = 0.05
_RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


def new_table() -> Any:
    """The shared table: a (pid, open connections) pair per slot; pid 0 means not serving."""
    import multiprocessing

    return multiprocessing.get_context("spawn").RawArray("q", 2 * SLOTS)


class Board:
    """One worker's view of the table. Each worker writes only its own slot; aligned 64-bit loads
    and stores are atomic, so there is no lock."""

    def __init__(self, table: Any, slot: int) -> None:
        self.table = table
        self.slot = slot

    def serving(self, on: bool) -> None:
        self.table[2 * self.slot] = os.getpid() if on else 0

    def opened(self) -> None:
        self.table[2 * self.slot + 1] += 1

    def closed(self) -> None:
        self.table[2 * self.slot + 1] -= 1

    def connections(self) -> int:
        return int(self.table[2 * self.slot + 1])

    def may_accept(self) -> bool:
        mine = self.table[2 * self.slot + 1]
        table = self.table
        return not any(table[2 * i] and table[2 * i + 1] < mine for i in range(SLOTS) if i != self.slot)


_board: Board | None = None


def install(table: Any, slot: int) -> None:
    """Called in the worker process before its server starts."""
    global _board
    _board = Board(table, slot)


def connection_closed() -> None:
    """Called by the HTTP protocol when a connection ends (every accepted connection ends so)."""
    if _board is not None:
        _board.closed()


class BalancedEventLoop(asyncio.SelectorEventLoop):
    _deferred_since = 0.0
    _last_deferral = -1.0

    def _start_serving(self, protocol_factory: Any, sock: socket.socket, *args: Any) -> None:
        super()._start_serving(protocol_factory, sock, *args)  # type: ignore[misc]
        if _board is not None:
            _board.serving(True)

    def _stop_serving(self, sock: socket.socket) -> None:
        if _board is not None:
            _board.serving(False)
        super()._stop_serving(sock)  # type: ignore[misc]

    def _accept_connection(
        self,
        protocol_factory: Any,
        sock: socket.socket,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *timeouts: Any,
    ) -> None:
        board = _board
        if board is None:
            return super()._accept_connection(  # type: ignore[misc,no-any-return]
                protocol_factory, sock, sslcontext, server, backlog, *timeouts
            )
        resume = (protocol_factory, sock, sslcontext, server, backlog, *timeouts)
        now = self.time()
        if not board.may_accept():
            if now - self._last_deferral > 4 * RECHECK_S:  # a new episode, not the same queue
                self._deferred_since = now
            self._last_deferral = now
            if now - self._deferred_since < MAX_DEFER_S:
                self._pause(sock, RECHECK_S, resume)
                return None
        try:
            conn, addr = sock.accept()
            conn.setblocking(False)
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return None  # another worker took it
        except OSError as exc:
            if exc.errno not in _RESOURCE_ERRORS:
                raise  # the event loop logs and ignores it, as asyncio's own accept does
            self.call_exception_handler(
                {"message": "socket.accept() out of system resource", "exception": exc}
            )
            self._pause(sock, 1.0, resume)  # asyncio's ACCEPT_RETRY_DELAY
            return None
        board.opened()
        self.create_task(
            self._accept_connection2(  # type: ignore[attr-defined]
                protocol_factory, conn, {"peername": addr}, sslcontext, server, *timeouts
            )
        )
        return None

    def _pause(self, sock: socket.socket, delay: float, resume: tuple[Any, ...]) -> None:
        self._remove_reader(sock.fileno())  # type: ignore[attr-defined]
        self.call_later(delay, self._resume, resume)

    def _resume(self, resume: tuple[Any, ...]) -> None:
        sock = resume[1]
        if sock.fileno() != -1:  # Server.close() closes the socket: then it stays closed
            self._add_reader(sock.fileno(), self._accept_connection, *resume)  # type: ignore[attr-defined]
