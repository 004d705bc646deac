"""Turn a trained NER model into the shipped pipeline: add the Qawl components, score it on the
ANERcorp test file, and write the meta (data, config, scores) the service reports in /v1/info.

    python training/assemble.py training/output/ner/model-best --test training/corpus/test.spacy \
        --out service/qawl_service/models/qawl_ar_news
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy
from evaluate import evaluate  # training/ is the script directory

from qawl_service import __version__

SOURCES = [
    {
        "name": "ANERcorp (CAMeL Lab train split)",
        "url": "https://camel.abudhabi.nyu.edu/anercorp/",
        "license": "CC BY-SA 4.0",
        "author": "Benajiba, Rosso & Benedí Ruiz (2007); split by CAMeL Lab, NYU Abu Dhabi",
    },
    {
        "name": "ANT news corpus v1.1 (word counts for clitic decisions)",
        "license": "Apache-2.0",
        "url": "https://github.com/antcorpus/antcorpus.data",
    },
    {"name": "Wikidata Arabic person names (arabic-name-romanizer)", "license": "CC0 data, MIT package"},
    {"name": "ArabNamer English-Arabic name pairs", "license": "CC BY 4.0"},
    {
        "name": "GeoNames cities (Arabic-script names)",
        "license": "CC BY 4.0",
        "url": "https://www.geonames.org/",
    },
    {"name": "CLDR territory names in Arabic", "license": "Unicode License / BSD-3-Clause"},
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--test", type=Path, default=Path("training/corpus/test.spacy"))
    ap.add_argument("--config", type=Path, default=Path("training/config.cfg"))
    ap.add_argument("--out", type=Path, default=Path("service/qawl_service/models/qawl_ar_news"))
    args = ap.parse_args()

    nlp = spacy.load(args.model)
    scores = evaluate(spacy.load(args.model), args.test)
    nlp.add_pipe("qawl_entities", last=True)

    nlp.meta.update(
        {
            "name": "qawl_news",
            "version": __version__,
            "description": "Qawl Arabic news pipeline: normalized-feature CNN NER (PER ORG LOC MISC) "
            "+ clitic-aware mention grouping. Scores: ANERcorp test (CAMeL split), never trained on.",
            "license": "CC BY-SA 4.0 (weights derived from ANERcorp)",
            "sources": SOURCES,
            "performance": {k: v for k, v in scores.items() if k.startswith("ents_")}
            | {"words_per_second": scores["words_per_second"]},
            "qawl": {
                "config": args.config.name,
                "eval_data": "ANERcorp CAMeL test",
                "eval_words": scores["words"],
            },
        }
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    shutil.copy(args.config, args.out / "training_config.cfg")
    print(json.dumps(nlp.meta["performance"], indent=2))


if __name__ == "__main__":
    main()
