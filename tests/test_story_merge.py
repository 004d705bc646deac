"""The story merge on hand-made analyses: name keys, entities, statements, stances (no pipeline, so
what is checked is the merge alone)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from qawl.types import Analysis, Entity, Label, Mention, Quote, Speaker, Stance, StanceLabel, Target
from qawl_service.story import StoryInput, build_story
from qawl_service.story.names import name_key, same_name


class Doc:
    """One document under construction: entities, quotes and stances placed by their text."""

    def __init__(self, doc: str, text: str) -> None:
        self.doc, self.text = doc, text
        self.entities: list[Entity] = []
        self.quotes: list[Quote] = []
        self.stances: list[Stance] = []

    def span(self, surface: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(surface, start + 1)
        return Mention(start=start, end=start + len(surface), text=surface)

    def entity(self, label: Label, *surfaces: str | tuple[str, int]) -> str:
        mentions = [self.span(*s) if isinstance(s, tuple) else self.span(s) for s in surfaces]
        eid = f"E{len(self.entities) + 1}"
        name = max((m.text for m in mentions), key=len)
        self.entities.append(Entity(id=eid, label=label, name=name, mentions=mentions))
        return eid

    def quote(self, content: str, speaker: str | None, kind: str = "direct") -> str:
        qid = f"Q{len(self.quotes) + 1}"
        who = None
        if speaker is not None:
            ent = next((e for e in self.entities if e.id == speaker), None)
            who = Speaker(name=ent.name if ent else speaker, entity_id=ent.id if ent else None)
        self.quotes.append(
            Quote(id=qid, kind=kind, content=self.span(content), cue=None, speaker=who, confidence=0.9)  # type: ignore[arg-type]
        )
        return qid

    def stance(
        self, holder: str, target: str, label: StanceLabel, evidence: str, target_entity: str | None = None
    ) -> None:
        ent = next(e for e in self.entities if e.id == holder)
        self.stances.append(
            Stance(
                holder=Speaker(name=ent.name, entity_id=ent.id),
                target=Target(text=target, entity_id=target_entity, mention=self.span(target)),
                label=label,
                evidence=self.span(evidence),
                cue=None,
                quote_id=None,
                confidence=0.8,
            )
        )

    def input(self) -> StoryInput:
        analysis = Analysis(
            id=self.doc, model="m", entities=self.entities, quotes=self.quotes, stances=self.stances
        )
        return StoryInput(doc=self.doc, text=self.text, analysis=analysis)


def story(*docs: Doc):  # type: ignore[no-untyped-def]
    result = build_story([d.input() for d in docs])
    texts = {d.doc: d.text for d in docs}
    for e in result.entities:  # every offset slices its own document, always
        for m in e.mentions:
            assert texts[m.doc][m.start : m.end] == m.text
    for s in result.statements:
        for src in s.sources:
            assert texts[src.doc][src.start : src.end] == src.text
    for st in result.stances:
        for span in st.sources:
            assert texts[span.doc][span.start : span.end] == span.text
    return result


def entity_with(result, surface: str):  # type: ignore[no-untyped-def]
    found = [e for e in result.entities if surface in e.variants]
    assert len(found) == 1, [(e.name, e.variants) for e in result.entities]
    return found[0]


def docs_of(spans: Sequence[object]) -> set[str]:
    return {s.doc for s in spans}  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- the name key
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ستافان دي ميستورا", "ستيفان دي ميستورا"),  # long vowel written or not
        ("دي مستورا", "دي ميستورا"),
        ("الاميركي", "الأمريكي"),
        ("الأمم المتحدة", "الامم المتحدة"),  # hamza on alef
        ("للأمم المتحدة", "الأمم المتحدة"),  # fused ل + ال
        ("مصطفى", "مصطفي"),  # alif maqsura
        ("حمزة", "حمزه"),  # ta marbuta
        ("مسؤول", "مسئول"),  # hamza seats
        ("كِيري", "كيري"),  # diacritics
        ("كيـــري", "كيري"),  # tatweel
        ("سيرغي لافروف", "سيرجي لافروف"),  # g as غ or ج
    ],
)
def test_name_key_folds_spelling_and_transliteration(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("جون كيري", "جون كيربي"),  # Kerry and Kirby
        ("محمد علي", "احمد علي"),
        ("بشار الأسد", "حافظ الأسد"),
        ("ستيفان دي ميستورا", "ستيفان دوجاريك"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert not same_name(name_key(a), name_key(b))


def test_one_letter_is_forgiven_in_a_long_word_only() -> None:
    assert same_name(name_key("سيرغي كورالنكو"), name_key("سيرغي كورالنقو"))  # كرلنك: 5 consonants
    assert not same_name(name_key("جون كيري"), name_key("جون كيدي"))  # كر/كد: too short
    assert not same_name(name_key("سيرغي كورالنكو"), name_key("سيرغي كورالنقوف"))  # a letter added


# ---------------------------------------------------------------------------- entities
def test_transliteration_variants_are_one_entity_across_documents() -> None:
    a = Doc("a", "التقى ستافان دي ميستورا الوزير. وقال دي ميستورا ان الهدنة صامدة")
    a.entity("PER", "ستافان دي ميستورا", "دي ميستورا")
    b = Doc("b", "وصل ستيفان دي ميستورا الى جنيف")
    b.entity("PER", "ستيفان دي ميستورا")
    b.entity("LOC", "جنيف")
    c = Doc("c", "وقبل سفره أكد دي مستورا على ضرورة الهدنة")
    c.entity("PER", "دي مستورا")
    result = story(a, b, c)
    mistura = entity_with(result, "دي مستورا")
    assert docs_of(mistura.mentions) == {"a", "b", "c"}
    assert {"ستافان دي ميستورا", "ستيفان دي ميستورا", "دي ميستورا", "دي مستورا"} <= set(mistura.variants)
    assert mistura.id == "S-E1" and mistura.label == "PER"
    assert entity_with(result, "جنيف") is not mistura


def test_a_surname_joins_the_one_full_name_it_belongs_to() -> None:
    a = Doc("a", "قال وزير الخارجية جون كيري في جنيف")
    a.entity("PER", "جون كيري")
    b = Doc("b", "وقال كيري ان المحادثات جادة")
    b.entity("PER", "كيري")
    c = Doc("c", "وقال الناطق جون كيربي ان الوزير غادر")
    c.entity("PER", "جون كيربي")
    result = story(a, b, c)
    kerry = entity_with(result, "كيري")
    assert docs_of(kerry.mentions) == {"a", "b"} and kerry.name == "جون كيري"
    assert "جون كيربي" not in kerry.variants and entity_with(result, "جون كيربي") is not kerry


def test_two_people_sharing_a_surname_are_never_merged() -> None:
    a = Doc("a", "التقى بشار الأسد الوفد")
    a.entity("PER", "بشار الأسد")
    b = Doc("b", "في عهد حافظ الأسد")
    b.entity("PER", "حافظ الأسد")
    c = Doc("c", "وقال الأسد ان الحرب مستمرة")
    c.entity("PER", "الأسد")
    result = story(a, b, c)
    assert len([e for e in result.entities if e.label == "PER"]) == 3  # the surname alone stays alone
    assert docs_of(entity_with(result, "بشار الأسد").mentions) == {"a"}
    assert docs_of(entity_with(result, "حافظ الأسد").mentions) == {"b"}
    # positive control: with one full name only, the surname joins it
    joined = story(a, c)
    assert docs_of(entity_with(joined, "بشار الأسد").mentions) == {"a", "c"}


def test_a_first_name_shared_by_two_people_stays_alone() -> None:
    a = Doc("a", "جون كيري في جنيف")
    a.entity("PER", "جون كيري")
    b = Doc("b", "جون كيربي في واشنطن")
    b.entity("PER", "جون كيربي")
    c = Doc("c", "وقال جون ان الوضع خطير")
    c.entity("PER", "جون")
    result = story(a, b, c)
    assert docs_of(entity_with(result, "جون").mentions) == {"c"}
    assert docs_of(entity_with(result, "جون كيري").mentions) == {"a"}
    # positive control: with one John only, the first name joins him
    assert docs_of(entity_with(story(a, c), "جون كيري").mentions) == {"a", "c"}


def test_labels_are_never_merged_and_places_join_on_a_leading_part() -> None:
    a = Doc("a", "مجلس الامن الدولي يدعو الى هدنة في واشنطن")
    a.entity("ORG", "مجلس الامن الدولي")
    a.entity("LOC", "واشنطن")
    b = Doc("b", "وسيطلع مجلس الأمن على الوضع. وقال واشنطن")
    b.entity("ORG", "مجلس الأمن")
    b.entity("PER", "واشنطن")
    result = story(a, b)
    council = entity_with(result, "مجلس الأمن")
    assert docs_of(council.mentions) == {"a", "b"} and council.label == "ORG"
    assert {e.label for e in result.entities if "واشنطن" in e.variants} == {"LOC", "PER"}


def test_a_name_one_outlet_found_is_found_where_the_model_missed_it() -> None:
    a = Doc("a", "التقى ستيفان دي ميستورا الوزير")
    a.entity("PER", "ستيفان دي ميستورا")
    b = Doc("b", "وقال الوزير ودي مستورا ان الهدنة هشة، وكرر ميستورا")  # the model found nothing
    result = story(a, b)
    mistura = entity_with(result, "ستيفان دي ميستورا")
    found = [m for m in mistura.mentions if m.doc == "b"]
    assert [(m.text, m.start) for m in found] == [("دي مستورا", b.text.index("دي مستورا"))]  # و cut off
    # a one-word name is not looked for: ميستورا alone stays unmarked
    assert all(m.text != "ميستورا" for m in mistura.mentions)


def test_entities_are_ordered_by_documents_then_mentions() -> None:
    a = Doc("a", "حلب حلب حلب جنيف كيري")
    a.entity("LOC", ("حلب", 0), ("حلب", 1), ("حلب", 2))
    a.entity("LOC", "جنيف")
    a.entity("PER", "كيري")
    b = Doc("b", "جنيف كيري كيري")
    b.entity("LOC", "جنيف")
    b.entity("PER", ("كيري", 0), ("كيري", 1))
    result = story(a, b)
    assert [e.name for e in result.entities] == ["كيري", "جنيف", "حلب"]
    assert [e.id for e in result.entities] == ["S-E1", "S-E2", "S-E3"]


# ---------------------------------------------------------------------------- statements
KERRY_A = "وضع حد للعنف في حلب والعودة الى وقف دائم للاعمال العدائية هما اولوية"
KERRY_B = "إن وضع حد للعنف في حلب والعودة في نهاية المطاف إلى وقف دائم للأعمال العدائية هما أولوية"


def kerry_doc(doc: str, text: str) -> tuple[Doc, str]:
    d = Doc(doc, text)
    return d, d.entity("PER", "جون كيري")


def test_one_statement_reported_by_two_outlets_has_two_sources() -> None:
    a, ka = kerry_doc("a", f"وقال جون كيري “{KERRY_A}”. واضاف جون كيري “لدينا الامل في تحقيق تقدم”")
    a.quote(KERRY_A, ka)
    a.quote("لدينا الامل في تحقيق تقدم", ka)
    b, kb = kerry_doc("b", f'وقال جون كيري "{KERRY_B}"')
    b.quote(KERRY_B, kb, "indirect")
    result = story(a, b)
    first = result.statements[0]
    assert first.id == "S-Q1" and first.speaker is not None and first.speaker.name == "جون كيري"
    assert [(s.doc, s.quote_id) for s in first.sources] == [("a", "Q1"), ("b", "Q1")]
    assert first.summary == KERRY_B  # the fullest wording
    assert first.speaker.entity_id == entity_with(result, "جون كيري").id
    assert len(result.statements) == 2 and len(result.statements[1].sources) == 1


def test_the_same_words_of_two_speakers_are_two_statements() -> None:
    a, ka = kerry_doc("a", f"وقال جون كيري “{KERRY_A}”")
    a.quote(KERRY_A, ka)
    b = Doc("b", f"وقال سيرغي لافروف “{KERRY_A}”")
    lb = b.entity("PER", "سيرغي لافروف")
    b.quote(KERRY_A, lb)
    assert [len(s.sources) for s in story(a, b).statements] == [1, 1]


def test_quotes_without_a_speaker_never_merge() -> None:
    a = Doc("a", f"وجاء في البيان “{KERRY_A}”")
    a.quote(KERRY_A, None)
    b = Doc("b", f"وورد “{KERRY_A}”")
    b.quote(KERRY_A, None)
    assert [len(s.sources) for s in story(a, b).statements] == [1, 1]
    assert all(s.speaker is None for s in story(a, b).statements)
    # positive control: the same two quotes with a speaker are one statement
    a2, ka = kerry_doc("a", f"وقال جون كيري “{KERRY_A}”")
    a2.quote(KERRY_A, ka)
    b2, kb = kerry_doc("b", f"وقال جون كيري “{KERRY_A}”")
    b2.quote(KERRY_A, kb)
    assert [len(s.sources) for s in story(a2, b2).statements] == [2]


def test_two_statements_of_one_article_stay_apart_but_a_headline_joins_its_paragraph() -> None:
    close = "أمريكا تقترب مع شركائها في الشأن السوري، من نقطة تفاهم حول تجديد وقف إطلاق النار في سوريا"
    work = "لا يزال أمام أمريكا وروسيا والشركاء بعض العمل"
    work += " للوصول إلى نقط تفاهم حول تجديد وقف إطلاق النار في سوريا"
    head = "نقترب من التفاهم مع شركائنا في الشأن السوري"
    text = f"كيري: {head}\n\nقال جون كيري إن “{close}”. وأضاف كيري {work}."
    d = Doc("a", text)
    k = d.entity("PER", "جون كيري", "كيري")
    d.quote(head, k)
    d.quote(close, k)
    d.quote(work, k, "indirect")
    result = story(d)
    assert [[s.quote_id for s in st.sources] for st in result.statements] == [["Q1", "Q2"], ["Q3"]]


def test_words_a_spokesman_relays_are_the_ministers_statement() -> None:
    relayed = 'كيري "قال بوضوح ان وقف العنف في حلب والعودة الى وقف دائم للاعمال العدائية يشكل اولوية"'
    b = Doc("b", f"وقال جون كيربي الناطق ان {relayed}")
    kirby = b.entity("PER", "جون كيربي")
    b.entity("PER", "كيري")
    b.quote(relayed, kirby, "mixed")
    a, ka = kerry_doc("a", f"وقال جون كيري “{KERRY_A}”")
    a.quote(KERRY_A, ka)
    result = story(a, b)
    [statement] = result.statements
    assert statement.speaker is not None and statement.speaker.name == "جون كيري"
    assert docs_of(statement.sources) == {"a", "b"}
    # positive control: a quote that opens with a name but no speech verb stays the spokesman's
    c = Doc("c", f"وقال جون كيربي ان كيري يواصل {KERRY_A}")
    kc = c.entity("PER", "جون كيربي")
    c.entity("PER", "كيري")
    c.quote(f"كيري يواصل {KERRY_A}", kc, "indirect")
    speakers = {s.speaker.name for s in story(a, c).statements if s.speaker}
    assert speakers == {"جون كيري", "جون كيربي"}


# ---------------------------------------------------------------------------- stances
def test_one_stance_reported_by_two_outlets_has_both_evidences() -> None:
    a = Doc("a", "واعلنت روسيا الحليفة الثابتة لبشار الاسد ان محادثات تجري")
    ra = a.entity("LOC", "روسيا")
    ba = a.entity("PER", "بشار الاسد")
    a.stance(ra, "بشار الاسد", "favor", "روسيا الحليفة الثابتة لبشار الاسد", ba)
    b = Doc("b", "وكانت روسيا، أقوى حليف للرئيس بشار الأسد، قد أعلنت")
    rb = b.entity("LOC", "روسيا")
    bb = b.entity("PER", "بشار الأسد")
    b.stance(rb, "للرئيس بشار الأسد", "favor", "روسيا، أقوى حليف للرئيس بشار الأسد", bb)
    b.stance(rb, "للرئيس بشار الأسد", "against", "أقوى حليف", bb)  # another label: another stance
    result = story(a, b)
    first = result.stances[0]
    russia, assad = entity_with(result, "روسيا"), entity_with(result, "بشار الأسد")
    assert (first.holder.entity_id, first.target.entity_id, first.label) == (russia.id, assad.id, "favor")
    assert first.target.text == assad.name
    assert docs_of(first.sources) == {"a", "b"}
    assert [len(s.sources) for s in result.stances] == [2, 1]


def test_stance_targets_merge_on_their_words() -> None:
    a, ka = kerry_doc("a", "قال جون كيري ان العودة الى وقف دائم (للاعمال العدائية) هي الاولوية")
    a.stance(ka, "وقف دائم (للاعمال العدائية)", "favor", "وقف دائم (للاعمال العدائية) هي الاولوية")
    b, kb = kerry_doc("b", 'قال جون كيري ان الاولوية هي "وقف دائم للقتال في كل البلاد" وتحقيق تقدم')
    b.stance(kb, "وقف دائم للقتال", "favor", 'الاولوية هي "وقف دائم للقتال')
    b.stance(kb, "تحقيق تقدم", "favor", "وتحقيق تقدم")
    result = story(a, b)
    assert [sorted(docs_of(s.sources)) for s in result.stances] == [["a", "b"], ["b"]]


def test_a_stance_target_is_written_with_the_article() -> None:
    a, ka = kerry_doc("a", "قال جون كيري ان وضع حد للعنف في حلب اولوية")
    a.stance(ka, "للعنف في حلب", "against", "وضع حد للعنف في حلب")
    b, kb = kerry_doc("b", "قال جون كيري ان وضع حد للعنف في حلب هو الاولوية")
    b.stance(kb, "للعنف في حلب", "against", "وضع حد للعنف في حلب")
    [stance] = story(a, b).stances
    assert stance.target.text == "العنف في حلب" and docs_of(stance.sources) == {"a", "b"}


def _naive_clusters(reports: list) -> list[list[int]]:  # type: ignore[type-arg]
    """Average-link as the docstring of cluster_reports states it, recomputing every pair each time."""
    from qawl_service.story.statements import CROSS_OUTLET, SAME_DOCUMENT, similarity

    members = {i: [i] for i in range(len(reports))}
    body = [(r.doc, r.headline) for r in reports]

    def margin(a: int, b: int) -> float:
        pairs = [
            (similarity(reports[x], reports[y]), body[x] != body[y]) for x in members[a] for y in members[b]
        ]
        if any(s < SAME_DOCUMENT and not cross for s, cross in pairs):
            return -1.0
        if any(cross for _, cross in pairs):
            return sum(s for s, _ in pairs) / len(pairs) - CROSS_OUTLET - 1e-9
        return 0.0 if any(s > 0 for s, _ in pairs) else -1.0

    while True:
        scored = [(margin(a, b), -a, -b) for a in members for b in members if a < b]
        best = max(scored, default=None)
        if best is None or best[0] < 0:
            return sorted(sorted(m) for m in members.values())
        a, b = -best[1], -best[2]
        members[a].extend(members.pop(b))


def test_clustering_matches_plain_average_link_on_random_reports() -> None:
    import random

    from qawl_service.story.statements import _Report, cluster_reports

    vocab = ["وقف", "دائم", "حلب", "هدن", "نار", "قصف", "نظام", "روسي", "اولو", "عنف"]
    for seed in range(150):
        rng = random.Random(seed)
        reports = []
        for q in range(rng.randint(2, 9)):
            words = frozenset(rng.sample(vocab, rng.randint(2, 6)))
            reports.append(
                _Report(
                    rng.randint(0, 2), "d", None, None, ("E", "x"), f"{seed}-{q}", words, rng.random() < 0.2
                )  # type: ignore[arg-type]
            )
        assert cluster_reports(reports) == _naive_clusters(reports), seed
