"""Evaluate quote attribution (``qawl_quotes``) on the dev gold set.

    python -m qawl_service.evaluation.quotes [--gold tests/data/quotes/gold.jsonl]
        [--shared ../shared] [--json] [--errors] [--speed]

Gold format (one JSON object per line, see tests/data/quotes/GUIDELINE.md): ``{"doc": "seeds/..."}``
(text read from the repo) or ``{"source": "saudinewsnet", "url": ...}`` (text = the article's
``content`` in ../shared/data/news/saudinewsnet_dev.jsonl.gz, research-only, never copied into the
repo), with ``"quotes": [{"start", "end", "head", "kind", "cue", "speaker", "aliases"}]``.

Scoring: a predicted quote matches a gold quote when their content spans overlap by at least half of
the gold span (one-to-one, largest overlaps first). Reported: quote P/R/F1, the same per kind (gold
and predictions of that kind only), speaker accuracy on matched quotes (the predicted name contains
or is contained in the gold name or one of its aliases, after ``normalize()``), cue accuracy on
matched quotes (same containment on the cue word without its و/ف conjunction; both absent counts as
correct) and kind accuracy on matched quotes. News documents are skipped, with a message, when
../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from qawl.types import Quote
from qawl_service.evaluation.gold import ROOT, prf, read_gold_texts
from qawl_service.nlp.arabic import normalize

GOLD = ROOT / "tests" / "data" / "quotes" / "gold.jsonl"
SHARED = (ROOT.parent / "shared").resolve()
KINDS = ("direct", "indirect", "mixed")


# ---------------------------------------------------------------------------- gold
def load_gold(
    gold_path: Path, shared_dir: Path | None, root: Path = ROOT
) -> tuple[list[dict[str, Any]], list[str]]:
    """Gold documents with their ``text`` filled in, and messages about the documents skipped."""
    ready, skipped = read_gold_texts(gold_path, shared_dir, root)
    for d in ready:  # the gold offsets must still point at the same text
        for q in d["quotes"]:
            head = d["text"][q["start"] : q["start"] + len(q["head"])]
            if head != q["head"]:
                raise ValueError(f"{d['name']}: gold quote at {q['start']} does not start with {q['head']!r}")
    return ready, skipped


# ---------------------------------------------------------------------------- matching
def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match(gold: list[dict[str, Any]], pred: list[Quote]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs overlapping by >= half of the gold span."""
    cands: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        need = (g["end"] - g["start"]) / 2
        for pi, p in enumerate(pred):
            ov = _overlap(g["start"], g["end"], p.content.start, p.content.end)
            if ov > 0 and ov >= need:
                cands.append((ov, gi, pi))
    cands.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def speaker_ok(gold: dict[str, Any], pred: Quote) -> bool:
    if pred.speaker is None:
        return False
    name = normalize(pred.speaker.name).strip()
    if not name:
        return False
    for ref in [gold["speaker"], *gold.get("aliases", [])]:
        r = normalize(ref).strip()
        if r and (r in name or name in r):
            return True
    return False


def _cue_core(s: str) -> str:
    n = normalize(s).strip()
    if len(n) > 3 and n[0] in "وف" and not n.startswith("وفق"):
        n = n[1:]
    return n


def cue_ok(gold: dict[str, Any], pred: Quote) -> bool:
    g = gold.get("cue")
    if g is None or pred.cue is None:
        return g is None and pred.cue is None
    a, b = _cue_core(g), _cue_core(pred.cue.text)
    return bool(a and b) and (a in b or b in a)


# ---------------------------------------------------------------------------- evaluation
def ensure_quotes_pipe(nlp: Language) -> Language:
    import qawl_service.nlp.quotes  # noqa: F401  (registers the factory)

    if "qawl_quotes" not in nlp.pipe_names:
        nlp.add_pipe("qawl_quotes", last=True)
    return nlp


