"""Closed-loop HTTP load generator (asyncio), run as its own process by ``bench.http_load``.

    python -m bench.loadgen --url http://127.0.0.1:8000/v1/analyze --body-file req.json \
        --concurrency 8 --duration 10 --warmup 2

``concurrency`` clients each send a request, wait for the answer, and send the next, over
keep-alive connections (a minimal HTTP/1.1 client on asyncio streams; ``--client httpx`` for
httpx). Requests are bounded by ``--duration`` and ``--max-requests``; nothing is sent after the
deadline. The first ``--warmup`` seconds are not measured: throughput counts the answers that
arrive within the measured window, latency the requests sent within it.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .common import percentile


class RawConnection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: a small fraction of httpx's CPU per
    request, so that the load generator, which shares the machine with the server, takes little
    of it (``--client httpx`` for the real thing)."""

    def __init__(self, url: str, method: str, body: bytes | None) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        head = [f"{method} {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", "Accept: application/json"]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.request = ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + (body or b"")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def send(self) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(self.request)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("connection closed by the server")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = "chunked" in value
            elif name == "connection":
                close = value == "close"
        if chunked:
            parts = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, data


async def _load(args: argparse.Namespace, body: bytes | None) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    headers = {"content-type": "application/json"} if body is not None else {}
    method = "POST" if body is not None else "GET"
    samples: list[tuple[float, float, int]] = []  # (sent, answered, status)
    failures: Counter[str] = Counter()
    sent = 0
    first_body: bytes | None = None
    async with httpx.AsyncClient(limits=limits, timeout=args.timeout) as client:

        async def send_httpx(_: RawConnection) -> tuple[int, bytes]:
            response = await client.request(method, args.url, content=body, headers=headers)
            return response.status_code, response.content

        async def send_raw(conn: RawConnection) -> tuple[int, bytes]:
            try:
                return await asyncio.wait_for(conn.send(), args.timeout)
            except BaseException:
                await conn.close()  # the connection's state is unknown: start afresh
                raise

        send = send_httpx if args.client == "httpx" else send_raw
        t0 = time.perf_counter()
        measure_from = t0 + args.warmup
        deadline = measure_from + args.duration

        async def user() -> None:
            nonlocal sent, first_body
            conn = RawConnection(args.url, method, body)
            try:
                while sent < args.max_requests:
                    start = time.perf_counter()
                    if start >= deadline:
                        return
                    sent += 1
                    try:
                        status, content = await send(conn)
                    except (OSError, ValueError, IndexError, asyncio.TimeoutError, httpx.HTTPError) as exc:
                        failures[type(exc).__name__] += 1
                        await asyncio.sleep(0.01)
                        continue
                    samples.append((start, time.perf_counter(), status))
                    if first_body is None and status == 200:
                        first_body = content
            finally:
                await conn.close()

        await asyncio.gather(*(user() for _ in range(args.concurrency)))
        finished = time.perf_counter()
    window_end = min(deadline, finished)
    answered = [s for s in samples if measure_from <= s[1] <= window_end]
    ok = [s for s in answered if s[2] == 200]
    latencies = [
        (end - start) * 1000 for start, end, status in samples if status == 200 and start >= measure_from
    ]
    window = max(1e-9, window_end - measure_from)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "url": args.url,
        "client": args.client,
        "concurrency": args.concurrency,
        "window_s": window,
        "sent": sent,
        "answered_in_window": len(answered),
        "ok_in_window": len(ok),
        "statuses": dict(Counter(str(s[2]) for s in samples)),
        "transport_errors": dict(failures),
        "requests_per_s": len(ok) / window,
        "latency_ms": {
            "n": len(latencies),
            "mean": sum(latencies) / len(latencies) if latencies else float("nan"),
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max": max(latencies) if latencies else float("nan"),
        },
        "client_cpu_s": usage.ru_utime + usage.ru_stime,
        "first_body_bytes": len(first_body) if first_body is not None else 0,
        "first_body_keys": sorted(json.loads(first_body)) if first_body else [],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", help="JSON body to POST (GET without one)")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw")
    args = parser.parse_args(argv)
    body = Path(args.body_file).read_bytes() if args.body_file else None
    sys.stdout.write(json.dumps(asyncio.run(_load(args, body))) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
