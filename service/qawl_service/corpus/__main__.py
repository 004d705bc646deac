"""``python -m qawl_service.corpus COMMAND``: the corpus pipeline's commands (docs/corpus.md).

select            draw the articles and write corpus/qnc/selection.tsv (--check: verify it is unchanged)
show BATCH        print a batch's articles for an annotator
validate FILE     check an annotator's JSON lines (--batch BATCH: every article of it present)
build             resolve the reviewed annotations into corpus/qnc/{train,dev,test}.jsonl
check             validate every stored record against the text in ../shared and print the counts
agreement A B     score two annotation passes of the same articles against each other
"""

from __future__ import annotations

import argparse
import sys

from qawl_service.corpus import select as sel
from qawl_service.corpus.sources import texts


def _batch_ids(batch: str) -> list[str]:
    return [r["id"] for r in sel.read_manifest() if r["batch"] == batch]


def cmd_show(args: argparse.Namespace) -> int:
    ids = _batch_ids(args.batch)
    if not ids:
        print(f"no batch {args.batch!r} in {sel.MANIFEST}", file=sys.stderr)
        return 2
    available = texts()
    for i, doc in enumerate(ids, 1):
        print(f"===== [{i}/{len(ids)}] id: {doc} =====")
        print(available[doc])
        print()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from qawl_service.corpus.validate import read_jsonl, validate_batch

    try:
        anns = read_jsonl(args.file)
    except (OSError, ValueError) as exc:
        print(f"ERROR {exc}")
        return 1
    errors, warnings = validate_batch(anns, texts(), _batch_ids(args.batch) if args.batch else None)
    for w in warnings:
        print(f"warning {w}")
    for e in errors:
        print(f"ERROR {e}")
    n_q = sum(len(a.get("quotes", [])) for a in anns)
    n_s = sum(len(a.get("stances", [])) for a in anns)
    n_e = sum(len(a.get("entities", [])) for a in anns)
    print(
        f"{len(anns)} articles, {n_e} entities, {n_q} quotes, {n_s} stances: "
        f"{len(errors)} errors, {len(warnings)} warnings"
    )
    return 1 if errors else 0


def cmd_select(args: argparse.Namespace) -> int:
    rows = sel.select(args.seed, args.size)
    if args.check:
        want = [(r["id"], r["split"], r["batch"]) for r in rows]
        have = [(r["id"], r["split"], r["batch"]) for r in sel.read_manifest()]
        if want != have:
            print("selection.tsv differs from a fresh draw")
            return 1
        print(f"selection.tsv reproduced: {len(rows)} articles")
        return 0
    sel.write_manifest(rows)
    print(f"wrote {sel.MANIFEST} ({len(rows)} articles)")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from qawl_service.corpus.build import build

    print(build())
    return cmd_check(args)


def cmd_check(args: argparse.Namespace) -> int:
    from qawl_service.corpus.build import check

    errors, table = check()
    fresh = [(r["id"], r["split"], r["batch"]) for r in sel.select()]
    if fresh != [(r["id"], r["split"], r["batch"]) for r in sel.read_manifest()]:
        errors.append("selection.tsv differs from a fresh draw (python -m qawl_service.corpus select)")
    keys = sorted({k for c in table.values() for k in c})
    print(f"{'':24}" + "".join(f"{s:>8}" for s in table))
    for k in keys:
        print(f"{k:24}" + "".join(f"{table[s].get(k, 0):>8}" for s in table))
    for e in errors[:50]:
        print(f"ERROR {e}")
    print(f"{len(errors)} errors")
    return 1 if errors else 0


