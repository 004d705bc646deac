"""Convert the shippable NER corpora in ../shared/data/ner into spaCy DocBins.

    python training/prepare_ner.py --data ../shared/data/ner --out training/corpus

Writes train.spacy, dev.spacy (the last 10% of ANERcorp train, document order kept) and
test.spacy (the ANERcorp test file: the benchmark, never trained on). Labels: PER ORG LOC MISC.
Tokens are re-tokenized with the service's own tokenizer, so training sees exactly what
inference sees; entity spans drop glued punctuation ("(أمريكا" -> "أمريكا").
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from qawl_service.evaluation.conll import ANER_MAP, read_conll, to_doc
from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.language import blank_pipeline

AQMAR_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}

MISC_WORD = "MISC_WORD"  # pseudo-type: an O token of another set that ANERcorp calls MISC

# FANE fine types -> our labels. Types whose ANERcorp counterpart is unclear are marked unknown
# (no loss either way) instead of O or a guess: Group (nationalities, "الفلسطينيون" — ANERcorp
# leaves them O or MISC), GPE-Cluster, Celestial, and every product/work/vehicle/weapon type
# (ANERcorp's MISC is defined differently: the naive merge drove MISC F1 to 29).
FANE_PER = "Politician Athlete Artist Other_PER Religious_PER Scientist Businessperson Lawyer Engineer Police"
FANE_ORG = (
    "Non-Governmental Government Media Sports Commercial Educational Entertainment Religious_ORG"
    " Medical-Science"
)
FANE_LOC = (
    "Nation Population-Center State-or-Province Continent County-or-District Water-Body"
    " Land-Region-Natural Path Building-Grounds Airport Subarea-Facility"
)
FANE_MISSING_TYPES = (
    "Group GPE-Cluster Celestial Book Movie Software Hardware Land Air Water Projectile Shooting Blunt"
    " Exploding Sharp Nuclear Chemical Biological Food Drug Plant Sound"
)
FANE_MISSING = [*FANE_MISSING_TYPES.split(), MISC_WORD]
FANE_MAP = {
    t: lab for lab, types in (("PER", FANE_PER), ("ORG", FANE_ORG), ("LOC", FANE_LOC)) for t in types.split()
}

# FANE splits clitics off ("و لبنان", "حكومة ها"); ANERcorp and our tokenizer keep them on the word.
FANE_PROCLITICS = {"و", "ف", "ب", "ل", "ك", "س"}
FANE_ENCLITICS = {"ه", "ها", "هم", "هما", "هن", "ي", "نا", "كم", "كما", "كن", "ك", "ني"}


def desegment(sent: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Glue FANE's split clitics back onto their word; the glued token takes the word's tag."""
    out: list[tuple[str, str]] = []
    pending = ""  # proclitics waiting for their word
    for tok, tag in sent:
        if tok in FANE_PROCLITICS and tag == "O":
            pending += tok
            continue
        if tok in FANE_ENCLITICS and tag == "O" and out and not pending and out[-1][0][-1:].isalpha():
            base, base_tag = out[-1]
            if base.endswith("ة"):  # حكومة + ها -> حكومتها
                base = base[:-1] + "ت"
            elif base.endswith("ى"):  # على + ه -> عليه
                base = base[:-1] + "ي"
            out[-1] = (base + tok, base_tag)
            continue
        if pending:
            if pending.endswith("ل") and tok.startswith("ال"):  # ل + الحرب -> للحرب
                tok = tok[1:]
            tok = pending + tok
            pending = ""
        out.append((tok, tag))
    if pending:
        out.append((pending, "O"))
    return out


def misc_words(sents: list[list[tuple[str, str]]], min_count: int = 2) -> set[str]:
    """Words ANERcorp train tags MISC at least as often as not (دولار, الإسلام, بطولة, نوبل)."""
    misc: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for sent in sents:
        for tok, tag in sent:
            word = normalize(tok)
            seen[word] += 1
            misc[word] += tag.endswith("MISC")
    return {w for w, n in misc.items() if n >= min_count and n * 2 >= seen[w]}


def mask_misc(sents: list[list[tuple[str, str]]], words: set[str]) -> list[list[tuple[str, str]]]:
    """Mark another set's O tokens that ANERcorp tags MISC (currencies, religions, tournaments)
    as unknown: those sets call them O, and teaching O there erased the MISC label (F1 51 -> 18)."""
    return [
        [(t, f"B-{MISC_WORD}" if tag == "O" and normalize(t) in words else tag) for t, tag in sent]
        for sent in sents
    ]


def canonical(text: str) -> str:
    """Spelling- and spacing-blind form for overlap checks (FANE folds hamza and splits clitics)."""
    return "".join(normalize(text).split())


MIN_SENT = 12  # shorter protected sentences ("قال .") are formulas, not copies
# characters of canonical text; shared 30-char runs between sentences are near-certain copies
OVERLAP_WINDOW = 30


def windows(s: str) -> set[str]:
    return {s[i : i + OVERLAP_WINDOW] for i in range(max(1, len(s) - OVERLAP_WINDOW + 1))}


