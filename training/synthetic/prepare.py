"""Training data of stage 4 (training/names.cfg): stage 3's data plus the team's synthetic name passages.

    .venv/bin/python training/synthetic/prepare.py --stage3 training/stage3 \
        --base training/output/news/model-best --out training/names

Writes ``synthetic.spacy`` (the passages of training/synthetic/*.jsonl), copies of stage 3's DocBins
and report.json to ``--out``.

Each passage is tokenized with the service's tokenizer; its entity surfaces are located by
``validate.spans`` (every occurrence at word boundaries) and widened to whole tokens, as the corpus
docs are (``qawl_service.corpus.docs``): the NER predicts tokens, ``qawl_entities`` cuts the clitic.
The validator must pass first. The passages annotate PER/ORG/LOC only, so with ``--base`` the MISC
spans that model finds outside the gold entities are marked missing, as stage 3 does for the corpus
(training/prepare_stage3.py): the passages teach names, not "no MISC here".
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

from qawl_service.nlp.language import blank_pipeline

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from validate import main as validate  # noqa: E402
from validate import spans  # noqa: E402

sys.path.insert(0, str(HERE.parent))
from prepare_stage3 import unannotated_misc  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=Path, nargs="*", default=sorted(HERE.glob("*.jsonl")))
    ap.add_argument("--out", type=Path, default=Path("training/names"))
    ap.add_argument("--stage3", type=Path, default=None, help="stage 3's data directory, copied to --out")
    ap.add_argument("--base", type=Path, default=None, help="model whose MISC spans are marked missing")
    args = ap.parse_args()
    if validate([str(f) for f in args.files]):
        sys.exit("training/synthetic: the validator failed")
    nlp = blank_pipeline()
    base = spacy.load(args.base) if args.base is not None else None
    if base is not None:
        base.select_pipes(enable=["tok2vec", "ner"])
    db = DocBin(store_user_data=False)
    stats: Counter[str] = Counter()
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            doc = nlp.make_doc(record["text"])
            ents = []
            for start, end, label in spans(record["text"], record["entities"]):
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is None:
                    stats["unaligned"] += 1
                    continue
                ents.append(span)
                stats[label] += 1
            doc.ents = filter_spans(ents)
            if base is not None:
                misc = unannotated_misc(doc, base(doc.text))
                if misc:
                    doc.set_ents(list(doc.ents), missing=misc, default="unmodified")
                    stats["MISC marked missing"] += len(misc)
            db.add(doc)
            stats["passages"] += 1
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    db.to_disk(args.out / "synthetic.spacy")
    copied = []
    if args.stage3 is not None:
        for f in sorted(args.stage3.glob("*.spacy")):
            shutil.copy(f, args.out / f.name)
            copied.append(f.name)
    report = {
        "synthetic": {"files": [f.name for f in args.files], **dict(stats)},
        "base": str(args.base) if args.base else None,
        "stage3_data": copied,
        "stage3_report": json.loads((args.stage3 / "report.json").read_text()) if args.stage3 else None,
    }
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report["synthetic"], ensure_ascii=False))


if __name__ == "__main__":
    main()
