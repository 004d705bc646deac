"""Draw the QNC articles from ANT news: seeded, scripted, reproducible.

    python -m qawl_service.corpus select [--seed 17] [--size 2200]

1. Candidates: ANT articles of 200-3,500 characters (shorter ones are briefs without statements,
   longer ones cost more than they add), exact and near duplicates removed (word 4-gram shingles,
   Jaccard >= 0.6 keeps the first by docno).
2. 70 % of ``size`` from the articles with at least two reporting or stance cues (CUE_RE over the
   normalized text), 30 % at random from all candidates, no cue filter; every category is drawn
   in both strata by its share.
3. Splits drawn once with the same seed: test 450, dev 250, the rest train. The manifest
   ``corpus/qnc/selection.tsv`` is frozen: re-running with the same seed reproduces it exactly,
   and ``check`` fails if it drifts.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import defaultdict
from pathlib import Path

from qawl_service.corpus.sources import REPO, iter_ant
from qawl_service.nlp.arabic import normalize

MANIFEST = REPO / "corpus" / "qnc" / "selection.tsv"
SPLIT_SIZES = {"test": 450, "dev": 250}
BATCH = 40

# Reporting and stance cues (normalized, ة→ه, أ→ا), conjugated, with an optional و/ف, on word bounds.
_STEMS = (
    "قال|يقول|تقول|اضاف|تضيف|يضيف|اكد|يؤكد|تؤكد|مؤكدا|اوضح|يوضح|موضحا|اشار|يشير|مشيرا|اعلن|يعلن|"
    "افاد|يفيد|صرح|يصرح|تصريح|تصريحات|ذكر|يذكر|كشف|يكشف|نفى|ينفي|شدد|يشدد|مشددا|اعتبر|يعتبر|معتبرا|"
    "لاحظ|بين|اعرب|يعرب|عبر عن|حذر|يحذر|محذرا|دعا|يدعو|داعيا|طالب|يطالب|مطالبا|ندد|يندد|ادان|يدين|"
    "استنكر|رفض|يرفض|انتقد|ينتقد|اتهم|يتهم|رحب|يرحب|ايد|يؤيد|ثمن|يثمن|اشاد|يشيد|بحسب|حسب|وفق|وفقا|"
    "نقلا عن|على لسان|اكدت|قالت|اضافت|اوضحت|اشارت|اعلنت|افادت|صرحت|كشفت|دعت|طالبت|نفت|حذرت|بيان|"
    "اعتبرت|شددت|تابع|تابعت|ختم|وصف|يصف|ناشد|حث"
)
CUE_RE = re.compile(rf"(?<![\u0621-\u064A])[وف]?(?:{_STEMS})(?:ت|وا|ا|ن|ه|ها)?(?![\u0621-\u064A])")
_WORD = re.compile(r"[\u0621-\u064A0-9]+")


def cue_count(text: str) -> int:
    return len(CUE_RE.findall(normalize(text)))


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(normalize(text))
    return {zlib.crc32(" ".join(words[i : i + 4]).encode()) for i in range(max(len(words) - 3, 1))}


def dedupe(articles: list[dict[str, str]], threshold: float = 0.6) -> list[dict[str, str]]:
    """Drop articles whose shingles overlap an earlier kept one at Jaccard >= threshold."""
    kept: list[dict[str, str]] = []
    kept_sets: list[set[int]] = []
    index: dict[int, list[int]] = defaultdict(list)
    for a in articles:
        sh = _shingles(a["text"])
        candidates: dict[int, int] = defaultdict(int)
        for h in sh:
            for k in index.get(h, ()):
                candidates[k] += 1
        if any(n / len(sh | kept_sets[k]) >= threshold for k, n in candidates.items() if n):
            continue
        for h in sh:
            index[h].append(len(kept))
        kept_sets.append(sh)
        kept.append(a)
    return kept


def _draw(pool: list[dict[str, str]], n: int, rng: random.Random) -> list[dict[str, str]]:
    """``n`` articles from ``pool``, each category by its share (largest remainders)."""
    by_cat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for a in pool:
        by_cat[a["category"]].append(a)
    quota = {c: n * len(v) / len(pool) for c, v in by_cat.items()}
    take = {c: int(q) for c, q in quota.items()}
    for c in sorted(quota, key=lambda c: (take[c] - quota[c], c))[: n - sum(take.values())]:
        take[c] += 1
    out: list[dict[str, str]] = []
    for c in sorted(by_cat):
        out += rng.sample(by_cat[c], min(take[c], len(by_cat[c])))
    return out


def select(seed: int = 17, size: int = 2200) -> list[dict[str, str]]:
    articles = sorted(iter_ant(), key=lambda a: a["id"])
    articles = [a for a in articles if 200 <= len(a["text"]) <= 3500]
    articles = dedupe(articles)
    rng = random.Random(seed)
    cued = [a for a in articles if cue_count(a["text"]) >= 2]
    n_cued = round(size * 0.7)
    chosen = _draw(cued, n_cued, rng)
    ids = {a["id"] for a in chosen}
    rest = [a for a in articles if a["id"] not in ids]
    randoms = _draw(rest, size - n_cued, rng)
    rows = [{**a, "stratum": "cue"} for a in chosen] + [{**a, "stratum": "random"} for a in randoms]
    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["split"] = (
            "test" if i < SPLIT_SIZES["test"] else "dev" if i < sum(SPLIT_SIZES.values()) else "train"
        )
        r["batch"] = f"b{i // BATCH:03d}"
        r["cues"] = str(cue_count(r["text"]))
    return rows


def write_manifest(rows: list[dict[str, str]], path: Path = MANIFEST) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("id\tcategory\tstratum\tsplit\tbatch\tcues\tchars\n")
        for r in rows:
            f.write(
                f"{r['id']}\t{r['category']}\t{r['stratum']}\t{r['split']}\t{r['batch']}\t{r['cues']}\t{len(r['text'])}\n"
            )


def read_manifest(path: Path = MANIFEST) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"), strict=True)) for line in f if line.strip()]
