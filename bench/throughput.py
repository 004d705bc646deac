"""In-process throughput on one core, in words/second, per feature set, next to the blank tokenizer.

    python -m bench.throughput [--shared ../shared] [--n 500] [--json-out FILE]
    python -m bench.throughput --article-only      # the HTTP article, for the HTTP-overhead ratio

The process pins itself to one CPU with single-threaded BLAS before spaCy is imported. Before any
timing, one tokenizer pass over the sample fills the vocabulary (lexeme attributes are computed
once per word type; a long-running worker has them), and a few documents warm the model.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

from .common import (
    FEATURE_SETS,
    RESULT_FIELD,
    Stopwatch,
    load_article,
    load_sample,
    machine,
    monitored,
    shared_dir,
    single_core,
    words,
    write_json,
)

PROBE = "وقال وزير الخارجية الأمريكي جون كيري في جنيف إن الهدنة صامدة."


def supported(analyzer: Any, features: list[str]) -> bool:
    """Whether the analyzer fills in every requested feature (one not implemented stays UNSET)."""
    import msgspec

    try:
        result = analyzer.analyze(PROBE, features, None)
    except Exception:
        return False
    return all(getattr(result, RESULT_FIELD[f], msgspec.UNSET) is not msgspec.UNSET for f in features)


def _time(fn: Any, passes: int) -> list[Stopwatch]:
    out = []
    for _ in range(passes):
        with Stopwatch() as watch:
            fn()
        out.append(watch)
    return out


def _rate(n_words: int, runs: list[Stopwatch]) -> dict[str, Any]:
    wall = [r.wall for r in runs]
    cpu = [r.cpu for r in runs]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "words_per_s": n_words / statistics.median(wall),
        "words_per_s_cpu": n_words / statistics.median(cpu),
    }


def run_sample(
    shared: str | None, n: int, passes: int, blank_passes: int, cpu: int, many_all: bool = False
) -> dict[str, Any]:
    """Every feature set per document (``analyze``, as ``/v1/analyze`` runs it); the full set (or
    every set with ``many_all``) also batched (``analyze_many``, as ``/v1/batch`` and Ray run it)."""
    facts = machine()  # before pinning: it reports the usable cores
    pinned = single_core(cpu)
    from qawl_service.analyzer import Analyzer
    from qawl_service.nlp.language import blank_pipeline

    sample = load_sample(shared_dir(shared), n)
    texts = sample.texts
    started = time.perf_counter()
    analyzer = Analyzer.load()
    load_s = time.perf_counter() - started
    blank = blank_pipeline()
    for t in texts:  # vocabulary warm-up for both pipelines (untimed)
        analyzer.nlp.make_doc(t)
        blank.make_doc(t)
    for t in texts[:20]:
        analyzer.analyze(t, ["entities", "quotes"], None)

    out: dict[str, Any] = {
        "machine": facts,
        "cpu_pinned": pinned,
        "sample": {
            "definition": sample.definition,
            "docs": len(texts),
            "words": sample.words,
            "sha256_16": sample.digest,
        },
        "model": analyzer.model_name,
        "pipeline": list(analyzer.nlp.pipe_names),
        "model_load_s": load_s,
        "feature_sets": [],
    }
    ids: list[str | None] = [None] * len(texts)
    implemented = [(name, fs) for name, fs in FEATURE_SETS if supported(analyzer, fs)]
    last = implemented[-1] if implemented else None
    with monitored(out):
        blank_doc = _time(lambda: [blank(t) for t in texts], blank_passes)
        blank_pipe = _time(lambda: list(blank.pipe(texts, batch_size=32)), blank_passes)
        out["blank"] = {"per_doc": _rate(sample.words, blank_doc), "pipe": _rate(sample.words, blank_pipe)}
        print(f"blank tokenizer: {out['blank']['per_doc']['words_per_s']:,.0f} words/s", file=sys.stderr)
        for name, features in FEATURE_SETS:
            entry: dict[str, Any] = {
                "name": name,
                "features": features,
                "supported": supported(analyzer, features),
            }
            out["feature_sets"].append(entry)
            if not entry["supported"]:
                print(f"{name}: not implemented by the analyzer, skipped", file=sys.stderr)
                continue
            per_doc = _time(lambda f=features: [analyzer.analyze(t, f, None) for t in texts], passes)
            entry["per_doc"] = _rate(sample.words, per_doc)
            modes = ["per_doc"]
            if many_all or (name, features) == last:
                many = _time(lambda f=features: analyzer.analyze_many(texts, f, ids), passes)
                entry["analyze_many"] = _rate(sample.words, many)
                modes.append("analyze_many")
            for mode in modes:
                entry[mode]["ratio_to_blank"] = (
                    entry[mode]["words_per_s"] / out["blank"]["per_doc"]["words_per_s"]
                )
            many_text = (
                f", {entry['analyze_many']['words_per_s']:,.0f} words/s with analyze_many"
                if "analyze_many" in entry
                else ""
            )
            print(
                f"{name}: {entry['per_doc']['words_per_s']:,.0f} words/s per document{many_text}",
                file=sys.stderr,
            )
    return out


def run_article(shared: str | None, seconds: float, cpu: int) -> dict[str, Any]:
    """analyze() of the HTTP article, repeated for ``seconds``, with every implemented feature."""
    pinned = single_core(cpu)
    from qawl_service.analyzer import Analyzer

    article = load_article(shared_dir(shared))
    text = article.texts[0]
    analyzer = Analyzer.load()
    features: list[str] = []
    for _, fs in FEATURE_SETS:
        if supported(analyzer, fs):
            features = fs
    for _ in range(5):
        analyzer.analyze(text, features, None)
    out: dict[str, Any] = {
        "cpu_pinned": pinned,
        "article": {
            "definition": article.definition,
            "words": article.words,
            "chars": len(text),
            "sha256_16": article.digest,
        },
        "features": features,
    }
    runs: list[Stopwatch] = []
    with monitored(out):
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(runs) < 20:
            with Stopwatch() as watch:
                analyzer.analyze(text, features, None)
            runs.append(watch)
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    out.update(
        docs=len(runs),
        ms_per_doc_median=wall * 1000,
        ms_per_doc_cpu_median=cpu * 1000,
        words_per_s=words(text) / wall,
        words_per_s_cpu=words(text) / cpu,
        docs_per_s=1 / wall,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", help="the shared data directory (default: $QAWL_SHARED or ../shared)")
    parser.add_argument("--n", type=int, default=500, help="articles in the sample")
    parser.add_argument("--passes", type=int, default=1, help="timed passes per feature set (median)")
    parser.add_argument("--blank-passes", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin to")
    parser.add_argument("--many-all", action="store_true", help="analyze_many for every feature set")
    parser.add_argument("--article-only", action="store_true")
    parser.add_argument("--seconds", type=float, default=5.0, help="--article-only: how long to repeat")
    parser.add_argument("--json-out", default="-")
    args = parser.parse_args(argv)
    if args.article_only:
        result = run_article(args.shared, args.seconds, args.cpu)
    else:
        result = run_sample(args.shared, args.n, args.passes, args.blank_passes, args.cpu, args.many_all)
    write_json(args.json_out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
