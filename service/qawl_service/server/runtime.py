"""Per-worker runtime: where the pipeline runs, its readiness, and the analysis time budget.

A server's worker runs its pipeline in a child process (``analysis_process``): single-threaded,
so spaCy keeps its full speed, and killable, so an analysis that overruns its budget is stopped and
the child restarted. An app given an :class:`Analyzer` (or a function that loads one) runs it in a
thread of its own process instead: the seam tests and embedders use, like httpx's ASGITransport.
Either way one analysis runs at a time per worker: the worker's core is busy with it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import anyio.to_thread

from qawl.types import Analysis, ModelInfo

from ..settings import Settings
from . import heap
from .analysis_process import AnalysisProcess, AnalysisProcessDied, NotStarted
from .jobs import Job, run_job

if TYPE_CHECKING:
    from ..analyzer import Analyzer

T = TypeVar("T")
log = logging.getLogger("qawl.runtime")
# Jobs in the analysis process's pipe: the one it runs and the next, so that it never waits for the
# worker between two analyses. More would only hold requests in a queue they cannot leave.
IN_FLIGHT = 2


class NotReady(Exception):
    """The pipeline is not loaded (yet, or it failed to), or the worker is shutting down."""


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
    def __init__(self, settings: Settings, analyzer: Analyzer | Callable[[], Analyzer] | None = None) -> None:
        self.settings = settings
        self.load_error: BaseException | None = None
        self.shutting_down = False
        self.model_name: str | None = None
        self.info: ModelInfo | None = None
        # In-process: the analyzer, or the function that loads it.
        self.analyzer: Analyzer | None = None
        self._loader: Callable[[], Analyzer] | None = None
        if callable(analyzer):  # an Analyzer is not callable; a loader is
            self._loader = analyzer
        elif analyzer is not None:
            self._use(analyzer)
        self.in_process = analyzer is not None
        # Out of process: the running child, or the task that is starting one.
        self._child: AnalysisProcess | None = None
        self._starting: asyncio.Task[AnalysisProcess] | None = None
        self.restarts = 0  # children started after the first (a kill after an overrun, a crash)
        self._retry_delay = 1.0  # before the next attempt after a failed restart
        self.overrunning = 0  # in-process analyses still running after their request timed out
        self._slot: asyncio.Semaphore | None = None
        self._slot_loop: asyncio.AbstractEventLoop | None = None

    def _use(self, analyzer: Analyzer) -> None:
        self.analyzer, self.model_name, self.info = analyzer, analyzer.model_name, analyzer.info

    # ------------------------------------------------------------------------------ readiness

    @property
    def ready(self) -> bool:
        """Serving now: loaded, not shutting down, and (out of process) the child is up."""
        if self.shutting_down or self.info is None:
            return False
        return self.in_process or (self._child is not None and self._child.alive)

    def require(self) -> tuple[str, ModelInfo]:
        """The model's name and info, or NotReady. Once loaded, a request is accepted even while
        a child restarts: it waits for it within its budget."""
        if self.info is None or self.model_name is None or self.shutting_down or self.load_error:
            raise NotReady()
        return self.model_name, self.info

    def _child_config(self) -> dict[str, object]:
        return {
            "model": self.settings.model,
            "log_level": self.settings.log_level,
        }

    async def load(self) -> None:
        started = time.perf_counter()
        self.load_error = None
        try:
            if self.in_process:
                if self.analyzer is None and self._loader is not None:
                    self._use(await anyio.to_thread.run_sync(self._loader))
            else:
                child = await self._start_child()
                log.info(
                    "analysis process %d ready (%d thread%s)",
                    child.ready.pid,
                    child.ready.threads,
                    "" if child.ready.threads == 1 else "s",
                )
        except asyncio.CancelledError:  # stopped while loading (shutdown): not a failure
            log.info("pipeline load cancelled after %.2fs", time.perf_counter() - started)
            raise
        except BaseException as exc:  # surfaced through /readyz and the logs
            self.load_error = exc
            log.exception("pipeline failed to load")
            raise
        log.info("pipeline %s loaded in %.2fs", self.model_name, time.perf_counter() - started)

    def _start_child(self) -> asyncio.Task[AnalysisProcess]:
        """The task that starts a child (one at a time); awaiting it gives the running child."""
        failed = (
            self._starting is not None
            and self._starting.done()
            and (self._starting.cancelled() or self._starting.exception() is not None)
        )
        if self._starting is None or failed:
            self._starting = asyncio.get_running_loop().create_task(self._spawn())
        return self._starting

    async def _spawn(self) -> AnalysisProcess:
        child = await AnalysisProcess.start(self._child_config(), on_exit=self._child_exited)
        self._child = child
        self.model_name, self.info = child.ready.model_name, child.ready.info
        return child

    def _child_exited(self, child: AnalysisProcess) -> None:
        if child is self._child:  # not one already replaced
            self._restart_child(f"it exited with status {child.proc.poll()}")

    def _restart_child(self, why: str) -> None:
        if self._child is not None:
            self._child.kill()
        self._child, self._starting = None, None
        if self.shutting_down:
            return
        self.restarts += 1
        log.warning("restarting the analysis process: %s", why)
        task = self._start_child()
        task.add_done_callback(self._restart_done)

    def _restart_done(self, task: asyncio.Task[AnalysisProcess]) -> None:
        """A failed restart is retried with backoff (1 s doubling to 30 s): meanwhile requests and
        readiness answer 503 with the error, and the worker recovers once a start succeeds."""
        if task.cancelled() or self.shutting_down:
            return
        if (exc := task.exception()) is None:
            self.load_error, self._retry_delay = None, 1.0
            return
        self.load_error = exc
        delay, self._retry_delay = self._retry_delay, min(30.0, self._retry_delay * 2)
        log.error("the analysis process failed to restart (%s); retrying in %gs", exc, delay)
        asyncio.get_running_loop().call_later(delay, self._retry_start)

    def _retry_start(self) -> None:
        if not self.shutting_down and self._child is None:
            self._start_child().add_done_callback(self._restart_done)

    async def close(self) -> None:
        """At shutdown, after in-flight requests have drained: stop the child."""
        self.shutting_down = True
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        if self._child is not None:
            await self._child.close()
        self._child, self._starting = None, None

    # ------------------------------------------------------------------------------- analysis

    def _semaphore(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        if self._slot is None or self._slot_loop is not loop:
            self._slot, self._slot_loop = asyncio.Semaphore(1 if self.in_process else IN_FLIGHT), loop
        return self._slot

    async def analyze(self, job: Job) -> list[Analysis | None]:
        """Run the job within the request's time budget (``settings.analysis_timeout``), which
        covers waiting for the analysis slot and the analysis itself; past it
        :class:`AnalysisTimeout` is raised (the API answers 503)."""
        budget = self.settings.analysis_timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        slot = self._semaphore(loop)
        try:
            await asyncio.wait_for(slot.acquire(), timeout=budget)
        except asyncio.TimeoutError:
            raise AnalysisTimeout(budget, running=False) from None
        if self.in_process:
            return await self._in_thread(job, slot, deadline)
        try:
            return await self._in_child(job, deadline)
        finally:
            slot.release()

    async def _in_child(self, job: Job, deadline: float) -> list[Analysis | None]:
        budget, loop = self.settings.analysis_timeout, asyncio.get_running_loop()
        child = self._child
        if child is None or not child.alive:
            if self.load_error is not None or self.shutting_down:
                raise NotReady()
            if child is not None:  # it died between jobs, and its reader has not noticed yet
                self._child_exited(child)
            try:  # a restart is under way: wait for it within the budget
                child = await asyncio.wait_for(
                    asyncio.shield(self._start_child()), timeout=max(0.0, deadline - loop.time())
                )
            except asyncio.TimeoutError:
                raise AnalysisTimeout(budget, running=False) from None
            except Exception:
                raise NotReady() from None
        future = child.submit(job, time.monotonic() + (deadline - loop.time()))
        try:
            # Shielded: a request that gives up leaves its job to finish (or expire) in the child.
            done = await asyncio.wait_for(asyncio.shield(future), timeout=max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            if child.running(future):
                self._restart_child(f"an analysis overran its {budget:g}s budget")
                raise AnalysisTimeout(budget, running=True) from None
            raise AnalysisTimeout(budget, running=False) from None  # the child will skip it
        except NotStarted:
            raise AnalysisTimeout(budget, running=False) from None
        except AnalysisProcessDied:
            self._child_exited(child)  # usually done already, by its reader seeing the pipe close
            raise
        return done.results

    async def _in_thread(self, job: Job, slot: asyncio.Semaphore, deadline: float) -> list[Analysis | None]:
        # A thread cannot be killed: the slot is released when the analysis thread ends, not when
        # its request gives up, so timed-out work still occupies the worker and later requests
        # queue behind it (and time out in turn) instead of piling up more threads.
        budget, loop = self.settings.analysis_timeout, asyncio.get_running_loop()
        analyzer = self.analyzer
        if analyzer is None:
            slot.release()
            raise NotReady()
        try:
            context = contextvars.copy_context()
            future = loop.run_in_executor(None, context.run, heap.trimming(lambda: run_job(analyzer, job)))
        except BaseException:
            slot.release()
            raise
        future.add_done_callback(lambda f: self._finished(f, slot))
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
