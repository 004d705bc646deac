"""The Qawl News Corpus as spaCy DocBins for training and evaluating components.

    .venv/bin/python training/prepare_qnc.py [--out training/corpus_qnc] [--shared ../shared]

Writes train/dev/test .spacy (entities in ``doc.ents``; quotes, cues, speakers, stance targets and
holders in ``doc.spans``; see qawl_service/corpus/docs.py) and report.json with the counts. The
article text comes from ../shared (ANT news, Apache-2.0: trainable, not redistributed).
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin

from qawl_service.corpus import load_corpus
from qawl_service.corpus.docs import summary, to_doc
from qawl_service.nlp.language import blank_pipeline


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("training/corpus_qnc"))
    ap.add_argument("--shared", type=Path, default=None)
    args = ap.parse_args()
    if args.shared is not None:
        os.environ["QAWL_SHARED"] = str(args.shared)
    nlp = blank_pipeline()
    args.out.mkdir(parents=True, exist_ok=True)
    report = {}
    for split in ("train", "dev", "test"):
        stats: Counter[str] = Counter()
        db = DocBin(store_user_data=True)
        for article in load_corpus(split):
            doc = to_doc(nlp, article, stats)
            db.add(doc)
            stats["docs"] += 1
            stats["entities"] += len(doc.ents)
            stats["quotes"] += len(doc.spans["quotes"])
            stats["stance targets"] += len(doc.spans["stance_targets"])
        db.to_disk(args.out / f"{split}.spacy")
        report[split] = summary(stats)
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
