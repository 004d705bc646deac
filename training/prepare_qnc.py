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

from spacy.tokens import Doc

from qawl_service.corpus.docs import to_doc, write_docbins
from qawl_service.corpus.load import Article
from qawl_service.nlp.language import blank_pipeline


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("training/corpus_qnc"))
    ap.add_argument("--shared", type=Path, default=None)
    args = ap.parse_args()
    if args.shared is not None:
        os.environ["QAWL_SHARED"] = str(args.shared)
    nlp = blank_pipeline()

    def convert(article: Article, stats: Counter[str]) -> Doc:
        doc = to_doc(nlp, article, stats)
        stats["entities"] += len(doc.ents)
        stats["quotes"] += len(doc.spans["quotes"])
        stats["stance targets"] += len(doc.spans["stance_targets"])
        return doc

    report = write_docbins(args.out, convert, store_user_data=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
