"""Per-worker runtime: the pipeline, its readiness, and the thread that runs CPU work."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from .analyzer import Analyzer
from .settings import Settings

T = TypeVar("T")
log = logging.getLogger("qawl.runtime")


class NotReady(Exception):
    """The pipeline is still loading (or the worker is shutting down)."""


class Runtime:
    def __init__(self, settings: Settings, analyzer: Analyzer | None = None) -> None:
        self.settings = settings
        self.analyzer = analyzer
        self.load_error: BaseException | None = None
        self.shutting_down = False
        self.loaded = asyncio.Event() if analyzer is None else None
        # One analysis at a time per worker: spaCy holds the GIL, more threads would only add
        # contention. Analyses run off the event loop so health checks stay responsive.
        self._limiter: CapacityLimiter | None = None

    @property
    def ready(self) -> bool:
        return self.analyzer is not None and not self.shutting_down

    def require(self) -> Analyzer:
        if self.analyzer is None or self.shutting_down:
            raise NotReady()
        return self.analyzer

    async def load(self) -> None:
        started = time.perf_counter()
        try:
            self.analyzer = await anyio.to_thread.run_sync(Analyzer.load, self.settings.model)
        except BaseException as exc:  # surfaced through /readyz and the logs
            self.load_error = exc
            log.exception("pipeline failed to load")
            raise
        finally:
            if self.loaded is not None:
                self.loaded.set()
        log.info("pipeline %s loaded in %.2fs", self.analyzer.model_name, time.perf_counter() - started)

    async def run(self, fn: Callable[[], T]) -> T:
        if self._limiter is None:
            self._limiter = CapacityLimiter(1)
        return await anyio.to_thread.run_sync(fn, limiter=self._limiter)
