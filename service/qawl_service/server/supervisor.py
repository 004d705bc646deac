"""``serve --workers N``: uvicorn's supervisor, with workers that take turns accepting connections.

uvicorn's ``--workers`` shares one listening socket, and the worker that is accepting when a burst of
connections arrives takes them all: measured, 8 keep-alive connections opened together landed 8 / 0,
so 2 workers served what 1 does. Here each worker gets a slot in a shared table of open connections
and accepts only while no other worker has fewer (``balance.py``). Everything else (health checks,
restarts, signals, draining) is uvicorn's supervisor.
"""

from __future__ import annotations

import logging
import socket
from typing import Any, ClassVar

from uvicorn import Config
from uvicorn.supervisors import multiprocess

from . import balance

log = logging.getLogger("uvicorn.error")

LOOP = (
    "qawl_service.server.balance:BalancedEventLoop"  # uvicorn calls a custom "module:name" to make the loop
)


class _Worker(multiprocess.Process):
    """A worker with a slot in the table. Created in the supervisor; the object is pickled into the
    spawned worker, so ``table`` and ``slot`` travel with it."""

    shared_table: ClassVar[Any] = None  # set by run() before the first worker is made
    owners: ClassVar[dict[int, multiprocess.Process]] = {}  # slot -> worker, in the supervisor

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        self.table = self.shared_table  # an instance attribute, so that it is pickled with the worker
        self.slot = self._claim_slot()

    def _claim_slot(self) -> int | None:
        for slot in range(balance.SLOTS):
            owner = self.owners.get(slot)
            if owner is None or owner.exitcode is not None:  # free, or its worker has exited
                self.owners[slot] = self
                self.table[2 * slot] = self.table[2 * slot + 1] = 0  # nothing stale from the dead
                return slot
        return None  # more workers than slots: this one accepts without taking turns

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # runs in the worker
        if self.slot is not None:
            balance.install(self.table, self.slot)
        super().target(sockets)


def run(config: Config) -> None:
    log.info(
        "listening on http://%s:%d with %d workers (accepting by least connections)",
        config.host,
        config.port,
        config.workers,
    )
    config.loop = LOOP  # the workers' event loop: asyncio's, with the accept that takes turns
    _Worker.shared_table = balance.new_table()
    multiprocess.Process = _Worker  # type: ignore[misc]  # the supervisor makes its workers by this name
    sock = config.bind_socket()
    multiprocess.Multiprocess(config, sockets=[sock]).run()
