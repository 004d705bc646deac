"""Stance tagging (``qawl_stance``): behaviours on short constructed sentences, the targets filter, the
offset invariant on the seeds, and the dev gold bar (news documents only when ../shared is present)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from given_entities import rule_doc  # tests/ is on sys.path (no package)
from spacy.language import Language

from qawl.types import Analysis, Entity, Mention, Quote, Speaker, Stance
from qawl_service.analyzer import Analyzer
from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.stance import extract_stances, load_stance_cues
from qawl_service.stance_learn.candidates import Candidate, Tokens, candidates
from qawl_service.stance_learn.model import (
    NEGATION_WINDOW,
    attribution_holder,
    cue_in_target,
    decode,
    excluded,
    holder_in_target,
    negated,
    quoted_holder,
    title_holder,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHARED = (ROOT.parent / "shared").resolve()
GOLD = ROOT / "tests" / "data" / "stance" / "gold.jsonl"


@pytest.fixture(scope="module")
def nlp(analyzer: Analyzer) -> Language:
    nlp = analyzer.nlp
    if "qawl_stance" not in nlp.pipe_names:
        nlp.add_pipe("qawl_stance", last=True)
    return nlp


def stances(nlp: Language, text: str, targets: list[str] | None = None) -> list[Stance]:
    doc = nlp(text, component_cfg={"qawl_stance": {"targets": targets}})
    return list(doc._.stances)


def find(
    found: Iterable[Stance], holder: str, label: str, target: str, *, quote: bool | None = None
) -> Stance | None:
    """The stance whose holder name contains ``holder`` and whose target phrase contains ``target``."""
    for s in found:
        m = s.target.mention
        if m is None or s.label != label:
            continue
        same = normalize(holder) in normalize(s.holder.name) and normalize(target) in normalize(m.text)
        if same and (quote is None or (s.quote_id is not None) == quote):
            return s
    return None


def show(found: list[Stance]) -> str:
    return "; ".join(f"{s.holder.name} {s.label} {s.target.text}" for s in found)


# ---------------------------------------------------------------------------- stance acts
# Rule tests give the entities by hand (rule_doc): a retrained NER cannot move them.
@pytest.mark.parametrize(
    ("text", "entities", "holder", "label", "target"),
    [
        (
            "ندد وزير الخارجية السعودي عادل الجبير بانتهاكات النظام السوري في حلب.",
            [("عادل الجبير", "PER"), ("حلب", "LOC")],
            "الجبير",
            "against",
            "انتهاكات",
        ),
        (
            "وأدانت الحكومة الأردنية الهجوم على المدنيين في حلب.",
            [("الحكومة الأردنية", "ORG"), ("حلب", "LOC")],
            "الحكومة الأردنية",
            "against",
            "الهجوم",
        ),
        (
            "وحذر كيري من انهيار الهدنة في سوريا.",
            [("كيري", "PER"), ("سوريا", "LOC")],
            "كيري",
            "against",
            "انهيار الهدنة",
        ),
        (
            "واتهمت تركيا حزب العمال الكردستاني بالمسؤولية عن التفجير.",
            [("تركيا", "LOC"), ("حزب العمال الكردستاني", "ORG")],
            "تركيا",
            "against",
            "حزب العمال",
        ),
        (
            "ورحبت الولايات المتحدة بالاتفاق الروسي الأمريكي.",
            [("الولايات المتحدة", "LOC")],
            "الولايات المتحدة",
            "favor",
            "الاتفاق",
        ),
        ("وأيدت السعودية المبادرة الفرنسية.", [("السعودية", "LOC")], "السعودية", "favor", "المبادرة"),
        (
            "وأدانت جامعة الدول العربية التفجير الإرهابي في عسير.",
            [("جامعة الدول العربية", "ORG"), ("عسير", "LOC")],
            "جامعة الدول العربية",
            "against",
            "التفجير",
        ),
    ],
)
def test_explicit_stance_acts(
    nlp: Language, text: str, entities: list[tuple[str, str]], holder: str, label: str, target: str
) -> None:
    doc = rule_doc(nlp, text, *entities)
    found = list(doc._.stances)
    hit = find(found, holder, label, target)
    assert hit is not None, show(found)
    assert hit.cue is not None and hit.cue.text in text
    # the act may itself be a quote (ندد بـ X، أدان X: a cue + noun-phrase complement): then the stance is
    # expressed in it, and its quote is the one whose cue the stance's cue is
    quote = next((q for q in doc._.quotes if q.id == hit.quote_id), None)
    assert hit.quote_id is None or (
        quote is not None and quote.cue is not None and quote.cue.start == hit.cue.start
    )


def test_call_for_an_end_is_against_its_object(nlp: Language) -> None:
    # the addressee (روسيا) is no target; "stop X" is against X
    text = "ودعا وزير الخارجية الأمريكي جون كيري روسيا إلى وقف الهجمات العشوائية للنظام في حلب."
    found = list(rule_doc(nlp, text, ("جون كيري", "PER"), ("روسيا", "LOC"), ("حلب", "LOC"))._.stances)
    assert find(found, "كيري", "against", "الهجمات العشوائية") is not None, show(found)
    assert not any(s.target.mention and s.target.mention.text == "روسيا" for s in found)


def test_truce_is_favored(nlp: Language) -> None:
    text = "وطالبت المعارضة السورية بوقف إطلاق النار في جميع أنحاء البلاد."
    found = list(rule_doc(nlp, text, ("المعارضة السورية", "ORG"))._.stances)
    assert find(found, "المعارضة", "favor", "وقف إطلاق النار") is not None, show(found)


@pytest.mark.parametrize(
    ("text", "entities", "holder", "label", "target"),
    [
        (
            "وأعرب الجبير عن أمله في رحيل بشار الأسد.",
            [("الجبير", "PER"), ("بشار الأسد", "PER")],
            "الجبير",
            "against",
            "بشار الأسد",
        ),
        (
            "وكرر كيري دعوة روسيا إلى اتخاذ التدابير اللازمة لوقف الهجمات العشوائية للنظام.",
            [("كيري", "PER"), ("روسيا", "LOC")],
            "كيري",
            "against",
            "الهجمات",
        ),
        ("وجدد الجبير إدانته للهجوم على المستشفى.", [("الجبير", "PER")], "الجبير", "against", "هجوم"),
    ],
)
def test_nominal_cues(
    nlp: Language, text: str, entities: list[tuple[str, str]], holder: str, label: str, target: str
) -> None:
    found = list(rule_doc(nlp, text, *entities)._.stances)
    assert find(found, holder, label, target) is not None, show(found)


def test_participle_takes_the_sentence_subject(nlp: Language) -> None:
    found = list(
        rule_doc(nlp, "وندد كيري بالهجوم على المدنيين، داعيا إلى وقف إطلاق النار.", ("كيري", "PER"))._.stances
    )
    assert find(found, "كيري", "against", "الهجوم") is not None, show(found)
    favor = find(found, "كيري", "favor", "وقف إطلاق النار")
    assert favor is not None, show(found)
    assert favor.holder.resolution == "anaphoric" and favor.holder.mention is None


# ---------------------------------------------------------------------------- quotes and relations
def test_stance_inside_a_direct_quote(nlp: Language) -> None:
    text = "وقال كيري إن “وقف الهجمات العشوائية للنظام في حلب أولوية”."
    doc = nlp(text)
    found = list(doc._.stances)
    hit = find(found, "كيري", "against", "الهجمات العشوائية", quote=True)
    assert hit is not None, show(found)
    assert hit.quote_id in {q.id for q in doc._.quotes}


def test_hope_in_a_quote_is_favor(nlp: Language) -> None:
    found = stances(nlp, 'وقال كيربي: "نأمل أن يحصل قريبا وقف دائم للقتال".')
    hit = find(found, "كيربي", "favor", "وقف دائم", quote=True)
    assert hit is not None, show(found)


def test_relation_stated_as_fact(nlp: Language) -> None:
    text = "وأعلنت روسيا الحليفة الثابتة لبشار الاسد أن المحادثات مستمرة."
    found = list(rule_doc(nlp, text, ("روسيا", "LOC"), ("بشار الاسد", "PER"))._.stances)
    hit = find(found, "روسيا", "favor", "بشار الاسد")
    assert hit is not None, show(found)
    assert hit.target.entity_id is not None  # the target is an entity mention


# ---------------------------------------------------------------------------- negation and modality
@pytest.mark.parametrize(
    "text",
    [
        "وكانت روسيا قد أعلنت أنها لن تطلب من النظام التوقف عن قصف حلب.",
        "ولم تدن الحكومة الهجوم على المدنيين.",
        "وإذا رفضت الحكومة الاتفاق فإن المفاوضات ستتوقف.",
    ],
)
def test_negation_and_conditionals_cancel(nlp: Language, text: str) -> None:
    assert stances(nlp, text) == []


def test_negated_favor_verb_turns_against(nlp: Language) -> None:
    text = "وأكد السليمان أن الجماهير لن ترضى بخروج الفريق من البطولة."
    found = list(rule_doc(nlp, text, ("السليمان", "PER"))._.stances)
    assert find(found, "الجماهير", "against", "خروج الفريق") is not None, show(found)
    assert find(found, "الجماهير", "favor", "خروج الفريق") is None


# ---------------------------------------------------------------------------- holders
def test_title_resolves_to_the_named_person(nlp: Language) -> None:
    text = (
        "والتقى كيري وزير الخارجية السعودي، عادل الجبير، في جنيف. "
        "ومن جهته ندد وزير الخارجية السعودي بانتهاكات النظام في حلب."
    )
    found = stances(nlp, text)
    hit = find(found, "الجبير", "against", "انتهاكات")
    assert hit is not None, show(found)
    assert hit.holder.entity_id is not None
    assert hit.holder.mention is not None and "وزير الخارجية السعودي" in hit.holder.mention.text


# ---------------------------------------------------------------------------- targets
SEED_004 = ROOT / "seeds" / "004_4b5b049d83d171a5.txt"


@pytest.mark.parametrize("request_text", ["الأسد", "الاسد", "بشار الاسد", "نظام الأسد"])
def test_targets_match_variants_and_aliases(nlp: Language, request_text: str) -> None:
    text = SEED_004.read_text(encoding="utf-8")
    found = stances(nlp, text, targets=[request_text])
    assert len(found) >= 2, show(found)
    for s in found:
        assert s.target.text == request_text
        assert s.target.mention is not None and text[s.target.mention.start : s.target.mention.end] == (
            s.target.mention.text
        )
        assert "سد" in normalize(s.target.mention.text)  # found where the entity is mentioned
    # the same stances whatever the spelling of the request
    reference = {(s.evidence.start, s.label) for s in stances(nlp, text, targets=["الأسد"])}
    assert {(s.evidence.start, s.label) for s in found} == reference


def test_targets_filter_out_other_stances(nlp: Language) -> None:
    text = SEED_004.read_text(encoding="utf-8")
    every = stances(nlp, text)
    assert any("المجازر" in (s.target.mention.text if s.target.mention else "") for s in every)
    assert stances(nlp, text, targets=["كوريا الشمالية"]) == []
    only = stances(nlp, text, targets=["الأسد"])
    assert all("المجازر" not in (s.target.mention.text if s.target.mention else "") for s in only)


def test_targets_through_pipe(nlp: Language) -> None:
    texts = [SEED_004.read_text(encoding="utf-8"), "وأدانت الحكومة الأردنية الهجوم على المدنيين."]
    docs = list(nlp.pipe(texts, component_cfg={"qawl_stance": {"targets": ["بشار الأسد"]}}))
    assert len(docs[0]._.stances) >= 2
    assert docs[1]._.stances == []
    assert all(s.target.text == "بشار الأسد" for s in docs[0]._.stances)


# ---------------------------------------------------------------------------- robustness
@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        '...،،،؛؛ “ ” « » ( ) "',
        "ندد",
        "ندد بـ",
        "دعا إلى",
        "قال “",
        "وأدانت" * 50,
        "abc 123 ندد xyz بـ “ و ” الى على من عن ب ل",
        "\u200f\u200eندد\u0640\u0640 كيري\u064b بالهجوم",
        ("ندد كيري بالهجوم على المدنيين، داعيا إلى وقف إطلاق النار. " * 40).strip(),
    ],
)
def test_never_raises(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for s in doc._.stances:
        assert_offsets(text, s)


def test_direct_call_without_entities_or_quotes(nlp: Language) -> None:
    doc = nlp.make_doc("ندد كيري بالهجوم على المدنيين.")
    assert isinstance(extract_stances(doc), list)  # no entity/quote results: still a list, no error


def test_cue_inventory_loads() -> None:
    lex = load_stance_cues()
    assert lex.lookup(normalize("وندد")) and lex.lookup(normalize("رحبت")) and lex.lookup(normalize("داعيا"))
    assert any(h.possessive for h in lex.lookup(normalize("دعوته")))


# ---------------------------------------------------------------------------- offsets on the seeds
def assert_mention(text: str, m: Mention | None) -> None:
    if m is None:
        return
    assert 0 <= m.start < m.end <= len(text), m
    assert text[m.start : m.end] == m.text, m


def assert_offsets(text: str, s: Stance) -> None:
    assert_mention(text, s.holder.mention)
    assert_mention(text, s.target.mention)
    assert_mention(text, s.evidence)
    assert_mention(text, s.cue)
    assert 0.0 <= s.confidence <= 1.0
    assert s.label in ("favor", "against")
    assert s.holder.name.strip() and s.target.text.strip()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_offsets_on_seeds(nlp: Language, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = nlp(text)
    found = list(doc._.stances)
    assert found, "every seed carries stances"
    quote_ids = {q.id for q in doc._.quotes}
    for s in found:
        assert_offsets(text, s)
        assert s.quote_id is None or s.quote_id in quote_ids
        m = s.target.mention
        assert m is not None and s.evidence.start <= m.start and m.end <= s.evidence.end


# ---------------------------------------------------------------------------- gold bar
def _eval_module() -> ModuleType:
    import qawl_service.evaluation.stance as module

    return module


# The gold follows ../shared/guidelines/ANNOTATION.md (re-annotated 2026-12-06, corpus/prompts/devgold.md).
# The bars guard against regressions a few points below the measured level; they are not targets.
def test_gold_bar_seeds(nlp: Language, capsys: pytest.CaptureFixture[str]) -> None:
    result = _eval_module().evaluate_stance(nlp, GOLD, shared_dir=None)
    seeds = result["seeds"]
    assert seeds["gold"] >= 35
    assert seeds["f1"] >= 0.50, seeds  # measured 0.553
    assert result["label_accuracy"] >= 0.8  # measured 0.840


def test_gold_bar_dev_with_news(nlp: Language) -> None:
    if not (SHARED / "data" / "news" / "saudinewsnet_dev.jsonl.gz").exists():
        pytest.skip(f"news gold needs {SHARED}/data/news (../shared is not present in a user's clone)")
    result = _eval_module().evaluate_stance(nlp, GOLD, SHARED)
    dev = result["dev"]
    assert dev["gold"] >= 90
    assert dev["f1"] >= 0.50, dev  # measured 0.544


def test_a_prepositions_object_is_not_the_subject(nlp: Language) -> None:
    # "before his trip to Moscow, X stressed ...": موسكو ends a prepositional phrase, it holds nothing
    text = "وقبل سفره إلى موسكو أكد المبعوث الأممي على ضرورة إنقاذ الهدنة."
    found = stances(nlp, text)
    assert not any("موسكو" in s.holder.name for s in found), show(found)
    text = "وأشار إلى حصول خروقات في حلب اتهم حركة أحرار الشام بالمسؤولية عنها."
    assert not any("حلب" in s.holder.name for s in stances(nlp, text)), show(stances(nlp, text))


def test_a_partitive_subject_still_holds(nlp: Language) -> None:
    text = "وكان عددا من الإعلاميين وجهوا انتقاداتهم لأمانة محافظة الطائف."
    found = stances(nlp, text)
    assert find(found, "الإعلاميين", "against", "أمانة") is not None, show(found)


# ------------------------------------------------------------------ learned step: decode's exclusions
# Stop 23 (docs/stance.md): the dense weights' false stances of issue 20's spurious kinds on the seeds.
# Each exclusion: a candidate it drops whatever its probability, and a control it keeps.
def _cand(text: str, holder: str, target: str, **kw: object) -> Candidate:
    t0 = text.index(target)
    c = Candidate(0, holder, "PER", t0, t0 + len(target), target, 0, len(text), None, None, None, "chunk")
    for k, v in kw.items():
        setattr(c, k, v)
    return c


def _decoded(cands: list[Candidate], text: str) -> list[str]:
    tokens = Tokens(text)
    proba = np.array([[0.1, 0.8, 0.1]] * len(cands))
    return [c.target for c, _, _ in decode(cands, proba, 0.4, [excluded(c, tokens) for c in cands])]


def test_learned_target_with_a_reporting_verb_is_excluded() -> None:
    """A reporting or stance verb between a target's first and last word (موسكو أكد دي مستورا) makes it a
    clause, no noun phrase; a verbal noun (إعلان), a form the cue table marks ambiguous (ودعم) or a verb
    at the target's edge (أكدت الوكالة وفاة: the chunk run on over its act) is not excluded."""
    text = "وقبل سفره إلى موسكو أكد دي مستورا على إعلان الهدنة ودعم الحوار، فيما أكدت الوكالة وفاة الزعيم."
    bad = _cand(text, "دي مستورا", "موسكو أكد دي مستورا")
    good = [_cand(text, "دي مستورا", "إعلان الهدنة ودعم الحوار"), _cand(text, "الوكالة", "أكدت الوكالة وفاة")]
    tokens = Tokens(text)
    assert [cue_in_target(c, tokens) for c in (bad, *good)] == [True, False, False]
    assert _decoded([bad, *good], text) == ["إعلان الهدنة ودعم الحوار", "أكدت الوكالة وفاة"]


