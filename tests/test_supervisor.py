"""``serve --workers N``: one listening socket per worker (SO_REUSEPORT), a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from live_server import free_port, wait_ready  # tests/ is on sys.path (no package)

from qawl_service import supervisor

SERVE = [sys.executable, "-m", "qawl_service", "serve"]


def listeners(port: int) -> int:
    """LISTEN sockets on ``port`` (IPv4), from /proc/net/tcp."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[1].endswith(f":{port:04X}") and r.split()[3] == "0A")


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_each_worker_listens_on_its_own_socket_and_stops_cleanly() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
    proc = subprocess.Popen(
        [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_ready(base, proc)
        ready_in_a_row = 0  # fresh connections land on either worker: wait until both are ready
        for _ in range(600):
            ok = httpx.get(f"{base}/readyz", timeout=5).status_code == 200
            ready_in_a_row = ready_in_a_row + 1 if ok else 0
            if ready_in_a_row == 20:
                break
            time.sleep(0.1)
        assert listeners(port) == 2  # uvicorn's own --workers shares one
        with httpx.Client() as client:
            for _ in range(4):
                assert (
                    client.post(f"{base}/v1/entities", json={"text": "وقال كيري في جنيف"}).status_code == 200
                )
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=45) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = proc.stdout.read() if proc.stdout else ""
    assert "a socket each (SO_REUSEPORT)" in out


def test_port_0_and_missing_reuseport_fall_back_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    assert supervisor.available(8000) == hasattr(socket, "SO_REUSEPORT")
    assert not supervisor.available(0)  # every worker would get its own random port
    monkeypatch.delattr(socket, "SO_REUSEPORT", raising=False)
    assert not supervisor.available(8000)


def test_a_taken_port_fails_instead_of_restarting_forever() -> None:
    with socket.socket() as taken:  # no SO_REUSEPORT: the workers cannot share it
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
        proc = subprocess.run(
            [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert "cannot listen on 127.0.0.1" in proc.stdout + proc.stderr