def cmd_agreement(args: argparse.Namespace) -> int:
    import json

    from qawl_service.corpus.agreement import agreement, review_changes

    result = review_changes() if args.review else agreement()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import json

    from qawl_service.corpus.evaluate import evaluate

    results = [evaluate(split, args.model, args.quotes) for split in args.split]
    for r in results:
        print(f"{r['split']}: {r['documents']} articles in {r['seconds']} s")
        for layer in ("entities", "quotes", "stances"):
            x = r[layer]
            print(
                f"  {layer:9} P {x['p']:.3f} R {x['r']:.3f} F1 {x['f']:.3f}"
                f"  (gold {x['gold']}, predicted {x['pred']})"
            )
        print(
            f"  speaker accuracy {r['speaker_accuracy']:.3f} (strict {r['speaker_accuracy_strict']:.3f})"
            f"  cue accuracy {r['cue_accuracy']:.3f}  kind accuracy {r['kind_accuracy']:.3f}"
        )
        print(
            f"  stances: pair F1 (holder and target, label aside) {r['stances_pair']['f']:.3f}"
            f"  holder F1 {r['stances_holder']['f']:.3f}"
        )
        for group in ("entities_by_label", "quotes_by_kind", "stances_by_label"):
            print("  " + "  ".join(f"{k} F1 {v['f']:.3f} (R {v['r']:.3f})" for k, v in r[group].items()))
        for layer in ("quote", "stance"):
            cal = r.get(f"{layer}_calibration", {})
            print(
                f"  {layer} confidence -> precision: "
                + "  ".join(f"{k}: {v['precision']:.2f} (n {v['pred']})" for k, v in cal.items())
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    if args.write_meta:
        from qawl_service.corpus.evaluate import write_meta
        from qawl_service.nlp.pipeline import model_path

        write_meta(model_path(args.model), results)
        print(f"wrote the scores into {model_path(args.model) / 'meta.json'}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from qawl_service.corpus.report import report

    print(report(args.baseline))
    return 0


def cmd_gold(args: argparse.Namespace) -> int:
    from qawl_service.corpus import devgold

    if args.action == "show":
        print(devgold.show(args.set))
        return 0
    if args.action == "validate":
        problems = devgold.validate(args.set, args.file)
        for p in problems:
            print(p)
        errors = sum(p.startswith("ERROR") for p in problems)
        print(f"{errors} errors, {len(problems) - errors} warnings")
        return 1 if errors else 0
    print(f"wrote {devgold.write(args.set, args.file)} documents to {devgold.GOLD[args.set]}")
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    from qawl_service.corpus.errors import quote_errors

    r = quote_errors(args.split, args.model)
    print(f"{r['split']}: {r['matched']} matched quotes")
    for key in ("speaker_errors", "missed_by_kind", "missed_by_overlap", "missed_by_cue"):
        print(f"  {key}: " + ", ".join(f"{k} {v}" for k, v in r[key].items()))
    if args.examples:
        import random

        sample = r["speaker_examples"]
        for ex in random.Random(args.seed).sample(sample, min(args.examples, len(sample))):
            print(f"\n[{ex['id']}] {ex['cause']}: predicted {ex['predicted']!r}, gold {ex['gold']!r}")
            print(f"  ...{ex['before']} [{ex['cue']}] {ex['content']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m qawl_service.corpus",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("select")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--size", type=int, default=2200)
    p.add_argument("--check", action="store_true")
    p.set_defaults(fn=cmd_select)
    p = sub.add_parser("show")
    p.add_argument("batch")
    p.set_defaults(fn=cmd_show)
    p = sub.add_parser("validate")
    p.add_argument("file")
    p.add_argument("--batch")
    p.set_defaults(fn=cmd_validate)
    sub.add_parser("build").set_defaults(fn=cmd_build)
    sub.add_parser("check").set_defaults(fn=cmd_check)
    p = sub.add_parser("agreement")
    p.add_argument("--review", action="store_true", help="first pass against the reviewed files (work files)")
    p.set_defaults(fn=cmd_agreement)
    p = sub.add_parser("gold")
    p.add_argument("action", choices=["show", "validate", "write"])
    p.add_argument("set", choices=["quotes", "quotes-heldout", "stance"])
    p.add_argument("file", nargs="?")
    p.set_defaults(fn=cmd_gold)
    p = sub.add_parser("report")
    p.add_argument("--baseline", action="store_true")
    p.set_defaults(fn=cmd_report)
    p = sub.add_parser("eval")
    p.add_argument("--split", action="append", choices=["train", "dev", "test"])
    p.add_argument("--model")
    p.add_argument(
        "--quotes", choices=["rules", "learned", "combined"], help="the quotes' use of the learned roles"
    )
    p.add_argument("--json")
    p.add_argument("--write-meta", action="store_true", help="store the scores in the model's meta.json")
    p.set_defaults(fn=cmd_eval)
    p = sub.add_parser("errors", help="quote errors by cause (speaker readings, missed quotes by cue)")
    p.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    p.add_argument("--model")
    p.add_argument("--examples", type=int, default=0, help="print a seeded sample of speaker errors")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(fn=cmd_errors)
    args = ap.parse_args(argv)
    return int(args.fn(args))


if __name__ == "__main__":
    sys.exit(main())
