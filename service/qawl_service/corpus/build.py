"""Work files -> stored records; stored records -> counts and checks (``make corpus-check``).

Work files (``corpus/work/{pass1,review,pass2}/bNNN.jsonl``, git-ignored: they hold article text) are
resolved into ``corpus/qnc/{train,dev,test}.jsonl``. For each batch the reviewed file wins over the
first pass. Records already stored and absent from the work files are kept, so a later session
without the work files cannot lose annotations. The double-annotated sample is stored as two
record files under ``corpus/qnc/agreement/``: the first pass before review and the second pass.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from qawl_service.corpus.load import CORPUS_DIR, read_records
from qawl_service.corpus.resolve import to_record
from qawl_service.corpus.schema import SPLITS, Record, decoder, encoder
from qawl_service.corpus.select import read_manifest
from qawl_service.corpus.sources import REPO, texts
from qawl_service.corpus.validate import annotation_problems, read_jsonl, record_errors

WORK = REPO / "corpus" / "work"
AGREEMENT = CORPUS_DIR / "agreement"


def _write(path: Path, records: list[Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        for r in sorted(records, key=lambda r: r.id):
            f.write(encoder.encode(r) + b"\n")


def read_record_file(path: Path) -> list[Record]:
    if not path.exists():
        return []
    with open(path, "rb") as f:
        return [decoder.decode(line) for line in f if line.strip()]


def _resolve(
    path: Path, passes: list[str], manifest: dict[str, dict[str, str]], available: dict[str, str]
) -> list[Record]:
    out = []
    for ann in read_jsonl(str(path)):
        errors, _ = annotation_problems(ann, available[ann["id"]])
        if errors:
            raise ValueError(f"{path}: {ann['id']}: {errors[0]} (run validate)")
        out.append(to_record(ann, available[ann["id"]], "ant", manifest[ann["id"]]["split"], passes))
    return out


def build(work: Path = WORK) -> dict[str, Any]:
    manifest = {r["id"]: r for r in read_manifest()}
    available = texts()
    stored = {r.id: r for split in SPLITS for r in read_records(split)}
    batches = sorted({p.stem for d in ("pass1", "review") for p in (work / d).glob("b*.jsonl")})
    made: Counter[str] = Counter()
    for batch in batches:
        review, first = work / "review" / f"{batch}.jsonl", work / "pass1" / f"{batch}.jsonl"
        if review.exists():
            records, kind = _resolve(review, ["pass1", "review"], manifest, available), "reviewed"
        else:
            records, kind = _resolve(first, ["pass1"], manifest, available), "first pass"
        for r in records:
            stored[r.id] = r
        made[kind] += len(records)
    for split in SPLITS:
        _write(CORPUS_DIR / f"{split}.jsonl", [r for r in stored.values() if r.split == split])
    # The agreement sample: both independent passes, before any review.
    for name in ("pass1", "pass2"):
        old = {r.id: r for r in read_record_file(AGREEMENT / f"{name}.jsonl")}
        for p in sorted((work / "pass2").glob("b*.jsonl")):
            src = work / name / p.name
            if src.exists():
                for r in _resolve(src, [name], manifest, available):
                    old[r.id] = r
        if old:
            _write(AGREEMENT / f"{name}.jsonl", list(old.values()))
    return dict(made)


def counts(records: list[Record]) -> dict[str, Any]:
    c: Counter[str] = Counter()
    for r in records:
        c["articles"] += 1
        c["synthetic"] += r.source == "synthetic"
        c["reviewed"] += "review" in r.passes
        c["entity mentions"] += len(r.entities)
        c["quotes"] += len(r.quotes)
        c["stances"] += len(r.stances)
        for m in r.entities:
            c[f"entity {m.label}"] += 1
        for q in r.quotes:
            c[f"quote {q.kind}"] += 1
            c["quote implicit speaker"] += q.implicit
        for s in r.stances:
            c[f"stance {s.label}"] += 1
    return dict(c)


def check() -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Every stored record against its text and the manifest; the counts per split."""
    manifest = {r["id"]: r for r in read_manifest()}
    available = texts()
    errors: list[str] = []
    table: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for split in SPLITS:
        records = read_records(split)
        for r in records:
            if r.id in seen:
                errors.append(f"{r.id}: stored twice")
            seen.add(r.id)
            if r.split != split:
                errors.append(f"{r.id}: split {r.split!r} stored in {split}.jsonl")
            if r.source == "ant":
                if r.id not in manifest:
                    errors.append(f"{r.id}: not in selection.tsv")
                elif manifest[r.id]["split"] != split:
                    errors.append(
                        f"{r.id}: selection.tsv puts it in {manifest[r.id]['split']}, stored in {split}"
                    )
            elif split != "train":
                errors.append(f"{r.id}: synthetic articles go to train only")
            if r.id not in available:
                errors.append(f"{r.id}: no text (../shared missing?)")
                continue
            errors += [f"{split} {r.id} {e}" for e in record_errors(r, available[r.id])]
        table[split] = counts(records)
    for name in ("pass1", "pass2"):
        for r in read_record_file(AGREEMENT / f"{name}.jsonl"):
            errors += [f"agreement/{name} {r.id} {e}" for e in record_errors(r, available.get(r.id, ""))]
    return errors, table
