"""Start-up and memory: model load time in-process, cold start of the server to ready, image size.

    python -m bench.startup [--runs 3] [--workers 1 2]

- Model load: fresh interpreters import the service (``import_s``) and run ``Analyzer.load()``
  (``load_s``, the warm-up call included); the RSS of that process after loading is recorded.
- Cold start: ``qawl-service serve`` spawned ``--runs`` times per worker count; the time from
  spawn to the first 200 on ``/readyz`` and to every worker having logged its pipeline as loaded,
  and the RSS of each worker while idle. (The RSS after load comes from ``bench.http_load``.)
- Image: the size of locally built ``qawl-service`` images (podman or docker), when there are any;
  nothing is built here.

Every run after the first one finds the files in the OS page cache: these are warm starts of the
Python process, which is what a restarting worker on a running host sees.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

from .common import machine, write_json
from .server import Server

PROBE = """
import json, time, resource
t0 = time.perf_counter()
from qawl_service.analyzer import Analyzer
t1 = time.perf_counter()
analyzer = Analyzer.load()
t2 = time.perf_counter()
import psutil
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1,
                  "rss_mib": psutil.Process().memory_info().rss / 2**20}))
"""


def load_probe() -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_s"] = time.perf_counter() - start
    return data


def images() -> list[dict[str, Any]]:
    """Locally built qawl-service images and their sizes (none are built here)."""
    found: list[dict[str, Any]] = []
    for tool in ("podman", "docker"):
        if shutil.which(tool) is None:
            continue
        try:
            proc = subprocess.run(
                [tool, "images", "--format", "json"], capture_output=True, text=True, timeout=30, check=False
            )
            listed = json.loads(proc.stdout or "[]") if proc.returncode == 0 else []
        except (subprocess.TimeoutExpired, json.JSONDecodeError, OSError):
            continue
        if isinstance(listed, dict):
            listed = [listed]
        for image in listed:
            names = image.get("Names") or image.get("RepoTags") or []
            names = [n for n in names if "qawl-service" in n]
            if names:
                found.append(
                    {
                        "tool": tool,
                        "names": names,
                        "size_mb": float(image.get("Size", 0)) / 1e6,
                        "created": image.get("CreatedAt") or image.get("Created"),
                    }
                )
        if found:
            break
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"machine": machine(), "load": [], "cold_start": {}}
    for _ in range(args.runs):
        out["load"].append(load_probe())
    for key in ("import_s", "load_s", "process_s", "rss_mib"):
        out[f"load_{key}_median"] = statistics.median(r[key] for r in out["load"])
    print(
        f"model load {out['load_load_s_median']:.2f}s (import {out['load_import_s_median']:.2f}s)",
        file=sys.stderr,
    )
    for workers in args.workers:
        runs = []
        for _ in range(args.runs):
            server = Server(workers)
            try:
                server.start()
                runs.append(
                    {
                        "ready_s": server.cold_start_s,
                        "all_loaded_s": server.all_loaded_s,
                        "worker_load_s": server.load_times_s,
                        "memory_idle": server.memory(),
                    }
                )
            finally:
                server.close()
        out["cold_start"][str(workers)] = {
            "runs": runs,
            "ready_s_median": statistics.median(r["ready_s"] for r in runs),
            "all_loaded_s_median": statistics.median(r["all_loaded_s"] for r in runs),
        }
        print(f"{workers} worker(s): ready in {[round(r['ready_s'], 2) for r in runs]} s", file=sys.stderr)
    out["images"] = images()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    write_json(args.json_out, run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