def test_learned_target_over_its_holders_own_mention_is_excluded() -> None:
    """No holder is for or against a target around its own mention (the entity's mentions or the quote
    speaker's): "موسكو دي مستورا" for دي ميستورا, whose name is spelled otherwise there."""
    text = "وقبل سفره إلى موسكو دي مستورا, على ضرورة إحياء الهدنة"
    m0 = text.index("دي مستورا")
    spans = ((m0, m0 + len("دي مستورا")),)
    bad = _cand(text, "ستيفان دي ميستورا", "موسكو دي مستورا", holder_spans=spans)
    good = _cand(text, "ستيفان دي ميستورا", "ضرورة إحياء الهدنة", holder_spans=spans)
    tokens = Tokens(text)
    assert [holder_in_target(c, tokens) for c in (bad, good)] == [True, False]
    assert _decoded([bad, good], text) == ["ضرورة إحياء الهدنة"]


def test_learned_stance_of_an_attribution_source_outside_its_report_is_excluded() -> None:
    """A source named by بحسب/وفق vouches for the report it is attached to: no learned stance of it on a
    target after it (الدفاع المدني against المعارضة في حلب); inside the report, or with a speech verb, the
    decision is the model's."""
    text = "وأدت الغارات إلى سقوط عشرة قتلى، بحسب الدفاع المدني في الجزء الذي تسيطر عليه المعارضة في حلب"
    content = (0, text.index("،"))
    kw = {"quote_cue": "بحسب", "content": content}
    bad = _cand(text, "الدفاع المدني", "المعارضة في حلب", **kw)
    inside = _cand(text, "الدفاع المدني", "سقوط عشرة قتلى", **kw)
    said = _cand(text, "الدفاع المدني", "المعارضة في حلب", quote_cue="قال", content=content)
    tokens = Tokens(text)
    assert [attribution_holder(c, tokens) for c in (bad, inside, said)] == [True, False, False]
    assert _decoded([bad, inside], text) == ["سقوط عشرة قتلى"]
    assert _decoded([said], text) == ["المعارضة في حلب"]


