"""Deciding whether a name's first letters are an attached proclitic (وكيري → كيري) or its own (وليد).

The decision uses two shipped resources built by ``training/build_lexicon.py``: a set of known
names (gazetteers and name lists) and word counts from shippable raw news text. A prefix is
stripped when the remainder is the better-attested word: "ولبنان" → "لبنان", while "لبنان",
"فرنسا" and "وليد" stay whole because they are names (or far more frequent) themselves.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from .arabic import PROCLITICS, normalize, skip_letters


class CliticLexicon:
    def __init__(self, names: set[str] | None = None, counts: dict[str, int] | None = None) -> None:
        self.names = names or set()
        self.counts = counts or {}

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
            rest = w[len(clitic) :]
            # لل = ل + ال with the article's alef dropped: look the full article form up.
            probe = "ا" + rest if clitic.endswith("ل") and rest.startswith("ل") else rest
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
        data = {"names": sorted(self.names), "counts": self.counts}
        with gzip.open(path / "lexicon.json.gz", "wt", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_disk(cls, path: Path) -> CliticLexicon:
        file = path / "lexicon.json.gz"
        if not file.exists():
            return cls()
        with gzip.open(file, "rt", encoding="utf-8") as f:
            data = json.load(f)
        return cls(set(data["names"]), {str(k): int(v) for k, v in data["counts"].items()})
