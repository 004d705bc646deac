"""Start and stop a real ``qawl-service serve`` for the HTTP benchmarks.

The server runs as a subprocess on a free loopback port. :meth:`Server.start` measures the cold
start (process spawn to the first 200 on ``/readyz``) and waits until every worker has loaded its
pipeline (one "pipeline ... loaded" log line per worker); :meth:`Server.stop` always ends it
(SIGTERM, then SIGKILL), also when the benchmark fails half-way.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from .common import VENV_BIN

LOADED = re.compile(r"pipeline \S+ loaded in ([0-9.]+)s")
# Defaults but for the rate limiter, which would answer 429 to a load test (it measures capacity),
# and the log level, pinned to info: the "pipeline ... loaded" lines tell when each worker is ready.
SERVER_ENV = {"QAWL_RATE_LIMIT": "0", "QAWL_LOG_LEVEL": "info"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(
        self,
        workers: int,
        port: int | None = None,
        env: dict[str, str] | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.workers = workers
        self.command = command or [str(VENV_BIN / "qawl-service")]
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **SERVER_ENV, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        fd, name = tempfile.mkstemp(prefix="qawl-bench-server-", suffix=".log")
        self._log = os.fdopen(fd, "wb")
        self.log_path = Path(name)
        self.cold_start_s: float | None = None  # spawn -> first 200 on /readyz
        self.all_loaded_s: float | None = None  # spawn -> every worker logged its pipeline loaded
        self.load_times_s: list[float] = []  # each worker's own pipeline load time (from its log)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> Server:
        import httpx

        cmd = [*self.command, "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--workers", str(self.workers)]  # fmt: skip
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=self.env)
        deadline = t0 + timeout
        with httpx.Client(timeout=2.0) as client:
            while self.cold_start_s is None or self.all_loaded_s is None:
                now = time.perf_counter()
                if now > deadline:
                    raise TimeoutError(f"server not ready after {timeout:.0f}s; log: {self.log_tail()}")
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited with {self.proc.returncode}; log: {self.log_tail()}")
                if self.cold_start_s is None:
                    try:
                        if client.get(f"{self.url}/readyz").status_code == 200:
                            self.cold_start_s = time.perf_counter() - t0
                    except httpx.TransportError:
                        pass
                if self.all_loaded_s is None:
                    self.load_times_s = [float(x) for x in LOADED.findall(self.log_text())]
                    if len(self.load_times_s) >= self.workers:
                        self.all_loaded_s = time.perf_counter() - t0
                time.sleep(0.02)
        return self

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=35)
        except subprocess.TimeoutExpired:
            for pid in self._children_of(proc.pid):  # the workers first, while they can be found
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            proc.kill()
            proc.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        self._log.close()
        with contextlib.suppress(OSError):
            self.log_path.unlink()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- inspection -----------------------------------------------------------------------------

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    @staticmethod
    def _children_of(pid: int) -> list[int]:
        import psutil

        try:
            return [c.pid for c in psutil.Process(pid).children(recursive=True)]
        except psutil.Error:
            return []

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: uvicorn's spawned workers, or the main process
        itself when it runs a single worker in-process."""
        import psutil

        if self.workers == 1:
            return [self.pid]
        out = []
        for child in psutil.Process(self.pid).children():
            try:
                if any("spawn_main" in part for part in child.cmdline()):
                    out.append(child.pid)
            except psutil.Error:
                continue
        return out

    def all_pids(self) -> list[int]:
        return [self.pid, *self._children_of(self.pid)] if self.proc is not None else []

    @staticmethod
    def analysis_pids(worker: int) -> list[int]:
        """The worker's analysis process (qawl_service/analysis_process.py): its pipeline."""
        import psutil

        out = []
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(worker).children():
                with contextlib.suppress(psutil.Error):
                    if "qawl_service.server.analysis_process" in child.cmdline():
                        out.append(child.pid)
        return out

    def memory(self) -> dict[str, Any]:
        """Per worker: RSS, USS (memory no other process shares) and peak RSS (Linux's VmHWM) of the
        worker and its analysis process together (each part also given alone); and the supervisor's.
        The peak is the sum of both processes' peaks: an upper bound of their joint peak."""
        import psutil

        def mib(proc: psutil.Process) -> dict[str, float]:
            try:
                info = proc.memory_full_info()
                out = {"rss_mib": info.rss / 2**20, "uss_mib": info.uss / 2**20}
            except psutil.AccessDenied:
                out = {"rss_mib": proc.memory_info().rss / 2**20}
            with contextlib.suppress(OSError, ValueError, StopIteration):
                status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                out["peak_rss_mib"] = int(next(x for x in status if x.startswith("VmHWM:")).split()[1]) / 1024
            return out

        def worker(pid: int) -> dict[str, Any]:
            parts = [mib(psutil.Process(pid)), *(mib(psutil.Process(c)) for c in self.analysis_pids(pid))]
            total: dict[str, Any] = {k: sum(p.get(k, 0.0) for p in parts) for k in parts[0]}
            total["process_rss_mib"] = parts[0]["rss_mib"]
            total["analysis_rss_mib"] = sum(p["rss_mib"] for p in parts[1:])
            return total

        out: dict[str, Any] = {"workers": [worker(pid) for pid in self.worker_pids()]}
        if self.workers > 1:
            out["supervisor"] = mib(psutil.Process(self.pid))
        return out

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, n: int = 20) -> str:
        return "\n".join(self.log_text().splitlines()[-n:])
