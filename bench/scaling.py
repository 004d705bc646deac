"""Throughput against document length (100 to 20,000 words), one pinned core: is the cost linear?

    python -m bench.scaling [--shared ../shared] [--lengths 100 300 1000 3000 10000 20000]

Documents of exactly N words are made by joining the sample's articles in file order and cutting
after the N-th word. Each length is analyzed repeatedly (about ``--words`` words in all, at least
``--min-reps`` times) with every implemented feature, timing the tokenizer and each pipeline
component separately (wall and CPU time), and the blank tokenizer on the same text. The fit of
time = a * words^k over the lengths gives the growth exponent k (1.0 = linear), per component too.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from typing import Any

from .common import (
    FEATURE_SETS,
    Stopwatch,
    component_timers,
    load_sample,
    machine,
    monitored,
    shared_dir,
    single_core,
    text_of_words,
    words,
    write_json,
)

LENGTHS = [100, 300, 1000, 3000, 10000, 20000]


def timed_components(analyzer: Any, text: str, features: list[str]) -> dict[str, list[float]]:
    """One ``analyzer.analyze`` call: [wall, CPU] seconds of the tokenizer and of each component
    it ran; "other" is the rest (building the result, spaCy's own overhead)."""
    with component_timers(analyzer.nlp) as times, Stopwatch() as watch:
        analyzer.analyze(text, features, None)
    steps = {"tokenizer": times.pop("tokenizer", [0.0, 0.0]), **times}
    steps["other"] = [
        max(0.0, watch.wall - sum(v[0] for v in steps.values())),
        max(0.0, watch.cpu - sum(v[1] for v in steps.values())),
    ]
    steps["total"] = [watch.wall, watch.cpu]
    return steps


def fit_power(points: list[tuple[float, float]]) -> dict[str, float]:
    """Least squares of log(time) = log(a) + k log(words): k and R²."""
    xs = [math.log(w) for w, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    k = sxy / sxx
    ss_res = sum((y - (my + k * (x - mx))) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return {"exponent": k, "r2": 1 - ss_res / ss_tot if ss_tot else 1.0}


def run(args: argparse.Namespace) -> dict[str, Any]:
    facts = machine()
    pinned = single_core(args.cpu)
    from qawl_service.analyzer import Analyzer
    from qawl_service.nlp.language import blank_pipeline

    from .throughput import supported

    sample = load_sample(shared_dir(args.shared), args.n)
    analyzer = Analyzer.load()
    blank = blank_pipeline()
    features = next(fs for _, fs in reversed(FEATURE_SETS) if supported(analyzer, fs))
    docs = {n: text_of_words(sample.texts, n) for n in args.lengths}
    for text in docs.values():  # vocabulary warm-up (untimed)
        analyzer.nlp.make_doc(text)
        blank.make_doc(text)
    analyzer.analyze(docs[min(args.lengths)], features, None)
    out: dict[str, Any] = {
        "machine": facts,
        "cpu_pinned": pinned,
        "features": features,
        "source": f"{sample.definition}, joined in order and cut after the N-th word",
        "lengths": [],
    }
    with monitored(out):
        for n, text in docs.items():
            reps = max(args.min_reps, math.ceil(args.words / n))
            runs = [timed_components(analyzer, text, features) for _ in range(reps)]
            steps = {
                k: [statistics.median(r.get(k, [0.0, 0.0])[i] for r in runs) for i in (0, 1)] for k in runs[0]
            }
            blank_runs = []
            for _ in range(max(3, reps)):
                with Stopwatch() as watch:
                    blank(text)
                blank_runs.append(watch)
            entry = {
                "words": words(text),
                "chars": len(text),
                "reps": reps,
                "ms": {k: v[0] * 1000 for k, v in steps.items()},
                "cpu_ms": {k: v[1] * 1000 for k, v in steps.items()},
                "words_per_s": n / steps["total"][0],
                "words_per_s_cpu": n / steps["total"][1],
                "blank_words_per_s": n / statistics.median(r.wall for r in blank_runs),
                "blank_words_per_s_cpu": n / statistics.median(r.cpu for r in blank_runs),
            }
            out["lengths"].append(entry)
            print(
                f"{n:>6} words: {entry['ms']['total']:9.1f} ms, {entry['words_per_s']:,.0f} words/s",
                file=sys.stderr,
            )
    for key in ("ms", "cpu_ms"):
        fits = {
            step: fit_power([(e["words"], max(e[key][step], 1e-6)) for e in out["lengths"]])
            for step in out["lengths"][0][key]
        }
        out["fit" if key == "ms" else "fit_cpu"] = fits
        base = next((e for e in out["lengths"] if e["words"] == 1000), out["lengths"][0])
        for e in out["lengths"]:
            per_word, base_per_word = e[key]["total"] / e["words"], base[key]["total"] / base["words"]
            e[f"cost_per_word_vs_1000{'' if key == 'ms' else '_cpu'}"] = per_word / base_per_word
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared")
    parser.add_argument("--n", type=int, default=500, help="articles of the sample the documents come from")
    parser.add_argument("--lengths", type=int, nargs="+", default=LENGTHS)
    parser.add_argument("--words", type=int, default=40_000, help="words analyzed per length (about)")
    parser.add_argument("--min-reps", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    write_json(args.json_out, run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
