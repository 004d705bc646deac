"""``serve --workers N``: workers share one socket and take turns by open connections (balance.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest
from live_server import free_port, wait_ready  # tests/ is on sys.path (no package)

from qawl_service.server import balance

SERVE = [sys.executable, "-m", "qawl_service", "serve"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
    env["QAWL_RATE_LIMIT"] = "0"
    return env


def _established(pid: int, port: int) -> int:
    return sum(
        1
        for c in psutil.Process(pid).net_connections("tcp")
        if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == port
    )


def test_a_worker_takes_its_turn_only_with_the_fewest_connections() -> None:
    table = balance.new_table()
    me, peer, idle = balance.Board(table, 0), balance.Board(table, 1), balance.Board(table, 2)
    me.serving(True)
    peer.serving(True)
    assert me.may_accept() and peer.may_accept()  # 0 / 0: either may
    me.opened()
    assert not me.may_accept() and peer.may_accept()  # 1 / 0
    peer.opened()
    assert me.may_accept() and peer.may_accept()  # 1 / 1
    idle.serving(False)  # a slot that does not serve (starting, stopped) never holds anyone back
    assert me.may_accept()
    peer.serving(False)  # a stopped peer's stale count neither
    me.opened()
    assert me.may_accept() and me.connections() == 2
    me.closed()
    assert me.connections() == 1


@pytest.fixture()
def board() -> Iterator[balance.Board]:
    table = balance.new_table()
    balance.install(table, 0)
    assert balance._board is not None
    try:
        yield balance._board
    finally:
        balance._board = None


def _accept_delays(board: balance.Board, peer_connections: int, n: int = 3) -> tuple[list[float], int]:
    """Serve on a BalancedEventLoop while a peer in slot 1 has ``peer_connections`` open; return
    how long each of ``n`` sequential clients waited for its connection to be served, and the
    count ``board`` shows at the end (the connections are still open)."""
    peer = balance.Board(board.table, 1)
    peer.serving(True)
    for _ in range(peer_connections):
        peer.opened()

    async def main() -> tuple[list[float], int]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(b"x")
            await writer.drain()
            await reader.read()  # until the client closes
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        delays, writers = [], []
        for _ in range(n):
            started = time.perf_counter()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await reader.readexactly(1)  # served: the connection was accepted
            delays.append(time.perf_counter() - started)
            writers.append(writer)
        count = board.connections()
        for w in writers:
            w.close()
        await asyncio.sleep(0.05)  # the handlers see the clients close
        server.close()
        await server.wait_closed()
        return delays, count

    loop = balance.BalancedEventLoop()
    try:
        return loop.run_until_complete(main())
    finally:
        loop.close()
        peer.serving(False)


def test_the_loop_accepts_at_once_with_no_more_connections_than_its_peer(board: balance.Board) -> None:
    delays, count = _accept_delays(board, peer_connections=5)
    assert max(delays) < balance.MAX_DEFER_S / 2
    assert count == 3  # every accepted connection is counted


def test_the_loop_defers_to_a_peer_with_fewer_connections_but_not_forever(board: balance.Board) -> None:
    # The peer has 0 open but never accepts (it is not running here): the first connection is
    # taken at once (0 / 0), the second only after the fallback delay.
    delays, count = _accept_delays(board, peer_connections=0, n=2)
    assert delays[0] < balance.MAX_DEFER_S / 2
    assert balance.MAX_DEFER_S * 0.9 <= delays[1] < 1.0
    assert count == 2


def test_without_a_board_the_loop_is_asyncios(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(balance, "_board", None)

    async def main() -> bytes:
        server = await asyncio.start_server(lambda r, w: w.write(b"ok"), "127.0.0.1", 0)
        reader, writer = await asyncio.open_connection(*server.sockets[0].getsockname()[:2])
        data = await reader.readexactly(2)
        writer.close()
        server.close()
        return data

    loop = balance.BalancedEventLoop()
    try:
        assert loop.run_until_complete(main()) == b"ok"
    finally:
        loop.close()


def test_two_workers_split_connections_evenly_and_stop_cleanly() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_ready(base, proc)
        children = psutil.Process(proc.pid).children()
        workers = [c for c in children if "resource_tracker" not in " ".join(c.cmdline())]
        assert len(workers) == 2
        deadline = time.monotonic() + 90  # the first worker may answer while the second still loads
        while time.monotonic() < deadline:
            if all(any(c.status == psutil.CONN_LISTEN for c in w.net_connections("tcp")) for w in workers):
                break
            time.sleep(0.2)
        time.sleep(0.5)  # the second worker publishes itself as serving when it starts listening

        async def open_eight() -> list[int]:
            clients = [httpx.AsyncClient(base_url=base) for _ in range(8)]  # a connection each
            try:
                responses = await asyncio.gather(
                    *(c.post("/v1/entities", json={"text": "وقال كيري في جنيف"}) for c in clients)
                )
                assert [r.status_code for r in responses] == [200] * 8
                return sorted(_established(w.pid, port) for w in workers)
            finally:
                for c in clients:
                    await c.aclose()

        assert asyncio.run(open_eight()) == [4, 4]  # a shared socket alone gives 8 / 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=45) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = proc.stdout.read() if proc.stdout else ""
    assert "accepting by least connections" in out


def test_a_taken_port_fails_at_once() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode != 0
    assert "Address already in use" in proc.stdout + proc.stderr
