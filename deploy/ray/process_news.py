"""Analyze millions of news articles offline with the Qawl pipeline on Ray Data.

    python deploy/ray/process_news.py ARTICLES.jsonl.gz [MORE...] --out results/ \
        [--features entities quotes stance] [--actors 8] [--batch-size 64] \
        [--text-field content] [--id-field url] [--limit 1000] [--address auto]

Reads JSON-lines files (gzip or not), analyzes every document with ``map_batches`` over a pool of
actors, each of which loads the pipeline once and reuses it for every batch (``nlp.pipe`` inside
``Analyzer.analyze_many``), and writes Parquet: one row per input document with its id, word count,
``ok``/``error`` and ``result``, the JSON of the same ``Analysis`` document ``POST /v1/analyze``
returns (decode it with ``msgspec.json.decode(row["result"], type=qawl.types.Analysis)``).
A document that fails is reported in its row and never takes its batch down.

Without ``--address`` a Ray instance is started on this machine for the run; ``--address auto``
joins a running cluster (every node needs ``pip install qawl-service``). See deploy/ray/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

# The model's matrix work is small: one thread per actor, and as many actors as cores.
THREAD_ENV = {
    k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
}
MAX_CHARS = 100_000  # the service's QAWL_MAX_TEXT_CHARS: longer texts are reported, not analyzed


class QawlBatchAnalyzer:
    """A Ray Data callable class: one Qawl pipeline per actor, loaded once in ``__init__``."""

    def __init__(
        self,
        features: Sequence[str],
        text_field: str = "text",
        id_field: str | None = "id",
        model: str | None = None,
        max_chars: int = MAX_CHARS,
    ) -> None:
        from qawl_service.analyzer import Analyzer

        self.analyzer = Analyzer.load(model)
        self.features = list(features)
        self.text_field, self.id_field, self.max_chars = text_field, id_field, max_chars

    def __call__(self, batch: dict[str, Any]) -> Any:
        texts = list(batch[self.text_field])
        if self.id_field and self.id_field in batch:
            ids: list[str | None] = [None if i is None else str(i) for i in batch[self.id_field]]
        else:
            ids = [None] * len(texts)
        return to_table(analyze_batch(self.analyzer, texts, ids, self.features, self.max_chars))


def to_table(columns: dict[str, list[Any]]) -> Any:
    """One Arrow schema for every batch: a batch whose errors are all null must not give its Parquet
    part a null-typed ``error`` column that the other parts (strings) cannot be read together with."""
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("words", pa.int64()),
            ("ok", pa.bool_()),
            ("error", pa.string()),
            ("result", pa.string()),
        ]
    )
    return pa.Table.from_pydict(columns, schema=schema)


def text_problem(text: Any) -> str | None:
    """Why a value cannot be analyzed as a text: null (JSON null, a missing field, NaN) or not a string."""
    if text is None or (isinstance(text, float) and text != text):
        return "no text (null)"
    if not isinstance(text, str):
        return f"text is not a string ({type(text).__name__})"
    return None


def analyze_batch(
    analyzer: Any, texts: list[Any], ids: list[str | None], features: list[str], max_chars: int = MAX_CHARS
) -> dict[str, list[Any]]:
    """Columns for one batch: analyses in input order, per-document errors kept per document. A text
    that is null or not a string is reported, never analyzed as its printed form ("nan", "None")."""
    import msgspec

    errors: dict[int, str] = {}
    for i, text in enumerate(texts):
        problem = text_problem(text)
        if problem is not None:
            errors[i] = problem
            texts[i] = ""
        elif not text.strip():
            errors[i] = "empty text"
        elif len(text) > max_chars:
            errors[i] = f"text of {len(text)} characters, over the limit of {max_chars}"
    valid = [i for i in range(len(texts)) if i not in errors]
    results: dict[int, Any] = {}
    try:
        analyses = analyzer.analyze_many([texts[i] for i in valid], features, [ids[i] for i in valid])
        results = dict(zip(valid, analyses, strict=True))
    except Exception:  # isolate the failure: one document at a time
        for i in valid:
            try:
                results[i] = analyzer.analyze(texts[i], features, ids[i])
            except Exception as exc:
                errors[i] = f"{type(exc).__name__}: {exc}"[:500]
    out: dict[str, list[Any]] = {"id": [], "words": [], "ok": [], "error": [], "result": []}
    for i, text in enumerate(texts):
        analysis = results.get(i)
        out["id"].append(ids[i])
        out["words"].append(len(text.split()))
        out["ok"].append(analysis is not None)
        out["error"].append(errors.get(i))
        out["result"].append(msgspec.json.encode(analysis).decode() if analysis is not None else None)
    return out


def analyze_dataset(
    ds: Any,
    features: Sequence[str],
    *,
    actors: int = 2,
    batch_size: int = 64,
    text_field: str = "text",
    id_field: str | None = "id",
    model: str | None = None,
    max_chars: int = MAX_CHARS,
) -> Any:
    """The Ray Data plan: ``ds`` (rows with ``text_field`` and optionally ``id_field``) mapped by a pool
    of ``actors`` actors of one CPU each, ``batch_size`` documents per call."""
    import ray
    import ray.data

    if __name__ != "__main__":  # imported (e.g. by a test): ship this module's code to the workers
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    return ds.map_batches(
        QawlBatchAnalyzer,
        fn_constructor_kwargs={
            "features": list(features),
            "text_field": text_field,
            "id_field": id_field,
            "model": model,
            "max_chars": max_chars,
        },
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=1,
        runtime_env={"env_vars": THREAD_ENV},
    )


def analyze_texts(
    texts: Iterable[str],
    ids: Iterable[str | None] | None = None,
    features: Sequence[str] = ("entities",),
    **kw: Any,
) -> list[dict[str, Any]]:
    """Analyze in-memory texts on Ray (a small job, or a test); rows in input order."""
    import ray.data

    texts = list(texts)
    id_list = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
    items = [{"id": i, "text": t, "order": n} for n, (i, t) in enumerate(zip(id_list, texts, strict=True))]
    rows = analyze_dataset(ray.data.from_items(items), features, **kw).take_all()
    order = {r["id"]: r["order"] for r in items}
    return sorted(rows, key=lambda r: order[r["id"]])


def main(argv: list[str] | None = None) -> int:
    from qawl.types import FEATURES

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("inputs", nargs="+", help="JSON-lines files or directories (.jsonl, .jsonl.gz, ...)")
    parser.add_argument("--out", required=True, help="output directory (Parquet files)")
    parser.add_argument("--features", nargs="+", default=list(FEATURES), choices=list(FEATURES))
    parser.add_argument("--text-field", default="content")
    parser.add_argument("--id-field", default="url", help="'' for none")
    parser.add_argument(
        "--actors",
        type=int,
        default=os.cpu_count() or 1,
        help="pipelines, one per actor and CPU (default: cores)",
    )
    parser.add_argument("--batch-size", type=int, default=64, help="documents per map_batches call")
    parser.add_argument("--limit", type=int, help="only the first N documents (a trial run)")
    parser.add_argument("--model", help="a model directory (default: the shipped model)")
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS)
    parser.add_argument("--address", help="a Ray cluster to join ('auto'); default: a local instance")
    args = parser.parse_args(argv)

    if os.path.isdir(args.out) and os.listdir(args.out):
        parser.error(f"--out {args.out} is not empty: give a new directory")
    import ray
    import ray.data

    # A local instance declares one CPU more than the actors take: reading and writing tasks need
    # one, and actors holding every CPU would starve them (the job would wait forever).
    ray.init(
        address=args.address or "local",
        num_cpus=None if args.address else args.actors + 1,
        include_dashboard=False,
        runtime_env={"env_vars": THREAD_ENV},
    )
    started = time.perf_counter()
    ds = ray.data.read_json(args.inputs, lines=True)
    columns = [args.text_field] + ([args.id_field] if args.id_field else [])
    ds = ds.select_columns(columns)
    if args.limit:
        ds = ds.limit(args.limit)
    ds = analyze_dataset(
        ds,
        args.features,
        actors=args.actors,
        batch_size=args.batch_size,
        text_field=args.text_field,
        id_field=args.id_field or None,
        model=args.model,
        max_chars=args.max_chars,
    )
    ds.write_parquet(args.out)
    elapsed = time.perf_counter() - started
    done = ray.data.read_parquet(args.out, columns=["ok", "words"]).to_pandas()
    docs, words, failed = len(done), int(done["words"].sum()), int((~done["ok"]).sum())
    print(
        f"{docs:,} documents ({failed:,} failed), {words:,} words in {elapsed:.1f} s: "
        f"{docs / elapsed:,.1f} documents/s, {words / elapsed:,.0f} words/s, {args.actors} actors "
        f"-> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
