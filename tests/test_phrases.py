"""The shared phrase machinery (nlp/phrases.py) as each rule engine uses it: noun-phrase ends, name
runs, the agent stack, title linking and the clitic cut. Entities are hand-given (given_entities.py),
so a retrained NER cannot move what these check; every stop has a positive control beside it."""

from __future__ import annotations

import pytest
from given_entities import ents  # tests/ is on sys.path (no package)
from spacy.language import Language

from qawl_service.analyzer import Analyzer
from qawl_service.nlp.lexicon import default_lexicon
from qawl_service.nlp.morphology import skeleton_key
from qawl_service.nlp.phrases import AgentStack, PhraseReader, TitleEntry, TokenView, best_title
from qawl_service.nlp.quote_phrases import _Phrases
from qawl_service.nlp.quote_text import _Spk, _Text
from qawl_service.nlp.reporting_cues import default_cues
from qawl_service.nlp.segment import segment_text
from qawl_service.nlp.stance_cues import default_stance_cues
from qawl_service.nlp.stance_phrases import _Tagger
from qawl_service.nlp.stance_view import _Holder, _View

KERRY = "وقال وزير الخارجية الأمريكي جون كيري في مؤتمر صحفي إن المحادثات مستمرة. وأضاف الوزير الأمريكي أن"
KERRY_ENTS = ("جون كيري|كيري", "PER")


@pytest.fixture(scope="module")
def nlp(analyzer: Analyzer) -> Language:
    return analyzer.nlp


def quote_reader(text: str, *specs: tuple[str, str]) -> _Phrases:
    return _Phrases(_Text(text, ents(text, *specs), segment_text(text)), default_cues(), default_lexicon())


def stance_reader(nlp: Language, text: str, *specs: tuple[str, str]) -> _Tagger:
    doc = nlp.get_pipe("qawl_segmenter")(nlp.make_doc(text))
    return _Tagger(_View(doc, text, ents(text, *specs), []), default_stance_cues())


def tok(view: TokenView, word: str, nth: int = 0) -> int:
    """Index of the ``nth`` token written ``word``."""
    return [i for i, w in enumerate(view.words) if w == word][nth]


def test_one_implementation_serves_both_engines() -> None:
    for name in ("np_end", "name_run", "clitic_cut", "add_agent", "last_agent", "person_titles"):
        assert getattr(_Phrases, name) is getattr(_Tagger, name) is getattr(PhraseReader, name)


# ---------------------------------------------------------------------------- noun-phrase ends
def test_quote_np_end_takes_title_and_name_and_stops_at_a_preposition() -> None:
    r = quote_reader(KERRY, KERRY_ENTS)
    t = r.t
    start, limit = tok(t, "وزير"), t.sentence_span(tok(t, "وزير"))[1]
    assert r.np_end(start, limit) == tok(t, "في")  # ... جون كيري | في مؤتمر
    assert r.np_end(start, tok(t, "كيري")) == tok(t, "كيري")  # the limit is a hard stop


def test_quote_np_end_goes_over_a_comma_to_a_name_only() -> None:
    text = "وقال وزير الخارجية، جون كيري، إن المحادثات مستمرة"
    r = quote_reader(text, KERRY_ENTS)
    t = r.t
    start, limit = tok(t, "وزير"), t.n
    assert r.np_end(start, limit) == tok(t, "كيري") + 1  # over the first comma, not the second
    plain = quote_reader("وقال وزير الخارجية، إن المحادثات مستمرة")
    assert plain.np_end(tok(plain.t, "وزير"), plain.t.n) == tok(plain.t, "الخارجية") + 1


def test_stance_np_end_reads_an_apposition_only_in_a_subject(nlp: Language) -> None:
    text = "ندد وزير الخارجية السعودي، عادل الجبير، بالهجوم على المدنيين"
    r = stance_reader(nlp, text, ("عادل الجبير", "PER"))
    v = r.v
    start = tok(v, "وزير")
    assert r.np_end(start, v.n, subject=True) == tok(v, "الجبير") + 1
    assert r.np_end(start, v.n) == tok(v, "السعودي") + 1  # not a subject: the comma ends it


# ---------------------------------------------------------------------------- name runs
def test_name_runs_stop_at_a_preposition(nlp: Language) -> None:
    text = "وقال رئيس البرلمان العربي أحمد الجروان في كلمته إن"
    q = quote_reader(text)
    assert q.name_run(tok(q.t, "أحمد"), q.t.n) == 2  # أحمد الجروان | في
    assert q.name_run(tok(q.t, "في"), q.t.n) == 0
    s = stance_reader(nlp, text)
    assert s.name_run(tok(s.v, "أحمد"), s.v.n) == 2
    assert s.name_run(tok(s.v, "في"), s.v.n) == 0
    assert s.name_run(tok(s.v, "البرلمان"), s.v.n) == 0  # a definite word starts no name here


