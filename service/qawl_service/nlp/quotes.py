"""Quote attribution: who said what, as transparent rules over the text and its entities.

The component ``qawl_quotes`` runs after ``qawl_entities`` and sets ``doc._.quotes`` to a list of
:class:`qawl.types.Quote` in document order (ids Q1, Q2 ...). Method (details in docs/quotes.md):

1. **Units.** The text is cut into words and punctuation by one regular expression (offsets are code
   points into the exact input), into paragraphs (newlines) and sentences (. ! ؟ outside brackets).
   Site boilerplate at the end of an article ("حول الموقع", "رابط الخبر ...") is cut off.
2. **Quote marks.** “ ” « » and " are paired with a small state machine: direction from the
   characters around a mark and from what is open; stray closers are ignored; an opener that is
   never closed ends at its paragraph (or where the next opener of its kind starts a new sentence),
   so a lost mark never swallows the rest of an article. Marks around a name, a title, an agency or
   a hashtag (لوكالة “...”, “#حلب تحترق”) are names, not quotes.
3. **Cues.** Reporting verbs from ``data/cues.tsv`` in all their conjugations (generated here:
   feminine ت, plural وا/ون, dual ا, present ي/ت/ن, the circumstantial participle مؤكدا/مشيرة,
   و/ف prefixes), nominal cues (قوله، بالقول، تصريحات، بيان) and attributive phrases
   (بحسب، وفق، وفقا لـ، حسب، نقلا عن، كما قال X).
4. **Quotes.** From each cue, the speaker phrase is read (after the verb: VSO; before it: SVO;
   none: implicit), then the complement: ``أن/إن/بأن`` + clause (indirect, or mixed when the
   clause holds quoted words), a colon, or a quoted span (direct). Quoted spans no cue claimed
   look for a cue after them (“...” قال X). Attributive phrases take the clause they follow.
5. **Speakers.** The speaker phrase is linked to ``doc._.entities`` (a name in it, or an entity it
   starts with); titles without a name (الوزير الاميركي) and definite descriptions (هذا المركز،
   الوزارة) are matched to the entity or earlier phrase they refer to; an implicit subject
   (واضاف، وتابع، من جهته، فإنها) is the subject of the sentence or the previous speaker.

Everything is linear in the text length (bounded look-around windows) and never raises: any
internal failure yields an empty list for that document.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Entity, Mention, Quote, QuoteKind, Resolution, Speaker

from .arabic import normalize, skeleton

__all__ = ["CueLexicon", "QuoteAttributor", "extract_quotes", "load_cues"]

DATA = Path(__file__).resolve().parent / "data"
CUES_FILE = DATA / "cues.tsv"

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)

CueClass = Literal["verb", "participle", "noun", "attrib"]


# ============================================================================ cue lexicon
@dataclass(frozen=True)
class Cue:
    lemma: str
    cls: CueClass
    category: str
    ambiguous: bool  # needs its complement right after the subject (بين، عبر، ذكر، تابع ...)
    feminine: bool = False  # تؤكد، قالت، مشيرة: the subject is grammatically feminine


# Surfaces a conjugation would produce but that are far more often another word.
_NOT_CUES = frozenset({"هنا", "بينا", "عدا", "عدة", "تبينا", "وصفا"})


def _verb_forms(lemma: str, imperfects: list[str]) -> dict[str, bool]:
    """Normalized surfaces of a reporting verb -> is the form feminine (3fs)."""
    past = normalize(lemma)
    forms: dict[str, bool] = {past: False}
    if len(past) >= 3 and past[-1] in "اي":  # defective: دعا -> دعت، دعوا; نفى -> نفت، نفوا، نفيا
        stem = past[:-1]
        forms.update({stem + "ت": True, stem + "تا": True, stem + "وا": False, past + "ا": False})
    else:  # قال -> قالت، قالوا، قالا، قالتا
        forms.update({past + "ت": True, past + "وا": False, past + "ا": False, past + "تا": True})
    for imperfect in imperfects:
        form = normalize(imperfect)
        if len(form) < 3 or form[0] not in "يت":
            continue
        stem = form[1:]
        forms.setdefault("ي" + stem, False)
        forms.setdefault("ت" + stem, True)
        forms.setdefault("ن" + stem, False)
        if stem[-1] in "وي":  # يدعو -> يدعون; ينفي -> ينفون
            forms.setdefault("ي" + stem[:-1] + "ون", False)
        else:
            forms.setdefault("ي" + stem + "ون", False)
            forms.setdefault("ي" + stem + "ان", False)
            forms.setdefault("ت" + stem + "ان", True)
    return forms


def _participle_forms(participle: str) -> dict[str, bool]:
    """مؤكد -> مؤكدا، مؤكده (ة); داعي -> داعيا، داعيه: the circumstantial (حال) forms only."""
    p = normalize(participle)
    return {p + "ا": False, p + "ه": True}


def _noun_forms(noun: str) -> list[str]:
    """قول -> قوله، قولها، قولهم، القول، بالقول ...: pronoun suffixes, article, ب/ل."""
    n = normalize(noun)
    out = [n, n + "ا"] + [n + s for s in ("ه", "ها", "هم", "هما", "هن")]
    out += ["ال" + n, "بال" + n, "لل" + n]
    return out


@dataclass
class CueLexicon:
    """Normalized surface -> cue; built from data/cues.tsv by :func:`load_cues`."""

    forms: dict[str, Cue] = field(default_factory=dict)

    def add(self, surface: str, cue: Cue) -> None:
        if surface and surface not in _NOT_CUES:
            self.forms.setdefault(surface, cue)

    def lookup(self, norm: str) -> tuple[Cue, int] | None:
        """The cue a normalized token is, and how many letters of a و/ف conjunction precede it."""
        cue = self.forms.get(norm)
        if cue is not None:
            return cue, 0
        if len(norm) > 3 and norm[0] in "وف":
            cue = self.forms.get(norm[1:])
            if cue is not None:
                return cue, 1
        return None


def _parse_cues(lines: Iterable[str]) -> CueLexicon:
    lex = CueLexicon()
    header: list[str] | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        row = dict(zip(header, cols, strict=False))
        lemma, cls = row.get("lemma", ""), row.get("class", "")
        category = row.get("category", "")
        amb = "amb" in row.get("flags", "")
        imperfects = [f for f in row.get("imperfect", "-").split("|") if f and f != "-"]
        participle = row.get("participle", "-")
        if cls == "verb":
            for surface, fem in _verb_forms(lemma, imperfects).items():
                lex.add(surface, Cue(normalize(lemma), "verb", category, amb, fem))
            if participle and participle != "-":
                for surface, fem in _participle_forms(participle).items():
                    lex.add(surface, Cue(normalize(lemma), "participle", category, amb, fem))
        elif cls == "noun":
            for surface in _noun_forms(lemma):
                lex.add(surface, Cue(normalize(lemma), "noun", category, amb))
        elif cls == "attrib":
            n = normalize(lemma)
            lex.add(n, Cue(n, "attrib", category, False))
            if n.startswith("ب"):  # بحسب: also the bare حسب, handled by its own row
                continue
    return lex


def load_cues(path: Path | None = None) -> CueLexicon:
    """The cue inventory (``data/cues.tsv`` unless a path is given); empty if the file is missing."""
    file = path or CUES_FILE
    try:
        with open(file, encoding="utf-8") as f:
            return _parse_cues(f)
    except OSError:
        return CueLexicon()


@lru_cache(maxsize=1)
def default_cues() -> CueLexicon:
    return load_cues()


# ============================================================================ word lists
def _core(n: str) -> str:
    """Strip a conjunction/preposition + article: والوزير -> وزير, للامم -> امم, بالمنطقه -> منطقه."""
    for p in ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال"):
        if n.startswith(p) and len(n) - len(p) >= 2:
            return n[len(p) :]
    return n


def _key(n: str) -> str:
    """Comparison key: core without a final tanween alef or ta marbuta (مسؤولا ~ المسؤول)."""
    c = _core(n)
    if len(c) > 3 and c[-1] in "اه":
        c = c[:-1]
    return c


def _keys(words: str) -> frozenset[str]:
    return frozenset(_key(normalize(w)) for w in words.split())


def _norms(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


PERSON_TITLES = _keys(
    "وزير وزيرة رئيس رئيسة نائب مساعد متحدث متحدثة ناطق ناطقة مدير مديرة أمين مسؤول مسؤولة مسؤولون "
    "مسؤولين مصدر مصادر سفير مبعوث موفد مندوب ممثل قائد زعيم عضو محافظ أمير ملك ولي مشرف مستشار مراسل "
    "منسق مفوض خبير محلل أستاذ بروفيسور دكتور شيخ سيد سيدة عقيد عميد لواء جنرال مقدم رائد نقيب مهندس "
    "محامي قاضي مدرب لاعب شاعر كاتب فنان مخرج باحث شاهد نجم مواطن ناشط ناشطة مراقب موظف عاملون عاملين "
    "طبيب قنصل وكيل مفتي إمام خطيب أمينة نقيب"
)
TITLE_MODIFIERS = _keys("عام رسمي أعلى خاص تنفيذي سابق حالي إقليمي أول أسبق مكلف مؤقت عسكري كبير")
HONORIFICS = _keys(
    "دكتور د شيخ سيد سيدة عقيد عميد لواء جنرال مقدم رائد نقيب مهندس بروفيسور أستاذ أمير الأمير ملك حاج "
    "مشير الرئيس"
)
ORG_HEADS = _keys(
    "وزارة وكالة وكالات هيئة منظمة مركز مرصد مجلس لجنة سلطات سلطة حكومة رئاسة قوات وحدات جيش شرطة إدارة "
    "أمانة بلدية جامعة صحيفة قناة مؤسسة شركة حزب حركة جبهة تنظيم وسائل أمم اتحاد جمعية نادي دفاع مكتب "
    "مديرية محكمة نيابة برلمان بنك صندوق تلفزيون تلفزيون إذاعة حملة غرفة خارجية داخلية كرملين معارضة "
    "حرس تحالف سفارة قيادة مفوضية محافظة إمارة ديوان بعثة"
)
DOC_NOUNS = _keys("بيان تقرير حصيلة إحصائية إحصائيات دراسة رسالة تغريدة خطاب كلمة مقابلة تصريح تصريحات")
NAMING_NOUNS = _keys(
    "وكالة صحيفة جريدة مجلة قناة برنامج هاشتاغ هاشتاق وسم مشروع حملة عملية مبادرة شعار عنوان كتاب رواية "
    "فيلم مسلسل مسرحية أغنية قصيدة تطبيق موقع حساب مجموعة تنظيم حركة حزب جماعة جبهة مؤسسة شركة نادي "
    "منظمة مركز جمعية منصة مؤتمر منتدى مهرجان جائزة بطولة دوري كأس مسابقة ملتقى معرض لقب اسم مسمى تسمية "
    "فعالية صفحة"
)
PREPOSITIONS = _norms(
    "في من الى إلى على عن مع خلال قبل بعد بعيد عقب امام أمام حول ضد منذ حتى لدى عند دون بدون نحو بين "
    "اثناء أثناء تجاه ازاء إزاء فوق تحت وسط لأن حيث بينما كي لكي ثم أو او بل لكن لكنه لكنها إلا الا غير "
    "وفي ومن وعلى وعن ومع وخلال وقبل وبعد منه منها عنه عنها له لها لهم عليه عليها إليه اليه بها به"
)
TIME_WORDS = _norms(
    "اليوم أمس الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء ظهر فجر ليل ليلة الليلة "
    "أيضا ايضا أيضًا كذلك بدوره بدورها قد لقد مؤخرا سابقا حاليا الماضي الماضية الأول غدا"
)
RELATIVES = _norms("الذي التي الذين اللذين اللتين اللواتي اللاتي ممن")
DEMONSTRATIVES = _norms("هذا هذه ذلك تلك هؤلاء")
COMPLEMENTIZERS = _norms(
    "أن إن أنه إنه أنها إنها أنهم إنهم أنهما إنهما أنهن إننا أننا إنني أنني إني أني أنك بأن بأنه بأنها "
    "بأنهم بأنهما بأننا بأنني"
)
BARE_COMPLEMENTIZERS = _norms("أن إن بأن")
# "X ... أن" where أن belongs to X, not to the cue: modal and prepositional governors.
GOVERNORS = _norms(
    "بعد قبل منذ دون بدون حتى يمكن يجب ينبغي يفترض بد لابد غير إلا الا رغم برغم بمجرد مجرد المتوقع المقرر "
    "المنتظر المفترض المرجح الممكن الضروري المهم المفروض المستبعد يتوقع ينتظر يتعين يريد تريد يود "
    "يستطيع تستطيع أراد قرر تقرر بإمكان بوسع حاول يحاول تحاول سبق ويجب ويمكن لأجل أجل"
)
PRONOUN_SUBJECTS = _norms(
    "فإنه فإنها فإنهم وإنه وإنها إنه إنها لأنه لأنها وهو وهي فهو فهي هو هي وهم هم كما أنه أنها"
)
CHAIN_NOUNS = _norms("قوله قولها قولهم قولهما القول بالقول")
SPEECH_PREP_PRONOUNS = _norms("عنه عنها عنهم عنهما")
# Implicit-subject openers: the pronoun points back at the last speaker.
TOPIC_SHIFTERS = _norms("جهته جهتها جانبه جانبها بدوره بدورها")

_OPENERS = {"“": "c", "„": "c", "«": "g", '"': "s"}
_CLOSERS = {"”": "c", "»": "g", '"': "s"}
_SENT_END = frozenset({".", "!", "؟", "?", "…"})
_PUNCT_STOP = frozenset({".", "!", "؟", "?", "…", "؛", ";", ":", "(", ")", "[", "]", "-", "–", "—", "/"})
_COMMAS = frozenset({"،", ","})

_WORD = r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c\u200d]"
_TOKEN_RE = re.compile(rf"\d+(?:[.,٫]\d+)+|{_WORD}+|\.{{2,}}|\S")
_BOILERPLATE_RE = re.compile(
    r"(?m)^[ \t\u00a0]*(?:حول الموقع|مقالات متعلقة|مواضيع ذات صلة|اقرأ أيضا|اقرأ ايضا|ادعم |اضغط هنا|//\s*انتهى)"
    r"|رابط الخبر بصحيفة|رابط الخبر\s*:"
)
_MAX_WINDOW = 32  # tokens a complement may follow its cue
_MAX_NP = 12  # tokens of a speaker phrase
_MAX_LOOKBACK = 3000  # tokens searched back for an antecedent
_STRICT = bool(os.environ.get("QAWL_QUOTES_STRICT"))  # re-raise internal errors (development only)


# ============================================================================ text units
@dataclass
class _Pair:
    """A quoted span: opening mark token, closing mark token (None when implicit), content chars."""

    open: int
    close: int | None
    end_tok: int  # last token inside (exclusive end index of the content tokens)
    start: int  # content start char
    end: int  # content end char
    n_words: int
    name: bool = False  # marks around a name, title or hashtag
    used: bool = False


@dataclass
class _Spk:
    name: str
    entity_id: str | None
    mention: tuple[int, int] | None  # char span in the quote's sentence
    resolution: Resolution
    person: bool  # a person (PER entity or a person title), for feminine agreement
    keys: frozenset[str] = frozenset()  # title words around the speaker (for titles later on)

    def to_speaker(self, text: str) -> Speaker:
        mention = None
        if self.mention is not None:
            s, e = self.mention
            mention = Mention(start=s, end=e, text=text[s:e])
        return Speaker(name=self.name, entity_id=self.entity_id, mention=mention, resolution=self.resolution)


@dataclass
class _Found:
    kind: QuoteKind
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: _Spk | None
    score: float
    order: int = 0


class _Text:
    """Tokens, paragraphs, sentences, quote-mark pairs and entity mentions of one document."""

    def __init__(self, text: str, entities: list[Entity]) -> None:
        self.text = text
        limit = self._boilerplate_start(text)
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        para: list[int] = []
        p = 0
        last_end = 0
        for m in _TOKEN_RE.finditer(text, 0, limit):
            if "\n" in text[last_end : m.start()] and starts:
                p += 1
            starts.append(m.start())
            ends.append(m.end())
            words.append(m.group())
            para.append(p)
            last_end = m.end()
        self.starts, self.ends, self.words, self.para = starts, ends, words, para
        self.n = len(words)
        self.norms = [normalize(w) for w in words]
        self.sent = self._sentences()
        self.sent_bounds = self._bounds(self.sent)
        self.pairs: list[_Pair] = []
        self.pair_at_open: dict[int, _Pair] = {}
        self.in_pair: list[int] = [-1] * self.n  # index into pairs of the innermost pair holding a token
        self._pair_marks()
        self.entities = entities
        self.ent_at: list[int] = [-1] * self.n  # entity index
        self.ment_at: list[tuple[int, int] | None] = [None] * self.n  # mention token span
        self._map_entities()

    # -- units ---------------------------------------------------------------------------
    @staticmethod
    def _boilerplate_start(text: str) -> int:
        half = len(text) // 2
        for m in _BOILERPLATE_RE.finditer(text, half):
            return m.start()
        return len(text)

    def gap_has_space(self, i: int) -> bool:
        """Whitespace between token i-1 and token i."""
        return i <= 0 or i >= self.n or self.starts[i] > self.ends[i - 1]

    def _sentences(self) -> list[int]:
        sent = [0] * self.n
        s = 0
        depth = 0
        i = 0
        while i < self.n:
            if i > 0 and self.para[i] != self.para[i - 1]:
                s += 1
                depth = 0
            sent[i] = s
            w = self.words[i]
            if w == "(":
                depth += 1
            elif w == ")":
                depth = max(0, depth - 1)
            if (w in _SENT_END or w.startswith("..")) and depth == 0:
                prev = self.norms[i - 1] if i > 0 else ""
                if len(prev) == 1 and not prev.isdigit() and w == ".":  # د. محمد
                    i += 1
                    continue
                # closing marks glued to the full stop stay in this sentence: ...سياسته.”
                j = i + 1
                while j < self.n and self.words[j] in ("”", "»", '"', ")", "’") and not self.gap_has_space(j):
                    sent[j] = s
                    j += 1
                s += 1
                i = j
                continue
            i += 1
        return sent

    @staticmethod
    def _bounds(ids: list[int]) -> dict[int, tuple[int, int]]:
        out: dict[int, tuple[int, int]] = {}
        for i, s in enumerate(ids):
            if s in out:
                out[s] = (out[s][0], i + 1)
            else:
                out[s] = (i, i + 1)
        return out

    def sentence_span(self, i: int) -> tuple[int, int]:
        return self.sent_bounds[self.sent[i]]

    # -- quote marks ---------------------------------------------------------------------
    def _direction(self, i: int, open_fams: list[str]) -> tuple[str, str] | None:
        """('open'|'close', family) of the mark at token i, or None for a non-mark."""
        w = self.words[i]
        text = self.text
        before = text[self.starts[i] - 1] if self.starts[i] > 0 else " "
        after = text[self.ends[i]] if self.ends[i] < len(text) else " "
        left_free = before.isspace() or before in "(:[،,؛"
        right_free = after.isspace() or after in ".,،؛:)]!؟?"
        if w in ("«", "„"):
            return "open", _OPENERS[w]
        if w == "»":
            return "close", "g"
        if w == "“":
            if "c" in open_fams and not left_free and right_free:
                return "close", "c"
            return "open", "c"
        if w == "”":
            if "c" not in open_fams and not right_free:
                return "open", "c"  # و”الموت ...”، لـ”عين اليوم”
            return "close", "c"
        if w == '"':
            if "s" in open_fams:
                if left_free and not right_free:
                    return "open", "s"  # an unclosed quote followed by a new one
                return "close", "s"
            if right_free and not left_free:
                return "close", "s"  # stray closer
            return "open", "s"
        return None

    def _pair_marks(self) -> None:
        stack: list[tuple[int, str]] = []  # (open token, family)

        def close(open_tok: int, close_tok: int | None, end_tok: int) -> None:
            self._add_pair(open_tok, close_tok, end_tok)

        for i in range(self.n):
            if i > 0 and self.para[i] != self.para[i - 1] and stack:
                # a paragraph ends with quotes open: continue only into a paragraph that carries on
                # the quote (opens with the same mark, or closes it before opening another)
                keep: list[tuple[int, str]] = []
                for o, fam in stack:
                    if self._continues(o, fam, i):
                        keep.append((o, fam))
                    else:
                        close(o, None, i)
                stack = keep
            w = self.words[i]
            if w not in _OPENERS and w not in _CLOSERS:
                continue
            d = self._direction(i, [f for _, f in stack])
            if d is None:
                continue
            kind, fam = d
            if kind == "open":
                if stack and stack[-1][1] == fam:
                    o = stack.pop()[0]
                    if self.para[o] != self.para[i] and self._first_in_para(i):
                        stack.append((o, fam))  # multi-paragraph quote: a new paragraph re-opens it
                        continue
                    close(o, None, self._last_sentence_end(o, i))
                stack.append((i, fam))
            else:
                if not any(f == fam for _, f in stack):
                    continue  # stray closing mark
                while stack:
                    o, f = stack.pop()
                    if f == fam:
                        close(o, i, i)
                        break
                    close(o, None, i)
        for o, _ in stack:
            close(o, None, self._para_end(o))
        self.pairs.sort(key=lambda p: p.open)
        for idx, pair in enumerate(self.pairs):
            self.pair_at_open[pair.open] = pair
            for t in range(pair.open + 1, pair.end_tok):
                self.in_pair[t] = idx

    def _first_in_para(self, i: int) -> bool:
        return i == 0 or self.para[i - 1] != self.para[i]

    def _para_end(self, i: int) -> int:
        j = i
        while j < self.n and self.para[j] == self.para[i]:
            j += 1
        return j

    def _continues(self, o: int, fam: str, i: int) -> bool:
        if self.para[i] - self.para[o] >= 3:
            return False
        if self.words[i] in _OPENERS and _OPENERS.get(self.words[i]) == fam:
            return True
        # the paragraph closes the quote before opening another one of this kind
        j = i
        end = self._para_end(i)
        while j < end:
            w = self.words[j]
            if w in _CLOSERS or w in _OPENERS:
                d = self._direction(j, [fam])
                if d is not None and d[1] == fam:
                    return d[0] == "close"
            j += 1
        return False

    def _last_sentence_end(self, o: int, i: int) -> int:
        """End token (exclusive) for a quote opened at o that is still open when i opens a new one."""
        s = self.sent[i]
        j = i
        while j > o + 1 and self.sent[j - 1] == s:
            j -= 1
        return j if j > o + 1 else i

    def _add_pair(self, o: int, c: int | None, end_tok: int) -> None:
        first = o + 1
        last = end_tok - 1
        if c is None:  # implicit end: drop trailing spaces only
            while last >= first and self.words[last] in ("", " "):
                last -= 1
        if last < first:
            return
        start, end = self.starts[first], self.ends[last]
        n_words = sum(
            1 for t in range(first, last + 1) if self.words[t][0].isalnum() or self.words[t][0] == "#"
        )
        self.pairs.append(_Pair(o, c, last + 1, start, end, n_words))

    # -- entities ------------------------------------------------------------------------
    def _map_entities(self) -> None:
        for e, ent in enumerate(self.entities):
            for m in ent.mentions:
                if m.end > (self.ends[-1] if self.n else 0):
                    continue
                a = bisect.bisect_right(self.starts, m.start) - 1
                b = bisect.bisect_left(self.ends, m.end)
                if a < 0 or b >= self.n or a > b:
                    continue
                for t in range(a, b + 1):
                    if self.ent_at[t] == -1:
                        self.ent_at[t] = e
                        self.ment_at[t] = (a, b + 1)

    def token_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)


# ============================================================================ extraction
class _Extractor:
    def __init__(self, t: _Text, cues: CueLexicon) -> None:
        self.t = t
        self.cues = cues
        self.cue_at: list[tuple[Cue, int] | None] = [
            cues.lookup(n) if n[:1].isalpha() else None for n in t.norms
        ]
        self.found: list[_Found] = []
        self.agents: list[tuple[int, _Spk]] = []  # (token, speaker) subjects seen so far
        self.titles: list[tuple[int, frozenset[str], _Spk]] = []  # title context of named people
        self.claimed: list[bool] = [False] * t.n  # tokens inside a produced quote
        self._index_titles()

    # -- small predicates ----------------------------------------------------------------
    def word(self, i: int) -> bool:
        return 0 <= i < self.t.n and self.t.words[i][:1].isalnum()

    def norm(self, i: int) -> str:
        return self.t.norms[i] if 0 <= i < self.t.n else ""

    def in_set(self, i: int, keys: frozenset[str]) -> bool:
        n = self.norm(i)
        if not n:
            return False
        if _key(n) in keys:
            return True
        if len(n) > 3 and n[0] in "وفبل" and _key(n[1:]) in keys:
            return True
        return len(n) > 4 and n[:2] in ("ول", "وب", "فل", "فب") and _key(n[2:]) in keys

    def is_verb_cue(self, i: int) -> bool:
        hit = self.cue_at[i] if 0 <= i < self.t.n else None
        return hit is not None and hit[0].cls in ("verb", "participle") and not hit[0].ambiguous

    def is_complementizer(self, i: int) -> bool:
        n = self.norm(i)
        if n not in COMPLEMENTIZERS:
            return False
        if n in ("ان", "بان"):
            nxt = self.norm(i + 1)
            if nxt[:1] in ("ي", "ن") and nxt not in ("نحو", "نحن") and len(nxt) >= 3:
                return False  # أنْ + subjunctive verb: not a reported clause
            if n == "ان" and self.t.words[i].startswith("إ") and nxt in ("كان", "كانت", "لم"):
                return False  # conditional إن
            if self.norm(i - 1) in GOVERNORS:
                return False
        return True

    def stop_word(self, i: int) -> bool:
        n = self.norm(i)
        return n in PREPOSITIONS or n in RELATIVES or n in COMPLEMENTIZERS or n in TIME_WORDS

    # -- title contexts ------------------------------------------------------------------
    def _index_titles(self) -> None:
        """Title words around each PER mention: وزير الخارجية الاميركي جون كيري -> {وزير, خارجي, اميركي}."""
        t = self.t
        i = 0
        while i < t.n:
            e = t.ent_at[i]
            span = t.ment_at[i]
            if e < 0 or span is None:
                i += 1
                continue
            a, b = span
            ent = t.entities[e]
            if ent.label == "PER":
                keys = self._context_keys(a, b)
                if keys:
                    spk = self._entity_speaker(e, None, "explicit")
                    self.titles.append((a, keys, spk))
            i = max(b, i + 1)

    def _context_keys(self, a: int, b: int) -> frozenset[str]:
        t = self.t
        keys: set[str] = set()
        j = a - 1
        steps = 0
        while j >= 0 and steps < 7 and t.sent[j] == t.sent[a]:
            w = t.words[j]
            if w in _COMMAS:
                j -= 1
                continue
            if not self.word(j) or self.norm(j) in PREPOSITIONS or self.is_verb_cue(j):
                break
            keys.add(_skel_key(self.norm(j)))
            j -= 1
            steps += 1
        j = b
        steps = 0
        while j < t.n and steps < 6 and t.sent[j] == t.sent[a]:
            if t.words[j] in _COMMAS:
                if steps:
                    break
                j += 1
                continue
            if not self.word(j) or self.stop_word(j) or self.is_verb_cue(j) or t.ent_at[j] >= 0:
                break
            if not self.in_set(j, PERSON_TITLES) and steps == 0:
                break
            keys.add(_skel_key(self.norm(j)))
            j += 1
            steps += 1
        return frozenset(k for k in keys if k)

    # -- speaker phrases -----------------------------------------------------------------
    def np_end(self, i: int, limit: int) -> int:
        """End (exclusive) of the noun phrase starting at token i (a speaker or source phrase)."""
        t = self.t
        j = i
        while j < limit and j - i < _MAX_NP:
            w = t.words[j]
            if w in _COMMAS:
                # apposition: ، جون كيري، / ، رئيس ...
                nxt = j + 1
                if nxt < limit and (
                    t.ent_at[nxt] >= 0 or self.in_set(nxt, PERSON_TITLES) or self.in_set(nxt, HONORIFICS)
                ):
                    j = nxt
                    continue
                break
            if not self.word(j):
                break
            if j > i and (
                self.stop_word(j) or self.cue_at[j] is not None and self.cue_at[j][0].cls != "noun"
            ):
                break
            if j > i and self.norm(j) in DEMONSTRATIVES:
                break
            n = self.norm(j)
            if (
                j > i
                and n[:1] in "وف"
                and t.ent_at[j] < 0
                and not (self.in_set(j, ORG_HEADS) or self.in_set(j, PERSON_TITLES))
            ):
                break  # a new conjunct or clause
            if j == i and (n in PREPOSITIONS or n in COMPLEMENTIZERS):
                break
            j += 1
        while j > i and t.words[j - 1] in _COMMAS:
            j -= 1
        return j

    def speaker_from_np(self, a: int, b: int, at: int) -> _Spk | None:
        """Resolve the speaker phrase tokens [a, b)."""
        t = self.t
        if b <= a:
            return None
        mention = (t.starts[a] + self._clitic_cut(a), t.ends[b - 1])
        first = self.norm(a)
        # document nouns: بيان صادر عن X، حصيلة للمرصد -> X
        if self.in_set(a, DOC_NOUNS) and not first.startswith("ال"):
            owner = self._doc_owner(a, b)
            if owner is not None:
                return owner
        # definite descriptions: هذا المركز، الوزارة، البيان، الوزير الاميركي
        if first in DEMONSTRATIVES and b - a >= 2:
            return self._definite(a + 1, b, at, mention)
        e0 = t.ent_at[a]
        if e0 >= 0:
            ent = t.entities[e0]
            if (
                ent.label != "PER"
                and any(t.ent_at[k] >= 0 and t.entities[t.ent_at[k]].label == "PER" for k in range(a, b))
                and self.in_set(a, PERSON_TITLES)
            ):
                pass
            else:
                return self._entity_speaker(e0, mention, "explicit", keys=self._np_keys(a, b))
        for k in range(a, b):
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label == "PER":
                return self._entity_speaker(e, mention, "explicit", keys=self._np_keys(a, b))
        name = self._name_in_np(a, b)
        if name is not None:
            na, nb = name
            text = t.text[t.starts[na] + self._clitic_cut(na) : t.ends[nb - 1]]
            linked = self._link_name(text)
            if linked is not None:
                return _Spk(linked.name, linked.entity_id, mention, "explicit", True, self._np_keys(a, b))
            return _Spk(text, None, mention, "explicit", True, self._np_keys(a, b))
        if first.startswith("ال") or (len(first) > 3 and first[0] in "ول" and first[1:3] == "ال"):
            resolved = self._definite(a, b, at, mention)
            if resolved is not None:
                return resolved
        # an organization named by a phrase (المرصد السوري لحقوق الانسان) or a description
        for k in range(a, b):
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label in ("ORG",) and not self.in_set(a, PERSON_TITLES):
                return self._entity_speaker(e, mention, "explicit", keys=self._np_keys(a, b))
        person = self.in_set(a, PERSON_TITLES)
        return _Spk(t.text[mention[0] : mention[1]], None, mention, "nominal", person, self._np_keys(a, b))

    def _clitic_cut(self, i: int) -> int:
        """Code points of a و/ف conjunction (or ل/ب preposition) glued to token i that is not the name."""
        w = self.t.words[i]
        n = self.norm(i)
        if len(n) > 3 and n[0] in "وفلب" and (n[1:3] == "ال" or self.t.ent_at[i] >= 0):
            ment = self.t.ment_at[i]
            if ment is not None and self.t.entities[self.t.ent_at[i]].mentions:
                for m in self.t.entities[self.t.ent_at[i]].mentions:
                    if self.t.starts[i] <= m.start < self.t.ends[i]:
                        return m.start - self.t.starts[i]
            if n[1:3] == "ال":
                from .arabic import skip_letters

                return skip_letters(w, 1)
        return 0

    def _np_keys(self, a: int, b: int) -> frozenset[str]:
        return frozenset(_skel_key(self.norm(k)) for k in range(a, b) if self.word(k))

    def _entity_speaker(
        self,
        e: int,
        mention: tuple[int, int] | None,
        resolution: Resolution,
        keys: frozenset[str] = frozenset(),
    ) -> _Spk:
        ent = self.t.entities[e]
        return _Spk(ent.name, ent.id, mention, resolution, ent.label == "PER", keys)

    def _doc_owner(self, a: int, b: int) -> _Spk | None:
        t = self.t
        # بيان صادر عن X
        if b - a >= 2 and _key(self.norm(a + 1)) in ("صادر", "صادره") and self.norm(b) == "عن":
            end = self.np_end(b + 1, min(t.n, b + 1 + _MAX_NP))
            return self.speaker_from_np(b + 1, end, b + 1) if end > b + 1 else None
        if b - a >= 2 and self.norm(a + 1) == "عن":
            return None
        # حصيلة للمرصد السوري، تقرير لوزارة الصحة
        n1 = self.norm(a + 1)
        if b - a >= 2 and n1.startswith("ل") and len(n1) > 3:
            return self.speaker_from_np(a + 1, b, a + 1)
        return None

    def _name_in_np(self, a: int, b: int) -> tuple[int, int] | None:
        """A personal name inside a title phrase the NER missed: after an honorific, or its tail."""
        t = self.t
        for k in range(b - 1, a - 1, -1):
            if self.in_set(k, HONORIFICS) and k + 1 < b and self.norm(k) not in ("الرئيس",):
                end = k + 1
                while end < b and end - k <= 4 and self._namelike(end):
                    end += 1
                if end > k + 1:
                    return k + 1, end
        if not self.in_set(a, PERSON_TITLES):
            return None
        # tail of the phrase: rare words after the title chain (المتحدث ... إسماعيل إبراهيم)
        end = b
        k = b - 1
        while k > a and end - k <= 4 and self._namelike(k):
            k -= 1
        if k + 1 < end and (end - (k + 1)) >= 2:
            return k + 1, end
        return None

    def _namelike(self, k: int) -> bool:
        t = self.t
        n = self.norm(k)
        if not self.word(k) or not n[:1].isalpha():
            return False
        if t.ent_at[k] >= 0 and t.entities[t.ent_at[k]].label != "PER":
            return False
        if self.in_set(k, PERSON_TITLES) or self.in_set(k, TITLE_MODIFIERS) or self.in_set(k, ORG_HEADS):
            return False
        if n[0] in "لب" and len(n) > 3 and (n[1:3] == "ال" or n[1] == "ل"):
            return False
        if n.startswith("ال") and (n.endswith("يه") or n.endswith("يين")):
            return False  # الشرقية، الاميركية: adjectives
        return not self.stop_word(k)

    def _link_name(self, text: str) -> _Spk | None:
        """An entity or an earlier speaker whose name contains this one (الجلال -> وليد الجلال)."""
        keys = [skeleton(_core(normalize(w))) for w in text.split()]
        if not keys:
            return None
        for ent in self.t.entities:
            if ent.label != "PER":
                continue
            ek = [skeleton(_core(normalize(w))) for w in ent.name.split()]
            if _contains(ek, keys) or _contains(keys, ek):
                return _Spk(ent.name, ent.id, None, "explicit", True)
        best: _Spk | None = None
        for _, spk in reversed(self.agents):
            sk = [skeleton(_core(normalize(w))) for w in spk.name.split()]
            if _contains(sk, keys) and (best is None or len(spk.name) > len(best.name)):
                best = spk
        return best

    def _definite(self, a: int, b: int, at: int, mention: tuple[int, int]) -> _Spk | None:
        """الوزير الاميركي، المسؤول الروسي، الوزارة، البيان، هذا المركز: what the description refers to."""
        head = _key(self.norm(a))
        if not head:
            return None
        qkeys = frozenset(_skel_key(self.norm(k)) for k in range(a, b) if self.word(k))
        hk = _skel_key(self.norm(a))
        if self.in_set(a, PERSON_TITLES):
            best: tuple[int, int, _Spk] | None = None
            cands: list[tuple[int, frozenset[str], _Spk]] = list(self.titles)
            cands += [(pos, spk.keys, spk) for pos, spk in self.agents if spk.keys]
            for pos, keys, spk in cands:
                if hk not in keys:
                    continue
                score = len(qkeys & keys)
                rank = (score, pos if pos < at else -pos)
                if best is None or rank > (best[0], best[1]):
                    best = (rank[0], rank[1], spk)
            if best is not None:
                s = best[2]
                return _Spk(s.name, s.entity_id, mention, "nominal", s.person, s.keys)
            if b - a <= 1 and head in _key_set("مصدر مسؤول متحدث"):
                last = self.last_agent(at, feminine=False)
                if last is not None:
                    return _Spk(last.name, last.entity_id, mention, "nominal", last.person, last.keys)
            return None
        # organisations and documents: find the phrase the article introduced them with
        t = self.t
        lo = max(0, a - _MAX_LOOKBACK)
        for j in range(a - 1, lo - 1, -1):
            if self.claimed[j] or not self.word(j):
                continue
            n = self.norm(j)
            if _key(n) != head or j in range(a, b):
                continue
            end = self.np_end(j, min(t.n, j + _MAX_NP))
            if end - j < 2 or t.sent[j] == t.sent[a] and j >= a:
                continue
            if self.in_set(j, DOC_NOUNS):
                owner = self._doc_owner(j, end)
                if owner is not None:
                    return _Spk(owner.name, owner.entity_id, mention, "nominal", owner.person, owner.keys)
            # stop the antecedent phrase before a personal name it runs into
            k = j + 1
            while k < end and not (t.ent_at[k] >= 0 and t.entities[t.ent_at[k]].label == "PER"):
                if self.in_set(k, HONORIFICS):
                    break
                k += 1
            end = k
            name_tail = self._name_tail_start(j, end)
            end = name_tail if name_tail is not None else end
            if end - j < 2:
                continue
            e = t.ent_at[j]
            if e >= 0 and t.entities[e].label != "PER":
                return self._entity_speaker(e, mention, "nominal", keys=self._np_keys(j, end))
            text = t.text[t.starts[j] + self._clitic_cut(j) : t.ends[end - 1]]
            return _Spk(text, None, mention, "nominal", False, self._np_keys(j, end))
        return None

    def _name_tail_start(self, a: int, b: int) -> int | None:
        k = b - 1
        while k > a and self._namelike(k) and b - k <= 3:
            k -= 1
        if b - (k + 1) >= 2 and k + 1 > a + 1:
            return k + 1
        return None

    # -- agents --------------------------------------------------------------------------
    def last_agent(self, at: int, feminine: bool | None, same_sentence_only: bool = False) -> _Spk | None:
        sent = self.t.sent[at] if at < self.t.n else -1
        for pos, spk in reversed(self.agents):
            if pos >= at:
                continue
            if same_sentence_only and self.t.sent[pos] != sent:
                return None
            if feminine and spk.person and spk.entity_id is not None:
                continue  # تؤكد/قالت/مشيرة after a man: look further back
            return spk
        return None

    def add_agent(self, pos: int, spk: _Spk) -> None:
        self.agents.append((pos, spk))

    # -- the cue pass --------------------------------------------------------------------
    def run(self) -> list[_Found]:
        t = self.t
        sentence_subject_done: set[int] = set()
        i = 0
        while i < t.n:
            s = t.sent[i]
            if s not in sentence_subject_done:
                sentence_subject_done.add(s)
                self._sentence_subject(i)
            hit = self.cue_at[i]
            if hit is None or self.claimed[i] or t.in_pair[i] >= 0 and self._inside_claimed_pair(i):
                i += 1
                continue
            cue, conj = hit
            try:
                if cue.cls == "attrib":
                    self._attributive(i, cue)
                else:
                    self._from_cue(i, cue, conj)
            except (IndexError, KeyError, ValueError):  # pragma: no cover - defensive
                pass
            i += 1
        self._unclaimed_pairs()
        self._headlines()
        return self.found

    def _inside_claimed_pair(self, i: int) -> bool:
        p = self.t.pairs[self.t.in_pair[i]]
        return p.used

    def _sentence_subject(self, i: int) -> None:
        """A named subject right after the sentence's first word (وعقد كيري ...) is a later ها/implicit."""
        t = self.t
        a, b = t.sentence_span(i)
        for k in (a + 1, a + 2):
            if k >= b or self.claimed[k]:
                continue
            e = t.ent_at[k]
            if e >= 0 and t.entities[e].label in ("PER", "ORG"):
                first = self.norm(a)
                if first.startswith("ال") or first in PREPOSITIONS or not self.word(a):
                    return
                self.add_agent(k, self._entity_speaker(e, None, "explicit"))
                return

    def _cue_span(self, i: int, conj: int) -> tuple[int, int]:
        from .arabic import skip_letters

        w = self.t.words[i]
        cut = skip_letters(w, conj) if conj else 0
        return self.t.starts[i] + cut, self.t.ends[i]

    def _skip_adverbs(self, j: int, limit: int) -> int:
        while j < limit and (self.norm(j) in TIME_WORDS or self.t.words[j] in _COMMAS):
            j += 1
        return j

    def _from_cue(self, i: int, cue: Cue, conj: int) -> None:
        t = self.t
        sa, sb = t.sentence_span(i)
        limit = sb
        cue_span = self._cue_span(i, conj)
        speaker: _Spk | None = None
        subj_end = i + 1
        implicit = False
        if cue.cls == "participle":
            implicit = True
        elif cue.cls == "noun":
            if self.norm(i) not in CHAIN_NOUNS and not self._noun_with_owner(i):
                return
            implicit = True
        else:
            j = self._skip_adverbs(i + 1, limit)
            # an addressee before the subject: أكد لـ”عين اليوم” المتحدث ..., قال لوكالة ...
            j2 = self._skip_addressee(j, limit)
            n = self.norm(j2)
            if (
                j2 < limit
                and self.word(j2)
                and n not in PREPOSITIONS
                and n not in COMPLEMENTIZERS
                and not (self.cue_at[j2] is not None and self.cue_at[j2][0].cls != "noun")
                and not n.startswith(("له", "لهم", "لها"))
            ):
                end = self.np_end(j2, limit)
                if end > j2:
                    if t.pairs and j2 in t.pair_at_open:
                        pass
                    speaker = self.speaker_from_np(j2, end, j2)
                    subj_end = end
            elif j2 < limit and t.words[j2] in _OPENERS and j2 in t.pair_at_open:
                pair = t.pair_at_open[j2]
                if (
                    pair.n_words <= 3
                    and pair.close is not None
                    and self._followed_by_complement(pair.close + 1)
                ):
                    # وأضاف "الدوسري": "..." : the quoted word is the subject's name
                    pair.name = True
                    a, b = pair.open + 1, pair.close
                    speaker = self.speaker_from_np(a, b, a)
                    subj_end = pair.close + 1
            if speaker is None:
                implicit = True
                subj_end = i + 1
                if conj == 0:
                    speaker = self._pre_subject(i, sa)
        # source chains: نقلت X عن Y (قوله) ...، على لسان Y
        k = self._skip_adverbs(subj_end, limit)
        if cue.lemma == "نقل" or self.norm(k) == "عن" and cue.lemma in ("نقل",):
            pass
        if self.norm(k) == "عن" and (cue.lemma == "نقل" or self.norm(k + 1) != ""):
            if cue.lemma == "نقل" or self._chain_noun_ahead(k + 1, limit):
                end = self.np_end(k + 1, limit)
                if end > k + 1:
                    speaker = self.speaker_from_np(k + 1, end, k + 1)
                    implicit = False
                    subj_end = end
        elif self.norm(k) in SPEECH_PREP_PRONOUNS and (
            cue.lemma == "نقل" or self._chain_noun_ahead(k + 1, limit)
        ):
            speaker = None
            implicit = True
            subj_end = k + 1
        if self.norm(subj_end) == "على" and self.norm(subj_end + 1) == "لسان":
            end = self.np_end(subj_end + 2, limit)
            if end > subj_end + 2:
                speaker = self.speaker_from_np(subj_end + 2, end, subj_end + 2)
                subj_end = end
        if implicit and speaker is None:
            speaker = self._implicit(i, cue)
        comp = self._complement(subj_end, limit, cue, implicit, i)
        if comp is None:
            # كما قال X: the attribution of the clause before
            if not implicit and speaker is not None and self.norm(i - 1) in ("كما", "مثلما"):
                self._postposed_clause(i, cue_span, speaker)
            if speaker is not None and not implicit and speaker.resolution != "nominal":
                self.add_agent(i, speaker)
            elif speaker is not None and not implicit:
                self.add_agent(i, speaker)
            return
        kind, start, end, cue_tok = comp
        if cue_tok is not None:
            cue_span = self._cue_span(cue_tok, 0)
        if speaker is not None and implicit:
            speaker = _Spk(speaker.name, speaker.entity_id, None, "anaphoric", speaker.person, speaker.keys)
        score = self._score(kind, cue, speaker, direct_pair=kind == "direct")
        self._emit(kind, start, end, cue_span, speaker, score)
        if speaker is not None:
            self.add_agent(i, speaker)

    def _noun_with_owner(self, i: int) -> bool:
        """تصريحات/بيان + owner + colon or quote: the noun alone carries the attribution."""
        return False

    def _chain_noun_ahead(self, j: int, limit: int) -> bool:
        for k in range(j, min(limit, j + _MAX_NP + 2)):
            if self.norm(k) in CHAIN_NOUNS or self.is_complementizer(k):
                return True
        return False

    def _skip_addressee(self, j: int, limit: int) -> int:
        """Skip لـ“X” / لوكالة X before a subject when a title or a name follows it."""
        t = self.t
        n = self.norm(j)
        if not (n.startswith("ل") and j < limit):
            return j
        k = j + 1
        if j in t.pair_at_open:
            return j
        if t.words[j] in ("لـ", "ل") and k < limit and k in t.pair_at_open:
            pair = t.pair_at_open[k]
            if pair.close is not None:
                pair.name = True
                k = pair.close + 1
        steps = 0
        while k < limit and steps < 5:
            if (
                self.in_set(k, PERSON_TITLES)
                or self.in_set(k, HONORIFICS)
                or (t.ent_at[k] >= 0 and t.entities[t.ent_at[k]].label == "PER")
            ):
                return k
            if not self.word(k) and t.words[k] not in _CLOSERS:
                return j
            k += 1
            steps += 1
        return j

    def _pre_subject(self, i: int, sa: int) -> _Spk | None:
        """SVO: the phrase before a cue without a conjunction (وكان كيري صرح، إلا أن مسؤولا ... قال)."""
        t = self.t
        j = i - 1
        while j >= sa and self.norm(j) in ("قد", "لقد"):
            j -= 1
        if j < sa:
            return None
        if self.norm(j) in PRONOUN_SUBJECTS:
            return self._implicit(i, self.cue_at[i][0] if self.cue_at[i] else None)
        end = j + 1
        k = j
        while k >= sa and end - k <= _MAX_NP:
            w = t.words[k]
            n = self.norm(k)
            if w in _COMMAS:
                k -= 1
                continue
            if not self.word(k) or n in PREPOSITIONS or self.is_verb_cue(k) or n in RELATIVES:
                break
            if n in ("كان", "وكان", "وكانت", "كانت", "فكان") or n in COMPLEMENTIZERS or n in TIME_WORDS:
                break
            k -= 1
        start = k + 1
        while start < end and t.words[start] in _COMMAS:
            start += 1
        if (
            start >= end
            or start == sa
            and self.norm(sa)[:1] in "وف"
            and self.cue_at[sa] is None
            and (t.ent_at[sa] < 0)
        ):
            return None
        if end - start > 8:
            return None
        if not (t.ent_at[start] >= 0 or self.in_set(start, PERSON_TITLES) or self.in_set(start, ORG_HEADS)):
            return None
        return self.speaker_from_np(start, end, start)

    def _implicit(self, i: int, cue: Cue | None) -> _Spk | None:
        fem = cue.feminine if cue is not None else None
        spk = self.last_agent(i, fem, same_sentence_only=True)
        if spk is None:
            spk = self.last_agent(i, fem)
        if spk is None:
            return None
        return _Spk(spk.name, spk.entity_id, None, "anaphoric", spk.person, spk.keys)

    def _followed_by_complement(self, j: int) -> bool:
        return self.t.words[j] == ":" if j < self.t.n else False

    def _complement(
        self, j: int, limit: int, cue: Cue, implicit: bool, cue_tok: int
    ) -> tuple[QuoteKind, int, int, int | None] | None:
        """The reported content after a cue: (kind, start, end, chain-noun token)."""
        t = self.t
        start_j = j
        chain: int | None = None
        max_gap = 2 if cue.ambiguous else _MAX_WINDOW
        k = j
        words_seen = 0
        while k < limit and k - start_j <= _MAX_WINDOW:
            w = t.words[k]
            n = self.norm(k)
            if n in CHAIN_NOUNS:
                chain = k
                k += 1
                continue
            if w == ":":
                nxt = k + 1
                if nxt < t.n and nxt in t.pair_at_open and not t.pair_at_open[nxt].name:
                    return self._direct(t.pair_at_open[nxt], chain)
                end_tok = self._clause_end(nxt, limit)
                if end_tok > nxt:
                    return self._clause(nxt, end_tok, chain)
                return None
            if k in t.pair_at_open:
                pair = t.pair_at_open[k]
                if pair.used:
                    return None
                if self._is_name_pair(pair) or (pair.n_words <= 3 and words_seen > 4):
                    k = (pair.close if pair.close is not None else pair.end_tok) + 1
                    words_seen += pair.n_words
                    continue
                if cue.ambiguous and words_seen > max_gap + (0 if implicit else 1) and pair.n_words < 4:
                    return None
                return self._direct(pair, chain)
            if self.is_complementizer(k):
                if cue.ambiguous and words_seen > max_gap + 2:
                    return None
                bare = n in BARE_COMPLEMENTIZERS
                first = k + 1 if bare else k
                if first < t.n and first in t.pair_at_open and bare:
                    pair = t.pair_at_open[first]
                    if not pair.used and not self._is_name_pair(pair):
                        return self._direct(pair, chain)
                if not bare and k + 1 in t.pair_at_open:  # انه “...”
                    pair = t.pair_at_open[k + 1]
                    if not pair.used and not self._is_name_pair(pair):
                        return self._direct(pair, chain)
                end_tok = self._clause_end(first, limit)
                if end_tok > first:
                    return self._clause(first, end_tok, chain)
                return None
            if w in _SENT_END or w in ("؛", ";"):
                return None
            if k > start_j and (
                self.is_verb_cue(k) or self.cue_at[k] is not None and self.cue_at[k][0].cls == "attrib"
            ):
                return None
            if self.word(k):
                words_seen += 1
            k += 1
        return None

    def _direct(self, pair: _Pair, chain: int | None) -> tuple[QuoteKind, int, int, int | None]:
        pair.used = True
        for x in range(
            pair.open, min(self.t.n, (pair.close if pair.close is not None else pair.end_tok) + 1)
        ):
            self.claimed[x] = True
        return "direct", pair.start, pair.end, chain

    def _clause(self, a: int, b: int, chain: int | None) -> tuple[QuoteKind, int, int, int | None]:
        t = self.t
        while b > a and (t.words[b - 1] in _COMMAS or t.words[b - 1] in _SENT_END or t.words[b - 1] in "؛;:"):
            b -= 1
        kind: QuoteKind = "indirect"
        for x in range(a, b):
            self.claimed[x] = True
            if x in t.pair_at_open:
                pair = t.pair_at_open[x]
                pair.used = True
                if not self._is_name_pair(pair):
                    kind = "mixed"
        return kind, t.starts[a], t.ends[b - 1], chain

    def _clause_end(self, a: int, limit: int) -> int:
        """End of a reported clause: the sentence end (across quoted sentences and وأن continuations),
        or before a new cue (، مشيرا الى / ، وأضاف) or an attribution (، بحسب)."""
        t = self.t
        k = a
        n = t.n
        while k < n:
            if t.in_pair[k] >= 0:
                pair = t.pairs[t.in_pair[k]]
                k = max(k + 1, pair.end_tok)
                continue
            w = t.words[k]
            if k >= limit or t.sent[k] != t.sent[a]:
                # a coordinated complement continues the clause: ... مدرسة.وأنه جرى ...
                if k < n and self.norm(k) in ("وان", "وانه", "وانها", "وبان") and t.para[k] == t.para[a]:
                    limit = t.sent_bounds[t.sent[k]][1]
                    a = k
                    k += 1
                    continue
                return k
            if w in ("؛", ";"):
                return k
            if w in _COMMAS and k + 1 < n:
                nxt = k + 1
                hit = self.cue_at[nxt]
                if hit is not None and (
                    hit[0].cls in ("participle", "attrib") or hit[0].cls == "verb" and hit[1] == 1
                ):
                    return k
                if self.norm(nxt) in ("كما", "مثلما") and self.is_verb_cue(nxt + 1):
                    return k
            elif k > a and w not in _COMMAS:
                hit = self.cue_at[k]
                if (
                    hit is not None
                    and hit[0].cls == "participle"
                    and not hit[0].ambiguous
                    and (
                        self.is_complementizer(k + 1)
                        or self.norm(k + 1) in ("الى", "على")
                        and self.is_complementizer(k + 2)
                    )
                ):
                    return k
            k += 1
        return k

    def _is_name_pair(self, pair: _Pair) -> bool:
        if pair.name:
            return True
        t = self.t
        text = t.text[pair.start : pair.end]
        if text.startswith(("#", "@")):
            pair.name = True
            return True
        if pair.n_words > 4:
            return False
        prev = pair.open - 1
        if prev >= 0:
            w = t.words[prev]
            if w in ("لـ", "ل") or self.in_set(prev, NAMING_NOUNS):
                pair.name = True
                return True
        return False

    # -- attributive phrases -------------------------------------------------------------
    def _attributive(self, i: int, cue: Cue) -> None:
        t = self.t
        sa, sb = t.sentence_span(i)
        j = i + 1
        n = cue.lemma
        if n in ("وفقا", "طبقا"):
            nxt = self.norm(j)
            if nxt in ("ل", "لـ"):
                j += 1
            elif not nxt.startswith("ل"):
                return
        elif n == "نقلا":
            if self.norm(j) != "عن":
                return
            j += 1
        if self.norm(j) == "ما":  # حسب ما ذكرت الوزارة
            hit = self.cue_at[j + 1] if j + 1 < t.n else None
            if hit is None or hit[0].cls != "verb":
                return
            j += 2
        end = self.np_end(j, sb)
        if end <= j:
            return
        if not self._source_like(j, end):
            return
        speaker = self.speaker_from_np(j, end, j)
        if speaker is None:
            return
        cue_span = self._cue_span(i, self.cue_at[i][1] if self.cue_at[i] else 0)
        # sentence-initial: وبحسب المرصد، فان ... ; otherwise the clause before it
        lead = i - sa
        if lead <= 1:
            a = end
            while a < sb and (t.words[a] in _COMMAS or self.norm(a) in ("فان", "فانه", "فانها")):
                a += 1
            b = self._clause_end(a, sb)
            self._emit_clause(a, b, cue_span, speaker, cue)
        else:
            self._postposed_clause(i, cue_span, speaker, cue)

    def _source_like(self, a: int, b: int) -> bool:
        t = self.t
        for k in range(a, b):
            if t.ent_at[k] >= 0:
                return True
            if self.in_set(k, PERSON_TITLES) or self.in_set(k, ORG_HEADS) or self.in_set(k, DOC_NOUNS):
                return True
        return False

    def _postposed_clause(
        self, i: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None = None
    ) -> None:
        """The clause before ، بحسب X / ، كما قال X / ، وفق X in the same sentence."""
        t = self.t
        sa, _ = t.sentence_span(i)
        b = i
        while b > sa and (self.norm(b - 1) in ("كما", "مثلما") or t.words[b - 1] in _COMMAS):
            b -= 1
        if b <= sa:
            return
        # a quote already covers this clause: the phrase names the channel, not a new quote
        if any(self.claimed[x] for x in range(sa, b)):
            return
        # a quoted span right before: “...” بحسب X -> direct
        if b - 1 >= 0 and t.words[b - 1] in _CLOSERS and t.in_pair[b - 2] >= 0 if b >= 2 else False:
            pair = t.pairs[t.in_pair[b - 2]]
            if pair.close == b - 1 and not pair.used and not self._is_name_pair(pair):
                kind, s, e, _ = self._direct(pair, None)
                self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
                return
        a = sa
        while a < b and not self.word(a) and t.words[a] not in _OPENERS:
            a += 1
        self._emit_clause(a, b, cue_span, speaker, cue)

    def _emit_clause(self, a: int, b: int, cue_span: tuple[int, int], speaker: _Spk, cue: Cue | None) -> None:
        t = self.t
        if b <= a:
            return
        kind, s, e, _ = self._clause(a, b, None)
        if e <= s:
            return
        self._emit(kind, s, e, cue_span, speaker, self._score(kind, cue, speaker, attributive=True))
        _ = t

    # -- quoted spans no cue claimed ----------------------------------------------------
    def _unclaimed_pairs(self) -> None:
        t = self.t
        for pair in t.pairs:
            if pair.used or self._is_name_pair(pair) or pair.n_words == 0:
                continue
            if any(self.claimed[x] for x in range(pair.open, pair.end_tok)):
                continue
            after = (pair.close if pair.close is not None else pair.end_tok - 1) + 1
            k = after
            while k < t.n and t.words[k] in _COMMAS:
                k += 1
            hit = self.cue_at[k] if k < t.n else None
            if hit is not None and hit[0].cls == "verb" and hit[1] == 0 and t.sent[k] == t.sent[pair.open]:
                # “...” قال X
                _, sb = t.sentence_span(k)
                end = self.np_end(k + 1, sb)
                if end > k + 1:
                    speaker = self.speaker_from_np(k + 1, end, k + 1)
                    kind, s, e, _ = self._direct(pair, None)
                    self._emit(kind, s, e, self._cue_span(k, 0), speaker, self._score(kind, hit[0], speaker))
                    if speaker is not None:
                        self.add_agent(k, speaker)
                    continue
            # a whole quoted sentence or paragraph with no cue: the previous speaker goes on
            starts_unit = pair.open == 0 or t.sent[pair.open - 1] != t.sent[pair.open]
            if starts_unit and pair.n_words >= 6 and self.found:
                prev = max(self.found, key=lambda f: f.end if f.end <= pair.start else -1)
                if (
                    prev.end <= pair.start
                    and t.para[pair.open] - t.para[t.token_of(prev.end)] <= 1
                    and prev.speaker
                ):
                    spk = prev.speaker
                    speaker = _Spk(spk.name, spk.entity_id, None, "anaphoric", spk.person, spk.keys)
                    kind, s, e, _ = self._direct(pair, None)
                    self._emit(kind, s, e, None, speaker, 0.35)

    # -- headlines -----------------------------------------------------------------------
    def _headlines(self) -> None:
        """A short line "كيري: نقترب من ..." : a headline quote of a named speaker."""
        t = self.t
        i = 0
        while i < t.n:
            end = t._para_end(i)
            if end - i <= 25 and t.words[end - 1] not in _SENT_END and not any(self.claimed[i:end]):
                colon = next((k for k in range(i + 1, min(end, i + 6)) if t.words[k] == ":"), None)
                if colon is not None and colon + 1 < end and all(self.word(k) for k in range(i, colon)):
                    e = t.ent_at[i]
                    ment = t.ment_at[i]
                    if (
                        e >= 0
                        and t.entities[e].label in ("PER", "ORG")
                        and ment is not None
                        and ment[1] >= colon
                    ):
                        speaker = self._entity_speaker(e, (t.starts[i], t.ends[colon - 1]), "explicit")
                        a = colon + 1
                        s, e2 = t.starts[a], t.ends[end - 1]
                        if a in t.pair_at_open and t.pair_at_open[a].close == end - 1:
                            s, e2 = t.pair_at_open[a].start, t.pair_at_open[a].end
                        self._emit("direct", s, e2, None, speaker, 0.55)
            i = end

    # -- output --------------------------------------------------------------------------
    def _score(
        self,
        kind: QuoteKind,
        cue: Cue | None,
        speaker: _Spk | None,
        *,
        direct_pair: bool = False,
        attributive: bool = False,
    ) -> float:
        score = {"direct": 0.8, "mixed": 0.75, "indirect": 0.7}[kind]
        if attributive:
            score -= 0.15
        if cue is not None and cue.ambiguous:
            score -= 0.05
        if speaker is None:
            score -= 0.3
        elif speaker.resolution == "anaphoric":
            score -= 0.1
        elif speaker.resolution == "nominal":
            score -= 0.05
        if speaker is not None and speaker.entity_id is not None:
            score += 0.1
        if cue is not None and cue.category == "report_neutral" and cue.cls == "verb":
            score += 0.05
        return round(min(0.99, max(0.05, score)), 2)

    def _emit(
        self,
        kind: QuoteKind,
        start: int,
        end: int,
        cue: tuple[int, int] | None,
        speaker: _Spk | None,
        score: float,
    ) -> None:
        text = self.t.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        self.found.append(_Found(kind, start, end, cue, speaker, score, len(self.found)))


