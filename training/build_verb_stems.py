"""Build the verb-stem list of the learned stance step's chunker (``data/words/stance_verb_stems.txt``).

    python training/build_verb_stems.py --shared ../shared [--out service/qawl_service/nlp/data/words]

A stem X is verbal when the ANT news text (Apache-2.0, `ship`; the Qawl News Corpus's dev and test
articles left out) writes it as a future (سيX، ستX or سنX, after و/ف or not) and with at least two of the
three imperfect prefixes (يX، تX، نX, after و/ف/ل or not): a noun that starts with ي/ت/ن (تونس، تصعيد،
يوم) has no such paradigm. Added: the stems of the imperfect forms the quote and stance cue tables list
(data/cues.tsv, data/stance_cues.tsv). Everything normalized with qawl_service.nlp.arabic.normalize.
``stance_learn/candidates.py:finite_verb`` reads the list (docs/stance.md, "clause targets").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from qawl_service.nlp.arabic import normalize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "service" / "qawl_service" / "nlp" / "data"
LETTERS = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")  # Arabic letters (after normalize: no marks)
IMPERFECT = "يتن"
CLITICS = ("", "و", "ف", "ل")  # before an imperfect prefix
FUTURE_CLITICS = ("", "و", "ف")  # before the future س


def held_out(corpus: Path) -> set[str]:
    """The ids (ANT docno) of the corpus's dev and test articles."""
    ids = set()
    for split in ("dev", "test"):
        with open(corpus / f"{split}.jsonl", encoding="utf-8") as f:
            ids.update(json.loads(line)["id"] for line in f if line.strip())
    return ids


def ant_counts(shared: Path, skip: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    with gzip.open(
        shared / "data" / "unlabeled" / "ant_news" / "ant_v1.1.jsonl.gz", "rt", encoding="utf-8"
    ) as f:
        for line in f:
            doc = json.loads(line)
            if doc["docno"] not in skip:
                counts.update(LETTERS.findall(normalize(doc.get("text") or "")))
    return counts


def corpus_stems(counts: Counter[str], min_len: int = 3) -> set[str]:
    """Stems of at least ``min_len`` letters (two-letter ones are mostly noise: ال، ان، في، ها)."""
    future: Counter[str] = Counter()
    prefixes: defaultdict[str, set[str]] = defaultdict(set)
    for w, n in counts.items():
        for c in FUTURE_CLITICS:
            rest = w[len(c) :]
            if w.startswith(c) and len(rest) >= 2 + min_len and rest[0] == "س" and rest[1] in IMPERFECT:
                future[rest[2:]] += n
        for c in CLITICS:
            rest = w[len(c) :]
            if w.startswith(c) and len(rest) >= 1 + min_len and rest[0] in IMPERFECT:
                prefixes[rest[1:]].add(rest[0])
    return {x for x in future if len(prefixes.get(x, ())) >= 2}


def cue_table_stems() -> set[str]:
    """The stems of the imperfect forms listed by the quote and stance cue tables (their verb rows)."""
    out = set()
    for name in ("cues.tsv", "stance_cues.tsv"):
        with open(DATA / name, encoding="utf-8") as f:
            rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
            for row in rows:
                if row["class"] != "verb":
                    continue
                for form in (row["imperfect"] or "").split("|"):
                    w = normalize(form.strip()).replace(" ", "")
                    if len(w) >= 3 and w[0] in IMPERFECT:
                        out.add(w[1:])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "qnc")
    ap.add_argument("--out", type=Path, default=DATA / "words")
    args = ap.parse_args()
    counts = ant_counts(args.shared, held_out(args.corpus))
    found, cues = corpus_stems(counts), cue_table_stems()
    stems = sorted(found | cues)
    header = [
        "# Verb stems: the imperfect forms of these (ي/ت/ن + stem, after و/ف/ل or the future س)",
        "# are finite verbs. Built by training/build_verb_stems.py: stems of 3+ letters the ANT news",
        "# text (Apache-2.0; the Qawl News Corpus's dev and test articles left out) writes as a future",
        "# (سيX، ستX، سنX) and with two of the three imperfect prefixes, and the stems of the cue",
        "# tables' imperfect forms (cues.tsv, stance_cues.tsv).",
        f"# {len(found)} from the corpus text, {len(cues - found)} more from the cue tables; normalized.",
    ]
    path = args.out / "stance_verb_stems.txt"
    path.write_text("\n".join([*header, *stems]) + "\n", encoding="utf-8")
    print(f"{len(stems)} stems ({len(found)} corpus, {len(cues)} cue tables) -> {path}")


if __name__ == "__main__":
    main()
