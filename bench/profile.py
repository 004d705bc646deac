"""Where the time goes: per pipeline component, per function (pyinstrument), and in the HTTP server
under load (py-spy).

    python -m bench.profile [--shared ../shared] [--n 100]

1. Components: ``analyzer.analyze`` with every implemented feature over the first ``--n`` sample
   articles on one pinned core, the tokenizer and each component timed (wall and CPU).
2. Functions: the same loop under pyinstrument; self time aggregated per function and per package.
3. Server: a 1-worker server under ``/v1/analyze`` load (every feature) at concurrency 8, its
   worker and analysis process sampled by py-spy (``--nonblocking --subprocesses``) for
   ``--seconds``; each stack is put in one category (analysis, the pipe, JSON, HTTP parsing,
   framework, event loop, ...) by the frames it contains.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from qawl.types import FEATURES

from .common import (
    FEATURE_SETS,
    VENV_BIN,
    Stopwatch,
    component_timers,
    load_article,
    load_sample,
    machine,
    python_cmd,
    shared_dir,
    single_core,
    write_json,
)
from .server import Server

# (category, substrings of a py-spy stack line); the first category that matches wins.
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("analysis (pipeline, in the analysis process)", ("child_main", "analyzer.py")),
    ("pipe to the analysis process", ("analysis_process.py", "runtime.py")),
    ("JSON encode/decode", ("msgspec", "serialization.py", "encode_json", "decode_json")),
    ("request body, validation", ("_kwargs", "signature", "datastructures", "body.py")),
    ("HTTP parsing (h11)", ("h11",)),
    ("thread hand-off (anyio)", ("anyio", "to_thread", "threading.py", "concurrent")),
    ("Litestar routing, middleware, responses", ("litestar",)),
    ("uvicorn protocol", ("uvicorn",)),
    ("asyncio event loop", ("asyncio", "selectors")),
]


def _package(path: str) -> str:
    """A readable owner of a source file: the package (qawl_service modules by file)."""
    p = path.replace("\\", "/")
    if "qawl_service/" in p:
        return "qawl_service." + p.split("qawl_service/", 1)[1].removesuffix(".py").replace("/", ".")
    if p.startswith("<"):
        return "builtins / C"
    head = p.split("/", 1)[0]
    return head.removesuffix(".py").removesuffix(".pyx") or "?"


def profile_in_process(args: argparse.Namespace) -> dict[str, Any]:
    single_core(args.cpu)
    from pyinstrument import Profiler

    from qawl_service.analyzer import Analyzer

    from .throughput import supported

    sample = load_sample(shared_dir(args.shared), args.n)
    analyzer = Analyzer.load()
    features = next(fs for _, fs in reversed(FEATURE_SETS) if supported(analyzer, fs))
    for t in sample.texts:  # vocabulary warm-up (untimed)
        analyzer.nlp.make_doc(t)
        analyzer.analyze(t, features, None)
    with component_timers(analyzer.nlp) as times, Stopwatch() as watch:
        for t in sample.texts:
            analyzer.analyze(t, features, None)
    steps = {"tokenizer": times.pop("tokenizer", [0.0, 0.0]), **times}
    steps["other"] = [
        max(0.0, watch.wall - sum(v[0] for v in steps.values())),
        max(0.0, watch.cpu - sum(v[1] for v in steps.values())),
    ]
    components = {
        k: {"wall_s": v[0], "cpu_s": v[1], "share": v[1] / watch.cpu if watch.cpu else 0.0}
        for k, v in steps.items()
    }

    profiler = Profiler(interval=0.001, use_timing_thread=True)
    profiler.start()
    for t in sample.texts:
        analyzer.analyze(t, features, None)
    profiler.stop()
    root = profiler.last_session.root_frame() if profiler.last_session else None
    by_function: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    total = root.time if root is not None else 0.0

    def walk(frame: Any) -> None:
        own = frame.time - sum(c.time for c in frame.children if not c.is_synthetic)
        if not frame.is_synthetic and own > 0 and frame.file_path_short != "<thread>":
            path = frame.file_path_short or "?"
            by_function[f"{frame.function} ({path}:{frame.line_no})"] += own
            by_package[_package(path)] += own
        for child in frame.children:
            if not child.is_synthetic:
                walk(child)

    if root is not None:
        walk(root)
    return {
        "sample": {"definition": sample.definition, "docs": len(sample.texts), "words": sample.words},
        "features": features,
        "components": components,
        "pyinstrument_total_s": total,
        "top_functions": [{"function": f, "share": s / total} for f, s in by_function.most_common(args.top)],
        "packages": [{"package": p, "share": s / total} for p, s in by_package.most_common(args.top)],
    }


def categorize(raw: str) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        category = next((c for c, keys in CATEGORIES if any(k in stack for k in keys)), "other")
        counts[category] += int(n)
    total = sum(counts.values())
    return {
        "samples": total,
        "categories": [{"category": c, "share": n / total} for c, n in counts.most_common()] if total else [],
    }


def profile_server(args: argparse.Namespace, features: list[str]) -> dict[str, Any]:
    import msgspec

    spy = shutil.which("py-spy") or str(VENV_BIN / "py-spy")
    if not Path(spy).exists():
        return {"skipped": "py-spy is not installed (pip install -e '.[bench]')"}
    article = load_article(shared_dir(args.shared))
    with tempfile.TemporaryDirectory(prefix="qawl-bench-") as tmp:
        body = Path(tmp) / "analyze.json"
        body.write_bytes(msgspec.json.encode({"text": article.texts[0], "id": "bench", "features": features}))
        raw = Path(tmp) / "server.txt"
        server = Server(1)
        try:
            server.start()
            load_cmd = python_cmd(
                "loadgen",
                "--url", server.url + "/v1/analyze", "--body-file", str(body),
                "--concurrency", "8", "--warmup", "2", "--duration", str(args.seconds + 2),
            )  # fmt: skip
            spy_cmd = [
                spy, "record", "--pid", str(server.pid), "--rate", "200", "--duration", str(args.seconds),
                "--nonblocking", "--subprocesses", "--format", "raw", "--output", str(raw),
            ]  # fmt: skip
            load = subprocess.Popen(load_cmd, stdout=subprocess.DEVNULL)
            try:
                time.sleep(3)
                spied = subprocess.run(
                    spy_cmd, capture_output=True, text=True, timeout=args.seconds + 60, check=False
                )
            finally:
                load.wait(timeout=args.seconds + 120)
        finally:
            server.close()
        if spied.returncode != 0 or not raw.exists():
            return {"skipped": f"py-spy failed: {spied.stderr.strip()[-500:]}"}
        result = categorize(raw.read_text(encoding="utf-8", errors="replace"))
    result.update(seconds=args.seconds, concurrency=8, workers=1, features=features)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared")
    parser.add_argument("--n", type=int, default=100, help="sample articles profiled in-process")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--seconds", type=int, default=10, help="py-spy sampling time")
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--no-server", action="store_true", help="skip the py-spy profile of the server")
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    facts = machine()
    if args.no_server:
        server: dict[str, Any] = {"skipped": "--no-server"}
    else:  # before pinning this process: the server and load generator get both cores
        server = profile_server(args, features=list(FEATURES))
    result = {"machine": facts, "in_process": profile_in_process(args), "server": server}
    write_json(args.json_out, result)
    print(f"profiled; server samples: {server.get('samples', server.get('skipped'))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
