"""The analysis process: each worker's pipeline runs in a single-threaded child process.

Why not a thread of the worker: spaCy's compiled NER loop takes and releases the GIL several times
per token, and once a process has ever had a second thread glibc makes every such lock operation
atomic. Measured (docs/performance.md, 2026-12-04): the NER runs 25 % slower (7.0 against 8.8 ms an
article) and the whole analysis 11 % slower in any process with a second thread, and a server
always has one (the executor, uvicorn's ping thread with several workers). A child that never
starts a thread keeps the single-threaded speed, and the worker's event loop runs beside it.
It also makes the time budget enforceable: an analysis that overruns is killed, not waited for.

Protocol, over two pipes: frames of a 4-byte big-endian length and a msgpack body. The child sends
``Ready`` (or ``LoadFailed``) once, then answers each ``Request`` with ``Done``, ``Failed`` or
``Expired`` (its deadline passed before it started), in order. The worker keeps up to two requests
in the pipe, so the child starts the next analysis the moment it finishes one instead of idling
while the worker answers HTTP (measured: 41 against 55 requests/s with one worker). It exits when
its input pipe closes: the worker stopped, or died.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from typing import IO, Any

import msgspec

from qawl.types import Analysis, ModelInfo

from .jobs import Job

log = logging.getLogger("qawl.analysis")
HEADER = struct.Struct(">I")
# Set before the child imports numpy: OpenBLAS otherwise starts its thread pool at import,
# and those idle threads alone make the process multi-threaded (see above).
SINGLE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class Request(msgspec.Struct):
    job: Job
    deadline: float  # time.monotonic() (system-wide on Linux) after which the job is not started


class Ready(msgspec.Struct, tag=True):
    model_name: str
    info: ModelInfo
    pid: int
    threads: int  # the child's OS threads once loaded: 1 is the point of this module


class LoadFailed(msgspec.Struct, tag=True):
    error: str


class Done(msgspec.Struct, tag=True):
    results: list[Analysis | None]


class Failed(msgspec.Struct, tag=True):
    error: str  # the exception's type only: its message may quote the input


class Expired(msgspec.Struct, tag=True):
    pass


FromChild = Ready | LoadFailed | Done | Failed | Expired


class AnalysisFailed(Exception):
    """The pipeline raised on this job (the child logged the stack)."""


class AnalysisProcessDied(Exception):
    """The analysis process exited mid-job (killed, out of memory, crashed); it is being restarted."""


class NotStarted(Exception):
    """The job was never run: its deadline passed while it waited, or the process was stopped
    (another job's overrun) before reaching it."""


# ------------------------------------------------------------------------------------ the child


def _read_frame(stream: IO[bytes]) -> bytes | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def _write_frame(stream: IO[bytes], body: bytes) -> None:
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0  # not Linux: unknown


def child_main(fd_in: int, fd_out: int, config: dict[str, Any]) -> int:
    """The child's loop. Single-threaded by design: nothing here may start a thread."""
    from ..analyzer import Analyzer
    from ..api.jsonlog import configure_logging
    from . import heap
    from .jobs import run_job

    # Signals are the worker's business: a terminal's Ctrl-C or a group SIGTERM must not kill an
    # analysis mid-request. The child ends when the worker closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    configure_logging(config.get("log_level", "info"))
    encoder = msgspec.msgpack.Encoder()
    decoder = msgspec.msgpack.Decoder(Request)
    model = config.get("model")
    with open(fd_in, "rb") as inp, open(fd_out, "wb") as out:
        heap.release_large_blocks()
        try:
            analyzer = Analyzer.load(model)
        except Exception as exc:
            log.exception("pipeline failed to load")
            _write_frame(out, encoder.encode(LoadFailed(error=f"{type(exc).__name__}: {exc}")))
            return 1
        heap.freeze()
        ready = Ready(model_name=analyzer.model_name, info=analyzer.info, pid=os.getpid(), threads=_threads())
        _write_frame(out, encoder.encode(ready))
        while (frame := _read_frame(inp)) is not None:
            request = decoder.decode(frame)
            reply: Done | Failed | Expired
            if time.monotonic() > request.deadline:
                reply = Expired()
            else:
                try:
                    reply = Done(results=run_job(analyzer, request.job))
                except Exception as exc:
                    log.exception("analysis failed")
                    reply = Failed(error=type(exc).__name__)
            try:
                _write_frame(out, encoder.encode(reply))
            except BrokenPipeError:
                return 0  # the worker is gone
            heap.trim()  # each analysis ran in a memory zone (analyzer.py): its words are freed
    return 0


# ----------------------------------------------------------------------------- the worker's end


class AnalysisProcess:
    """One running child, seen from the worker's event loop: jobs go in, replies come back in order
    and are matched to their jobs by a reader task, whether or not anyone still awaits them."""

    _decoder = msgspec.msgpack.Decoder(FromChild)
    _encoder = msgspec.msgpack.Encoder()

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        reader: asyncio.StreamReader,
        reading: asyncio.BaseTransport,
        writer: asyncio.WriteTransport,
    ) -> None:
        self.proc = proc
        self._reader, self._reading, self._writer = reader, reading, writer
        self._pending: collections.deque[asyncio.Future[Done]] = collections.deque()
        self._replies: asyncio.Task[None] | None = None
        self._on_exit: Callable[[AnalysisProcess], None] | None = None

    ready: Ready  # set by start() once the child has loaded

    @classmethod
    async def start(
        cls, config: dict[str, Any], on_exit: Callable[[AnalysisProcess], None] | None = None
    ) -> AnalysisProcess:
        """Spawn the child and wait until its pipeline is loaded; RuntimeError if it fails to.
        ``on_exit`` is called if the child exits on its own (not by :meth:`kill` or :meth:`close`)."""
        loop = asyncio.get_running_loop()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", __name__, str(to_child_r), str(from_child_w), json.dumps(config)],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
                env={**os.environ, **SINGLE_THREAD_ENV},
            )
        except BaseException:
            os.close(to_child_w)
            os.close(from_child_r)
            raise
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        reader = asyncio.StreamReader(limit=2**31)
        reading, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(from_child_r, "rb", buffering=0)
        )
        writer, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(to_child_w, "wb", buffering=0))
        child = cls(proc, reader, reading, writer)
        try:
            first = await child._receive()
            if isinstance(first, LoadFailed):
                raise RuntimeError(first.error)
            if not isinstance(first, Ready):
                raise RuntimeError(f"the analysis process sent {type(first).__name__} before Ready")
        except BaseException:
            child.kill()
            raise
        child.ready, child._on_exit = first, on_exit
        child._replies = loop.create_task(child._match_replies())
        return child

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None and not self._writer.is_closing()

    async def _receive(self) -> FromChild:
        try:
            head = await self._reader.readexactly(HEADER.size)
            body = await self._reader.readexactly(HEADER.unpack(head)[0])
        except asyncio.IncompleteReadError:
            raise AnalysisProcessDied(f"the analysis process exited (status {self.proc.poll()})") from None
        reply: FromChild = self._decoder.decode(body)
        return reply

    async def _match_replies(self) -> None:
        try:
            while True:
                reply = await self._receive()
                if not self._pending:
                    raise AnalysisProcessDied(f"the analysis process sent an unasked {type(reply).__name__}")
                future = self._pending.popleft()
                if future.done():
                    continue  # cancelled by a kill that raced with this reply
                if isinstance(reply, Done):
                    future.set_result(reply)
                elif isinstance(reply, Failed):
                    future.set_exception(AnalysisFailed(reply.error))
                elif isinstance(reply, Expired):
                    future.set_exception(NotStarted("its deadline passed while it waited"))
                else:
                    raise AnalysisProcessDied(f"the analysis process sent {type(reply).__name__} for a job")
        except AnalysisProcessDied as exc:
            self._fail_pending(exc, exc)
            self.kill()
            if self._on_exit is not None:
                self._on_exit(self)

    def _fail_pending(self, running: BaseException, waiting: BaseException) -> None:
        """The first pending job was running; the others had not started."""
        for i, future in enumerate(self._pending):
            if not future.done():
                future.set_exception(running if i == 0 else waiting)
                future.exception()  # retrieved: nobody may be awaiting it any more
        self._pending.clear()

    def submit(self, job: Job, deadline: float) -> asyncio.Future[Done]:
        """Queue a job; the future gets its reply (or the reason it has none)."""
        future: asyncio.Future[Done] = asyncio.get_running_loop().create_future()
        if not self.alive:
            future.set_exception(AnalysisProcessDied("the analysis process is not running"))
            return future
        body = self._encoder.encode(Request(job=job, deadline=deadline))
        self._pending.append(future)
        self._writer.write(HEADER.pack(len(body)) + body)
        return future

    def running(self, future: asyncio.Future[Done]) -> bool:
        """Whether this job is the one the child is working on (the first unanswered)."""
        return bool(self._pending) and self._pending[0] is future

    def kill(self, reason: str = "the analysis process was stopped") -> None:
        """Stop at once (an overrun, a broken protocol). SIGKILL is immediate; the zombie is reaped
        by the next poll (``alive``) or by subprocess's own clean-up, so the event loop never waits.
        Jobs still pending fail: the running one as died, the others as not started."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self._writer.close()
        self._reading.close()
        self.proc.poll()
        self._fail_pending(AnalysisProcessDied(reason), NotStarted(reason))
        if self._replies is not None and self._replies is not asyncio.current_task():
            self._replies.cancel()

    async def close(self, timeout: float = 10.0) -> None:
        """Let the child finish and exit (closing its input is its signal), then reap it."""
        self._writer.close()
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if self.proc.poll() is None:
            log.warning("the analysis process did not exit in %gs; killing it", timeout)
        self.kill()


if __name__ == "__main__":
    sys.exit(child_main(int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])))
