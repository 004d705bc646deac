"""Train floret subword vectors on shippable raw text and turn them into a spaCy vectors table.

    python training/build_vectors.py --shared ../shared --corpus training/corpus_all --out training/vectors

Text: ANT news v1.1 (Apache-2.0) plus the text of the shippable NER training docs
(``<corpus>/train.spacy``: never the ANERcorp test file). Tokens are the service tokenizer's,
written as their NORM (the normalized form the model embeds), so the table is keyed by NORM and
floret's character n-grams give every unseen spelling a vector: rare names are the point.
Also writes ``raw.jsonl`` (the same text, raw) for ``spacy pretrain``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import floret
from spacy.tokens import DocBin

from qawl_service.nlp.pipeline import blank_pipeline

PARAMS = {
    "model": "skipgram",
    "mode": "floret",
    "hashCount": 2,
    "bucket": 30000,  # rows: 30k x 64 floats = 7.7 MB in the model
    "dim": 64,
    "minn": 3,  # Arabic stems are short: 3-5 character n-grams
    "maxn": 5,
    "minCount": 3,
    "epoch": 8,
    "thread": 2,
}


def write_text(shared: Path, corpus: Path, path: Path) -> int:
    nlp = blank_pipeline()
    n = 0
    with path.open("w", encoding="utf-8") as out:
        ant = shared / "data/unlabeled/ant_news/ant_v1.1.txt"
        lines = (ln for ln in ant.read_text(encoding="utf-8").splitlines() if ln.strip())
        for doc in nlp.pipe(lines, batch_size=256):
            out.write(" ".join(t.norm_ for t in doc if not t.is_space) + "\n")
            n += len(doc)
        seen: set[str] = set()
        for doc in DocBin().from_disk(corpus / "train.spacy").get_docs(nlp.vocab):
            if doc.text in seen:  # the oversampling copies of ANERcorp (--repeat-anercorp) add nothing
                continue
            seen.add(doc.text)
            out.write(" ".join(t.norm_ for t in doc if not t.is_space) + "\n")
            n += len(doc)
    return n


def write_raw(shared: Path, corpus: Path, path: Path) -> int:
    """The same text, raw, as JSON lines for ``spacy pretrain`` (it tokenizes itself)."""
    nlp = blank_pipeline()
    ant = shared / "data/unlabeled/ant_news/ant_v1.1.txt"
    lines = [ln for ln in ant.read_text(encoding="utf-8").splitlines() if ln.strip()]
    lines += [doc.text for doc in DocBin().from_disk(corpus / "train.spacy").get_docs(nlp.vocab)]
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps({"text": line}, ensure_ascii=False) + "\n")
    return len(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    ap.add_argument("--out", type=Path, default=Path("training/vectors"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    text = args.out / "text.txt"
    tokens = write_text(args.shared, args.corpus, text)
    write_raw(args.shared, args.corpus, args.out / "raw.jsonl")
    model = floret.train_unsupervised(str(text), **PARAMS)
    model.save_floret_vectors(str(args.out / "vectors.floret"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "init",
            "vectors",
            "ar",
            str(args.out / "vectors.floret"),
            str(args.out / "nlp"),
            "--mode",
            "floret",
            "--attr",
            "NORM",
        ],
        check=True,
    )
    meta = {
        "tokens": tokens,
        "params": PARAMS,
        "sources": ["ANT news v1.1 (Apache-2.0)", f"{args.corpus}/train.spacy text"],
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
