"""HTTP throughput and latency of ``/v1/analyze`` on a ~400-word article, next to ``/healthz``.

    python -m bench.http_load [--shared ../shared] [--workers 1 2] [--concurrency 1 8 32]

For each worker count a real server is started (``qawl-service serve`` on a free loopback port)
and always stopped afterwards; its cold start (spawn to the first 200 on ``/readyz``) is recorded.
Each (endpoint, concurrency) is one run of ``bench.loadgen`` in its own process: ``--warmup``
seconds unmeasured, then ``--duration`` seconds measured. After the load, the RSS of every worker
is read. The in-process reference (``bench.throughput --article-only``: the same article and
features, one pinned core) gives the HTTP overhead: analysis words/s per worker over HTTP divided
by in-process words/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import (
    CpuMonitor,
    load_article,
    load_sample,
    machine,
    python_cmd,
    shared_dir,
    text_of_chars,
    write_json,
)
from .server import Server


def _json_of(cmd: list[str], timeout: float) -> dict[str, Any]:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def reference(shared: str | None, seconds: float) -> dict[str, Any]:
    args = ["--article-only", "--seconds", str(seconds)]
    if shared:
        args += ["--shared", shared]
    return _json_of(python_cmd("throughput", *args), timeout=600)


def load_run(
    server: Server, path: str, body: Path | None, concurrency: int, args: argparse.Namespace
) -> dict[str, Any]:
    duration = args.duration if body is not None else args.health_duration
    cmd = python_cmd(
        "loadgen",
        "--url", server.url + path,
        "--concurrency", str(concurrency),
        "--duration", str(duration),
        "--warmup", str(args.warmup),
        "--max-requests", str(args.max_requests),
        "--client", args.client,
    )  # fmt: skip
    if body is not None:
        cmd += ["--body-file", str(body)]
    monitor = CpuMonitor(lambda: [os.getpid(), *server.all_pids()])
    workers = server.worker_pids()
    before = _cpu_seconds(workers)
    monitor.start()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Mid-run: how the keep-alive connections are spread over the workers (fixed at connect time).
        time.sleep(args.warmup + duration / 2)
        connections = _connections(workers)
        stdout, stderr = proc.communicate(timeout=duration / 2 + 120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    result: dict[str, Any] = json.loads(stdout)
    cpu = monitor.stop(other_own_s=result["client_cpu_s"])
    after = _cpu_seconds(workers)
    cpu["server_cores"] = cpu.pop("own_cores")
    cpu["client_cores"] = result["client_cpu_s"] / cpu["wall_s"]
    cpu["worker_cores"] = [(after.get(p, 0.0) - before.get(p, 0.0)) / cpu["wall_s"] for p in workers]
    result["cpu"] = cpu
    result["connections_per_worker"] = connections
    return result


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each worker, its analysis process included."""
    import psutil

    out: dict[int, float] = {}
    for pid in pids:
        for p in (pid, *Server.analysis_pids(pid)):
            with contextlib.suppress(psutil.Error):
                t = psutil.Process(p).cpu_times()
                out[pid] = out.get(pid, 0.0) + t.user + t.system
    return out


def _connections(pids: list[int]) -> list[int]:
    """Established TCP connections held by each worker process."""
    import psutil

    out = []
    for pid in pids:
        try:
            out.append(
                sum(c.status == psutil.CONN_ESTABLISHED for c in psutil.Process(pid).net_connections("tcp"))
            )
        except psutil.Error:
            out.append(-1)
    return out


