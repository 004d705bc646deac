"""Per-worker runtime: the pipeline, its readiness, and the thread that runs CPU work."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread

from . import heap
from .analyzer import Analyzer
from .settings import Settings

T = TypeVar("T")
log = logging.getLogger("qawl.runtime")


class NotReady(Exception):
    """The pipeline is still loading (or the worker is shutting down)."""


class AnalysisTimeout(Exception):
    """The request's analysis time budget (``QAWL_ANALYSIS_TIMEOUT``) ran out, waiting or running."""

    def __init__(self, budget: float, *, running: bool) -> None:
        where = "in analysis" if running else "waiting for an analysis slot"
        super().__init__(f"time budget of {budget:g}s exhausted {where}")
        self.budget = budget
        self.running = running

    @property
    def retry_after(self) -> int:
        """Seconds a client should wait: a tenth of the budget, at least 1."""
        return max(1, math.ceil(self.budget / 10))


class Runtime:
    def __init__(self, settings: Settings, analyzer: Analyzer | None = None) -> None:
        self.settings = settings
        self.analyzer = analyzer
        self.load_error: BaseException | None = None
        self.shutting_down = False
        self.loaded = asyncio.Event() if analyzer is None else None
        # One analysis at a time per worker: spaCy holds the GIL, more threads would only add
        # contention. Analyses run off the event loop so health checks stay responsive.
        # The slot is released when the analysis *thread* ends, not when its request gives up:
        # a thread cannot be killed, so timed-out work still occupies the worker and later
        # requests queue behind it (and time out in turn) instead of piling up more threads.
        self._slot: asyncio.Semaphore | None = None
        self._slot_loop: asyncio.AbstractEventLoop | None = None
        self.overrunning = 0  # analyses still running after their request timed out
        # spaCy adds every new word to the pipeline's vocabulary and tokenizer cache and never
        # forgets it: memory grows with each unseen word (~1 kB), which random-word texts turn
        # into a memory exhaustion attack. A pipeline this runtime loaded itself is reloaded once it
        # has learned settings.reload_after_new_words words (results do not depend on that state).
        self.reloads = 0
        self._vocab_base = 0
        self._reload_task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        return self.analyzer is not None and not self.shutting_down

    def require(self) -> Analyzer:
        if self.analyzer is None or self.shutting_down:
            raise NotReady()
        return self.analyzer

    async def load(self) -> None:
        started = time.perf_counter()
        heap.release_large_blocks()
        try:
            self.analyzer = await anyio.to_thread.run_sync(Analyzer.load, self.settings.model)
        except BaseException as exc:  # surfaced through /readyz and the logs
            self.load_error = exc
            log.exception("pipeline failed to load")
            raise
        finally:
            if self.loaded is not None:
                self.loaded.set()
        self._vocab_base = len(self.analyzer.nlp.vocab)
        heap.freeze()
        log.info("pipeline %s loaded in %.2fs", self.analyzer.model_name, time.perf_counter() - started)

    def _maybe_reload(self) -> None:
        limit = self.settings.reload_after_new_words
        if self.loaded is None or limit <= 0 or self.analyzer is None or self._reload_task is not None:
            return  # given an analyzer (tests), reloading is off: the runtime cannot rebuild it
        if len(self.analyzer.nlp.vocab) - self._vocab_base < limit:
            return
        self._reload_task = asyncio.get_running_loop().create_task(self._reload())

    async def _reload(self) -> None:
        learned = len(self.analyzer.nlp.vocab) - self._vocab_base if self.analyzer else 0
        started = time.perf_counter()
        try:
            # In the analysis slot, like an analysis: no pipeline runs alongside the load.
            fresh = await self.run(lambda: Analyzer.load(self.settings.model), reload_check=False)
        except Exception:  # keep serving with the current pipeline; retried after the next analysis
            log.exception("pipeline reload failed")
        else:
            self.analyzer, self._vocab_base = fresh, len(fresh.nlp.vocab)
            heap.refreeze()
            self.reloads += 1
            log.info(
                "pipeline reloaded in %.2fs after learning %d new words",
                time.perf_counter() - started,
                learned,
            )
        finally:
            self._reload_task = None

    def _semaphore(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        if self._slot is None or self._slot_loop is not loop:
            self._slot, self._slot_loop = asyncio.Semaphore(1), loop
        return self._slot

    async def run(self, fn: Callable[[], T], *, reload_check: bool = True) -> T:
        """Run ``fn`` in a worker thread within the request's time budget.

        The budget (``settings.analysis_timeout``) covers waiting for the analysis slot and the
        analysis itself; past it :class:`AnalysisTimeout` is raised (the API answers 503).
        """
        budget = self.settings.analysis_timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        slot = self._semaphore(loop)
        try:
            await asyncio.wait_for(slot.acquire(), timeout=budget)
        except asyncio.TimeoutError:
            raise AnalysisTimeout(budget, running=False) from None
        try:
            context = contextvars.copy_context()
            future: asyncio.Future[T] = loop.run_in_executor(None, context.run, heap.trimming(fn))
        except BaseException:
            slot.release()
            raise
        future.add_done_callback(lambda f: self._finished(f, slot))
        if reload_check:
            future.add_done_callback(lambda _: self._maybe_reload())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            if not future.done():
                self.overrunning += 1
                future.add_done_callback(lambda _: self._overrun_ended())
                log.warning("analysis overran its %gs budget; the worker stays busy until it ends", budget)
            raise AnalysisTimeout(budget, running=True) from None

    @staticmethod
    def _finished(future: asyncio.Future[T], slot: asyncio.Semaphore) -> None:
        slot.release()
        if not future.cancelled():
            future.exception()  # retrieved: an abandoned failure is not reported again as "never retrieved"

    def _overrun_ended(self) -> None:
        self.overrunning -= 1
        log.info("an overrunning analysis has ended; the worker is free again")