def _one_quote_analysis(
    text: str,
    entities: list[tuple[str, str, str, str]],
    *,
    speaker: tuple[str, str, str],
    cue: str,
    content: str,
) -> Analysis:
    """An analysis of ``text`` with ``entities`` (id, label, name, the mention's words) and one direct
    quote: ``speaker`` (entity id, name, the words of its mention), its ``cue`` and ``content`` words."""

    def mention(s: str) -> Mention:
        i = text.index(s)
        return Mention(start=i, end=i + len(s), text=s)

    sid, sname, swords = speaker
    quote = Quote(
        id="Q1",
        kind="direct",
        content=mention(content),
        cue=mention(cue),
        speaker=Speaker(name=sname, entity_id=sid, mention=mention(swords)),
        confidence=0.9,
    )
    return Analysis(
        id=None,
        model="",
        entities=[Entity(id=i, label=lab, name=n, mentions=[mention(w)]) for i, lab, n, w in entities],
        quotes=[quote],
        stances=[],
    )


def test_learned_holder_inside_another_speakers_phrase_is_excluded() -> None:
    """An entity between a quote's cue and its content describes the speaker (الأمين العام للأمم المتحدة
    بان كي مون): no stance of the sentence is its; the speaker's own sentence candidates are kept."""
    text = "ودعا الأمين العام للأمم المتحدة بان كي مون موسكو وواشنطن إلى “مضاعفة الجهود لإحياء الهدنة”."
    analysis = _one_quote_analysis(
        text,
        [("E1", "ORG", "الأمم المتحدة", "للأمم المتحدة"), ("E2", "PER", "بان كي مون", "بان كي مون")],
        speaker=("E2", "بان كي مون", "الأمين العام للأمم المتحدة بان كي مون"),
        cue="ودعا",
        content="مضاعفة الجهود لإحياء الهدنة",
    )
    cands = [c for c in candidates(0, text, analysis) if c.target.startswith("مضاعفة")]
    tokens = Tokens(text)
    flags = {(c.holder, c.source): title_holder(c, tokens) for c in cands}
    assert flags[("الأمم المتحدة", "sentence")] is True
    assert flags[("بان كي مون", "chunk")] is False  # the speaker's own candidate
    assert all(excluded(c, tokens) == flags[(c.holder, c.source)] for c in cands)


