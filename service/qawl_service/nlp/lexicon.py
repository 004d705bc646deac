"""The shipped Arabic lexicon: known names, places and word counts, built from `ship` data.

``training/build_lexicon.py`` writes ``data/lexicon.json.gz`` inside the package. It serves two
purposes: model features (is this stem a known person name or place, how rare is it) and the
proclitic decision in ``morphology.py`` (وكيري → و + كيري, while وليد, فرنسا and لبنان stay whole).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


# Bound of the rule components' per-word caches: well above a news worker's working vocabulary,
# and a limit (about 12 MB each) on what a stream of never-seen words can fill.
WORD_CACHE_SIZE = 50_000


class Lexicon:
    def __init__(
        self,
        names: set[str] | None = None,
        counts: dict[str, int] | None = None,
        places: set[str] | None = None,
        persons: set[str] | None = None,
    ) -> None:
        self.names = names or set()  # every known name word (persons, places, territories)
        self.counts = counts or {}
        self.places = places or set()
        self.persons = persons or set()

    # -- features ----------------------------------------------------------------------
    def gazetteer_class(self, stem: str) -> str:
        """'P' person-name word, 'L' place word, 'PL' both, '' neither (stem is normalized)."""
        return ("P" if stem in self.persons else "") + ("L" if stem in self.places else "")

    def rarity(self, word: str) -> int:
        """Count bucket of a normalized word in running news text: 0 unseen ... 3 common."""
        c = self.counts.get(word, 0)
        return 0 if c == 0 else 1 if c < 5 else 2 if c < 50 else 3

    # -- persistence -------------------------------------------------------------------
    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        data = {
            "names": sorted(self.names),
            "persons": sorted(self.persons),
            "places": sorted(self.places),
            "counts": dict(sorted(self.counts.items())),
        }
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with gzip.GzipFile(path / "lexicon.json.gz", "wb", mtime=0) as f:  # mtime=0: reproducible bytes
            f.write(payload)

    @classmethod
    def from_disk(cls, path: Path) -> Lexicon:
        file = path / "lexicon.json.gz"
        if not file.exists():
            return cls()
        with gzip.open(file, "rt", encoding="utf-8") as f:
            data = json.load(f)
        return cls(
            names=set(data["names"]),
            counts={str(k): int(v) for k, v in data["counts"].items()},
            places=set(data.get("places", ())),
            persons=set(data.get("persons", ())),
        )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped in the package (empty until ``make train`` has built it)."""
    return Lexicon.from_disk(DATA)
