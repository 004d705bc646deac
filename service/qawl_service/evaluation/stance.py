"""Evaluate stance tagging (``qawl_stance``) on the dev gold set.

    python -m qawl_service.evaluation.stance [--gold tests/data/stance/gold.jsonl]
        [--shared ../shared] [--json] [--errors] [--calibration]

Gold format (one JSON object per line, see tests/data/stance/GUIDELINE.md): ``{"doc": "seeds/..."}`` (text
read from the repo) or ``{"source": "saudinewsnet", "url": ...}`` (text = the article's ``content`` in
../shared/data/news/saudinewsnet_dev.jsonl.gz, research-only, never copied into the repo), with
``"stances": [{"holder", "aliases", "label", "target", "target_start", "target_end", "evidence_start",
"evidence_end", "evidence_head"}]``.

Documents carry ``"split": "dev"`` (used to develop the rules) or ``"heldout"`` (annotated after the rules
were written and not used to change them); scores are reported for each.

Scoring: a predicted stance matches a gold stance when the holder names match (after ``normalize()``, the
predicted name contains or is contained in the gold holder or one of its aliases), the target spans overlap
and the labels agree; matching is one-to-one (largest target overlap first). Reported: P/R/F1 overall, for
the seeds and for the news documents; label accuracy on the pairs matched by holder and target alone; the
precision of each confidence band; the speed of the stance step alone. News documents are skipped, with a
message, when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from spacy.language import Language

from qawl.types import Stance
from qawl_service.evaluation.gold import ROOT, prf, read_gold_texts
from qawl_service.evaluation.quotes import ensure_quotes_pipe
from qawl_service.nlp.arabic import normalize

GOLD = ROOT / "tests" / "data" / "stance" / "gold.jsonl"
SHARED = (ROOT.parent / "shared").resolve()
# the calibrated confidence (nlp/stance_confidence.py) sits near the precision, about a third
BANDS = ((0.0, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 1.01))


# ---------------------------------------------------------------------------- gold
def load_gold(
    gold_path: Path, shared_dir: Path | None, root: Path = ROOT
) -> tuple[list[dict[str, Any]], list[str]]:
    """Gold documents with their ``text`` filled in, and messages about the documents skipped."""
    ready, skipped = read_gold_texts(gold_path, shared_dir, root)
    for d in ready:  # the gold offsets must still point at the same text
        for g in d["stances"]:
            if d["text"][g["target_start"] : g["target_end"]] != g["target"]:
                raise ValueError(f"{d['name']}: gold target at {g['target_start']} is not {g['target']!r}")
            head = d["text"][g["evidence_start"] : g["evidence_start"] + len(g["evidence_head"])]
            if head != g["evidence_head"]:
                raise ValueError(f"{d['name']}: gold evidence at {g['evidence_start']} moved")
    return ready, skipped


# ---------------------------------------------------------------------------- matching
def holder_ok(gold: dict[str, Any], pred: Stance) -> bool:
    name = normalize(pred.holder.name).strip()
    if not name:
        return False
    for ref in [gold["holder"], *gold.get("aliases", [])]:
        r = normalize(ref).strip()
        if r and (r in name or name in r):
            return True
    return False


def _overlap(gold: dict[str, Any], pred: Stance) -> int:
    m = pred.target.mention
    if m is None:
        return 0
    return int(max(0, min(int(gold["target_end"]), m.end) - max(int(gold["target_start"]), m.start)))


def match(gold: list[dict[str, Any]], pred: list[Stance], *, labels: bool = True) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: holder match, target overlap (and the same label)."""
    cands: list[tuple[int, float, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            if ov <= 0 or not holder_ok(g, p) or (labels and g["label"] != p.label):
                continue
            cands.append((ov, p.confidence, gi, pi))
    cands.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _brief(text: str, start: int, end: int, width: int = 60) -> str:
    s = text[start:end].replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


# ---------------------------------------------------------------------------- evaluation
def ensure_stance_pipe(nlp: Language) -> Language:
    import qawl_service.nlp.stance  # noqa: F401  (registers the factory)

    ensure_quotes_pipe(nlp)  # the stances read the quotes
    if "qawl_stance" not in nlp.pipe_names:
        nlp.add_pipe("qawl_stance", last=True)
    return nlp


def evaluate_stance(
    nlp: Language, gold_path: Path | str = GOLD, shared_dir: Path | str | None = SHARED, *, root: Path = ROOT
) -> dict[str, Any]:
    """Run the pipeline (with ``qawl_stance``) over the gold documents, score it and print the scores."""
    ensure_stance_pipe(nlp)
    shared = Path(shared_dir) if shared_dir is not None else None
    docs, skipped = load_gold(Path(gold_path), shared, root)
    counts = {
        k: {"tp": 0, "pred": 0, "gold": 0} for k in ("all", "dev", "seeds", "news", "heldout", "heldout2")
    }
    pairs_total = label_ok = 0
    bands = {b: [0, 0] for b in BANDS}  # (correct, predicted)
    errors: list[dict[str, Any]] = []
    words = 0
    seconds = 0.0
    tagger = nlp.get_pipe("qawl_stance")
    for d in docs:
        text = d["text"]
        doc = nlp(text)
        t0 = time.perf_counter()
        tagger(doc)  # the stance step alone (entities and quotes already ran)
        seconds += time.perf_counter() - t0
        words += len(text.split())
        pred: list[Stance] = list(doc._.stances or [])
        gold = d["stances"]
        pairs = match(gold, pred)
        split = d.get("split", "dev")
        parts = ("all", "dev", "seeds" if "doc" in d else "news") if split == "dev" else ("all", split)
        for key in parts:
            counts[key]["tp"] += len(pairs)
            counts[key]["pred"] += len(pred)
            counts[key]["gold"] += len(gold)
        loose = match(gold, pred, labels=False)
        pairs_total += len(loose)
        label_ok += sum(gold[gi]["label"] == pred[pi].label for gi, pi in loose)
        matched_p = {pi for _, pi in pairs}
        matched_g = {gi for gi, _ in pairs}
        for pi, p in enumerate(pred):
            for lo, hi in BANDS:
                if lo <= p.confidence < hi:
                    bands[(lo, hi)][1] += 1
                    bands[(lo, hi)][0] += pi in matched_p
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                m = p.target.mention
                errors.append(
                    {
                        "doc": d["name"],
                        "split": split,
                        "type": "false_positive",
                        "holder": p.holder.name,
                        "label": p.label,
                        "target": m.text if m else p.target.text,
                        "evidence": _brief(text, p.evidence.start, p.evidence.end, 90),
                        "confidence": p.confidence,
                    }
                )
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                errors.append(
                    {
                        "doc": d["name"],
                        "split": split,
                        "type": "missed",
                        "holder": g["holder"],
                        "label": g["label"],
                        "target": g["target"],
                        "evidence": _brief(text, g["evidence_start"], g["evidence_end"], 90),
                    }
                )
    result: dict[str, Any] = {
        "documents": len(docs),
        "skipped": skipped,
        **{key: prf(c["tp"], c["pred"], c["gold"]) for key, c in counts.items() if key != "all"},
        "stances": prf(counts["all"]["tp"], counts["all"]["pred"], counts["all"]["gold"]),
        "label_accuracy": round(label_ok / pairs_total, 4) if pairs_total else 0.0,
        "label_pairs": pairs_total,
        "confidence_bands": {
            f"{lo:.2f}-{min(hi, 1.0):.2f}": {"predicted": n, "precision": round(c / n, 3) if n else None}
            for (lo, hi), (c, n) in bands.items()
        },
        "words": words,
        "stance_seconds": round(seconds, 4),
        "words_per_second": round(words / seconds) if seconds else 0,
        "errors": errors,
    }
    _print(result)
    return result


def _print(r: dict[str, Any]) -> None:
    for msg in r["skipped"]:
        print(msg, file=sys.stderr)
    for key, title in (
        ("dev", "dev"),
        ("seeds", "  seeds"),
        ("news", "  news"),
        ("heldout", "held-out A"),
        ("heldout2", "held-out B"),
    ):
        s = r[key]
        if s["gold"] or s["pred"]:
            print(
                f"{title:9s} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}  "
                f"(tp {s['tp']}, pred {s['pred']}, gold {s['gold']})"
            )
    print(f"label accuracy on holder+target pairs: {r['label_accuracy']:.3f} ({r['label_pairs']} pairs)")
    bands = ", ".join(
        f"{k}: {v['precision'] if v['precision'] is not None else '-'} ({v['predicted']})"
        for k, v in r["confidence_bands"].items()
    )
    print(f"precision by confidence band: {bands}")
    print(f"stance step: {r['words']} words in {r['stance_seconds']:.3f}s = {r['words_per_second']} words/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--errors", action="store_true", help="print false positives and misses")
    args = parser.parse_args(argv)
    from qawl_service.analyzer import Analyzer

    nlp = Analyzer.load().nlp
    result = evaluate_stance(nlp, args.gold, args.shared)
    if args.errors:
        for e in result["errors"]:
            print(json.dumps(e, ensure_ascii=False))
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "errors"}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
