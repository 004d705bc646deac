"""Markdown for BENCHMARKS.md from the benchmarks' JSON results, and the in-place section update.

Only the sections in :data:`OWNED` are written; every other section of the file (``## Soak``, ...)
is kept as it is, where it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

OWNED = ["Machine", "In-process throughput", "HTTP", "Memory and start-up", "Scaling", "Profile", "Story"]
PREAMBLE = """# Benchmarks

`## Machine` to `## Story` are measured by `make bench` (`bench/run.py`; method, findings and
suggested changes in `docs/performance.md`) and rewritten in place by each run; `## Machine` keeps a
log of the runs. Figures taken while other work used the machine are marked as contended.
`## Soak` is written by `make soak` (`bench/soak.py`).
"""
CONTENDED = 0.25  # other work using more than this many cores on average = contended figures
BARS = {
    "words_per_s": 10_000,
    "ratio_to_blank": 0.40,
    "http_ratio": 0.80,
    "p99_ms": 150.0,
    "rss_mb": 400.0,
    "ready_s": 5.0,
}


# -- formatting --------------------------------------------------------------------------------


def n0(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.0f}"


def n1(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.1f}"


def n2(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.2f}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %" if x < 0.1 else f"{100 * x:.0f} %"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---" if a == "l" else "--:" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def contention(cpus: list[dict[str, Any]]) -> tuple[bool, str]:
    """Whether figures were contended, and a sentence saying how busy the machine was."""
    cpus = [c for c in cpus if c]
    if not cpus:
        return False, ""
    foreign = max(c.get("foreign_cores", 0.0) for c in cpus)
    load = max(c.get("loadavg_start", 0.0) for c in cpus)
    if foreign > CONTENDED:
        return True, (
            f"> **Contended:** other work used up to {foreign:.2f} of the 2 cores during these measurements "
            f"(1-minute load up to {load:.2f} at their start): the figures are lower than this machine's, "
            "and the CPU-time figures are the better estimate."
        )
    return False, f"Machine quiet during the measurements (other work ≤ {foreign:.2f} cores)."


def _pipe(doc: dict[str, Any]) -> str:
    return " → ".join(doc.get("pipeline", []))


# -- sections ----------------------------------------------------------------------------------


def machine_section(results: dict[str, Any], old_body: str, row: list[str]) -> str:
    m = next((r["machine"] for r in results.values() if isinstance(r, dict) and "machine" in r), {})
    pk = m.get("packages", {})
    facts = table(
        ["", ""],
        [
            ["date", m.get("date", "")],
            ["CPU", f"{m.get('cpu', '')}, {m.get('cores', '')} cores ({m.get('cores_usable', '')} usable)"],
            ["memory", f"{m.get('memory_gib', '')} GiB"],
            ["OS", m.get("os", "")],
            ["Python", m.get("python", "")],
            ["packages", ", ".join(f"{k} {v}" for k, v in pk.items())],
            ["commit", f"`{m.get('commit', '')}`"],
            ["load average at start (1, 5, 15 min)", ", ".join(m.get("loadavg", []))],
        ],
        "ll",
    )
    header = [
        "date", "commit", "load at start", "full pipeline words/s (CPU-time)",
        "HTTP c=8, 2 workers: req/s, p99 ms",
        "RSS/worker MiB", "ready s (1 w)", "scaling k", "note",
    ]  # fmt: skip
    old_rows = [ln for ln in old_body.splitlines() if re.match(r"^\| \d{4}-\d\d-\d\d", ln)]
    log = "\n".join([table(header, []), *old_rows, "| " + " | ".join(row) + " |"])
    return (
        f"{facts}\n\nReproduce: `make bench` (needs `../shared`; `.venv/bin/pip install -e '.[bench]'`); "
        "`python -m bench.run --help` for the options. Machine busy? `python -m bench.run --wait-quiet 40` "
        "waits until the 1-minute load average is below 0.6.\n\n### Run log\n\n" + log
    )


def full_set(tp: dict[str, Any]) -> dict[str, Any] | None:
    done = [f for f in tp.get("feature_sets", []) if f.get("supported")]
    return done[-1] if done else None


def throughput_section(tp: dict[str, Any]) -> str:
    contended, note = contention([tp.get("cpu", {})])
    blank = tp["blank"]
    rows = [
        [
            "blank tokenizer (upper bound)",
            n0(blank["per_doc"]["words_per_s"]),
            n0(blank["per_doc"]["words_per_s_cpu"]),
            n0(blank["pipe"]["words_per_s"]),
            "100 %",
        ]
    ]
    for f in tp["feature_sets"]:
        if not f.get("supported"):
            rows.append([f"{f['name']} (`{', '.join(f['features'])}`)", "not implemented yet", "", "", ""])
            continue
        rows.append(
            [
                f"{f['name']} (`{', '.join(f['features'])}`)",
                n0(f["per_doc"]["words_per_s"]),
                n0(f["per_doc"]["words_per_s_cpu"]),
                n0(f["analyze_many"]["words_per_s"]) if "analyze_many" in f else "—",
                pct(f["per_doc"]["ratio_to_blank"]),
            ]
        )
    body = table(
        [
            "feature set",
            "`analyze()` per document, words/s",
            "same, by CPU time",
            "`analyze_many()` (nlp.pipe, batches of 32), words/s",
            "ratio to blank",
        ],
        rows,
    )
    s = tp["sample"]
    full = full_set(tp)
    bars = ""
    if full is not None:
        wps, ratio = full["per_doc"]["words_per_s"], full["per_doc"]["ratio_to_blank"]
        best = max(wps, full.get("analyze_many", {}).get("words_per_s", 0.0))
        bars = (
            f"\n\nBars ({full['name']}, the full pipeline): ≥ 10,000 words/s on one core — "
            f"{n0(wps)} per document, {n0(best)} at best: {verdict(best >= BARS['words_per_s'])}"
            f"{' (contended)' if contended else ''}. Stretch, ≥ 40 % of the blank tokenizer — {pct(ratio)}: "
            f"{verdict(ratio >= BARS['ratio_to_blank'])}."
        )
    return (
        f"One core (pinned to CPU {tp['cpu_pinned']}; OMP/OpenBLAS/MKL/BLIS threads = 1), model "
        f"`{tp['model']}` ({_pipe(tp)}), model load {n2(tp['model_load_s'])} s. Sample: {s['definition']} — "
        f"{s['docs']} documents, {s['words']:,} words (sha256 `{s['sha256_16']}`). Words = "
        "whitespace-separated tokens. One untimed tokenizer pass fills the vocabulary first; each figure "
        f"is one timed pass over the sample (median of {len(blank['per_doc']['wall_s'])} for the blank "
        "tokenizer, `qawl_service.nlp.pipeline."
        "blank_pipeline()`: our tokenizer and lexical attributes, no model).\n\n"
        f"{note}\n\n{body}{bars}"
    )


def http_section(h: dict[str, Any]) -> str:
    ref = h["reference"]
    a = h["article"]
    st = h["settings"]
    cpus = [r["cpu"] for s in h["servers"] for r in s["runs"]] + [ref.get("cpu", {})]
    _, note = contention(cpus)
    rows = []
    for server in h["servers"]:
        w = server["workers"]
        for r in server["runs"]:
            lat = r["latency_ms"]
            bad = sum(int(v) for k, v in r["statuses"].items() if k != "200") + sum(
                r["transport_errors"].values()
            )
            analyze = r["endpoint"] == "analyze"
            rows.append(
                [
                    str(w),
                    "`/v1/analyze`" if analyze else "`/healthz`",
                    str(r["concurrency"]),
                    n1(r["requests_per_s"]),
                    n0(r.get("words_per_s")) if analyze else "—",
                    n0(r.get("words_per_s_per_worker")) if analyze else "—",
                    pct(r.get("ratio_to_in_process")) if analyze else "—",
                    n1(lat["p50"]),
                    n1(lat["p95"]),
                    n1(lat["p99"]),
                    str(bad),
                    n2(r["cpu"].get("server_cores")),
                    " / ".join(n2(x) for x in r["cpu"].get("worker_cores", [])) or "—",
                    " / ".join(str(x) for x in r.get("connections_per_worker", [])) or "—",
                    n2(r["cpu"].get("client_cores")),
                ]
            )
    body = table(
        [
            "workers", "endpoint", "concurrency", "req/s", "words/s", "words/s per worker", "of in-process",
            "p50 ms", "p95 ms", "p99 ms", "errors", "server CPU (cores)", "CPU per worker",
            "connections per worker", "load generator CPU (cores)",
        ],
        rows,
    )  # fmt: skip

    def run_of(workers: int, endpoint: str, c: int) -> dict[str, Any] | None:
        for s in h["servers"]:
            if s["workers"] == workers:
                for r in s["runs"]:
                    if r["endpoint"] == endpoint and r["concurrency"] == c:
                        return r
        return None

    lines = []
    for w in st["workers"]:
        r8, hz = run_of(w, "analyze", 8), run_of(w, "healthz", 8)
        if r8 is not None:
            lines.append(
                f"- {w} worker{'s' if w > 1 else ''}, concurrency 8: "
                f"{n0(r8['words_per_s_per_worker'])} words/s per "
                f"worker = {pct(r8['ratio_to_in_process'])} of in-process (bar ≥ 80 %: "
                f"{verdict(r8['ratio_to_in_process'] >= BARS['http_ratio'])}); "
                f"p99 {n1(r8['latency_ms']['p99'])} ms"
                + (
                    f" (bar ≤ 150 ms with 2 workers: {verdict(r8['latency_ms']['p99'] <= BARS['p99_ms'])})"
                    if w == 2
                    else ""
                )
                + (
                    f"; `/v1/analyze` serves {pct(r8['requests_per_s'] / hz['requests_per_s'])} "
                    "of `/healthz`'s "
                    f"requests/s ({n1(hz['requests_per_s'])})"
                    if hz and hz["requests_per_s"]
                    else ""
                )
                + "."
            )
    return (
        f"`/v1/analyze` with features `{', '.join(h['features'])}` on {a['definition']} ({a['words']} words, "
        f"{a['chars']:,} characters, sha256 `{a['sha256_16']}`), next to `/healthz`. Server: "
        "`qawl-service serve --workers N` on a free loopback port, started and stopped by the script "
        "(default settings but `QAWL_RATE_LIMIT=0`: the limiter would answer 429 to a load test). "
        "Load: `bench/loadgen.py` in its own process, closed loop over "
        f"keep-alive connections ({st['client']} "
        f"client), {st['warmup']:g} s warm-up excluded, then {st['duration']:g} s measured per "
        f"`/v1/analyze` row ({st.get('health_duration', st['duration']):g} s per `/healthz` row); "
        "the load generator shares the machine's 2 cores with the server.\n\n"
        "In-process reference (same article and features, one pinned core): "
        f"{n0(ref['words_per_s'])} words/s, "
        f"{n1(ref['ms_per_doc_median'])} ms per document (by CPU time {n0(ref['words_per_s_cpu'])} words/s). "
        '"of in-process" = HTTP words/s per worker / that figure: what is left after the HTTP overhead. '
        "With 2 workers they share the listening socket and the worker with the fewest open connections "
        "accepts the next one (balance.py); a keep-alive connection stays with the worker that "
        'accepted it: "connections per worker" (sampled mid-run) shows how evenly the load was spread.\n\n'
        f"{note}\n\n{body}\n\n" + "\n".join(lines)
    )


def _per_worker(mem: dict[str, Any] | None, key: str) -> str:
    return ", ".join(n0(x.get(key)) for x in mem.get("workers", [])) if mem else "—"


def memory_section(st: dict[str, Any] | None, h: dict[str, Any] | None) -> str:
    servers = {s["workers"]: s for s in (h or {}).get("servers", [])}
    colds = {int(k): v for k, v in (st or {}).get("cold_start", {}).items()}
    workers = sorted(set(servers) | set(colds))

    big = next((s["big_documents"] for s in servers.values() if s.get("big_documents")), None)
    big_chars = (
        f"one {big['chars']:,}-character document each (statuses {', '.join(map(str, big['statuses']))})"
        if big
        else "a maximum-size document"
    )

    def row(label: str, fn: Callable[[int], str]) -> list[str]:
        return [label, *[fn(w) for w in workers]]

    def loaded(w: int) -> dict[str, Any] | None:
        return servers.get(w, {}).get("memory_after_load")

    def cold(w: int) -> dict[str, Any]:
        return colds.get(w, {})

    def first_run(w: int) -> dict[str, Any]:
        return (cold(w).get("runs") or [{}])[0]

    def supervisor(w: int) -> str:
        return n0((loaded(w) or {}).get("supervisor", {}).get("rss_mib")) if w > 1 else "—"

    rows = [
        row("RSS per worker after the HTTP load (MiB)", lambda w: _per_worker(loaded(w), "rss_mib")),
        row("USS per worker after the load (MiB, not shared)", lambda w: _per_worker(loaded(w), "uss_mib")),
        row(
            f"RSS per worker after {big_chars} (MiB)",
            lambda w: _per_worker(servers.get(w, {}).get("memory_after_big"), "rss_mib"),
        ),
        row(
            "peak RSS per worker since start, after those documents (VmHWM, MiB)",
            lambda w: _per_worker(servers.get(w, {}).get("memory_after_big"), "peak_rss_mib"),
        ),
        row(
            "RSS per worker when just ready (MiB)",
            lambda w: _per_worker(first_run(w).get("memory_idle"), "rss_mib"),
        ),
        row("supervisor process RSS (MiB)", supervisor),
        row(
            "cold start: spawn → first 200 on `/readyz` (s, median)",
            lambda w: n2(cold(w).get("ready_s_median")),
        ),
        row("… each run (s)", lambda w: ", ".join(n2(r["ready_s"]) for r in cold(w).get("runs", []))),
        row("spawn → every worker loaded (s, median)", lambda w: n2(cold(w).get("all_loaded_s_median"))),
        row(
            "pipeline load inside each worker (s, from its log)",
            lambda w: ", ".join(n2(x) for x in first_run(w).get("worker_load_s", [])),
        ),
    ]
    text = [table(["", *[f"{w} worker{'s' if w > 1 else ''}" for w in workers]], rows)]
    if st:
        text.append(
            f"Model load in a fresh process (median of {len(st['load'])}): imports "
            f"{n2(st['load_import_s_median'])} s, `Analyzer.load()` {n2(st['load_load_s_median'])} s "
            f"(warm-up call included), RSS then {n0(st['load_rss_mib_median'])} MiB. Runs after the first "
            "find the files in the page cache."
        )
        images = st.get("images") or []
        built = "; ".join(f"`{', '.join(i['names'])}` {n0(i['size_mb'])} MB ({i['tool']})" for i in images)
        text.append(
            "Container image: "
            + (built or "no `qawl-service` image built on this machine (`make container-test` builds one).")
        )
    rss = [x["rss_mib"] * 2**20 / 1e6 for w in servers for x in (loaded(w) or {}).get("workers", [])]
    rss_big = [
        x["rss_mib"] * 2**20 / 1e6
        for s in servers.values()
        for x in (s.get("memory_after_big") or {}).get("workers", [])
    ]
    peaks = [
        x["peak_rss_mib"] * 2**20 / 1e6
        for s in servers.values()
        for x in (s.get("memory_after_big") or {}).get("workers", [])
        if "peak_rss_mib" in x
    ]
    bars = []
    if rss:
        bars.append(
            f"≤ 400 MB RSS per worker: at most {n0(max(rss))} MB after the HTTP load, "
            f"{verdict(max(rss) <= BARS['rss_mb'])}"
            + (
                f" (after a maximum-size document: {n0(max(rss_big))} MB, "
                f"{verdict(max(rss_big) <= BARS['rss_mb'])})"
                if rss_big
                else ""
            )
            + (
                f"; at the peak, while analyzing it: {n0(max(peaks))} MB, "
                f"{verdict(max(peaks) <= BARS['rss_mb'])}"
                if peaks
                else ""
            )
        )
    for w in workers:
        ready = cold(w).get("ready_s_median")
        if ready is not None:
            plural = "s" if w > 1 else ""
            bars.append(
                f"ready ≤ 5 s with {w} worker{plural}: {n2(ready)} s, {verdict(ready <= BARS['ready_s'])}"
            )
    if bars:
        text.append("Bars: " + "; ".join(bars) + ".")
    cpus = [r.get("cpu", {}) for s in servers.values() for r in s.get("runs", [])]
    contended, note = contention(cpus)
    if contended:
        text.append(note.replace("these measurements", "the HTTP load"))
    return "\n\n".join(text)


def scaling_section(sc: dict[str, Any]) -> str:
    _, note = contention([sc.get("cpu", {})])
    steps = [k for k in sc["lengths"][0]["ms"] if k != "total"]
    rows = []
    for e in sc["lengths"]:
        rows.append(
            [
                f"{e['words']:,}",
                f"{e['chars']:,}",
                str(e["reps"]),
                n1(e["ms"]["total"]),
                n0(e["words_per_s"]),
                n0(e["words_per_s_cpu"]),
                n2(e["cost_per_word_vs_1000"]),
                *[n1(e["ms"][k]) for k in steps],
                n0(e["blank_words_per_s"]),
            ]
        )
    body = table(
        ["words", "chars", "runs", "ms per doc", "words/s", "words/s by CPU time",
         "cost per word vs 1,000 words",
         *[f"{k} ms" for k in steps], "blank tokenizer words/s"],
        rows,
    )  # fmt: skip
    fits = sc["fit"]
    comp = ", ".join(f"{k} {fits[k]['exponent']:.2f}" for k in steps if k != "other")
    k = fits["total"]["exponent"]
    bad = [s for s in steps if s != "other" and fits[s]["exponent"] > 1.1]
    verdict_text = (
        "cost grows linearly with length"
        if k <= 1.1
        else f"cost grows faster than linearly: time ∝ words^{k:.2f}; "
        f"super-linear steps: {', '.join(bad) or '—'}"
    )
    return (
        f"Features `{', '.join(sc['features'])}`, one pinned core. Documents: {sc['source']}. Median of the "
        'runs per length; the tokenizer and each component timed inside `analyze()` ("other": building '
        f"the result).\n\n{note}\n\n{body}\n\nFit time = a · words^k over the lengths: k = {k:.2f} "
        f"(R² {fits['total']['r2']:.3f}); "
        f"per step: {comp}. Verdict: **{verdict_text}**."
    )


def profile_section(p: dict[str, Any]) -> str:
    ip = p["in_process"]
    comp_rows = [[k, n2(v["cpu_s"]), pct(v["share"])] for k, v in ip["components"].items()]
    attributed = sum(f["share"] for f in ip["packages"])
    fn_rows = [[pct(f["share"]), f"`{f['function']}`"] for f in ip["top_functions"]]
    pkg_rows = [[f"`{f['package']}`", pct(f["share"])] for f in ip["packages"]]
    parts = [
        f"In-process, one pinned core, features `{', '.join(ip['features'])}`, {ip['sample']['docs']} sample "
        f"articles ({ip['sample']['words']:,} words).",
        "Time per step (CPU time):\n\n" + table(["step", "CPU s", "share"], comp_rows),
        "Hottest functions, pyinstrument self time (share of the profiled run):\n\n"
        + table(["self time", "function"], fn_rows, "rl"),
        f"By package ({pct(attributed)} of the samples attributed to a frame):\n\n"
        + table(["package", "self time"], pkg_rows),
    ]
    srv = p.get("server", {})
    if srv.get("categories"):
        rows = [[c["category"], pct(c["share"])] for c in srv["categories"]]
        parts.append(
            f"Server under load (1 worker and its analysis process, `/v1/analyze` with "
            f"{', '.join(srv.get('features', []))} at concurrency {srv['concurrency']}, py-spy "
            f"`--nonblocking --subprocesses` for {srv['seconds']} s, {srv['samples']:,} samples of busy "
            "threads):\n\n" + table(["where", "share of samples"], rows)
        )
    elif srv.get("skipped"):
        parts.append(f"HTTP server profile skipped: {srv['skipped']}")
    parts.append("What this shows and what to change: `docs/performance.md`.")
    return "\n\n".join(parts)


def story_section(st: dict[str, Any]) -> str:
    _, note = contention([st.get("cpu", {})])
    rows = []
    for s in st["sets"]:
        rows.append(
            [
                s["name"],
                f"{s['docs']} ({n0(s['words'])} words)",
                n0(1000 * s["one_by_one"]["wall_s"]),
                n0(1000 * s["analyze_many"]["wall_s"]),
                n1(1000 * s["merge"]["wall_s"]),
                n0(1000 * s["story"]["wall_s"]),
                f"{100 * s['overhead_wall_s']:+.1f} % ({100 * s['overhead_cpu_s']:+.1f} %)",
                n0(1000 * s["http_one_by_one"]["wall_s"]),
                n0(1000 * s["http_story"]["wall_s"]),
                f"{100 * s['http_overhead_wall_s']:+.1f} % ({100 * s['http_overhead_cpu_s']:+.1f} %)",
            ]
        )
    header = [
        "set", "documents", "one by one ms", "batch ms", "merge ms", "story ms", "story vs one by one (CPU)",
        "app: N × /v1/analyze ms", "app: /v1/story ms", "app: story vs one by one (CPU)",
    ]  # fmt: skip
    worst = st["worst_overhead"]
    return "\n\n".join(
        [
            "`python -m bench.story` (issue 22): the documents of a set analysed one by one (entities, "
            f"quotes, stance) against one story of them, in process on one pinned core and through the app "
            f"(TestClient, analyzer in a thread); median of {st['passes']} passes, wall time, CPU time in "
            "brackets. Sets: the five seeds, and groups of consecutive sample articles (unrelated: the "
            "cost of a merge, not its quality), the last one larger.",
            table(header, rows),
            f"Bar: `/v1/story` costs < {100 * st['bar']:.0f} % more than the documents one by one — "
            f"{verdict(st['met'])} (worst set {100 * worst:+.1f} %; all sets together "
            f"{100 * st['overhead']:+.1f} % in process, {100 * st['http_overhead']:+.1f} % through the app). "
            "The story is cheaper than one by one because its documents go through `nlp.pipe` together; "
            "the merge itself is the `merge ms` column.",
            note,
        ]
    )


# -- the file ------------------------------------------------------------------------------------


def split_sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(preamble, [(heading title, body)]) for the level-2 sections of a Markdown file."""
    parts = re.split(r"(?m)^## (.+)$", text)
    preamble = parts[0]
    sections = [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts), 2)]
    return preamble, sections


def update_file(path: Path, new: dict[str, str]) -> None:
    """Rewrite the owned sections given in ``new``; keep every other section where it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    preamble, sections = split_sections(text)
    if preamble.strip() in ("", "# Benchmarks"):
        preamble = PREAMBLE
    present = {title for title, _ in sections}
    out = [(t, f"\n\n{new[t].strip()}\n\n" if t in new else body) for t, body in sections]
    for title in OWNED:
        if title in new and title not in present:
            before = [o for o in OWNED[: OWNED.index(title)] if o in {t for t, _ in out}]
            index = max((i for i, (t, _) in enumerate(out) if t in before), default=-1) + 1
            out.insert(index, (title, f"\n\n{new[title].strip()}\n\n"))
    rendered = preamble.rstrip() + "\n\n" + "".join(f"## {t}{b}" for t, b in out)
    path.write_text(rendered.rstrip() + "\n", encoding="utf-8")


def old_section(path: Path, title: str) -> str:
    if not path.exists():
        return ""
    return dict(split_sections(path.read_text(encoding="utf-8"))[1]).get(title, "")
