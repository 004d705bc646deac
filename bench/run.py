"""Run every benchmark and update BENCHMARKS.md: ``make bench`` (about 12 minutes).

    python -m bench.run [--shared ../shared] [--only throughput http ...] [--quick] [--wait-quiet MIN]

Each part runs in its own process (the in-process ones pin themselves to one core; the HTTP ones
start and stop their own servers), writes JSON, and the owned sections of BENCHMARKS.md are
rewritten from it (others, such as ``## Soak``, are kept). Exits 0 with a message, changing
nothing, when the shared data is absent. ``--quick`` is a smoke test of the scripts: small
samples and short runs, and it writes nowhere unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import report
from .common import QUIET_LOAD, ROOT, loadavg, news_path, python_cmd, shared_dir

PARTS = ["throughput", "http", "startup", "scaling", "profile", "story"]
MODULES = {"throughput": "throughput", "http": "http_load", "startup": "startup", "scaling": "scaling",
           "profile": "profile", "story": "story"}  # fmt: skip
FULL: dict[str, list[str]] = {
    "throughput": [],
    "http": [],
    "startup": [],
    "scaling": ["--min-reps", "2"],
    "profile": [],
    "story": [],
}
QUICK: dict[str, list[str]] = {
    "throughput": ["--n", "40", "--blank-passes", "1"],
    "http": [
        "--duration",
        "2",
        "--health-duration",
        "1",
        "--warmup",
        "1",
        "--reference-seconds",
        "1",
        "--big-chars",
        "20000",
    ],
    "startup": ["--runs", "1"],
    "scaling": ["--lengths", "100", "1000", "3000", "--words", "3000", "--min-reps", "1"],
    "profile": ["--n", "10", "--seconds", "2"],
    "story": ["--passes", "1", "--groups", "1", "--large", "0"],
}
NEEDS_SHARED = {"throughput", "http", "scaling", "profile", "story"}


def wait_quiet(minutes: float) -> float:
    """Poll the 1-minute load average every minute until it is under QUIET_LOAD, for at most
    ``minutes``. Returns the last value."""
    deadline = time.monotonic() + minutes * 60
    load = loadavg()
    while load >= QUIET_LOAD and time.monotonic() < deadline:
        print(f"load average {load:.2f} ≥ {QUIET_LOAD}: waiting for a quiet machine...", file=sys.stderr)
        time.sleep(min(60.0, max(1.0, deadline - time.monotonic())))
        load = loadavg()
    return load


def run_part(part: str, args: argparse.Namespace, out_dir: Path) -> dict[str, Any]:
    out = out_dir / f"{part}.json"
    extra = (QUICK if args.quick else FULL)[part]
    if part in NEEDS_SHARED:
        extra = [*extra, "--shared", str(args.shared)]
    cmd = python_cmd(MODULES[part], *extra, "--json-out", str(out))
    print(f"\n== {part}: {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run(cmd, check=True, cwd=ROOT)
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    data["elapsed_s"] = time.monotonic() - started
    print(f"== {part} done in {data['elapsed_s']:.0f} s", file=sys.stderr, flush=True)
    return data


def log_row(results: dict[str, Any], quick: bool) -> list[str]:
    m = next((r["machine"] for r in results.values() if "machine" in r), {})
    tp, h, st, sc = (results.get(k) for k in ("throughput", "http", "startup", "scaling"))
    full = report.full_set(tp) if tp else None
    cpus = [r.get("cpu", {}) for r in results.values()]
    cpus += [r["cpu"] for s in (h or {}).get("servers", []) for r in s["runs"]]
    contended, _ = report.contention(cpus)
    http = ""
    for s in (h or {}).get("servers", []):
        for r in s["runs"]:
            if s["workers"] == 2 and r["endpoint"] == "analyze" and r["concurrency"] == 8:
                http = f"{report.n1(r['requests_per_s'])}, {report.n0(r['latency_ms']['p99'])}"
    rss = [
        x["rss_mib"]
        for s in (h or {}).get("servers", [])
        for x in s.get("memory_after_load", {}).get("workers", [])
    ]
    notes = [n for n, on in (("quick run", quick), ("contended", contended)) if on]
    notes.append("parts: " + ", ".join(results))
    return [
        m.get("date", ""),
        f"`{m.get('commit', '')}`",
        (m.get("loadavg") or ["?"])[0],
        f"{report.n0(full['per_doc']['words_per_s'])} ({report.n0(full['per_doc']['words_per_s_cpu'])})"
        if full
        else "",
        http,
        report.n0(max(rss)) if rss else "",
        report.n2(st["cold_start"].get("1", {}).get("ready_s_median")) if st else "",
        f"{sc['fit']['total']['exponent']:.2f}" if sc else "",
        "; ".join(notes),
    ]


def render(results: dict[str, Any], path: Path, quick: bool) -> dict[str, str]:
    sections: dict[str, str] = {}
    if "throughput" in results:
        sections["In-process throughput"] = report.throughput_section(results["throughput"])
    if "http" in results:
        sections["HTTP"] = report.http_section(results["http"])
    if "http" in results or "startup" in results:
        sections["Memory and start-up"] = report.memory_section(results.get("startup"), results.get("http"))
    if "scaling" in results:
        sections["Scaling"] = report.scaling_section(results["scaling"])
    if "profile" in results:
        sections["Profile"] = report.profile_section(results["profile"])
    if "story" in results:
        sections["Story"] = report.story_section(results["story"])
    sections["Machine"] = report.machine_section(
        results, report.old_section(path, "Machine"), log_row(results, quick)
    )
    return sections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", help="the shared data directory (default: $QAWL_SHARED or ../shared)")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS)
    parser.add_argument("--quick", action="store_true", help="smoke-test the scripts (figures meaningless)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="MIN",
        help=f"first wait up to MIN minutes for the 1-minute load average to fall below {QUIET_LOAD}",
    )
    parser.add_argument(
        "--out", help="the Markdown file to update (default: BENCHMARKS.md; none with --quick)"
    )
    parser.add_argument("--keep-json", metavar="DIR", help="also keep the raw JSON results in DIR")
    parser.add_argument("--from-json", metavar="DIR", help="measure nothing: render the JSON kept in DIR")
    args = parser.parse_args(argv)
    args.shared = shared_dir(args.shared)
    if not news_path(args.shared).exists():
        print(
            f"bench: skipped, {news_path(args.shared)} is not here (the shared data is needed)",
            file=sys.stderr,
        )
        return 0
    out = Path(args.out) if args.out else (None if args.quick else ROOT / "BENCHMARKS.md")
    if args.wait_quiet:
        load = wait_quiet(args.wait_quiet)
        print(f"load average {load:.2f}: {'quiet' if load < QUIET_LOAD else 'still busy, measuring anyway'}")
    results: dict[str, Any] = {}
    if args.from_json:
        for part in [p for p in PARTS if p in args.only]:
            f = Path(args.from_json) / f"{part}.json"
            if f.exists():
                results[part] = {"elapsed_s": 0.0, **json.loads(f.read_text(encoding="utf-8"))}
        report.update_file(
            out or ROOT / "BENCHMARKS.md", render(results, out or ROOT / "BENCHMARKS.md", args.quick)
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="qawl-bench-") as tmp:
        for part in [p for p in PARTS if p in args.only]:
            results[part] = run_part(part, args, Path(tmp))
        if args.keep_json:
            keep = Path(args.keep_json)
            keep.mkdir(parents=True, exist_ok=True)
            for f in Path(tmp).glob("*.json"):
                shutil.copy(f, keep / f.name)
            for part, data in results.items():  # with the elapsed time
                (keep / f"{part}.json").write_text(
                    json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
                )
    if out is not None:
        report.update_file(out, render(results, out, args.quick))
        print(f"bench: {out} updated ({', '.join(results)})", file=sys.stderr)
    total = sum(r["elapsed_s"] for r in results.values())
    print(f"bench: done in {total / 60:.1f} min", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