def evaluate_quotes(
    nlp: Language, gold_path: Path | str = GOLD, shared_dir: Path | str | None = SHARED, *, root: Path = ROOT
) -> dict[str, Any]:
    """Run the pipeline (with ``qawl_quotes``) over the gold documents and score it."""
    ensure_quotes_pipe(nlp)
    shared = Path(shared_dir) if shared_dir is not None else None
    docs, skipped = load_gold(Path(gold_path), shared, root)
    totals = {"tp": 0, "pred": 0, "gold": 0, "speaker": 0, "cue": 0, "kind": 0}
    per_kind = {k: {"tp": 0, "pred": 0, "gold": 0} for k in KINDS}
    errors: list[dict[str, Any]] = []
    words = 0
    quote_seconds = 0.0
    for d in docs:
        text = d["text"]
        doc = nlp(text)
        # time the quote step alone (the entity pipeline already ran), in CPU time: the machine is shared
        t0 = time.process_time()
        nlp.get_pipe("qawl_quotes")(doc)
        quote_seconds += time.process_time() - t0
        words += len(text.split())
        pred: list[Quote] = list(doc._.quotes or [])
        gold = d["quotes"]
        pairs = match(gold, pred)
        totals["tp"] += len(pairs)
        totals["pred"] += len(pred)
        totals["gold"] += len(gold)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            s_ok, c_ok, k_ok = speaker_ok(g, p), cue_ok(g, p), g["kind"] == p.kind
            totals["speaker"] += s_ok
            totals["cue"] += c_ok
            totals["kind"] += k_ok
            if not (s_ok and c_ok and k_ok):
                errors.append(
                    {
                        "doc": d["name"],
                        "type": "attribute",
                        "gold": _brief(text, g["start"], g["end"]),
                        "kind": f"{g['kind']} -> {p.kind}",
                        "speaker": f"{g['speaker']} -> {p.speaker.name if p.speaker else None}",
                        "cue": f"{g.get('cue')} -> {p.cue.text if p.cue else None}",
                    }
                )
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                errors.append(
                    {
                        "doc": d["name"],
                        "type": "missed",
                        "gold": _brief(text, g["start"], g["end"]),
                        "speaker": g["speaker"],
                        "kind": g["kind"],
                    }
                )
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                errors.append(
                    {
                        "doc": d["name"],
                        "type": "spurious",
                        "pred": _brief(text, p.content.start, p.content.end),
                        "speaker": p.speaker.name if p.speaker else None,
                        "kind": p.kind,
                    }
                )
        for k in KINDS:
            gk = [g for g in gold if g["kind"] == k]
            pk = [p for p in pred if p.kind == k]
            per_kind[k]["tp"] += len(match(gk, pk))
            per_kind[k]["pred"] += len(pk)
            per_kind[k]["gold"] += len(gk)
    tp = totals["tp"]
    return {
        "docs": len(docs),
        "seed_docs": sum(1 for d in docs if "doc" in d),
        "news_docs": sum(1 for d in docs if "url" in d),
        "quotes": totals["gold"],
        "skipped": skipped,
        "overall": prf(tp, totals["pred"], totals["gold"]),
        "per_kind": {k: prf(v["tp"], v["pred"], v["gold"]) for k, v in per_kind.items()},
        "speaker_accuracy": round(totals["speaker"] / tp, 4) if tp else 0.0,
        "cue_accuracy": round(totals["cue"] / tp, 4) if tp else 0.0,
        "kind_accuracy": round(totals["kind"] / tp, 4) if tp else 0.0,
        "words": words,
        "quote_words_per_second": round(words / quote_seconds) if quote_seconds else 0,
        "errors": errors,
    }


def _brief(text: str, start: int, end: int, n: int = 60) -> str:
    s = text[start:end].replace("\n", " ")
    return s if len(s) <= n else s[: n // 2] + " … " + s[-n // 2 :]


def _print(result: dict[str, Any], errors: bool, out: Any = sys.stdout) -> None:
    for msg in result["skipped"]:
        print(msg, file=out)
    o = result["overall"]
    print(
        f"gold: {result['docs']} docs ({result['seed_docs']} seeds, {result['news_docs']} news), "
        f"{result['quotes']} quotes",
        file=out,
    )
    print(
        f"quotes   P {o['p']:.3f}  R {o['r']:.3f}  F1 {o['f1']:.3f}  (tp {o['tp']}, pred {o['pred']})",
        file=out,
    )
    for k, v in result["per_kind"].items():
        print(
            f"  {k:9s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}"
            f"  (gold {v['gold']}, pred {v['pred']})",
            file=out,
        )
    print(
        f"speaker accuracy {result['speaker_accuracy']:.3f}   cue accuracy {result['cue_accuracy']:.3f}   "
        f"kind accuracy {result['kind_accuracy']:.3f}",
        file=out,
    )
    print(
        f"quote step: {result['quote_words_per_second']} words/s (CPU time) over {result['words']} words",
        file=out,
    )
    if errors:
        for e in result["errors"]:
            print(json.dumps(e, ensure_ascii=False), file=out)


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--model", default=None, help="model name or path (default: the packaged model)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--errors", action="store_true", help="list missed, spurious and mis-attributed quotes")
    args = ap.parse_args(list(argv) if argv is not None else None)
    from qawl_service.nlp.pipeline import load_pipeline

    nlp = load_pipeline(args.model)
    result = evaluate_quotes(nlp, args.gold, args.shared)
    if args.json:
        if not args.errors:
            result = {k: v for k, v in result.items() if k != "errors"}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(result, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
