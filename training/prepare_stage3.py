"""Training data of stage 3 (training/news.cfg): the corpus train split mixed with ANERcorp train.

    .venv/bin/python training/prepare_stage3.py --qnc training/corpus_qnc/train.spacy \
        --aner training/corpus_aner/train.spacy --base training/output/finetune/model-best \
        --out training/stage3

The two sources follow different conventions, handled explicitly (docs/ner.md):
- The corpus annotates PER/ORG/LOC only (ANNOTATION.md: MISC only where a training set needs it), so
  its unannotated tokens are "not PER/ORG/LOC", not "not MISC". The MISC spans the ``--base`` model
  (ANERcorp conventions) finds on corpus text outside the gold entities are marked *missing*: the
  model is neither taught MISC nor "O" there, and keeps ANERcorp's MISC.
- ANERcorp docs are taken as they are (ANERcorp's PER/ORG/LOC/MISC).
Writes ``qnc_train.spacy``, ``aner_train*.spacy`` (``--repeat-anercorp`` copies) and report.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

import qawl_service.nlp.pipeline  # noqa: F401  (registers the vectors and tokenizer functions)


def unannotated_misc(gold: Doc, predicted: Doc) -> list[Span]:
    """The predicted MISC spans of ``gold``'s text that touch no gold entity, as spans of ``gold``."""
    taken = {i for e in gold.ents for i in range(e.start, e.end)}
    out: list[Span] = []
    for ent in predicted.ents:
        if ent.label_ != "MISC":
            continue
        span = gold.char_span(ent.start_char, ent.end_char, alignment_mode="expand")
        if span is None:
            continue
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        taken |= tokens
        out.append(span)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qnc", type=Path, default=Path("training/corpus_qnc/train.spacy"))
    ap.add_argument("--aner", type=Path, default=Path("training/corpus_aner/train.spacy"))
    ap.add_argument("--base", type=Path, default=Path("training/output/finetune/model-best"))
    ap.add_argument("--out", type=Path, default=Path("training/stage3"))
    ap.add_argument("--repeat-anercorp", type=int, default=1)
    args = ap.parse_args()

    nlp = spacy.load(args.base)
    nlp.select_pipes(enable=["tok2vec", "ner"])  # the model's own spans (an assembled base has more)
    docs = list(DocBin().from_disk(args.qnc).get_docs(nlp.vocab))
    out = DocBin(store_user_data=True)
    missing: Counter[str] = Counter()
    for gold, predicted in zip(docs, nlp.pipe((d.text for d in docs), batch_size=32), strict=True):
        spans = unannotated_misc(gold, predicted)
        if spans:
            gold.set_ents(list(gold.ents), missing=spans, default="unmodified")
            missing.update(s.text for s in spans)
        out.add(gold)

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    out.to_disk(args.out / "qnc_train.spacy")
    for n in range(args.repeat_anercorp):
        shutil.copy(args.aner, args.out / f"aner_train{n or ''}.spacy")
    report = {
        "qnc_train": {"docs": len(docs), "entities": sum(len(d.ents) for d in docs)},
        "qnc_misc_marked_missing": sum(missing.values()),
        "qnc_misc_marked_missing_top": missing.most_common(15),
        "anercorp_train": str(args.aner),
        "repeat_anercorp": args.repeat_anercorp,
        "base": str(args.base),
    }
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
