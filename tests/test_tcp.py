"""TCP_NODELAY on served connections: without it, multi-worker responses stalled 40 ms (Nagle)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from qawl_service.cli import main as cli_main
from qawl_service.server.tcp import NoDelayH11Protocol, enable_nodelay


class _Transport:
    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock

    def get_extra_info(self, name: str) -> Any:
        return self.sock if name == "socket" else None


def test_enable_nodelay_on_an_accepted_socket_of_a_proto_0_listener() -> None:
    # uvicorn's multi-worker listener: socket.socket(family) has proto 0, which asyncio skips
    with socket.socket(socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            conn, _ = listener.accept()
            with conn:
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
                enable_nodelay(_Transport(conn))  # type: ignore[arg-type]
                assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            assert client  # the client end is untouched


class _RecordingSocket:
    def __init__(self, family: socket.AddressFamily) -> None:
        self.family = family
        self.options: list[tuple[int, int, int]] = []

    def setsockopt(self, level: int, option: int, value: int) -> None:
        self.options.append((level, option, value))


def test_enable_nodelay_ignores_non_tcp_transports() -> None:
    enable_nodelay(_Transport(None))  # type: ignore[arg-type]  # no socket: nothing to do, no error
    unix = _RecordingSocket(socket.AF_UNIX)
    enable_nodelay(_Transport(unix))  # type: ignore[arg-type]
    assert unix.options == []
    tcp = _RecordingSocket(socket.AF_INET)  # positive control: the same call sets it on TCP
    enable_nodelay(_Transport(tcp))  # type: ignore[arg-type]
    assert tcp.options == [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_uses_the_nodelay_protocol(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: seen.update(kw, runner="uvicorn"))
    monkeypatch.setattr(
        "qawl_service.server.supervisor.run",
        lambda config: seen.update(http=config.http, workers=config.workers, runner="supervisor"),
    )
    monkeypatch.setattr("signal.signal", lambda *a: None)  # serve installs a SIGTERM handler
    for name in ("QAWL_PORT", "QAWL_WORKERS"):  # serve exports its options: restored after the test
        monkeypatch.setenv(name, "1")
    assert cli_main(["serve", "--workers", str(workers), "--port", "8799"]) == 0
    assert seen["http"] is NoDelayH11Protocol and seen["workers"] == workers
    assert seen["runner"] == ("uvicorn" if workers == 1 else "supervisor")
