"""Turn a trained NER model into the shipped pipeline: add the Qawl components, score it on the
ANERcorp test file, and write the meta (data, config, scores) the service reports in /v1/info.

    python training/assemble.py training/output/finetune/model-best --test training/corpus/test.spacy \
        --out service/qawl_service/models/qawl_ar_news \
        --finetune-config training/finetune.cfg --finetune-report training/corpus_aner/report.json

MODEL is the last stage's model: stage 4 (training/names.cfg, with --names-config and --names-report
besides stage 3's), stage 3 (training/news.cfg, with --news-config and --news-report) or stage 2
(training/finetune.cfg); --config and --data-report describe stage 1. With ../shared, the assembled
pipeline is also scored on the Qawl News Corpus dev and test splits (guideline scoring) and
the scores go into the meta.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import spacy

from qawl_service import __version__
from qawl_service.corpus import evaluate as corpus_eval
from qawl_service.corpus.load import CorpusUnavailable
from qawl_service.evaluation.ner import evaluate

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


# Added when the training data report (prepare_ner.py --extra) or the vectors say they were used.
OPTIONAL_SOURCES = {
    "NewsFANE": {
        "name": "NewsFANE Gold (every sentence of the ANERcorp test file and of the dev slice removed)",
        "license": "CC BY-SA 3.0",
        "author": "Alotaibi & Lee (2014)",
    },
    "WikiFANE": {"name": "WikiFANE Gold", "license": "CC BY-SA 3.0", "author": "Alotaibi & Lee (2014)"},
    "AQMAR": {"name": "AQMAR (Wikipedia NE)", "license": "CC BY-SA 3.0", "author": "Mohit et al. 2012"},
    "vectors": {"name": "ANT news corpus v1.1 (floret subword vectors)", "license": "Apache-2.0"},
    "QNC": {
        "name": "Qawl News Corpus train split (corpus/qnc: the team's annotations of ANT news v1.1 text)",
        "license": "Apache-2.0 text (ANT news v1.1), annotations by the Qawl team",
    },
}


def _read_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def token_dev_f(model: Path) -> float | None:
    """The dev ents_f (0..1) that ``spacy train`` wrote into MODEL/meta.json, or None."""
    meta = _read_json(model / "meta.json")
    perf = meta.get("performance") if isinstance(meta, dict) else None
    f = perf.get("ents_f") if isinstance(perf, dict) else None
    return float(f) if isinstance(f, (int, float)) else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--test", type=Path, default=Path("training/corpus/test.spacy"))
    ap.add_argument(
        "--dev", type=Path, default=Path("training/corpus/dev.spacy"), help="the ANERcorp dev slice"
    )
    ap.add_argument("--config", type=Path, default=Path("training/config.cfg"))
    ap.add_argument("--out", type=Path, default=Path("service/qawl_service/models/qawl_ar_news"))
    ap.add_argument("--data-report", type=Path, default=Path("training/corpus/report.json"))
    ap.add_argument("--vectors-meta", type=Path, default=Path("training/vectors/meta.json"))
    ap.add_argument("--finetune-config", type=Path, help="stage 2's config, when MODEL is its output")
    ap.add_argument("--finetune-report", type=Path, default=Path("training/corpus_aner/report.json"))
    ap.add_argument("--news-config", type=Path, help="stage 3's config, when MODEL is its output")
    ap.add_argument("--news-report", type=Path, default=Path("training/stage3/report.json"))
    ap.add_argument(
        "--news-model",
        type=Path,
        default=Path("training/output/news/model-best"),
        help="stage 3's model, read for its corpus dev token F1 when MODEL is stage 4's",
    )
    ap.add_argument("--names-config", type=Path, help="stage 4's config, when MODEL is its output")
    ap.add_argument("--names-report", type=Path, default=Path("training/names/report.json"))
    args = ap.parse_args()

    nlp = spacy.load(args.model)
    dev_f = nlp.meta.get("performance", {}).get("ents_f")  # spaCy's score on the dev slice, 0..1
    news_dev_f = None
    report = _read_json(args.data_report)
    used = " ".join(report.get("sources", [])) if isinstance(report, dict) else ""
    if nlp.vocab.vectors.shape[0]:
        used += " vectors"
    if args.news_config:
        used += " QNC"
    bare = spacy.load(args.model)  # evaluated apart: its vocabulary grows, the shipped one must not
    scores = evaluate(bare, args.test)
    if args.news_config or args.names_config:
        # stages 3 and 4 chose on the corpus dev split: score the ANERcorp dev slice here
        news_dev_f, dev_f = dev_f, evaluate(bare, args.dev)["ents_f"] / 100
    # MODEL's own corpus dev score is stage 4's when there is a stage 4; stage 3's is in its meta
    stage3_dev_f = token_dev_f(args.news_model) if args.names_config else news_dev_f
    nlp.add_pipe("qawl_entities", last=True)

    nlp.meta.update(
        {
            "name": "qawl_news",
            "version": __version__,
            "description": "Qawl Arabic news pipeline: normalized-feature CNN NER (PER ORG LOC MISC) "
            "+ clitic-aware mention grouping. Scores: ANERcorp test (CAMeL split), never trained on.",
            "license": "CC BY-SA 4.0 (weights derived from ANERcorp; FANE and AQMAR: CC BY-SA 3.0)",
            "sources": SOURCES + [src for key, src in OPTIONAL_SOURCES.items() if key in used],
            "performance": {k: v for k, v in scores.items() if k.startswith("ents_")}
            | {"words_per_second": scores["words_per_second"]},
            "qawl": {
                "config": args.config.name,
                "eval_data": "ANERcorp CAMeL test",
                "eval_words": scores["words"],
                "dev_ents_f": round(100 * dev_f, 2) if dev_f is not None else None,
                "train_data": report,
                "vectors": _read_json(args.vectors_meta) if nlp.vocab.vectors.shape[0] else None,
                "finetune": {
                    "config": args.finetune_config.name,
                    "train_data": _read_json(args.finetune_report),
                }
                if args.finetune_config
                else None,
                "news": {
                    "config": args.news_config.name,
                    "train_data": _read_json(args.news_report),
                    "corpus_dev_token_ents_f": None if stage3_dev_f is None else round(100 * stage3_dev_f, 2),
                }
                if args.news_config
                else None,
                "names": {
                    "config": args.names_config.name,
                    "train_data": _read_json(args.names_report),
                    "corpus_dev_token_ents_f": round(100 * news_dev_f, 2) if news_dev_f is not None else None,
                }
                if args.names_config
                else None,
            },
        }
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    shutil.copy(args.config, args.out / "training_config.cfg")
    if args.finetune_config:
        shutil.copy(args.finetune_config, args.out / "finetune_config.cfg")
    if args.news_config:
        shutil.copy(args.news_config, args.out / "news_config.cfg")
    if args.names_config:
        shutil.copy(args.names_config, args.out / "names_config.cfg")
    corpus = corpus_results(args.out)
    if corpus:
        corpus_eval.write_meta(args.out, corpus)
    print(json.dumps(nlp.meta["performance"], indent=2))
    for r in corpus:
        print(r["split"], json.dumps(corpus_eval.summary(r), ensure_ascii=False))


def corpus_results(model: Path) -> list[dict[str, Any]]:
    """The assembled pipeline on the corpus dev and test splits (needs ../shared; else empty)."""
    try:
        return [corpus_eval.evaluate(split, str(model)) for split in ("dev", "test")]
    except CorpusUnavailable as err:
        print(f"corpus scores skipped: {err}")
        return []


if __name__ == "__main__":
    main()
