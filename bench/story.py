"""The cost of the story view: ``/v1/story`` against analysing the same documents one by one.

    python -m bench.story [--shared ../shared] [--passes 7] [--groups 6] [--group-size 8] [--large 32]
        [--json-out FILE]

Issue 22: the story endpoint must cost less than 10 % more than analysing its documents one by one.
The process pins itself to one core (single-threaded BLAS) before spaCy is imported. Document sets:
the five seeds (in the repo) and, when ../shared is there, ``--groups`` sets of ``--group-size``
consecutive articles of the benchmark sample (a merge of unrelated articles: the cost, not the
quality), and one set of ``--large`` articles. For each set, alternating within every pass (median
of ``--passes``):

- in process: one by one = ``Analyzer.analyze`` per document with entities, quotes and stance (what
  one ``/v1/analyze`` call per article runs); story = ``Analyzer.analyze_many`` over the set plus
  ``build_story`` (what ``/v1/story`` runs); the batch alone (``analyze_many``, what ``/v1/batch``
  runs) and the merge (``build_story``) alone;
- through the app (the service in-process, its analyzer in a thread, Litestar's TestClient): one
  ``POST /v1/analyze`` per document against one ``POST /v1/story``, so the validation, the JSON of the
  larger answer and the request handling count too.

Overhead = story time / one-by-one time - 1; the bar is < 10 %.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

from .common import (
    ROOT,
    load_sample,
    machine,
    monitored,
    news_path,
    shared_dir,
    single_core,
    words,
    write_json,
)

FEATURES = ["entities", "quotes", "stance"]
BAR = 0.10


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> tuple[float, float]:
    w, c = _clock()
    return w - t[0], c - t[1]


def measure_set(analyzer: Any, client: Any, name: str, texts: list[str], passes: int) -> dict[str, Any]:
    from qawl_service.story import StoryInput, build_story

    ids = [f"{name}-{i}" for i in range(len(texts))]
    docs = [{"id": i, "text": t} for i, t in zip(ids, texts, strict=True)]
    runs: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("one_by_one", "story", "analyze_many", "merge", "http_one_by_one", "http_story")
    }

    def one_by_one() -> None:
        for i, t in zip(ids, texts, strict=True):
            analyzer.analyze(t, FEATURES, i)

    def story() -> None:
        analyses = analyzer.analyze_many(texts, FEATURES, ids)
        t = _clock()
        build_story(
            [StoryInput(doc=i, text=x, analysis=a) for i, x, a in zip(ids, texts, analyses, strict=True)]
        )
        runs["merge"].append(_since(t))

    def http_one_by_one() -> None:
        for d in docs:
            resp = client.post("/v1/analyze", json={**d, "features": FEATURES})
            assert resp.status_code == 200, resp.text

    def http_story() -> None:
        resp = client.post("/v1/story", json={"documents": docs})
        assert resp.status_code == 200, resp.text

    steps = [("one_by_one", one_by_one), ("story", story), ("http_one_by_one", http_one_by_one),
             ("http_story", http_story)]  # fmt: skip
    for fn in (one_by_one, story, http_story):  # warm-up, untimed
        fn()
    runs["merge"].clear()
    for n in range(passes):
        order = steps if n % 2 == 0 else steps[::-1]  # alternate: no drift favours one side
        for key, fn in order:
            t = _clock()
            fn()
            runs[key].append(_since(t))
    for _ in range(passes):
        t = _clock()
        analyzer.analyze_many(texts, FEATURES, ids)
        runs["analyze_many"].append(_since(t))

    def med(key: str) -> dict[str, float]:
        return {
            "wall_s": statistics.median(w for w, _ in runs[key]),
            "cpu_s": statistics.median(c for _, c in runs[key]),
        }

    out: dict[str, Any] = {
        "name": name,
        "docs": len(texts),
        "words": sum(words(t) for t in texts),
        **{k: med(k) for k in runs},
    }
    for kind in ("wall_s", "cpu_s"):
        out[f"overhead_{kind}"] = out["story"][kind] / out["one_by_one"][kind] - 1
        out[f"over_batch_{kind}"] = out["story"][kind] / out["analyze_many"][kind] - 1
        out[f"http_overhead_{kind}"] = out["http_story"][kind] / out["http_one_by_one"][kind] - 1
        out[f"merge_share_{kind}"] = out["merge"][kind] / out["one_by_one"][kind]
    return out


def run(
    shared: str | None, passes: int, groups: int, group_size: int, large: int, cpu: int
) -> dict[str, Any]:
    facts = machine()
    pinned = single_core(cpu)
    from litestar.testing import TestClient

    from qawl_service.analyzer import Analyzer
    from qawl_service.app import create_app
    from qawl_service.settings import Settings

    sets = [("seeds", [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))])]
    shared_path = shared_dir(shared)
    if (groups or large) and news_path(shared_path).exists():
        sample = load_sample(shared_path, groups * group_size + large).texts
        sets += [(f"news{g + 1}", sample[g * group_size : (g + 1) * group_size]) for g in range(groups)]
        if large:
            sets.append((f"news{large}", sample[groups * group_size :]))
    analyzer = Analyzer.load()
    out: dict[str, Any] = {"machine": facts, "cpu_pinned": pinned, "features": FEATURES, "passes": passes,
                           "model": analyzer.model_name, "sets": []}  # fmt: skip
    settings = Settings(log_level="warning", rate_limit=0)
    with TestClient(create_app(settings, analyzer)) as client, monitored(out):
        for name, texts in sets:
            result = measure_set(analyzer, client, name, texts, passes)
            out["sets"].append(result)
            r = result
            print(
                f"{name}: {r['docs']} docs, one by one {r['one_by_one']['wall_s']:.3f} s, story "
                f"{r['story']['wall_s']:.3f} s (merge {r['merge']['wall_s'] * 1000:.1f} ms): "
                f"{100 * r['overhead_wall_s']:+.1f} %; through the app {r['http_one_by_one']['wall_s']:.3f} s"
                f" vs {r['http_story']['wall_s']:.3f} s: {100 * r['http_overhead_wall_s']:+.1f} %",
                file=sys.stderr,
            )
    total = {k: sum(s[k]["wall_s"] for s in out["sets"]) for k in ("one_by_one", "story", "http_one_by_one",
                                                                   "http_story", "merge")}  # fmt: skip
    out["total"] = total
    out["overhead"] = total["story"] / total["one_by_one"] - 1
    out["http_overhead"] = total["http_story"] / total["http_one_by_one"] - 1
    out["worst_overhead"] = max(max(s["overhead_wall_s"], s["http_overhead_wall_s"]) for s in out["sets"])
    out["bar"] = BAR
    out["met"] = out["worst_overhead"] < BAR
    print(
        f"all sets: one by one {total['one_by_one']:.3f} s, story {total['story']:.3f} s "
        f"({100 * out['overhead']:+.1f} %); through the app {100 * out['http_overhead']:+.1f} %; "
        f"worst set {100 * out['worst_overhead']:+.1f} % (bar < {100 * BAR:.0f} %: "
        f"{'met' if out['met'] else 'NOT met'})",
        file=sys.stderr,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", help="the shared data directory (default: $QAWL_SHARED or ../shared)")
    parser.add_argument("--passes", type=int, default=7, help="timed passes per set (median)")
    parser.add_argument("--groups", type=int, default=6, help="news sets (0: the seeds only)")
    parser.add_argument("--group-size", type=int, default=8, help="articles per news set")
    parser.add_argument("--large", type=int, default=32, help="articles of one larger news set (0: none)")
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin to")
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    write_json(
        args.json_out, run(args.shared, args.passes, args.groups, args.group_size, args.large, args.cpu)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