def test_learned_holder_inside_another_speakers_quote_is_excluded() -> None:
    """An entity named inside another speaker's quote content (السلطات الإسلامية in كيري's words) is part
    of what the speaker says: no stance of the sentence is its. A holder of the same sentence outside
    the quote (الحكومة السورية) and the speaker himself are still candidates of the model."""
    text = "ورفضت الحكومة السورية المبادرة، وقال جون كيري إن “السلطات الإسلامية ترفض الحوار مع المعارضة”."
    analysis = _one_quote_analysis(
        text,
        [
            ("E1", "ORG", "الحكومة السورية", "الحكومة السورية"),
            ("E2", "PER", "جون كيري", "جون كيري"),
            ("E3", "ORG", "السلطات الإسلامية", "السلطات الإسلامية"),
        ],
        speaker=("E2", "جون كيري", "جون كيري"),
        cue="وقال",
        content="السلطات الإسلامية ترفض الحوار مع المعارضة",
    )
    cands = candidates(0, text, analysis)
    tokens = Tokens(text)
    flags: dict[tuple[str, str], bool] = {}
    for c in cands:
        key = (c.holder, "quote" if c.source in ("chunk", "entity") else c.source)
        flags[key] = flags.get(key, False) or quoted_holder(c, tokens)
    assert flags == {
        ("جون كيري", "quote"): False,  # the speaker's own candidates
        ("الحكومة السورية", "sentence"): False,
        ("السلطات الإسلامية", "sentence"): True,
    }
    sentence = [c for c in cands if c.source == "sentence"]
    assert all(excluded(c, tokens) == quoted_holder(c, tokens) for c in sentence)
    assert {c.holder for c in cands if not excluded(c, tokens)} == {"جون كيري", "الحكومة السورية"}


def test_learned_stance_under_a_negation_before_a_title_and_name_is_excluded() -> None:
    """A name in apposition after a person title (رئيس النظام السوري، بشار الأسد) is one phrase with the
    title: the negation window (NEGATION_WINDOW words) counts from the title, so the object of "لن تضغط
    على" is negated; after a comma with no title in the window it counts from the name, as before."""
    text = "وقال إن موسكو لن تضغط على رئيس النظام السوري، بشار الأسد، لوقف القتال في حلب وتدعم الحل السياسي"
    bad = _cand(text, "غينادي غاتيلوف", "بشار الأسد")
    good = _cand(text, "غينادي غاتيلوف", "الحل السياسي")
    other = "وقال إن موسكو لن تضغط على النظام في حلب وإدلب، بشار الأسد"
    tokens = Tokens(text)
    assert NEGATION_WINDOW == 4
    assert [negated(c, tokens) for c in (bad, good)] == [True, False]
    assert not negated(_cand(other, "غينادي غاتيلوف", "بشار الأسد"), Tokens(other))
    assert _decoded([bad, good], text) == ["الحل السياسي"]