def test_name_runs_are_at_most_four_words(nlp: Language) -> None:
    text = "وقال المواطن جابر مبارك حمد سالم خليفة إن"
    q = quote_reader(text)
    assert all(q.namelike(k) for k in range(tok(q.t, "جابر"), tok(q.t, "إن")))  # five name words
    assert q.name_run(tok(q.t, "جابر"), q.t.n) == 4
    assert q.name_run(tok(q.t, "سالم"), q.t.n) == 2
    s = stance_reader(nlp, text)
    assert s.name_run(tok(s.v, "جابر"), s.v.n) == 4


# ---------------------------------------------------------------------------- agent stack
class _Sentences(TokenView):
    """A bare view: 10 tokens, two per sentence, one paragraph per sentence."""

    def __init__(self) -> None:
        self.n = 10
        self.sent = [i // 2 for i in range(10)]
        self.para = list(self.sent)


def test_agent_stack_pushed_order_latest_first_and_gender() -> None:
    stack: AgentStack[tuple[str, bool | None]] = AgentStack(_Sentences(), lambda who: who[1])
    stack.add(6, ("later in text, pushed first", False))
    stack.add(2, ("he", False))
    stack.add(3, ("she", True))
    assert stack.last(9, None) == ("she", True)  # the latest pushed before token 9
    assert stack.last(9, False) == ("he", False)  # a man asked for: she is skipped
    assert stack.last(3, None) == ("he", False)  # only agents before the token
    assert stack.last(9, None, same_sentence=True) is None  # none in sentence 4
    stack.add(8, ("local", None), local=True)
    assert stack.last(9, None) == ("local", None)  # same sentence: a local agent counts
    stack.add(1, ("first", None))
    assert stack.last(9, None) == ("first", None)  # the latest pushed wins, not the nearest


def test_agent_stack_by_position_window_and_fallback() -> None:
    stack: AgentStack[str] = AgentStack(
        _Sentences(), lambda who: False, by_position=True, max_sentences=1, max_paragraphs=1, fallback=True
    )
    stack.add(6, "near")
    stack.add(0, "far")
    stack.add(4, "middle")
    assert [a.who for a in stack.entries] == ["far", "middle", "near"]
    assert stack.last(7, None) == "near"  # the nearest before, whatever the push order
    assert stack.last(9, None) == "near"  # sentence 4 -> 3: within one sentence
    assert stack.last(5, None) == "middle"
    assert stack.last(4, None) is None  # "far" is two sentences back
    assert stack.last(1, None) == "far"
    assert stack.last(7, True) == "near"  # no woman: the nearest man is the fallback


def test_agent_stack_keeps_only_the_recent() -> None:
    stack: AgentStack[str] = AgentStack(_Sentences(), lambda who: None, recent=2)
    for pos, who in ((0, "a"), (2, "b"), (4, "c")):
        stack.add(pos, who)
    assert stack.last(9, None) == "c"
    assert stack.last(3, None) == "b"
    assert stack.last(1, None) is None  # "a" fell off the stack


# ---------------------------------------------------------------------------- title linking
def test_best_title_head_adjectives_and_ranking() -> None:
    entries = [
        TitleEntry(2, frozenset({"وزير"}), frozenset({"وزير", "خارجي", "امرك"}), "kerry"),
        TitleEntry(20, frozenset({"وزير"}), frozenset({"وزير", "خارجي", "سعود"}), "jubeir"),
        TitleEntry(40, frozenset({"متحدث"}), frozenset({"متحدث", "امرك"}), "kirby"),
    ]
    q = {"وزير", "امرك"}
    assert best_title(entries, "وزير", q, 30) == "kerry"  # most shared words
    assert best_title(entries, "وزير", {"وزير"}, 30) == "jubeir"  # a tie: the latest before
    assert best_title(entries, "وزير", {"وزير"}, 30, nearest=True) == "jubeir"
    assert best_title(entries, "وزير", {"وزير"}, 1) == "kerry"  # none before: the first after
    assert best_title(entries, "وزير", q, 30, required={"سعود"}) == "jubeir"
    assert best_title(entries, "وزير", q, 30, required={"روس"}) is None
    assert best_title(entries, "مدير", q, 30) is None  # the head must match
    assert best_title(entries, "متحدث", {"متحدث", "روس"}, 30, two_shared=True) is None
    assert best_title(entries, "متحدث", {"متحدث", "امرك"}, 30, two_shared=True) == "kirby"


def test_quote_title_links_to_the_named_minister() -> None:
    r = quote_reader(KERRY, KERRY_ENTS)
    t = r.t
    assert [(e.pos, e.who.name) for e in r.titles] == [(tok(t, "جون"), "جون كيري")]
    a = tok(t, "الوزير")
    mention = (t.starts[a], t.ends[a + 1])
    spk = r._title_match(a, a + 2, a, mention)
    assert spk is not None and spk.name == "جون كيري" and spk.resolution == "nominal"
    other = quote_reader(KERRY.replace("الوزير الأمريكي", "الوزير الروسي"), KERRY_ENTS)
    b = tok(other.t, "الوزير")
    assert other._title_match(b, b + 2, b, mention) is None  # another nationality: not Kerry


CAMERON = (
    "وقال رئيس الوزراء البريطاني ديفيد كاميرون في مؤتمر صحفي إن المحادثات مستمرة. وأضاف الرئيس البريطاني أن"
)


def test_stance_title_links_to_the_named_prime_minister(nlp: Language) -> None:
    r = stance_reader(nlp, CAMERON, ("ديفيد كاميرون", "PER"))
    a = tok(r.v, "الرئيس")
    e = r.link_title(a, a + 2)
    assert e is not None and r.v.entities[e].name == "ديفيد كاميرون"
    other = stance_reader(
        nlp, CAMERON.replace("الرئيس البريطاني", "الرئيس الفرنسي"), ("ديفيد كاميرون", "PER")
    )
    b = tok(other.v, "الرئيس")
    assert other.link_title(b, b + 2) is None  # two words, one shared: not Cameron


MINISTER = (
    "وأكد وزير التجهيز محمد صالح العرفاوي أن الأضرار ليست بسبب الفساد. "
    "ودعا الوزير إلى التقليل من شأن هذا الأمر."
)


def test_stance_title_links_the_definite_title_to_the_bare_one(nlp: Language) -> None:
    """وزير X ... الوزير: the old stance key read the و of وزير as a conjunction (وزير -> زر)."""
    r = stance_reader(nlp, MINISTER, ("محمد صالح العرفاوي", "PER"))
    a = tok(r.v, "الوزير")
    e = r.link_title(a, a + 1)
    assert e is not None and r.v.entities[e].name == "محمد صالح العرفاوي"
    # control: without the title beside the name, الوزير links nowhere
    bare = MINISTER.replace("وزير التجهيز محمد صالح العرفاوي", "محمد صالح العرفاوي")
    r = stance_reader(nlp, bare, ("محمد صالح العرفاوي", "PER"))
    a = tok(r.v, "الوزير")
    assert r.link_title(a, a + 1) is None


def test_a_title_with_a_glued_preposition_after_a_name_is_not_its_title() -> None:
    """ووجهت لوما لوزيرة الصحة، سميرة مرعي: لوزيرة (to the minister) is not the title of لوما."""
    text = "طالبت وزيرة الصحة بإصلاح. ووجهت لوما لوزيرة الصحة، سميرة مرعي، بسبب التأخير"
    r = quote_reader(text, ("لوما", "PER"), ("سميرة مرعي", "PER"))
    a = tok(r.t, "وزيرة")
    spk = r._title_match(a, a + 2, a, (0, 1))
    assert spk is not None and spk.name == "سميرة مرعي"


def test_quote_agents_feed_title_links() -> None:
    r = quote_reader("وأضاف الوزير الأمريكي أن المحادثات مستمرة")
    a = tok(r.t, "الوزير")
    assert r._title_match(a, a + 2, a, (0, 1)) is None
    keys = frozenset(skeleton_key(n) for n in r.t.norms[a : a + 2])
    spk = _Spk("جون كيري", None, None, "explicit", True, keys, heads=frozenset({skeleton_key(r.t.norms[a])}))
    r.add_agent(0, spk)
    linked = r._title_match(a, a + 2, a, (0, 1))
    assert linked is not None and linked.name == "جون كيري"


# ---------------------------------------------------------------------------- clitic cut
def test_clitic_cut_from_a_mention_inside_the_token(nlp: Language) -> None:
    text = "ودعا وزير خارجية روسيا ولروسيا موقف واضح"
    q = quote_reader(text, ("روسيا", "LOC"))
    s = stance_reader(nlp, text, ("روسيا", "LOC"))
    for r, view in ((q, q.t), (s, s.v)):
        assert r.clitic_cut(tok(view, "ولروسيا")) == 2  # و + ل before the mention
        assert r.clitic_cut(tok(view, "روسيا")) == 0


def test_clitic_cut_before_the_article_and_the_mention_option(nlp: Language) -> None:
    text = "وأكد بشار الأسد والوزارة موقفها"
    q = quote_reader(text, ("بشار الأسد", "PER"))
    s = stance_reader(nlp, text, ("بشار الأسد", "PER"))
    assert q.clitic_cut(tok(q.t, "والوزارة")) == 1
    assert s.clitic_cut(tok(s.v, "والوزارة")) == 1
    assert s.clitic_cut(tok(s.v, "بشار")) == 0  # MENTION_IS_WHOLE: بشار is no ب + شار
    assert q.clitic_cut(tok(q.t, "بشار")) == 0


def test_stance_agents_take_a_person_as_a_fallback_only(nlp: Language) -> None:
    r = stance_reader(nlp, CAMERON, ("ديفيد كاميرون", "PER"))
    at = tok(r.v, "وأضاف")
    person = _Holder("ديفيد كاميرون", "E1", None, "anaphoric", "PER")
    body = _Holder("الحكومة البريطانية", None, None, "anaphoric", "NP")
    r.add_agent(tok(r.v, "رئيس"), body)
    r.add_agent(tok(r.v, "ديفيد"), person)
    assert r.last_agent(at, None) is person  # the nearest
    assert r.last_agent(at, True) is body  # a woman asked for: not the (taken for male) person
