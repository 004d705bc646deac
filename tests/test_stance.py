"""Stance tagging (``qawl_stance``): behaviours on short constructed sentences, the targets filter, the
offset invariant on the seeds, and the dev gold bar (news documents only when ../shared is present)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest
from given_entities import rule_doc  # tests/ is on sys.path (no package)
from spacy.language import Language

from qawl.types import Mention, Stance
from qawl_service.analyzer import Analyzer
from qawl_service.nlp.arabic import normalize
from qawl_service.nlp.stance import extract_stances, load_stance_cues

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
