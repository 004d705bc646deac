"""Graceful shutdown: readiness goes 503 the moment SIGTERM arrives, in-flight requests finish.

uvicorn handles SIGTERM by closing its listener and draining open requests (up to its graceful
timeout), and only then runs the app's lifespan shutdown: too late to tell a load balancer. So while
the app runs, its own handler is chained in front of uvicorn's: it marks the runtime as shutting down
(``/readyz`` and new ``/v1`` requests: 503 with ``Retry-After``) and then hands the signal on. With
``QAWL_SHUTDOWN_DELAY`` > 0 the hand-over of a first SIGTERM waits that many seconds, so the
listener stays open, answering 503 on readiness, while the load balancer takes the worker out.

Signal handlers can only be set from the main thread; elsewhere (test clients) this is a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from .runtime import Runtime

log = logging.getLogger("qawl.shutdown")
SIGNALS = (signal.SIGTERM, signal.SIGINT)
Handler = Callable[[int, FrameType | None], Any]


@contextlib.contextmanager
def readiness_follows_signals(runtime: Runtime, *, delay: float = 0.0) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    previous: dict[int, Handler] = {}
    delayed = False

    def on_signal(sig: int, frame: FrameType | None) -> None:
        nonlocal delayed
        first = not runtime.shutting_down
        runtime.shutting_down = True
        if first:
            loop.call_soon_threadsafe(_announce, sig, delay)
        forward = previous[sig]
        if sig == signal.SIGTERM and delay > 0 and not delayed:
            delayed = True  # a second SIGTERM is handed on at once
            loop.call_soon_threadsafe(loop.call_later, delay, forward, sig, None)
        else:
            forward(sig, frame)

    for sig in SIGNALS:
        handler = signal.getsignal(sig)
        if callable(handler):  # a server's handler to chain; with none, the default stays as it is
            previous[sig] = handler
            signal.signal(sig, on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if signal.getsignal(signum) is on_signal:
                signal.signal(signum, handler)


def _announce(sig: int, delay: float) -> None:
    name = signal.Signals(sig).name
    if delay > 0:
        log.info("%s: readiness is 503; stopping in %gs, then draining in-flight requests", name, delay)
    else:
        log.info("%s: readiness is 503; draining in-flight requests", name)