def big_documents(server: Server, text: str, features: list[str], n: int) -> dict[str, Any]:
    """``n`` concurrent analyses of one maximum-size document over separate connections (with n
    workers, most likely one each): the memory a worker reaches on the largest accepted input."""
    import httpx

    async def one(client: httpx.AsyncClient) -> tuple[int, float]:
        start = time.perf_counter()
        response = await client.post(f"{server.url}/v1/analyze", json={"text": text, "features": features})
        return response.status_code, time.perf_counter() - start

    async def all_of() -> list[tuple[int, float]]:
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=300, limits=limits) as client:
            return await asyncio.gather(*(one(client) for _ in range(n)))

    answers = asyncio.run(all_of())
    return {
        "chars": len(text),
        "statuses": [a[0] for a in answers],
        "seconds": [round(a[1], 2) for a in answers],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    import msgspec

    ref = reference(args.shared, args.reference_seconds)
    article = load_article(shared_dir(args.shared))
    big = (
        text_of_chars(load_sample(shared_dir(args.shared), 100).texts, args.big_chars)
        if args.big_chars
        else ""
    )
    n_words = article.words
    print(
        f"in-process reference: {ref['words_per_s']:,.0f} words/s ({ref['ms_per_doc_median']:.1f} ms/doc, "
        f"features {ref['features']})",
        file=sys.stderr,
    )
    out: dict[str, Any] = {
        "machine": machine(),
        "article": ref["article"],
        "features": ref["features"],
        "reference": ref,
        "settings": {
            k: getattr(args, k)
            for k in (
                "workers",
                "concurrency",
                "duration",
                "health_duration",
                "warmup",
                "max_requests",
                "client",
                "server_cmd",
                "big_chars",
            )
        },
        "servers": [],
    }
    with tempfile.TemporaryDirectory(prefix="qawl-bench-") as tmp:
        body = Path(tmp) / "analyze.json"
        body.write_bytes(
            msgspec.json.encode({"text": article.texts[0], "id": "bench", "features": ref["features"]})
        )
        for workers in args.workers:
            server = Server(workers, command=shlex.split(args.server_cmd) if args.server_cmd else None)
            entry: dict[str, Any] = {"workers": workers, "runs": []}
            out["servers"].append(entry)
            try:
                server.start()
                entry["cold_start_s"] = server.cold_start_s
                entry["all_loaded_s"] = server.all_loaded_s
                entry["worker_load_s"] = server.load_times_s
                print(f"{workers} worker(s): ready in {server.cold_start_s:.2f}s", file=sys.stderr)
                for endpoint, path, payload in (
                    ("analyze", "/v1/analyze", body),
                    ("healthz", "/healthz", None),
                ):
                    for c in args.concurrency:
                        result = load_run(server, path, payload, c, args)
                        result["endpoint"] = endpoint
                        if endpoint == "analyze":
                            result["words_per_s"] = result["requests_per_s"] * n_words
                            result["words_per_s_per_worker"] = result["words_per_s"] / workers
                            result["ratio_to_in_process"] = (
                                result["words_per_s_per_worker"] / ref["words_per_s"]
                            )
                        entry["runs"].append(result)
                        lat, rps = result["latency_ms"], result["requests_per_s"]
                        print(
                            f"  {path} c={c}: {rps:,.1f} req/s, p50 {lat['p50']:.1f} ms, "
                            f"p99 {lat['p99']:.1f} ms, statuses {result['statuses']}",
                            file=sys.stderr,
                        )
                entry["memory_after_load"] = server.memory()
                if args.big_chars:
                    entry["big_documents"] = big_documents(server, big, ref["features"], workers)
                    entry["memory_after_big"] = server.memory()
                    print(
                        f"  {workers} document(s) of {len(big):,} characters: {entry['big_documents']}",
                        file=sys.stderr,
                    )
            finally:
                server.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument(
        "--health-duration", type=float, default=5.0, help="measured seconds per /healthz run"
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per run")
    parser.add_argument("--reference-seconds", type=float, default=5.0)
    parser.add_argument(
        "--big-chars",
        type=int,
        default=100_000,
        help="after the load, one document this long per worker, then the RSS again (0: skip)",
    )
    parser.add_argument(
        "--server-cmd",
        help="the server command before 'serve ...' (default: .venv/bin/qawl-service); "
        "to measure a candidate change without editing the service",
    )
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw", help="see bench.loadgen")
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    write_json(args.json_out, run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
