"""Word classes as data: one file per class in ``data/words/``, one word per line, ``#`` comments.

Classes read by several components have a plain name (``person_titles``, ``org_heads``,
``complementizers`` ...); a class one component alone reads is prefixed with it (``quotes_governors``,
``stance_hedges``). Words are stored as written; the rules read them normalized (:func:`normalized`;
the quote rules derive their article-less keys from that).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .arabic import normalize

WORDS_DIR = Path(__file__).resolve().parent / "data" / "words"


@cache
def words(name: str) -> tuple[str, ...]:
    """The words of class ``name`` in file order (raises FileNotFoundError for an unknown class)."""
    out: list[str] = []
    with open(WORDS_DIR / f"{name}.txt", encoding="utf-8") as f:
        for line in f:
            out.extend(line.split("#", 1)[0].split())
    return tuple(out)


@cache
def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of class ``name``, one per line, each as its words (fixed word sequences)."""
    out: list[tuple[str, ...]] = []
    with open(WORDS_DIR / f"{name}.txt", encoding="utf-8") as f:
        for line in f:
            phrase = tuple(line.split("#", 1)[0].split())
            if phrase:
                out.append(phrase)
    return tuple(out)


@cache
def normalized(*names: str) -> frozenset[str]:
    """The normalized words of the classes ``names`` together, as the rules compare them."""
    return frozenset(normalize(w) for name in names for w in words(name))


def classes() -> list[str]:
    return sorted(p.stem for p in WORDS_DIR.glob("*.txt"))


# Single function words the rules test by identity, normalized (على → علي, إلى → الي), named once for
# every component; a list of several words is a class file instead.
FI = "في"
MIN = "من"
AN = "عن"
ALA = "علي"
ILA = "الي"
MA = "ما"
LIMA = "لما"  # ل + ما written as one word (وفقا لما ذكرته الوكالة)
IDHA = "اذا"
ANNA = "ان"  # أن/إن/ان, normalized
KULL = "كل"
KAMA = "كما"  # as well (كما استقبل ...)
ANNAHU = "انه"
BI_ANNA = "بان"  # بأن normalized, also the name بان (كي مون)
BI_ANNAHU = "بانه"
ADAM = "عدم"  # the negating noun (عدم التدخل)
ISM = "اسم"
MITHL = "مثل"
HAWL = "حول"  # about: ندوة حول "..."
TAHT = "تحت"  # under: تحت شعار "..." (an event's theme)
QAD = "قد"  # may: وقد نضطر (a first-person verb may follow it)
GHAYR = "غير"  # not: غير مؤكدة (an adjective, no participle cue)
LA, LAM_NEG = "لا", "لم"  # negation particles  # باسم: on behalf of
KI = "كي"
IBN = "بن"
YAWM = "يوم"  # day: يوم starts with ي without being a verb  # son of, in a name (بن سلمان): not ب + a word