def _key_set(words: str) -> frozenset[str]:
    return _keys(words)


def _skel_key(n: str) -> str:
    k = _key(n)
    if k.endswith("ي") and len(k) > 3:  # السعودي ~ السعودية, الاميركي ~ الامريكي
        k = k[:-1]
    return skeleton(k) if len(k) > 2 else k


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    if n == 0 or n > len(long):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _finalize(found: list[_Found], text: str) -> list[Quote]:
    """Order, drop overlaps (the earlier-produced quote wins), number Q1.. ."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda x: x.order):
        if any(f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    kept.sort(key=lambda x: (x.start, x.end))
    out: list[Quote] = []
    for n, f in enumerate(kept, start=1):
        cue = Mention(start=f.cue[0], end=f.cue[1], text=text[f.cue[0] : f.cue[1]]) if f.cue else None
        out.append(
            Quote(
                id=f"Q{n}",
                kind=f.kind,
                content=Mention(start=f.start, end=f.end, text=text[f.start : f.end]),
                cue=cue,
                speaker=f.speaker.to_speaker(text) if f.speaker is not None else None,
                confidence=f.score,
            )
        )
    return out


def extract_quotes(
    text: str, entities: list[Entity] | None = None, cues: CueLexicon | None = None, *, strict: bool = False
) -> list[Quote]:
    """Quotes of ``text`` given its entities (``doc._.entities``); never raises unless ``strict``."""
    if not text or not text.strip():
        return []
    try:
        t = _Text(text, list(entities or []))
        if t.n == 0:
            return []
        ex = _Extractor(t, cues or default_cues())
        return _finalize(ex.run(), text)
    except Exception:  # a quote failure must never fail the request
        if strict or _STRICT:
            raise
        return []


# ============================================================================ component
class QuoteAttributor:
    """spaCy component: ``doc._.quotes`` from the text and ``doc._.entities``."""

    def __init__(self, name: str = "qawl_quotes", cues_path: str | None = None) -> None:
        self.name = name
        self.cues = load_cues(Path(cues_path)) if cues_path else default_cues()

    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.entities if Doc.has_extension("entities") else None
        doc._.quotes = extract_quotes(doc.text, entities or [], self.cues)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None
    ) -> None:
        self.cues = default_cues()


@Language.factory("qawl_quotes", default_config={"cues_path": None})
def make_quote_attributor(nlp: Language, name: str, cues_path: str | None) -> QuoteAttributor:
    return QuoteAttributor(name, cues_path)
