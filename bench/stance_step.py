"""The learned stance step alone (``nlp/stance_learned.py``: candidates, features, hash, scores, decode,
merge), in words/second, on corpus dev articles whose entities, quotes and rule stances are precomputed.

    QAWL_SHARED=../shared python -m bench.stance_step [--n 120] [--rounds 3] [--profile] [--source news]

The analyses (the pipeline with the learned step off, as ``stance_learn/analyses.py`` makes them) of the
first ``2 * --n`` ANT articles of the corpus dev split (``--source news``: of the throughput benchmark's
news sample, bench/common.py) are cached in ``--cache``. Each round is a fresh process
pinned to one core: it loads the step, warms its caches on articles ``n .. 2n`` (a running service has
seen other text), then times ``LearnedStances.merge`` once over articles ``0 .. n``. Printed: each
round's words/s and the median. ``--profile`` runs one round under cProfile instead (sorted by own time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import python_cmd, shared_dir, single_core, words


def _texts(source: str, n: int) -> tuple[list[str], list[str]]:
    """``(ids, texts)`` of ``2 * n`` documents: the corpus dev split's first ANT articles, or the
    throughput benchmark's news sample (bench/common.py:load_sample)."""
    if source == "news":
        from .common import load_sample

        texts = load_sample(shared_dir(), 2 * n).texts
        return [f"news-{i}" for i in range(len(texts))], texts
    from qawl_service.corpus.load import load_corpus

    articles = load_corpus("dev", synthetic=False)[: 2 * n]
    return [a.record.id for a in articles], [a.text for a in articles]


def _analyses(source: str, n: int, cache: Path) -> tuple[list[str], list[Any]]:
    import msgspec

    from qawl.types import Analysis
    from qawl_service.stance_learn.analyses import analyze_texts

    ids, texts = _texts(source, n)
    path = cache / f"stance-step-{source}-{2 * n}.json"
    if path.exists():
        analyses = msgspec.json.decode(path.read_bytes(), type=list[Analysis])
        if [a.id for a in analyses] == ids:
            return texts, analyses
    analyses = analyze_texts(texts, list(ids))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.json.encode(analyses))
    return texts, analyses


def _round(source: str, n: int, cache: Path, profile: bool) -> dict[str, Any]:
    texts, analyses = _analyses(source, n, cache)
    from qawl_service.nlp.stance_learned import LearnedStances

    step = LearnedStances.load()
    docs = [
        (t, list(a.entities or []), list(a.quotes or []), list(a.stances or []))
        for t, a in zip(texts, analyses, strict=True)
    ]
    for args in docs[n:]:
        step.merge(*args)
    timed = docs[:n]
    n_words = sum(words(t) for t, *_ in timed)
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    out = [step.merge(*args) for args in timed]
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    if profile:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(30)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumtime").print_stats(30)
    learned = sum(s.cue is None for ss in out for s in ss)
    return {
        "docs": len(timed),
        "words": n_words,
        "seconds": secs,
        "words_per_s": n_words / secs,
        "cpu_words_per_s": n_words / cpu,
        "learned": learned,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--n", type=int, default=120, help="timed articles (as many again warm the caches)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/qawl-stance-step"))
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--source", choices=("dev", "news"), default="dev", help="corpus dev or the news sample")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    import os

    os.environ.setdefault("QAWL_SHARED", str(shared_dir(args.shared)))
    if args.one or args.profile:
        single_core()
        print(json.dumps(_round(args.source, args.n, args.cache, args.profile)))
        return
    _analyses(args.source, args.n, args.cache)  # once, before the timed rounds
    rates = []
    for k in range(args.rounds):
        cmd = python_cmd("stance_step", "--one", "--source", args.source, "--n", str(args.n))
        cmd += ["--cache", str(args.cache)]
        r = json.loads(
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
        )
        rates.append(r["words_per_s"])
        print(
            f"round {k + 1}: {r['docs']} docs, {r['words']} words, {r['seconds']:.3f} s, "
            f"{r['words_per_s']:,.0f} words/s (CPU time {r['cpu_words_per_s']:,.0f}), "
            f"{r['learned']} learned stances",
            file=sys.stderr,
        )
    print(f"median {statistics.median(rates):,.0f} words/s")


if __name__ == "__main__":
    main()
