"""The shipped Arabic lexicon: known names, places and word counts, built from `ship` data.

``training/build_lexicon.py`` writes ``data/lexicon.json.gz`` inside the package. It serves two
purposes: model features (is this stem a known person name or place, how rare is it) and the
proclitic decision (وكيري → و + كيري, while وليد, فرنسا and لبنان stay whole).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from .arabic import PROCLITICS, normalize, skip_letters

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

    # -- decision ----------------------------------------------------------------------
    def proclitic(self, word: str) -> str:
        """The proclitic (normalized) attached to ``word``, or "" when the word is whole.

        A known name stays whole (وليد, بان, باول). Otherwise the shortest clitic leaving a known
        name wins (وكيري → و + كيري, not وك + يري); failing that, a clitic is cut only when the
        remainder is clearly better attested in running text than the whole form.
        """
        w = normalize(word)
        if w in self.names:
            return ""
        best, best_count = "", 3 * self.counts.get(w, 0) + 2
        for clitic in sorted(PROCLITICS, key=len):
            if not w.startswith(clitic) or len(w) - len(clitic) < 2:
                continue
            probe = without_clitic(w, clitic)
            if probe in self.names:
                return clitic
            count = self.counts.get(probe, 0)
            if count >= best_count:
                best, best_count = clitic, count
        return best

    def strip_offset(self, surface: str) -> int:
        """Code points to skip at the start of ``surface`` to drop its proclitic (0 if none).

        Counted on the original string: diacritics or tatweel attached to the clitic letters
        (وَكيري) are skipped with them, so ``surface[offset:]`` starts at the name itself.
        """
        clitic = self.proclitic(surface)
        if not clitic:
            return 0
        offset = skip_letters(surface, len(clitic))
        return offset if offset < len(surface) else 0

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


def without_clitic(word: str, clitic: str) -> str:
    """The normalized ``word`` without its ``clitic``, in the form to look up: لل is ل + ال with
    the article's alef dropped, so للامم gives الامم."""
    rest = word[len(clitic) :]
    return "ا" + rest if clitic.endswith("ل") and rest.startswith("ل") else rest


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped in the package (empty until ``make train`` has built it)."""
    return Lexicon.from_disk(DATA)
