"""Train floret subword vectors on shippable raw text and turn them into a spaCy vectors table.

    python training/build_vectors.py --shared ../shared --corpus training/corpus_all --out training/vectors

Text: ANT news v1.1 (Apache-2.0) plus the text of the shippable NER training docs
(``<corpus>/train.spacy``: never the ANERcorp test file). Tokens are the service tokenizer's,
written as their NORM (the normalized form the model embeds), so the table is keyed by NORM and
floret's character n-grams give every unseen spelling a vector: rare names are the point.
Also writes ``raw.jsonl`` (the same text, raw, with the training docs as they are) for
``spacy pretrain``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import floret
from spacy.tokens import DocBin

from qawl_service.nlp.language import blank_pipeline

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


def read_text(shared: Path, corpus: Path) -> tuple[list[str], list[str]]:
    """(ANT news lines, the training docs' texts), each source read once."""
    ant = shared / "data/unlabeled/ant_news/ant_v1.1.txt"
    lines = [ln for ln in ant.read_text(encoding="utf-8").splitlines() if ln.strip()]
    docs = [doc.text for doc in DocBin().from_disk(corpus / "train.spacy").get_docs(blank_pipeline().vocab)]
    return lines, docs


def write_norms(texts: list[str], path: Path) -> int:
    """One line of NORM tokens per text (floret's input); returns the token count."""
    nlp = blank_pipeline()
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in nlp.pipe(texts, batch_size=256):
            out.write(" ".join(t.norm_ for t in doc if not t.is_space) + "\n")
            n += len(doc)
    return n


def write_raw(texts: list[str], path: Path) -> None:
    """Raw texts as JSON lines for ``spacy pretrain`` (it tokenizes itself)."""
    with path.open("w", encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    ap.add_argument("--out", type=Path, default=Path("training/vectors"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    text = args.out / "text.txt"
    lines, docs = read_text(args.shared, args.corpus)
    # the oversampling copies of ANERcorp (--repeat-anercorp) add nothing to the vectors
    tokens = write_norms(lines + list(dict.fromkeys(docs)), text)
    write_raw(lines + docs, args.out / "raw.jsonl")
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
