"""Add the learned quote roles (training/quote_roles.cfg) to an assembled pipeline.

    python training/add_quote_roles.py training/output/quote_roles/model-best \
        --model service/qawl_service/models/qawl_ar_news [--out DIR] [--report REPORT]

The component has its own tok2vec (a listener to the entity model's frozen tok2vec was tried: its
features, trained for names, left the roles at dev F1 0.61 against 0.78; docs/quotes.md). Where the
roles were trained on top of pipeline components, the script checks they are this pipeline's. The
meta records the data, the config and the dev scores of the roles; the corpus scores of the
assembled pipeline come from ``python -m qawl_service.corpus eval --write-meta``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy
import spacy

import qawl_service.nlp.pipeline  # noqa: F401  (registers the factories)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roles", type=Path, help="the trained roles model (spacy train output)")
    ap.add_argument("--model", type=Path, required=True, help="the assembled pipeline")
    ap.add_argument("--out", type=Path, default=None, help="where to write it (default: --model)")
    ap.add_argument("--config", type=Path, default=Path("training/quote_roles.cfg"))
    ap.add_argument("--report", type=Path, default=Path("training/quote_roles/report.json"))
    args = ap.parse_args()
    out = args.out or args.model
    nlp = spacy.load(args.model)
    roles = spacy.load(args.roles)
    # Components the roles were trained on top of (a listener's tok2vec; the frozen tok2vec and ner
    # whose entity labels training/quote_roles_ents.cfg reads) must be the pipeline's own.
    for name in ("tok2vec", "ner"):
        if name not in roles.pipe_names:
            continue
        mine, theirs = nlp.get_pipe(name).model, roles.get_pipe(name).model
        same = all(
            numpy.array_equal(a.get_param(p), b.get_param(p))
            for a, b in zip(mine.walk(), theirs.walk(), strict=True)
            for p in a.param_names
            if a.has_param(p)
        )
        if not same:
            raise SystemExit(f"the roles were trained on another {name}: retrain them on this pipeline")
    if "quote_roles" in nlp.pipe_names:
        nlp.remove_pipe("quote_roles")
    nlp.add_pipe("quote_roles", source=roles, after="ner")
    meta = nlp.meta
    perf = roles.meta.get("performance", {})
    meta.setdefault("qawl", {})["quote_roles"] = {
        "config": args.config.name,
        "train_data": "Qawl News Corpus train split (corpus/qnc, text from ANT v1.1, Apache-2.0)",
        "data": json.loads(args.report.read_text()) if args.report.exists() else None,
        "dev": {k: v for k, v in perf.items() if k.startswith("quote_roles")},
    }
    if out != args.model:
        shutil.rmtree(out, ignore_errors=True)
    nlp.to_disk(out)
    shutil.copy(args.config, out / "quote_roles_config.cfg")
    print(f"quote_roles added to {out}: dev F1 {perf.get('quote_roles_f')}")


if __name__ == "__main__":
    main()
