"""Build the clitic lexicon shipped inside the model (names + word counts), from `ship` data only.

    python training/build_lexicon.py --shared ../shared --out service/qawl_service/nlp/data

Names: Wikidata Arabic name units and full names (CC0), ArabNamer transliterations (CC BY 4.0),
GeoNames cities (CC BY 4.0), CLDR territory names (Unicode). Counts: ANT news v1.1 (Apache-2.0)
plus ANERcorp train (CC BY-SA 4.0). Everything is normalized with qawl_service.nlp.arabic.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.lexicon import Lexicon

ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u064B-\u065F\u0670\u0640]+")
csv.field_size_limit(sys.maxsize)


def words(text: str) -> list[str]:
    return [normalize(w) for w in ARABIC_WORD.findall(text)]


def tsv_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [
            row[column]
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row.get(column)
        ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=Path("service/qawl_service/nlp/data"))
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    lex = args.shared / "data" / "lexicons"

    def collect(sources: list[tuple[Path, str]]) -> set[str]:
        out: set[str] = set()
        for path, column in sources:
            for value in tsv_column(path, column):
                out.update(w for w in words(value) if len(w) >= 2)
        return out

    persons = collect(
        [
            (lex / "names_wikidata_arabic_name_romanizer" / "units.tsv", "arabic_key"),
            (lex / "names_wikidata_arabic_name_romanizer" / "full_names.tsv", "arabic_key"),
            (lex / "names_arabnamer_en_ar" / "en_ar_name_pairs.tsv", "arabic"),
        ]
    )
    places = collect(
        [
            (lex / "gazetteer_geonames_cities_ar" / "cities500_arabic_script_names.tsv", "arabic_name"),
            (lex / "gazetteer_cldr_babel_ar" / "cldr_names_ar.tsv", "arabic"),
        ]
    )
    names = persons | places

    counts: Counter[str] = Counter()
    ant = args.shared / "data" / "unlabeled" / "ant_news" / "ant_v1.1.txt"
    with ant.open(encoding="utf-8") as f:
        for line in f:
            counts.update(words(line))
    aner = args.shared / "data" / "ner" / "anercorp" / "ANERCorp_CamelLab_train.txt"
    counts.update(words(aner.read_text(encoding="utf-8")))
    kept = {w: c for w, c in counts.items() if c >= args.min_count}

    Lexicon(names=names, counts=kept, places=places, persons=persons).to_disk(args.out)
    print(f"lexicon: {len(persons)} persons, {len(places)} places, {len(kept)} counts -> {args.out}")


if __name__ == "__main__":
    main()