def remove_overlap(
    sents: list[list[tuple[str, str]]], protected: list[list[tuple[str, str]]]
) -> tuple[list[list[tuple[str, str]]], dict[str, float]]:
    """Drop every sentence sharing a 30-character canonical run with ``protected`` text (or holding a
    whole shorter protected sentence), then prove it: no protected sentence occurs in the kept text."""
    prot = [canonical(" ".join(t for t, _ in s)) for s in protected]
    prot_windows: set[str] = set().union(*(windows(p) for p in prot if len(p) >= OVERLAP_WINDOW))
    prot_short = [p for p in prot if MIN_SENT <= len(p) < OVERLAP_WINDOW]  # shorter than a window

    def overlaps(c: str) -> bool:
        return bool(windows(c) & prot_windows) or any(p in c for p in prot_short)

    canon = [canonical(" ".join(t for t, _ in s)) for s in sents]
    keep = [not overlaps(c) for c in canon]
    kept = [s for s, k in zip(sents, keep, strict=True) if k]
    # The proof, by another route than the filter: no protected sentence occurs in the kept text.
    kept_text = "\n".join(c for c, k in zip(canon, keep, strict=True) if k)
    leaked = sum(1 for p in prot if len(p) >= MIN_SENT and p in kept_text)
    assert leaked == 0, f"{leaked} protected sentences still occur in the kept text"
    return kept, {"sentences": len(sents), "kept": len(kept), "removed": len(sents) - len(kept)}


def split_dev(
    train: list[list[tuple[str, str]]], fraction: float
) -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
    """ANERcorp train minus its last ``fraction`` (document order kept), and that dev slice."""
    n_dev = int(len(train) * fraction)
    return train[:-n_dev], train[-n_dev:]


def write(nlp: spacy.Language, sents, label_map, path: Path, extra=()) -> dict[str, int]:  # type: ignore[no-untyped-def]
    stats: Counter[str] = Counter()
    db = DocBin(store_user_data=False)
    for sent in sents:
        db.add(to_doc(nlp, sent, label_map, stats))
    for sents_x, map_x, missing_x in extra:
        for sent in sents_x:
            db.add(to_doc(nlp, sent, map_x, stats, missing_x))
            stats["extra_docs"] += 1
    db.to_disk(path)
    stats["docs"] = len(sents)
    return dict(stats)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ner"))
    ap.add_argument("--out", type=Path, default=Path("training/corpus"))
    ap.add_argument("--repeat-anercorp", type=int, default=1, help="copies of ANERcorp train")
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument(
        "--extra",
        nargs="*",
        default=[],
        choices=["aqmar", "newsfane", "wikifane"],
        help="more shippable training sets",
    )
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    nlp = blank_pipeline()

    train = read_conll(args.data / "anercorp" / "ANERCorp_CamelLab_train.txt")
    test = read_conll(args.data / "anercorp" / "ANERCorp_CamelLab_test.txt")
    train, dev = split_dev(train, args.dev_fraction)
    extra = []
    misc = misc_words(train)
    if args.repeat_anercorp > 1:  # keep the in-domain set from being drowned by 4x more Wikipedia text
        extra.append((train * (args.repeat_anercorp - 1), ANER_MAP, frozenset()))
    sources = ["ANERcorp (CAMeL Lab split) train, CC BY-SA 4.0"]
    if "aqmar" in args.extra:
        split = args.data / "aqmar" / "liu2019_split"
        aqmar = [s for name in ("train", "dev", "test") for s in read_conll(split / f"{name}.txt")]
        # AQMAR's MIS is broader than ANERcorp's MISC: unknown, like the words ANERcorp calls MISC
        extra.append((mask_misc(aqmar, misc), AQMAR_MAP, frozenset({"MIS", MISC_WORD})))
        sources.append("AQMAR (Wikipedia, all 28 articles; MIS spans unannotated), CC BY-SA 3.0")
    checks = {}
    if "newsfane" in args.extra:
        # NewsFANE is mostly ANERcorp re-annotated: 71% of the test text is in it. Remove the test
        # file's sentences (the benchmark) and the dev slice's (model selection) before training.
        fane = [
            desegment(s)
            for s in read_conll(args.data / "newsfane_gold" / "NewsFANE_Gold.clean.fine.tsv", "\t")
        ]
        fane, checks["newsfane_vs_test"] = remove_overlap(fane, test)
        fane, checks["newsfane_vs_dev"] = remove_overlap(fane, dev)
        extra.append((mask_misc(fane, misc), FANE_MAP, frozenset(FANE_MISSING)))
        sources.append("NewsFANE Gold (ANERcorp test and dev sentences removed), CC BY-SA 3.0")
    if "wikifane" in args.extra:
        wiki = [
            desegment(s)
            for s in read_conll(args.data / "wikifane_gold" / "WikiFANE_Gold.clean.fine.tsv", "\t")
        ]
        wiki, checks["wikifane_vs_test"] = remove_overlap(wiki, test)
        extra.append((mask_misc(wiki, misc), FANE_MAP, frozenset(FANE_MISSING)))
        sources.append("WikiFANE Gold, CC BY-SA 3.0")
    report = {
        "train": write(nlp, train, ANER_MAP, args.out / "train.spacy", extra),
        "dev": write(nlp, dev, ANER_MAP, args.out / "dev.spacy"),
        "test": write(nlp, test, ANER_MAP, args.out / "test.spacy"),
        "sources": sources,
        "overlap_checks": checks,
    }
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
