"""Quote attribution (qawl_quotes): rules on short constructed sentences, robustness, and the dev gold.

The rule tests give the entities by hand (``extract_quotes(text, entities)``), so they test the rules,
not the NER model; the pipeline tests run the loaded model with the component. Nothing here needs
../shared except the news part of the gold tests (skipped with a reason when it is absent).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from given_entities import ents  # tests/ is on sys.path (no package)
from spacy.language import Language
from spacy.tokens import Doc

from qawl.types import Entity, Mention, Quote
from qawl_service.evaluation.quotes import evaluate_quotes
from qawl_service.nlp.quotes import extract_quotes
from qawl_service.nlp.reporting_cues import load_cues

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "quotes" / "gold.jsonl"
HELDOUT = ROOT / "tests" / "data" / "quotes" / "heldout.jsonl"
SHARED = (ROOT.parent / "shared").resolve()
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


# ---------------------------------------------------------------------------- helpers
def quotes(text: str, *specs: tuple[str, str]) -> list[Quote]:
    return extract_quotes(text, ents(text, *specs))


def only(text: str, *specs: tuple[str, str]) -> Quote:
    qs = quotes(text, *specs)
    assert len(qs) == 1, [q.content.text for q in qs]
    return qs[0]


def check_offsets(text: str, qs: list[Quote]) -> None:
    for q in qs:
        assert text[q.content.start : q.content.end] == q.content.text and q.content.text.strip()
        if q.cue is not None:
            assert text[q.cue.start : q.cue.end] == q.cue.text
        if q.speaker is not None and q.speaker.mention is not None:
            m = q.speaker.mention
            assert text[m.start : m.end] == m.text
        assert 0.0 <= q.confidence <= 1.0


KERRY = ("جون كيري|كيري", "PER")


# ---------------------------------------------------------------------------- marks
def test_direct_quote_vso_with_entity_name() -> None:
    text = "وصل وزير الخارجية الاميركي جون كيري الى جنيف. وقال كيري مساء الاحد “نتحدث مع الروس مباشرة”."
    q = only(text, KERRY)
    assert q.kind == "direct" and q.content.text == "نتحدث مع الروس مباشرة"
    assert q.cue is not None and q.cue.text == "قال"  # the conjunction و is cut off
    assert q.speaker is not None and q.speaker.name == "جون كيري" and q.speaker.entity_id == "E1"
    assert q.speaker.mention is not None and q.speaker.mention.text == "كيري"
    assert q.speaker.resolution == "explicit"


def test_all_quote_mark_styles() -> None:
    for open_, close in (("“", "”"), ("«", "»"), ('"', '"')):
        text = f"وقال كيري {open_}لدينا الامل في تحقيق تقدم{close}."
        q = only(text, KERRY)
        assert q.content.text == "لدينا الامل في تحقيق تقدم", open_


def test_quote_split_by_its_cue_is_two_quotes_and_implicit_speaker() -> None:
    text = "قال كيري “نتحدث مع الروس”. واضاف قبل لقاء مع وزير الخارجية الاردني ناصر جودة “لدينا الامل”."
    q1, q2 = quotes(text, KERRY, ("ناصر جودة", "PER"))
    assert (q1.id, q2.id) == ("Q1", "Q2")
    assert q2.content.text == "لدينا الامل" and q2.cue is not None and q2.cue.text == "اضاف"
    assert q2.speaker is not None and q2.speaker.name == "جون كيري"  # not the man he met
    assert q2.speaker.resolution == "anaphoric" and q2.speaker.mention is None


def test_quote_over_several_sentences_and_paragraphs() -> None:
    text = "وقال كيري: «الجملة الاولى هنا. والجملة الثانية هنا.\n\n«وفقرة ثالثة من الكلام نفسه»."
    q = only(text, KERRY)
    assert q.content.text.startswith("الجملة الاولى") and q.content.text.endswith("من الكلام نفسه")


def test_unbalanced_marks_never_swallow_the_article() -> None:
    text = "وقال كيري “هذا كلام لم يغلق بعلامة.\n\nوفي فقرة اخرى اعلنت روسيا ان المحادثات مستمرة."
    qs = quotes(text, KERRY, ("روسيا", "LOC"))
    assert qs[0].content.text == "هذا كلام لم يغلق بعلامة."
    assert qs[1].kind == "indirect" and qs[1].speaker is not None and qs[1].speaker.name == "روسيا"
    check_offsets(text, qs)


def test_an_unclosed_quote_ends_before_the_journalist_reports_again() -> None:
    # the closing mark was lost: the next sentence's وأشار الى ان and a participle cue are narration
    text = (
        'وقال الوزير "إن القطاع قادر على النهوض بالتشغيل. وأشار الى ان القانون قيد الدرس لدى الحكومة'
        " مؤكدا أن الوزارة انطلقت في تخصيص نقاط بيع."
    )
    qs = quotes(text)
    assert [q.content.text for q in qs] == [
        "إن القطاع قادر على النهوض بالتشغيل",
        "القانون قيد الدرس لدى الحكومة",
        "الوزارة انطلقت في تخصيص نقاط بيع",
    ]
    check_offsets(text, qs)
    # control: a closed quote over two sentences stays one, and so does a first person after an ellipsis
    text = 'وقال الوزير "إن القطاع قادر على النهوض. ونحن نعمل على ذلك".'
    assert only(text).content.text == "إن القطاع قادر على النهوض. ونحن نعمل على ذلك"
    said = "قلت منذ سنوات إن الشرعية لا تعوض الكفاءة .. وتوقعت أن يفشلوا في تسيير الدولة"
    assert only(f'وأكد بالقول: "{said}".').content.text == said


def test_a_mark_before_a_full_stop_opens_nothing() -> None:
    # ... المعدات ". : a stray closer, not an opener that would run to the end of the paragraph
    text = (
        'ونفت الوزارة في بلاغ لها الاتهامات مبينة أنها كانت سباقة إلى تجديد المعدات ". '
        "وأضافت أنه تم تمكين الادارة من سيارة إضافية."
    )
    qs = quotes(text)
    assert [q.content.text for q in qs][-2:] == [
        "أنها كانت سباقة إلى تجديد المعدات",
        "أنه تم تمكين الادارة من سيارة إضافية",
    ]
    # control: a mark after a space and before a word still opens a quote
    text = 'وقال الوزير "الوضع مستقر". وأضاف أن المحادثات مستمرة.'
    assert [q.content.text for q in quotes(text)] == ["الوضع مستقر", "المحادثات مستمرة"]


def test_stray_closing_mark_is_ignored() -> None:
    text = "إلا أن مسؤولا عسكريا روسيا قال لوكالة انترفاكس الروسية”، إن “موسكو وواشنطن اتفقتا على التمديد”."
    q = only(text, ("انترفاكس", "ORG"))
    assert q.kind == "direct" and q.content.text == "موسكو وواشنطن اتفقتا على التمديد"
    assert q.speaker is not None and q.speaker.name == "مسؤولا عسكريا روسيا"
    assert q.speaker.resolution == "nominal"


def test_marks_around_names_hashtags_agencies_are_not_quotes() -> None:
    assert quotes("وانتشر هاشتاغ “#حلب تحترق” بشكل كبير على الشبكات الاجتماعية.") == []
    text = "وقال المتحدث لوكالة “ايه ايه بي” إن الوضع مستقر."
    q = only(text)
    assert q.content.text == "الوضع مستقر"
    text = 'وقال السليمان في تصريحات لبرنامج "صدى الملاعب" التليفزيوني: "الموسم سيكون مختلفا تماما".'
    q = only(text, ("السليمان", "PER"))
    assert q.content.text == "الموسم سيكون مختلفا تماما"
    # a term in marks with no speaker is not a quote
    assert quotes("وكانت موسكو وواشنطن اتفقتا على “نظام تهدئة” في اللاذقية.", ("موسكو", "LOC")) == []


def test_quoted_fragment_after_a_cue() -> None:
    text = "ومن جهته أعرب الأمين العام للأمم المتحدة، بان كي مون، عن “قلقه البالغ” إزاء تجدد القتال."
    q = only(text, ("بان كي مون", "PER"), ("الأمم المتحدة", "ORG"))
    # the guideline's expressive act: the complement, mixed for its quoted words (as the dev gold has it)
    assert q.kind == "mixed" and q.content.text == "“قلقه البالغ” إزاء تجدد القتال"
    q = only("ومن جهته أعرب الوزير سامي الفهري عن “قلقه البالغ”.", ("سامي الفهري", "PER"))
    assert q.kind == "direct" and q.content.text == "قلقه البالغ"
    assert q.speaker is not None and q.speaker.name == "سامي الفهري"


# ---------------------------------------------------------------------------- cues
@pytest.mark.parametrize(
    "cue",
    [
        "قال",
        "وقالت",
        "فقال",
        "يقول",
        "تقول",
        "وأضاف",
        "أضافت",
        "أكد",
        "واكدت",
        "صرح",
        "أعلن",
        "أوضح",
        "أشار",
        "ذكرت",
        "تابع",
        "كرر",
        "اعتبر",
        "شدد",
        "نفى",
        "نفت",
        "حذر",
        "أعرب",
        "ندد",
        "يؤكد",
        "قالوا",
        "أفاد",
    ],
)
def test_cue_conjugations(cue: str) -> None:
    # a plural verb agrees with a plural subject (a singular noun after it is its object)
    text = f"{cue} {'المتحدثون' if cue.endswith('وا') else 'المتحدث'} باسم الوزارة إن الوضع في المدينة مستقر."
    q = only(text)
    assert q.kind == "indirect" and q.content.text == "الوضع في المدينة مستقر"
    assert q.cue is not None and q.cue.text in cue
    assert q.speaker is not None and q.speaker.name.startswith("المتحدث")


@pytest.mark.parametrize("participle", ["مشيرا إلى", "مؤكدا", "مضيفا", "موضحا", "لافتا إلى", "معتبرا"])
def test_participle_cues_take_the_sentence_subject(participle: str) -> None:
    text = f"وأعرب الجبير عن أمله في حل سياسي، {participle} أن “العالم لن يدع الأسد يفلت”."
    first, q = quotes(text, ("عادل الجبير|الجبير", "PER"), ("الأسد", "PER"))
    assert first.content.text == "أمله في حل سياسي"  # أعرب عن X: an expressive act with content
    assert q.kind == "direct" and q.content.text == "العالم لن يدع الأسد يفلت"
    assert q.speaker is not None and q.speaker.name == "عادل الجبير" and q.speaker.resolution == "anaphoric"


def test_feminine_participle_skips_a_male_speaker() -> None:
    text = (
        "قال كيري إن المحادثات صعبة. وكانت روسيا قد أعلنت أنها لن تضغط على النظام، "
        "مشيرة إلى “مكافحة التهديد الإرهابي”."
    )
    q = quotes(text, KERRY, ("روسيا", "LOC"))[-1]
    assert q.content.text == "مكافحة التهديد الإرهابي"
    assert q.speaker is not None and q.speaker.name == "روسيا"


def test_cue_inventory_is_generated_from_base_forms() -> None:
    lex = load_cues()
    for surface in (
        "قال",
        "قالت",
        "قالوا",
        "يقول",
        "تقول",
        "نقول",
        "قائلا",
        "مؤكدا",
        "مؤكده",
        "دعت",
        "نفوا",
        "يدعون",
        "قوله",
        "بالقول",
        "بحسب",
        "وفقا",
    ):
        assert lex.lookup(surface) is not None, surface
    hit = lex.lookup("وأضاف".replace("أ", "ا"))
    assert hit is not None and hit[1] == 1  # the conjunction و is reported, not part of the cue
    assert lex.lookup("مكتب") is None and lex.lookup("عدة".replace("ة", "ه")) is None


# ---------------------------------------------------------------------------- speakers
def test_title_and_name_appositive() -> None:
    text = "وقال جون كيربي الناطق باسم الخارجية الاميركية ان كيري عبر عن “قلق عميق”."
    q = only(text, ("جون كيربي|كيربي", "PER"), KERRY)
    assert q.kind == "mixed" and q.content.text == "كيري عبر عن “قلق عميق”"
    assert q.speaker is not None and q.speaker.name == "جون كيربي"


def test_title_only_reference_resolves_to_the_entity() -> None:
    text = (
        "يجري وزير الخارجية الاميركي جون كيري محادثات مع وزير الخارجية الاردني ناصر جودة. "
        "واكد الوزير الاميركي اهمية المسألة، مذكرا بان “مجلس الامن يدعو الى وقف القتال”."
    )
    first, q = quotes(text, KERRY, ("ناصر جودة", "PER"))
    assert first.content.text == "اهمية المسألة"  # اكد + a noun-phrase complement
    for x in (first, q):
        assert x.speaker is not None and x.speaker.name == "جون كيري" and x.speaker.entity_id == "E1"
    assert q.cue is not None and q.cue.text == "مذكرا"


@pytest.mark.parametrize(
    "text",
    [
        "وقال سمو الأمير فيصل بن سلمان إن المهرجان ناجح. وأكد سمو أمير المنطقة أن الاستعدادات اكتملت.",
        "أكد سمو أمير المنطقة أن الاستعدادات اكتملت. وكان سمو الأمير فيصل بن سلمان قد افتتح المهرجان.",
    ],
)
def test_honorific_title_phrase_is_the_articles_dignitary(text: str) -> None:
    """سمو أمير المنطقة (an honorific and a title, no name): the person the article names after سمو."""
    q = next(q for q in quotes(text, ("فيصل بن سلمان", "PER")) if q.content.text == "الاستعدادات اكتملت")
    assert q.speaker is not None and q.speaker.name == "فيصل بن سلمان" and q.speaker.entity_id == "E1"


def test_svo_subject_before_the_verb() -> None:
    text = "وكان كيري صرح قبل وصوله الى جنيف ان “وضع حد للعنف في حلب اولوية”."
    q = only(text, KERRY)
    assert (
        q.speaker is not None and q.speaker.name == "جون كيري" and q.cue is not None and q.cue.text == "صرح"
    )


def test_organization_speaker_and_indirect_content_to_sentence_end() -> None:
    text = "في المقابل، قال المرصد السوري لحقوق الإنسان إن النظام يواصل حملته العنيفة ضد حلب. وهدأ القصف."
    q = only(text, ("المرصد السوري لحقوق الإنسان", "ORG"))
    assert q.kind == "indirect" and q.content.text == "النظام يواصل حملته العنيفة ضد حلب"
    assert q.speaker is not None and q.speaker.name == "المرصد السوري لحقوق الإنسان"


def test_source_chain_speaker_is_the_quoted_person() -> None:
    text = (
        "ونقلت وكالات الانباء الروسية عن الجنرال سيرغي كورالنكو رئيس المركز الروسي للمصالحة، "
        "قوله إن “هناك مفاوضات نشطة تجري حاليا”."
    )
    q = only(text, ("سيرغي كورالنكو", "PER"))
    assert q.speaker is not None and q.speaker.name == "سيرغي كورالنكو"
    assert q.cue is not None and q.cue.text == "قوله"


def test_demonstrative_and_definite_descriptions() -> None:
    text = (
        "وقال رئيس المركز الروسي للمصالحة إن الهدنة صامدة. "
        "واعلن هذا المركز ايضا ان “الاعمال الحربية توقفت في غالبية المناطق”."
    )
    q2 = quotes(text)[1]
    assert q2.speaker is not None and q2.speaker.name.startswith("المركز الروسي للمصالحة")
    assert q2.speaker.resolution == "nominal" and q2.speaker.mention is not None
    assert q2.speaker.mention.text == "هذا المركز"


def test_nominal_speaker_without_entity() -> None:
    q = only("وقال مصدر قريب من التحقيق إن المشتبه به اعتقل أمس.")
    assert q.speaker is not None and q.speaker.name == "مصدر قريب" and q.speaker.resolution == "nominal"


@pytest.mark.parametrize(
    ("sentence", "channel"),
    [
        ("وقال مصدر أمني لمراسلة الجوهرة إن المشتبه به اعتقل أمس.", ""),
        ("وأكد مصدر أمني للجوهرة أف أم أن المشتبه به اعتقل أمس.", "الجوهرة أف أم"),
    ],
)
def test_the_channel_a_source_spoke_to_is_not_in_its_name(sentence: str, channel: str) -> None:
    q = only(sentence, *([(channel, "ORG")] if channel else []))
    assert q.speaker is not None and q.speaker.name == "مصدر أمني", q.speaker
    # positive control: a ل-genitive after a title stays in the name (الأمين العام للحزب)
    q = only("وقال الأمين العام للحزب إن المشتبه به اعتقل أمس.")
    assert q.speaker is not None and q.speaker.name == "الأمين العام للحزب", q.speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ('وذكر موقع "رادار الرحلات 24" أن هذه الرحلة هي الأطول في تاريخ الطيران.', "رادار الرحلات 24"),
        ("وقالت صحيفة «الوطن» الكويتية إن الحكومة ستستقيل.", "الوطن"),
        # control: a naming noun that is no head of the phrase leaves the speaker as it was
        ('وقال الوزير ضيف برنامج "صباح الخير" إن الحكومة ستستقيل.', "الوزير ضيف برنامج"),
    ],
)
def test_the_name_in_marks_after_a_naming_noun_is_the_speaker(sentence: str, speaker: str) -> None:
    q = only(sentence)
    assert q.speaker is not None and q.speaker.name.startswith(speaker), q.speaker
    assert q.speaker.mention is not None and speaker in q.speaker.mention.text


def test_a_quoted_name_after_an_addressee_noun_belongs_to_the_addressee() -> None:
    text = (
        "أكد وزير النقل سامي العربي اليوم أنه لا شبهة فساد في المشروع. "
        'وأوضح لموفدة "إذاعة الساحل" ليلى بن علي، على هامش زيارته للولاية، أنه يتم عادة التدقيق في كل صفقة.'
    )
    q = quotes(text, ("سامي العربي", "PER"), ("إذاعة الساحل", "ORG"), ("ليلى بن علي", "PER"))[1]
    assert q.speaker is not None and q.speaker.name == "سامي العربي", q.speaker
    # positive control: a short quoted name right after the verb is its subject
    q = only('وقال "الدوسري" إن الوضع مستقر.')
    assert q.speaker is not None and q.speaker.name == "الدوسري", q.speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("وذكرت مصادر إعلامية يوم السبت أن حركة النزوح بدأت الجمعة.", "مصادر إعلامية"),
        ("وأكدت مصادر إعلامية يوم السبت أن حركة النزوح بدأت الجمعة.", "مصادر إعلامية"),
        # controls: an emphatic word stays in the phrase, and a construct noun is no object
        ("وقال المصدر ذاته إن المشتبه به اعتقل أمس.", "المصدر ذاته"),
        ("وقال وزير خارجيتها إن المشتبه به اعتقل أمس.", "وزير خارجيتها"),
    ],
)
def test_a_speaker_phrase_ends_before_a_time_word(sentence: str, speaker: str) -> None:
    q = only(sentence)
    assert q.speaker is not None and q.speaker.mention is not None, q
    assert q.speaker.mention.text.endswith(speaker.split()[-1]) and speaker in q.speaker.mention.text, (
        q.speaker
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "وتم إيقاف 12 شخصا مفتشا عنهم وحجز ثلاث سيارات، حسب ما أفاد به مصدر أمني بالجهة.",
        "وتم إيقاف 12 شخصا مفتشا عنهم وحجز ثلاث سيارات، وفق ما أفاد به مصدر أمني مراسلنا بالجهة.",
        "وتم إيقاف 12 شخصا مفتشا عنهم وحجز ثلاث سيارات، حسب ما أفاد مصدر أمني بالجهة.",  # control
    ],
)
def test_postposed_attribution_with_a_pronoun_after_its_verb(sentence: str) -> None:
    q = only(sentence)
    assert q.content.text == "وتم إيقاف 12 شخصا مفتشا عنهم وحجز ثلاث سيارات"
    assert q.speaker is not None and q.speaker.name.startswith("مصدر أمني"), q.speaker
    assert "مراسل" not in q.speaker.name  # the reporter is the channel


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("وأفاد بلاغ وزارة الداخلية أن الوضع مستقر.", "وزارة الداخلية"),
        ("وجاء في تصريح رئيس الحكومة أن الوضع مستقر.", "رئيس الحكومة"),
        ("وأفاد التقرير الشهري الصادر عن وزارة الطاقة أن الإنتاج تراجع.", "وزارة الطاقة"),
        ("وأفاد بيان أن الوضع مستقر.", "بيان"),  # the control: no author named, the document speaks
    ],
)
def test_a_document_speaks_for_its_author(sentence: str, speaker: str) -> None:
    """The guideline: a document's speaker is the body behind it, named by a genitive or الصادر عن."""
    q = only(sentence, ("وزارة الداخلية", "ORG"), ("وزارة الطاقة", "ORG"))
    assert q.speaker is not None and q.speaker.name == speaker


def test_a_group_of_people_speaks() -> None:
    """أعضاء، عمال، أعوان ...: a group named by what its people are is a speaker phrase (the control, an
    office title, was one before)."""
    q = only("أعرب أعضاء المكتب التنفيذي للجامعة عن استيائهم الشديد من الأحكام.")
    assert q.speaker is not None and q.speaker.name == "أعضاء المكتب التنفيذي للجامعة"
    assert q.content.text == "استيائهم الشديد من الأحكام"
    q = only("أعرب رئيس المكتب التنفيذي للجامعة عن استيائه الشديد من الأحكام.")
    assert q.speaker is not None and q.speaker.name == "رئيس المكتب التنفيذي للجامعة"


def test_an_unnamed_source_ends_before_the_channel_it_told() -> None:
    """أفاد مصدر أمني وكالة تونس افريقيا للأنباء أن: the agency is the channel, an object; the control:
    an institution glued to ب is the source's own (مصدر أمني بوزارة الداخلية)."""
    specs = (("وكالة تونس افريقيا للأنباء", "ORG"), ("وزارة الداخلية", "ORG"))
    q = only("وأفاد مصدر أمني وكالة تونس افريقيا للأنباء أن الوضع مستقر.", *specs)
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"
    q = only("وأفاد مصدر أمني بوزارة الداخلية أن الوضع مستقر.", *specs)
    assert q.speaker is not None and q.speaker.name == "مصدر أمني بوزارة الداخلية"


def test_a_possessed_noun_after_the_verb_is_its_object_not_its_subject() -> None:
    """أعلنت كشفها عن ...: the noun with a pronoun is the object (the content), the pronoun's referent
    speaks; the control: a title with a pronoun (مديرها) is a subject."""
    text = (
        "وأكدت وزارة الدفاع الوطني أن العملية متواصلة. كما أعلنت كشفها عن 4 مواقع تتحصن بها مجموعات إرهابية."
    )
    q = quotes(text, ("وزارة الدفاع الوطني", "ORG"))[1]
    assert q.content.text == "كشفها عن 4 مواقع تتحصن بها مجموعات إرهابية"
    assert q.speaker is not None and q.speaker.name == "وزارة الدفاع الوطني"
    q = only("وقال مديرها إن الشركة ستواصل نشاطها.")
    assert q.speaker is not None and q.speaker.name == "مديرها"


def test_a_bare_noun_starting_with_waw_after_a_definite_subject_is_the_object() -> None:
    """وأكد المسؤول وجود تقصير: وجود is a word (not و + جود), so the object starts there; the control: a
    و that is the conjunction (والوزير) is not read so."""
    q = only("وأكد المسؤول وجود تقصير بالمدرسة، محمّلا المدير المسؤولية.")
    assert q.content.text.startswith("وجود تقصير")
    assert q.speaker is not None and q.speaker.name == "المسؤول", q.speaker
    q = only("وأكد المدير والوزير أن الامتحانات ستجري في موعدها.")
    assert q.speaker is not None and q.speaker.name.startswith("المدير والوزير"), q.speaker


def test_a_described_subject_of_a_sentence_speaks_for_its_implicit_cues() -> None:
    """وقامت السلطات المختصة بإخلاء المطار ...، محذرة: the participle's subject is the sentence's
    described subject (no entity), not an earlier speaker; the control: without that opening sentence
    the earlier speaker stays."""
    first = "وقال محمد العلي إن الرحلات متواصلة. "
    second = "وقامت السلطات المختصة بإخلاء المطار للتأكد من عدم وجود متفجرات، محذرة من الاقتراب من المكان."
    q = quotes(first + second, ("محمد العلي", "PER"))[-1]
    assert q.content.text == "الاقتراب من المكان"
    assert q.speaker is not None and q.speaker.name == "السلطات المختصة", q.speaker
    q = quotes(
        first + "وتم إخلاء المطار للتأكد من عدم وجود متفجرات، محذرة من الاقتراب من المكان.",
        ("محمد العلي", "PER"),
    )
    assert q[-1].speaker is not None and q[-1].speaker.name != "السلطات المختصة"


def test_a_documents_wrapper_or_page_is_not_the_speaker_its_source_is() -> None:
    """The guideline's speaker is the source of the words: حسب نص البلاغ names البلاغ (and through it
    its author), the official page of a governorate names the governorate. Control: a statement of a
    ministry names the ministry."""
    q = only("وقد تمت السيطرة على الحريق دون خسائر بشرية، حسب نص البلاغ.")
    assert q.speaker is not None and q.speaker.name == "البلاغ", q.speaker
    text = "وتقرر تأجيل العودة المدرسية بالمنطقة، وفق ما جاء في الصفحة الرسمية لولاية المنستير."
    q = only(text, ("المنستير", "LOC"))
    assert q.speaker is not None and q.speaker.name == "ولاية المنستير", q.speaker
    text = "وتقرر تأجيل العودة المدرسية بالمنطقة، وفق ما جاء في بيان لوزارة التربية."
    q = only(text, ("وزارة التربية", "ORG"))
    assert q.speaker is not None and q.speaker.name == "وزارة التربية", q.speaker


def test_a_group_of_people_named_by_its_size_is_a_speaker() -> None:
    """عدد من المحتجين: a group's size, من, then who they are, is one speaker phrase; the control: a
    size of things (عدد من الملفات) is no speaker."""
    q = only("وأكد عدد من المحتجين أن مطالبهم مشروعة ولن يتراجعوا عنها.")
    assert q.speaker is not None and q.speaker.name == "عدد من المحتجين", q.speaker
    assert q.content.text == "مطالبهم مشروعة ولن يتراجعوا عنها"
    qs = quotes("وأكد عدد من الملفات أن المسألة معقدة.")
    assert all(q.speaker is None or "الملفات" not in q.speaker.name for q in qs), qs


def test_a_demonstrative_before_an_indefinite_word_is_the_object_not_a_speaker() -> None:
    """واعتبرت ذلك أمرا عاديا: ذلك is the object; read as a speaker it became the agent of the next
    implicit cue. The control: هذا المركز (a demonstrative before a definite noun) is a speaker."""
    t = (
        "وقالت ليلى علوان إن السمنة تنتشر. واعتبرت ذلك امرأ عاديا نظرا للتطور الاقتصادي. "
        "وبينت أن الغذاء تغير."
    )
    for q in quotes(t, ("ليلى علوان", "PER")):
        assert q.speaker is None or "ذلك" not in q.speaker.name, q.speaker
    q = only("وأكد هذا المركز أن الأرقام لا تعكس الواقع.")
    assert q.speaker is not None and q.speaker.name.endswith("المركز"), q.speaker


def test_a_word_for_a_whole_group_starts_the_object_not_a_name() -> None:
    """دعا رئيس الحكومة جميع التونسيين إلى ...: جميع starts the object (before: read as the title's
    name); the control: a name after a title is still read (رئيس الحكومة يوسف الشاهد)."""
    q = only("ودعا رئيس الحكومة جميع التونسيين إلى المساهمة في تطوير القطاع.")
    assert q.speaker is not None and q.speaker.name == "رئيس الحكومة", q.speaker
    q = only("ودعا رئيس الحكومة يوسف الشاهد إلى المساهمة في تطوير القطاع.", ("يوسف الشاهد", "PER"))
    assert q.speaker is not None and q.speaker.name == "يوسف الشاهد", q.speaker


@pytest.mark.parametrize(
    ("text", "specs", "speaker"),
    [
        # a statement issued today by X: the time word between صادر and عن
        (
            "وتم إيقاف المشتبه بهم وفق بلاغ صادر اليوم عن وزارة الداخلية.",
            (("وزارة الداخلية", "ORG"),),
            "وزارة الداخلية",
        ),
        # a video is a document: its publisher speaks
        ("وتم إيقاف المشتبه بهم بحسب فيديو نشره السفير الفرنسي على فيسبوك.", (), "السفير الفرنسي"),
        # his statement: the sentence's subject after كما + verb (a title and its name)
        (
            "وقال لسعد ادريس إن الأمن مستقر. كما استقبل والي نابل منور الورتاني وفدا عن المحتجين وتم الاتفاق "
            "على تحسين المنظومة الأمنية، وفق تصريحه.",
            (("لسعد ادريس", "PER"), ("منور الورتاني", "PER")),
            "منور الورتاني",
        ),
        # control: with no subject of its own, his statement is the latest speaker's
        (
            "وقال لسعد ادريس إن الأمن مستقر. وتم الاتفاق على تحسين المنظومة الأمنية، وفق تصريحه.",
            (("لسعد ادريس", "PER"),),
            "لسعد ادريس",
        ),
    ],
)
def test_a_documents_author_speaks(text: str, specs: tuple[tuple[str, str], ...], speaker: str) -> None:
    q = quotes(text, *specs)[-1]
    assert q.speaker is not None and q.speaker.name == speaker, q.speaker


def test_a_name_in_marks_before_the_perfect_particle_is_the_subject() -> None:
    """يذكر أن التنظيم "داعش" قد أعلن: the name in marks, then قد + verb: the group spoke, not the police
    named before. Control: a name in marks after a preposition, no particle, is no subject."""
    first = "وأكدت الشرطة الفرنسية مقتل المهاجم. "
    q = quotes(first + 'يذكر أن التنظيم الإرهابي "داعش" قد أعلن مسؤوليته عن الهجوم.', ("داعش", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == "داعش", q.speaker
    q = quotes(first + 'وتحدث أحد الأولياء لإذاعة "الجوهرة" معربا عن امتعاضه من القرار.', ("الجوهرة", "ORG"))[
        -1
    ]
    assert q.speaker is not None and q.speaker.name != "الجوهرة", q.speaker


def test_a_person_right_before_a_relative_pronoun_speaks_in_its_clause() -> None:
    """ردّ النائب على تصريح رئيس الهيئة سامي الكافي الذي قال إن ...: the person named right before the
    relative pronoun is its clause's speaker (the implicit reading had given the sentence's subject),
    and the clause's speaker does not carry to a later implicit cue of the sentence (قائلا: the MP goes
    on). Controls: a body before the relative pronoun, or a relative whose gender is not the cue's (the
    verb's object: سياسة الوزير X التي قال إنها), is left to the implicit reading."""
    text = (
        "وردّ النائب منير الحداد على تصريح رئيس الهيئة سامي الكافي الذي قال إن الفساد منتشر في الإدارة، "
        "قائلا إن هذا الكلام مردود."
    )
    qs = quotes(text, ("منير الحداد", "PER"), ("سامي الكافي", "PER"))
    by_cue = {q.cue.text: q for q in qs if q.cue is not None}
    spk = by_cue["قال"].speaker
    assert spk is not None and spk.name == "سامي الكافي", spk
    spk = by_cue["قائلا"].speaker
    assert spk is not None and spk.name == "منير الحداد", spk
    text = "وانتقد النائب منير الحداد سياسة حركة النهضة التي قال إن الفساد منتشر في عهدها."
    q = quotes(text, ("منير الحداد", "PER"), ("حركة النهضة", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == "منير الحداد", q.speaker
    text = "وانتقد النائب منير الحداد سياسة الوزير سامي الكافي التي قال إنها فاشلة."
    q = quotes(text, ("منير الحداد", "PER"), ("سامي الكافي", "PER"))[-1]
    assert q.speaker is not None and q.speaker.name == "منير الحداد", q.speaker


def test_a_group_subject_of_the_opening_verb_speaks_for_a_later_plural_cue() -> None:
    """وقام أطباء بإجراء فحوصات ...، وقالوا إن: the group that is the subject of the verb opening the
    sentence (also after يذكر أن) is the plural cue's subject, its phrase cut before the complement (بإجراء);
    the person who spoke before had been given. Control: a group after a preposition opening the sentence
    is no subject."""
    first = "وقال الوزير محمد علي إن الوضع مستقر. "
    q = quotes(first + "وقام أطباء بإجراء فحوصات للمريض، وقالوا إن حالته مستقرة.", ("محمد علي", "PER"))[-1]
    assert q.speaker is not None and q.speaker.name == "أطباء", q.speaker
    text = first + "يذكر أن أعضاء النقابة كانوا قد اتهموا الإدارة بالتقصير."
    q = quotes(text, ("محمد علي", "PER"))[-1]
    assert q.speaker is not None and q.speaker.name == "أعضاء النقابة", q.speaker
    q = quotes(first + "وفي لقاء مع أطباء المستشفى، قالوا إن حالته مستقرة.", ("محمد علي", "PER"))[-1]
    assert q.speaker is None or "أطباء" not in q.speaker.name, q.speaker


def test_a_definite_statement_without_antecedent_is_the_latest_body_s() -> None:
    """حسب البلاغ with no statement named before: the guideline's speaker is the organization behind the
    document, the latest body that spoke (it had been "البلاغ"). Control: with only a person before, the
    document keeps its own name."""
    tail = " وسيتم تلقيح كل الأطفال قبل الصيف، حسب البلاغ."
    q = quotes("قالت وزارة الصحة إن الوضع مستقر." + tail, ("وزارة الصحة", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == "وزارة الصحة", q.speaker
    q = quotes("قال الوزير محمد علي إن الوضع مستقر." + tail, ("محمد علي", "PER"))[-1]
    assert q.speaker is not None and q.speaker.name == "البلاغ", q.speaker


def test_a_description_names_the_latest_body_that_spoke_over_another_body_s_mention() -> None:
    """وأشارت الإدارة after الإدارة العامة للعلاقات والإعلام spoke: the description had found its
    antecedent in the nearer mention of another body with the same head (من منتسبي الإدارة العامة للمرور);
    the latest speaker whose phrase had the head is preferred. Control: with no such speaker the nearer
    mention still gives the antecedent."""
    ents = (("الإدارة العامة للعلاقات والإعلام", "ORG"), ("الإدارة العامة للمرور", "ORG"))
    tail = "وكان الشرطي من منتسبي الإدارة العامة للمرور. وأشارت الإدارة إلى أن المتهم موقوف."
    q = quotes("وقالت الإدارة العامة للعلاقات والإعلام إن شرطيا تعرض للاعتداء. " + tail, *ents)[-1]
    assert q.speaker is not None and q.speaker.name == "الإدارة العامة للعلاقات والإعلام", q.speaker
    q = quotes("تعرض شرطي للاعتداء. " + tail, *ents)[-1]
    assert q.speaker is not None and q.speaker.name == "الإدارة العامة للمرور", q.speaker


@pytest.mark.parametrize(
    "text",
    [
        "وتم حجز 300 لعبة، بحسب ما أورده بلاغ صدر السبت عن وزارة التجارة.",
        "وتم حجز 300 لعبة، وفق بلاغ صادر اليوم الخميس عن وزارة التجارة.",
    ],
)
def test_a_statement_issued_after_a_time_phrase_names_its_issuer(text: str) -> None:
    """بلاغ صدر السبت عن X، بلاغ صادر اليوم الخميس عن X: the issuer after عن, past the verb صدر
    (quotes_issued.txt had only صادر، صادرة) and past a time phrase of two words. Control: with no issuer
    the document speaks."""
    q = only(text, ("وزارة التجارة", "ORG"))
    assert q.speaker is not None and q.speaker.name == "وزارة التجارة", q.speaker
    q = only("وتم حجز 300 لعبة، وفق بلاغ صادر اليوم الخميس.", ("وزارة التجارة", "ORG"))
    assert q.speaker is not None and q.speaker.name == "بلاغ صادر", q.speaker


def test_a_place_that_spoke_issues_no_document() -> None:
    """بحسب القرار after a place named as an actor (واشنطن تتهم): a place is no body behind a document, so
    it does not become the document's speaker. Control: the same text with an organization that spoke."""
    tail = " وبحسب القرار فإن الفريق سيحدد المسؤولين عن الهجمات."
    q = quotes("وقالت واشنطن إن النظام مسؤول عن الهجمات." + tail, ("واشنطن", "LOC"))[-1]
    assert q.speaker is None or q.speaker.name != "واشنطن", q.speaker
    q = quotes("وقالت وزارة الخارجية إن النظام مسؤول عن الهجمات." + tail, ("وزارة الخارجية", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == "وزارة الخارجية", q.speaker


def test_fa_qad_after_an_attributed_source_ends_its_phrase() -> None:
    """وحسب مصدر مطلع فقد تم ...: فقد (ف + the particle قد) opens the main clause, no word of the
    source's phrase (قد and لقد already were time words). Control: the verb فقد (lost) inside a content
    stays in it."""
    q = quotes("وتم إيقاف الرجل بالعاصمة. وحسب مصدر مطلع فقد تم إيقافه على خلفية تصريحات.")[-1]
    assert q.speaker is not None and q.speaker.name == "مصدر مطلع", q.speaker
    q = only("وقال المواطن إنه فقد وثائقه في المطار.")
    assert q.content.text == "إنه فقد وثائقه في المطار", q.content.text


def test_a_relative_pronoun_with_a_conjunction_opens_no_speaker_phrase() -> None:
    """والذي يصف نفسه: a relative pronoun with a glued و is still a relative pronoun, so the clause it opens
    gives no speaker "الناطق بالتركية والذي" to the next quote's dropped subject. Control: the body named
    at the first cue speaks both quotes."""
    text = (
        "وقال موقع دار الخلافة -الناطق بالتركية والذي يصف نفسه بانه مكتب إعلامي – إن القرار أظهر الضغوط. "
        "وقال في بيان ارسل إلى رويترز “عليهم ألا ينسوا ذلك”."
    )
    speakers = [q.speaker.name if q.speaker else None for q in quotes(text, ("دار الخلافة", "ORG"))]
    assert speakers == ["دار الخلافة", "دار الخلافة"], speakers


def test_a_dual_relative_pronoun_ends_the_speaker_phrase() -> None:
    """اللذان، اللتان (the nominative dual; relatives.txt had only اللذين، اللتين): the relative clause is
    no part of the speaker's phrase. Control: الذي already ended it."""
    q = only("وقال أحد المحاميين اللذان تواجدا بمقر الندوة إن الملف فارغ.")
    assert q.speaker is not None and q.speaker.name == "أحد المحاميين", q.speaker
    q = only("وقال أحد المحامين الذي تواجد بمقر الندوة إن الملف فارغ.")
    assert q.speaker is not None and q.speaker.name == "أحد المحامين", q.speaker


def test_the_journalist_after_the_cue_is_its_subject() -> None:
    """الصحفي is a person noun (person_nouns.txt): right after the verb it speaks, not the paper named
    before; control: inside a source's clause it stays in the content."""
    text = "ونشرت صحيفة واشنطن بوست مقالا عن تونس. وانتقد الصحفي تجاهل الحكومات الأميركية لتجربة تونس."
    q = quotes(text, ("واشنطن بوست", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == "الصحفي", q.speaker
    q = only("وأكد مصدر أمني أن الصحفي غادر البلاد.")
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"


@pytest.mark.parametrize(
    ("second", "speaker"),
    [
        ("وقالت حديقة الحيوان إن الحارس عثر على الحيوان.", "حديقة الحيوان"),
        ("وأوضحت دراسات سابقة أن نصف المرضى تعافوا.", "دراسات سابقة"),
        ("وتفيد المعطيات الأولية أنه تعرض لإصابة.", "المعطيات الأولية"),
        # controls: a time phrase or a first-person verb before the clause is no subject
        ("وأضافت مطلع أكتوبر أن الوضع مستقر.", "الشرطة"),
        ("وقالت ردا على سؤال إن الوضع مستقر.", "الشرطة"),
    ],
)
def test_a_noun_phrase_between_a_speech_verb_and_its_clause_is_the_subject(second: str, speaker: str) -> None:
    """قال X إن: a plain speech verb takes no object before its clause, so a short noun phrase that runs
    straight into the complementizer is its subject, whatever its head (not the police named before)."""
    q = quotes("وأعلنت الشرطة إيقاف الشاب بالعاصمة. " + second)[-1]
    assert q.speaker is not None and q.speaker.name == speaker, q.speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "وتم القبض على مروج مخدرات، وفق ما أفاد به مراسل وكالة الأنباء مصدر أمني مسؤول. "
            "وأضاف ذات المصدر أن المصالح حجزت 8 صفائح.",
            "مصدر أمني مسؤول",
        ),
        # control: a reporter with no source in his phrase speaks himself
        ("وأضاف مراسل وكالة الأنباء أن المصالح حجزت 8 صفائح.", "مراسل وكالة الأنباء"),
    ],
)
def test_a_source_after_the_reporter_it_told_speaks(text: str, speaker: str) -> None:
    """أفاد به مراسل X مصدر أمني: the reporter (the channel, ANNOTATION.md) was told; the source speaks, for
    the attribution and for the later ذات المصدر."""
    qs = quotes(text)
    assert qs and all(q.speaker is not None and q.speaker.name == speaker for q in qs), [
        q.speaker for q in qs
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("ويشغل القطاع آلاف العمال. وثمّن الوزير أهمية الشراكة بين القطاعين.", "الوزير"),
        ("كما أكد مصدر أمني بمنطقة الأمن الوطني بمنوبة عدم تلقي مصالحه أية شكاية.", "مصدر أمني"),
        # control: a name after the title is still his name
        ("وثمّن الوزير محمد الطرابلسي جهود العمال.", "محمد الطرابلسي"),
    ],
)
def test_a_verbal_noun_after_the_subject_opens_the_object(text: str, speaker: str) -> None:
    """أهمية، عدم، ضرورة open the verb's object (`quotes_object_nouns.txt`): the name lexicon holds them
    as person-name words, and the speaker phrase had read on into the object and named the speaker
    "أهمية الشراكة"."""
    q = quotes(text, ("منطقة الأمن الوطني بمنوبة", "ORG"), ("محمد الطرابلسي", "PER"))[-1]
    assert q.speaker is not None and q.speaker.name.startswith(speaker), q.speaker
    assert "أهمية" not in q.speaker.name and "عدم" not in q.speaker.name


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('وأفادت فرقة الأبحاث بحجز بنادق صيد. وأضاف مراسلنا: "لمسنا ذلك عند زيارتنا للمستشفى".', "مراسلنا"),
        ("وأفادت فرقة الأبحاث بحجز بنادق صيد. وأفاد مراسلنا اليوم أن الفرقة ضبطت ورشتين.", "مراسلنا"),
        # the reporter, not where he is
        ("وأفادت فرقة الأبحاث بحجز بنادق صيد. وأكد مراسلنا بالقصرين أن الوضع مستقر.", "مراسلنا"),
        # control: the reporter an anonymous source told is the channel, the source speaks
        ("وأفادت فرقة الأبحاث بحجز بنادق صيد. وأكد مصدر أمني مراسلنا بالجهة أن الوضع مستقر.", "مصدر أمني"),
    ],
)
def test_the_papers_own_reporter_after_the_cue_is_its_subject(text: str, speaker: str) -> None:
    """مراسلنا (our reporter) right after the verb speaks: the first person ending had kept it out of the
    speaker words, and the implicit subject went to the body before (فرقة الأبحاث)."""
    q = quotes(text, ("فرقة الأبحاث", "ORG"))[-1]
    assert q.speaker is not None and q.speaker.name == speaker, q.speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # بيان أصدرته اليوم: the verb's dropped subject issued it, the time word is no author
        (
            "هددت الغرفة النقابية للمخابز بشن إضراب، بحسب ما جاء في بيان أصدرته اليوم الثلاثاء.",
            "الغرفة النقابية للمخابز",
        ),
        (
            "أكدت وزارة الفلاحة في بلاغ أصدرته الخميس أن المخزون كاف. وأوضح البلاغ أن الأسعار مستقرة.",
            "وزارة الفلاحة",
        ),
        # control: a named author after the time word still issued it
        ("وتقرر غلق المعبر، بحسب بيان أصدرته اليوم وزارة الداخلية.", "وزارة الداخلية"),
    ],
)
def test_a_time_word_after_the_publishing_verb_is_no_author(text: str, speaker: str) -> None:
    specs = (("الغرفة النقابية للمخابز", "ORG"), ("وزارة الفلاحة", "ORG"), ("وزارة الداخلية", "ORG"))
    q = quotes(text, *specs)[-1]
    assert q.speaker is not None and q.speaker.name == speaker, q.speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # بيان لها: the pronoun's referent owns the statement
        (
            'طالبت حركة الأمل الحكومة بالمصارحة. وعبرت عن رفضها، "فلا مصالحة"، وفق ما ورد في بيان لها.',
            "حركة الأمل",
        ),
        # بلاغ من X: the body after من
        ("وتم حجز كمية من المخدرات حسب بلاغ من وزارة الداخلية.", "وزارة الداخلية"),
        # control: a passive publishing verb names no owner, the report speaks
        ("وأكد الباحث سامي العلوي أن النوع نادر. وبحسب تقرير نشر في مجلة علمية، فإن العدد تضاعف.", "تقرير"),
    ],
)
def test_a_documents_owner_by_pronoun_or_min(text: str, speaker: str) -> None:
    """في بيان لها، بلاغ من X: the owner speaks; the control keeps the report, not the latest person."""
    specs = (("حركة الأمل", "ORG"), ("وزارة الداخلية", "ORG"), ("سامي العلوي", "PER"))
    q = quotes(text, *specs)[-1]
    assert q.speaker is not None and q.speaker.name.startswith(speaker), q.speaker


def test_a_plural_cue_is_said_by_a_group_not_by_the_last_person() -> None:
    """قالوا، اشاروا، معتبرين: a plural verb's subject is a group (عدد من العملة), not the last named
    person; a noun after a plural verb is its object (اتهموا الطبيبة). Controls: the same cues in the
    singular keep the person (and a singular verb's subject after it)."""
    first = "وقال الوالي محمد العلي إن الطريق ستفتح. وأوضح عدد من العملة ان مطلبهم مشروع، "
    spec = ("محمد العلي", "PER")
    qs = quotes(first + "واشاروا الى ان الإجراء وقتي.", spec)
    assert [q.speaker.name if q.speaker else None for q in qs] == [
        "محمد العلي",
        "عدد من العملة",
        "عدد من العملة",
    ]
    qs = quotes(first + "واتهموا الطبيبة بأنها تتجاهل مطالبهم.", spec)
    assert qs[-1].speaker is not None and qs[-1].speaker.name == "عدد من العملة", qs[-1].speaker
    q = only("واتهمت الطبيبة الإدارة بأنها تتجاهل مطالب العمال.")
    assert q.speaker is not None and q.speaker.name.startswith("الطبيبة"), q.speaker
    qs = quotes("وقال الوالي محمد العلي إن الطريق ستفتح. وأشار الى ان الإجراء وقتي.", spec)
    assert qs[-1].speaker is not None and qs[-1].speaker.name == "محمد العلي", qs[-1].speaker


def test_a_name_run_after_a_preposition_is_no_name_for_the_title_before_it() -> None:
    """وحذرت الخبيرة في التغذية من ظاهرة السمنة: the words after من are the warning's object, not the
    expert's name (they had become an agent for four later cues). The control: a title, a place, then
    the name (مدير مكتب الحملة في لبنان وليد الجلال)."""
    text = "وحذرت الخبيرة في التغذية من ظاهرة السمنة في تونس. وبينت أن الغذاء تغير."
    qs = quotes(text, ("تونس", "LOC"))
    assert [(q.speaker.name if q.speaker else None, q.content.text) for q in qs] == [
        ("الخبيرة", "ظاهرة السمنة في تونس"),
        ("الخبيرة", "الغذاء تغير"),
    ]
    q = only("وقال مدير مكتب الحملة في لبنان وليد الجلال إن الحملة مستمرة.", ("لبنان", "LOC"))
    assert q.speaker is not None and q.speaker.name == "وليد الجلال", q.speaker


def test_an_adverb_in_the_accusative_after_the_verb_is_no_speaker() -> None:
    text = "وقالت الوزيرة منى العلي إن التصريحات افتراء. ووصفتها صراحةً بأنها عنصرية تنم عن جهل كبير."
    q = quotes(text, ("منى العلي", "PER"))[-1]
    assert q.content.text.startswith("بأنها عنصرية")
    assert q.speaker is None or "صراحة" not in q.speaker.name, q.speaker  # before: صراحةً
    # control: a relay cue written with its tanween is still read (نقلاً عن X)
    q = only("وأفادت مصادر أمنية نقلاً عن الموقوفين بأن بعض عناصر الخلية تدربوا في الخارج.")
    assert q.speaker is not None and q.speaker.name == "الموقوفين", q.speaker


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        (
            "وقال المدير الجهوي للحماية المدنية لمراسل الإذاعة إن الحريق أخمد.",
            "المدير الجهوي للحماية المدنية",
        ),
        ("وأكد مراسل الإذاعة بالجهة أن الحريق أخمد.", "مراسل الإذاعة"),
        ("وأكد عضو هيئة الدفاع قبيل انطلاق الجلسة أن الحريق أخمد.", "عضو هيئة الدفاع"),
        # controls: a name after a definite title, an emphatic word, a naming verb stay in the phrase
        ("وقال الكاتب الفلسطيني فاروق سعدات إن الحريق أخمد.", "الكاتب الفلسطيني فاروق سعدات"),
        ("وقال المصدر ذاته إن الحريق أخمد.", "المصدر ذاته"),
    ],
)
def test_a_speaker_phrase_ends_before_a_channel_or_an_object(sentence: str, mention: str) -> None:
    q = only(sentence)
    assert q.speaker is not None and q.speaker.mention is not None, q
    assert q.speaker.mention.text == mention, q.speaker


def test_the_source_of_a_postposed_attribution_goes_on_speaking() -> None:
    text = (
        "وتمكنت الوحدات الأمنية من إيقاف شخص بحوزته مخدرات قرب المفترق، وفق ما أفاد به مصدر أمني بالجهة.\n"
        "وأوضح أن الموقوف كان على متن دراجة نارية، مشيرا إلى أن العملية تأتي في إطار التصدي للتهريب."
    )
    qs = quotes(text)
    assert len(qs) == 3, [q.content.text for q in qs]
    assert qs[0].speaker is not None and qs[0].speaker.name == "مصدر أمني بالجهة"
    for q in qs[1:]:
        assert q.speaker is not None and q.speaker.name == "مصدر أمني بالجهة", q.speaker
        assert q.speaker.resolution == "anaphoric"


def test_the_same_source_refers_back() -> None:
    text = (
        "انفجر لغم بمنطقة جبلية، حسب ما أفاد به مصدر عسكري بالمنطقة.\n"
        "وذكر ذات المصدر في تصريحه، أن اللغم انفجر عندما كانت امرأة ترعى قطيعها."
    )
    qs = quotes(text)
    assert len(qs) == 2, [q.content.text for q in qs]
    q = qs[1]
    assert q.content.text.startswith("اللغم انفجر")
    assert q.speaker is not None and q.speaker.name == "مصدر عسكري بالمنطقة", q.speaker
    assert q.speaker.mention is not None and q.speaker.mention.text == "ذات المصدر"


# ---------------------------------------------------------------------------- indirect, mixed, attributive
def test_a_coordinated_reporting_verb_ends_the_clause() -> None:
    text = "وقال الوزير سامي الفهري إن الوضع مستقر وأكدت الوزارة أن الأسعار ستنخفض."
    q1, q2 = quotes(text, ("سامي الفهري", "PER"))
    assert (q1.content.text, q2.content.text) == ("الوضع مستقر", "الأسعار ستنخفض")
    assert q2.speaker is not None and q2.speaker.name == "الوزارة"


def test_indirect_and_mixed() -> None:
    q = only("أكد كيري أن المحادثات مستمرة في جنيف.", KERRY)
    assert q.kind == "indirect" and q.content.text == "المحادثات مستمرة في جنيف"
    q = only("وأعلن الوزير ان المحادثات تشكل “تطورا مهما” في الأزمة.")
    assert q.kind == "mixed" and q.content.text == "المحادثات تشكل “تطورا مهما” في الأزمة"
    # marks right after the complementizer, and the clause goes on after them: mixed, the whole clause
    q = only("وأوضح الوزير أنه “سيبقى حامي الديار” في هذا الحزب ولن يغادره.")
    assert q.kind == "mixed" and q.content.text == "أنه “سيبقى حامي الديار” في هذا الحزب ولن يغادره"
    q = only("وقال الوزير إن “الإصلاحات ستتواصل رغم الصعوبات”.")  # the control: the marks end the clause
    assert q.kind == "direct" and q.content.text == "الإصلاحات ستتواصل رغم الصعوبات"
    # marks around a name the recognizer read are no words of the speaker: still indirect
    q = only("وأعلن الوزير ان مصنع “سياب” سيغلق في جانفي.", ("سياب", "ORG"))
    assert q.kind == "indirect" and q.content.text == "مصنع “سياب” سيغلق في جانفي"
    # nor marks around the term of a category noun (مخدر "الزطلة"، صنف "أ")
    q = only('وأفاد المصدر أنه تم حجز كمية من مخدر "الزطلة" في المنزل.')
    assert q.kind == "indirect" and q.content.text == 'أنه تم حجز كمية من مخدر "الزطلة" في المنزل'
    # the category noun two or three words before the marks, its own name's words between
    q = only('وأفاد المصدر أنه تم حجز 6 كلغ من مخدر القنب الهندي "الزطلة" في المنزل.')
    assert q.kind == "indirect" and q.content.text.endswith('من مخدر القنب الهندي "الزطلة" في المنزل')
    # the control: a head with the article and a verb after it is a sentence, the marks are the speaker's
    q = only('وأكد الوزير أن الشهادة أصبحت "مجرد ورقة" لا قيمة لها.')
    assert q.kind == "mixed", q.content.text
    # a case's charge after موضوعها is a legal formula, however long; marks after another noun stay mixed
    q = only('وأفادت الوزارة أنه تم فتح قضية عدلية موضوعها "القتل العمد مع سابقية القصد".')
    assert q.kind == "indirect", q.content.text
    q = only('وأفادت الوزارة أنه تم فتح قضية عدلية بسبب "القتل العمد مع سابقية القصد".')
    assert q.kind == "mixed", q.content.text


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("وقتل عشرة مدنيين في حلب، بحسب الدفاع المدني.", "الدفاع المدني"),
        ("ولم تشن أي غارة على أحياء المعارضة، وفقا لمراسل فرانس برس.", "مراسل فرانس برس"),
        ("وساد هدوء هش في المدينة، وفق مراسل الوكالة الفرنسية.", "مراسل الوكالة الفرنسية"),
        ("وشهدت المدينة قصفا عنيفا، كما قال المرصد السوري لحقوق الانسان.", "المرصد السوري لحقوق الانسان"),
        ("وقتل خمسة اشخاص في القصف، حسب مصادر طبية.", "مصادر طبية"),
        ("وأعلنت الشرطة اعتقال المشتبه به، نقلا عن وكالة الأنباء الرسمية.", "وكالة الأنباء الرسمية"),
    ],
)
def test_attributive_phrases(sentence: str, source: str) -> None:
    q = only(sentence, ("فرانس برس", "ORG"))
    assert q.kind == "indirect" and q.content.text == sentence.split("،")[0]
    assert q.speaker is not None and q.speaker.name == source


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        # the phrase inside the sentence: the quote is all of it
        (
            "وتشمل الإجراءات، وفق ما جاء في بيان لوزارة الصحة، تعقيم المدارس وتوزيع الكمامات.",
            "وتشمل الإجراءات، وفق ما جاء في بيان لوزارة الصحة، تعقيم المدارس وتوزيع الكمامات",
            "وزارة الصحة",
        ),
        (
            'وقد تم إنقاذ جميع الركاب، وفق ما أوردته "الشروق".',
            "وقد تم إنقاذ جميع الركاب",
            "الشروق",
        ),  # in marks
        (  # a time phrase before the source
            "وقررت المحكمة تأجيل القضية، وفق ما صرح به عشية اليوم الجمعة الناطق الرسمي باسمها سامي الفهري.",
            "وقررت المحكمة تأجيل القضية",
            "سامي الفهري",
        ),
        (
            "وتم حجز 40 كغ من المخدرات، حسب ما ذكره مصدر أمني بالجهة.",
            "وتم حجز 40 كغ من المخدرات",
            "مصدر أمني",
        ),
        (
            "وبحسب ما نقلته تقارير دولية فإن الجندي اعتدى على المعاق.",
            "الجندي اعتدى على المعاق",
            "تقارير دولية",
        ),
        (  # a statement noun whose author spoke before: the author (the guideline: the body behind it)
            "وأفادت وزارة الداخلية بإيقاف شخصين. وما تزال الأبحاث متواصلة وفق ما أفاد البلاغ.",
            "وما تزال الأبحاث متواصلة",
            "وزارة الداخلية",
        ),
    ],
)
def test_attribution_constructions(text: str, content: str, source: str) -> None:
    qs = quotes(
        text, ("وزارة الصحة", "ORG"), ("الشروق", "ORG"), ("سامي الفهري", "PER"), ("وزارة الداخلية", "ORG")
    )
    q = next(q for q in qs if q.content.text == content)
    assert q.speaker is not None and q.speaker.name.startswith(source)


@pytest.mark.parametrize(
    ("text", "content", "source"),
    [
        (  # the channel the source told, with its place, before a comma: the source follows
            "وتم حجز كميات من السكر المدعم، وفق ما أكده لمراسل الجوهرة أف أم في المهدية، المدير الجهوي "
            "للتجارة الحبيب النصري.",
            "وتم حجز كميات من السكر المدعم",
            "الحبيب النصري",
        ),
        (
            "وتم حجز كميات من السكر، بحسب ما أكده للجوهرة أف أم، المدير الجهوي للتجارة الحبيب النصري.",
            "وتم حجز كميات من السكر",
            "الحبيب النصري",
        ),
        (  # control: a channel after the source stays the channel
            "وتم إيقاف شخصين، وفق ما أكده مصدر أمني لمراسلنا.",
            "وتم إيقاف شخصين",
            "مصدر أمني",
        ),
    ],
)
def test_attribution_source_after_the_channel_it_told(text: str, content: str, source: str) -> None:
    """Guideline: the source, not the channel (corpus train: 6 quotes gave the radio or its reporter)."""
    q = only(text, ("الجوهرة أف أم", "ORG"), ("الحبيب النصري", "PER"))
    assert q.content.text == content
    assert q.speaker is not None and q.speaker.name == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('وتم ايقاف مواطن في إحدى الحانات، بحسب ما نقله مراسل "الجوهرة اف أم" عن مصدر أمني.', "مصدر أمني"),
        ('وتم ايقاف مواطن بالمدينة، حسب ما أكده مراسل الجوهرة "اف ام" نقلا عن مصدر أمني.', "مصدر أمني"),
        ("وبحسب ما جاء في تقارير سابقة نقلا عن مسؤول بالاتحاد فإن هذه الأسماك خطيرة.", "مسؤول بالاتحاد"),
        # control: a channel that relays no one is the source
        ("وتم ايقاف مواطن في إحدى الحانات، بحسب ما أفاد به مراسل الجوهرة أف أم بالجهة.", "مراسل الجوهرة"),
    ],
)
def test_attribution_source_a_channel_relays(text: str, source: str) -> None:
    """Guideline: in وفقا لوكالة X نقلا عن Y the speaker is Y; the channel's name in marks is no quote."""
    q = only(text)
    assert q.speaker is not None and q.speaker.name.startswith(source)
    assert q.kind == "indirect" and "فإن" not in q.speaker.name


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "وأكد الوزيران، وفق بلاغ لوزارة الخارجية، على أهمية استكمال تنفيذ المبادرة التونسية.",
            "أهمية استكمال تنفيذ المبادرة التونسية",
            "الوزيران",
        ),
        (
            "وأوضح الأطرش، بحسب بلاغ نشرته اليوم وزارة التجهيز، أن الأمطار لم تكن لتعطل المنظومة.",
            "الأمطار لم تكن لتعطل المنظومة",
            "الأطرش",
        ),
        (  # control: a thing after a cognition verb is no speaker; the document speaks
            "وتعتبر هذه النسبة، وفق بلاغ لوزارة الخارجية، أعلى نسبة نمو منذ سنة 2011.",
            "وتعتبر هذه النسبة، وفق بلاغ لوزارة الخارجية، أعلى نسبة نمو منذ سنة 2011",
            "وزارة الخارجية",
        ),
    ],
)
def test_an_attribution_after_the_subject_names_the_channel(text: str, content: str, speaker: str) -> None:
    """X قال، وفق بلاغ Y، إن ...: the subject speaks, the document or agency reported it (corpus train: 5
    such quotes had the document's author); the phrase makes no quote of its own."""
    q = only(text, ("وزارة الخارجية", "ORG"), ("وزارة التجهيز", "ORG"), ("الأطرش", "PER"))
    assert q.content.text == content
    assert q.speaker is not None and q.speaker.name == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "وكان مصدر من الحماية المدنية قد أكد أن الحادث أسفر عن وفاة سائق الشاحنة.",
            "مصدر من الحماية المدنية",
        ),
        ("يشار إلى أن النائب عن حزب التيار الديمقراطي سامية عبو قالت إن هذه الحكومة ضعيفة.", "سامية عبو"),
        ("رغم أن رئيس معسكر الخروج في المملكة المتحدة، ماثيو إليوت، قال إن بلاده باقية.", "ماثيو إليوت"),
    ],
)
def test_a_subject_before_its_verb_holds_a_preposition(text: str, speaker: str) -> None:
    """SVO after كان، أن، رغم أن: the subject phrase may hold a preposition (من، عن، في)."""
    q = only(text, ("سامية عبو", "PER"), ("ماثيو إليوت", "PER"), ("المملكة المتحدة", "LOC"))
    assert q.speaker is not None and q.speaker.name == speaker and q.speaker.resolution != "anaphoric"


@pytest.mark.parametrize(
    "text",
    [
        "ونشرت الصحيفة تقريرا عن الوضع في البلاد قالت فيه إن الأزمة تتفاقم.",  # the verb's object
        "وأكد الوزير أن الوضع مستقر. واتضح أن الحارس مطلوب في قضية مخدرات حيث اعترف بأنه كان يبيعها.",
    ],
)
def test_a_phrase_over_a_preposition_that_is_no_subject(text: str) -> None:
    """Controls: the phrase read back over the preposition is an object or a clause, no speaker."""
    for q in quotes(text):
        assert q.speaker is None or q.speaker.name in ("الصحيفة", "الوزير")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (  # the source was named by title: "the same source" is that speaker, no clause fragment
            "وتمكنت دورية من حجز سيارة محملة ببضائع مهربة وفق ما أفاد به المكلف بالإعلام بالإدارة العامة "
            "للحرس الوطني. وتأتي هذه العملية في إطار إحباط مخططات التهريب، وفق ما أفاد ذات المصدر.",
            "المكلف بالإعلام بالإدارة العامة للحرس الوطني",
        ),
        (  # control: a source phrase with the noun is the antecedent
            "وتم إيقاف شخصين، وفق ما أفاد به مصدر أمني بالجهة. وأضاف المصدر ذاته أن الأبحاث متواصلة.",
            "مصدر أمني",
        ),
    ],
)
def test_the_same_source_is_the_latest_source(text: str, speaker: str) -> None:
    """ذات المصدر، المصدر ذاته: the source named before; the verb of an attributive phrase (وفق ما أفاد)
    has no subject before it (corpus train: "ببضائع مهربة وفق ما" and such fragments were speakers)."""
    last = quotes(text)[-1]
    assert last.speaker is not None and last.speaker.name.startswith(speaker)


@pytest.mark.parametrize(
    "text",
    [
        "وتعهدت فرقة الأبحاث والتفتيش بالبحث في القضية.",
        "وتعهد قاضي التحقيق بمباشرة الأبحاث فيها.",
        "وتعهدت فرقة الشرطة العدلية بمتابعة هذه القضية.",
    ],
)
def test_taking_charge_of_a_case_is_no_pledge(text: str) -> None:
    """تعهد بـ + a case (Tunisian police and court idiom: took charge of it) is no statement."""
    assert quotes(text) == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("وأكد الوزير رفضه القاطع لعودة الإرهابيين.", "رفضه القاطع لعودة الإرهابيين"),
        ("واجتمع النواب أمس وأعلنوا رفضهم منح تراخيص جديدة.", "رفضهم منح تراخيص جديدة"),
    ],
)
def test_a_possessed_refusal_is_the_content_not_a_verb(text: str, content: str) -> None:
    """رفضه، رفضهم (his, their refusal): the verbal noun the cue reports, not رفض + an object pronoun."""
    q = only(text)
    assert q.content.text == content


def test_the_verb_of_refusal_stays_a_cue() -> None:
    """Control: the verb رفض with its own subject still starts a new statement inside a clause."""
    q = only("وأكد الوزير أن الحكومة ستدعم المزارعين، ورفض الوزير أن يتم التمديد في الآجال.")
    assert q.content.text == "الحكومة ستدعم المزارعين"


def test_again_is_an_adverb_not_a_cue() -> None:
    """مجددا (again) after a verb is an adverb: no quote of its own, no new statement in a clause."""
    assert quotes("وقررت النقابة أن تنعقد الهيئة مجددا يوم 15 أفريل القادم لاتخاذ الإجراءات اللازمة.") == []
    q = only("وأضاف الوزير أن الهيئة ستنعقد مجددا يوم 15 أفريل لاتخاذ الإجراءات النضالية.")
    assert q.content.text == "الهيئة ستنعقد مجددا يوم 15 أفريل لاتخاذ الإجراءات النضالية"


def test_renewing_after_a_comma_stays_a_cue() -> None:
    """Control: ، مجددا + a verbal noun is the participle of جدد: a statement."""
    qs = quotes(
        "وطالبت النقابة بسحب الفصل الثاني، مجددا التمسك بإقرار الترقية الاستثنائية.", ("النقابة", "ORG")
    )
    assert [q.content.text for q in qs] == ["سحب الفصل الثاني", "التمسك بإقرار الترقية الاستثنائية"]


def test_a_participle_with_an_object_inside_a_clause_starts_a_statement() -> None:
    """A participle of quotes_clause_participles with no comma before it ends the clause it follows when
    a noun-phrase complement comes after it (داعيا الوزارة إلى X، مؤكدا X): two statements."""
    qs = quotes(
        "وأوضح الوزير أن الوضع صعب في الجهة داعيا الوزارة إلى فتح تحقيق في الموضوع.", ("الوزير", "PER")
    )
    assert [(q.cue.text if q.cue else None, q.content.text) for q in qs] == [
        ("أوضح", "الوضع صعب في الجهة"),
        ("داعيا", "فتح تحقيق في الموضوع"),
    ]
    qs = quotes("وقال المدير إن المؤسسة تقوم بدور كبير مؤكدا تفهمه لمخاوف المواطنين.", ("المدير", "PER"))
    assert [q.content.text for q in qs] == ["المؤسسة تقوم بدور كبير", "تفهمه لمخاوف المواطنين"]


def test_an_adjective_participle_inside_a_clause_starts_no_statement() -> None:
    """Control: غير مؤكدة (not confirmed), an indefinite feminine noun + متهمة (accused), a coordinated
    participle (ومعبرا) and a participle left out of the list (مطالبا) stay inside the clause."""
    for text, content in (
        (
            "وأكد الرئيس أن عودة المقاتلين غير مؤكدة رغم ما يتم تداوله.",
            "عودة المقاتلين غير مؤكدة رغم ما يتم تداوله",
        ),
        (
            "وقال الوزير إن النيابة فتحت بحثا ضد اطارات أمنية متهمة بممارسة التعذيب.",
            "النيابة فتحت بحثا ضد اطارات أمنية متهمة بممارسة التعذيب",
        ),
        (
            "وأضاف الوزير أن العمل يجب أن يكون رافدا للسياسة ومعبرا عن إرادة الشعب.",
            "العمل يجب أن يكون رافدا للسياسة ومعبرا عن إرادة الشعب",
        ),
        (
            "وقال الوزير إن الهيئة ستجتمع يوم الخميس مطالبا بالإسراع في الإصلاح.",
            "الهيئة ستجتمع يوم الخميس مطالبا بالإسراع في الإصلاح",
        ),
    ):
        q = only(text, ("الرئيس", "PER"), ("الوزير", "PER"))
        assert q.content.text == content


def test_a_guest_or_a_channel_before_the_clause_is_no_object() -> None:
    """أكد X ضيف برنامج ... أن، أكد X للإذاعة ... أن: the guest apposition and the ل-channel are no direct
    object of the cue; the أن-clause after them is the content."""
    q = only(
        "أكد القيادي محمد عبو ضيف بولتيكا اليوم الخميس 16 مارس 2017 أنه يملك معطيات عن تمويلات أجنبية.",
        ("محمد عبو", "PER"),
    )
    assert q.content.text == "أنه يملك معطيات عن تمويلات أجنبية"
    q = only("وأكد مصدر أمني للجوهرة أف أم أن الفرقة تمكنت من إيقاف القاتل.")
    assert q.content.text == "الفرقة تمكنت من إيقاف القاتل"


def test_a_noun_object_with_a_later_complementizer_stays_the_object() -> None:
    """Control: a noun object with an أن well inside it (أكد ضرورة العمل ... على أن) is still the object."""
    q = only("وأكد الوزير ضرورة العمل المشترك بين الهياكل على أن يتم ذلك في أقرب الآجال.", ("الوزير", "PER"))
    assert q.content.text.startswith("ضرورة العمل المشترك")


def test_findings_and_tellings_are_an_attributions_source() -> None:
    """بحسب المعطيات الأولية، بحسب توضيح ...، وفق رواية X: a source (quotes_attribution_nouns); after
    رواية/روايات the teller speaks (quotes_telling_nouns) and, with no entity, is no agent after it."""
    q = only("ووقع الحادث قرب المحطة بحسب المعطيات الأولية.")
    assert (q.content.text, q.speaker.name if q.speaker else None) == (
        "ووقع الحادث قرب المحطة",
        "المعطيات الأولية",
    )
    q = only("ووقع الحادث قرب المحطة بحسب روايات شهود عيان.")
    assert q.speaker is not None and q.speaker.name == "شهود عيان"
    qs = quotes(
        "وقال رضا بن دالي إن الوضع صعب. وتمثلت الأحداث، وفق رواية المكلف بالاعلام، في اقتحام المؤسسة. "
        "وأضاف أن العمال غادروا.",
        ("رضا بن دالي", "PER"),
    )
    assert [q.speaker.name if q.speaker else None for q in qs] == [
        "رضا بن دالي",
        "المكلف بالاعلام",
        "رضا بن دالي",
    ]


def test_an_attribution_with_no_source_noun_makes_no_quote() -> None:
    """Control: an attribution naming no source (حسب التحاليل الأولية، طبقا لمقتضيات الفصل) stays none."""
    assert quotes("ووقع الحادث قرب المحطة حسب التحاليل الأولية.") == []
    assert quotes("ويتم الترشح طبقا لمقتضيات الفصل الخامس.") == []


def test_a_name_with_a_preposition_or_a_discourse_adjunct_before_the_complement() -> None:
    """دعت منظمة الدفاع عن المستهلك إلى X: the subject's name goes on over عن; ودعا X من جهة أخرى إلى Y،
    وأكد X من جهته على Y: the discourse adjunct stands before the complement."""
    q = only(
        "دعت منظمة الدفاع عن المستهلك إلى إرجاء خلاص فواتير الكهرباء.",
        ("منظمة الدفاع عن المستهلك", "ORG"),
    )
    assert q.content.text == "إرجاء خلاص فواتير الكهرباء"
    q = only("ودعا الوزير من جهة أخرى إلى التهدئة والعقلانية.", ("الوزير", "PER"))
    assert q.content.text == "التهدئة والعقلانية"
    q = only("وأكد الوزير من جهته على ضرورة التهدئة.", ("الوزير", "PER"))
    assert q.content.text == "ضرورة التهدئة"


def test_a_governed_min_is_still_the_complement() -> None:
    """Control: من that the cue governs (حذر من X) opens the complement as before."""
    q = only("وحذر الوزير من خطورة الوضع في الجهة.", ("الوزير", "PER"))
    assert q.content.text == "خطورة الوضع في الجهة"


def test_a_coordinated_verb_with_its_preposition_and_no_agent_still_reports() -> None:
    """ودعت إلى X after a statement whose speaker is no agent for it (the feminine verb, a name of unknown
    gender): the complement is still a quote, its speaker unknown."""
    qs = quotes("وقالت الوزيرة سميرة إن المرض خطير. ودعت إلى توخي الطرق الوقائية المتوفرة.", ("سميرة", "PER"))
    assert [q.content.text for q in qs] == ["المرض خطير", "توخي الطرق الوقائية المتوفرة"]


def test_a_verb_with_no_conjunction_or_a_present_tense_needs_an_agent() -> None:
    """Control: with no و before it, or in the present tense, a verb with no subject and no agent still
    makes no object quote."""
    assert quotes("دعت إلى توخي الطرق الوقائية المتوفرة.") == []
    assert quotes("ويدعو إلى توخي الطرق الوقائية المتوفرة.") == []


def test_taking_charge_of_a_case_after_a_place_is_no_pledge_and_no_new_statement() -> None:
    """تعهد + a place + بـ a case is the same idiom: no quote of its own, and inside a reported clause
    it does not end the clause (the clause reports it)."""
    assert quotes("وتعهد الحرس الوطني بالجهة بالتحقيق في ملابسات الحادث.") == []
    q = only("وأضافت الوزارة أنه تم إيقاف المشتبه فيهما وتعهدت فرقة الشرطة بالمدينة بالبحث في الموضوع.")
    assert q.content.text == "أنه تم إيقاف المشتبه فيهما وتعهدت فرقة الشرطة بالمدينة بالبحث في الموضوع"


def test_a_coordinated_pledge_still_starts_a_new_statement() -> None:
    """Control: a coordinated تعهد with a subject and any other complement ends the clause before it."""
    q = quotes("وأكد الوزير أن المشروع انطلق وتعهد رئيس الحكومة بتوفير التمويل اللازم.")[0]
    assert q.content.text == "المشروع انطلق"
    q = only("وتعهدت الحكومة للشركات العاملة بالجهة بتأمين عملية العبور.")
    assert q.content.text.endswith("بتأمين عملية العبور")


def test_a_pledge_stays_a_quote() -> None:
    """Control: تعهد بـ + anything else is a commissive quote."""
    q = only("وتعهد الوزير بتوفير كل ممهدات النجاح للمنتخبات.")
    assert q.content.text == "توفير كل ممهدات النجاح للمنتخبات"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "وأكدت الوزارة في بلاغ لها أنه أثناء مرور دورية بأحد المفترقات، لفت انتباه الأعوان وجود شخصين.",
            "أنه أثناء مرور دورية بأحد المفترقات، لفت انتباه الأعوان وجود شخصين",
        ),
        (
            "وأضافت الوزيرة أنها ستعمل من أجل التحرك العاجل ولفت الانتباه لهذه المناطق.",
            "أنها ستعمل من أجل التحرك العاجل ولفت الانتباه لهذه المناطق",
        ),
    ],
)
def test_catching_the_attention_is_no_cue(text: str, content: str) -> None:
    """لفت انتباه X، لفت الانتباه، لفت نظر: an idiom (caught the attention of), so it neither ends the
    clause before it nor opens a quote of its own (reporting_idiom_objects)."""
    q = only(text)
    assert q.content.text == content


def test_drawing_attention_to_stays_a_cue() -> None:
    """Control: لفت + its subject + إلى أن reports a statement, and the participle with its object does
    too (لافتا النظر إلى أن)."""
    q = only("ولفت الوزير إلى أن الحكومة ستعمل على الملف.")
    assert q.cue is not None and q.cue.text == "لفت"
    assert q.content.text == "الحكومة ستعمل على الملف"
    qs = quotes("وأوضح الوزير أن المهرجان ناجح، لافتا النظر إلى أن الزوار كثيرون.")
    assert [q.content.text for q in qs] == ["المهرجان ناجح", "الزوار كثيرون"]
    assert qs[1].cue is not None and qs[1].cue.text == "لافتا"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (  # a verb and its subject before the phrase, the clause after it: the whole sentence
            "ويتضمن هذا البرنامج وفق بلاغ الوزارة تهيئة 315 كلم من الطرقات الريفية.",
            "ويتضمن هذا البرنامج وفق بلاغ الوزارة تهيئة 315 كلم من الطرقات الريفية",
        ),
        (  # control: a clause before the phrase and nothing after it
            "وقد تم إنقاذ جميع الركاب وإجلاؤهم من الطائرة، وفق ما أوردته الشروق.",
            "وقد تم إنقاذ جميع الركاب وإجلاؤهم من الطائرة",
        ),
    ],
)
def test_an_attribution_after_a_fragment_vouches_for_its_sentence(text: str, content: str) -> None:
    """Guideline: "X، وفق Y، Z": the phrase vouches for the whole sentence, also without the commas when
    only a verb and its subject stand before it (the fragment "ويتضمن هذا البرنامج" had been the quote)."""
    q = only(text, ("الشروق", "ORG"))
    assert q.content.text == content


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وأوضحت بعض المواقع الإلكترونية أن الحادث وقع ليلا.", "بعض المواقع الإلكترونية"),
        ("وطالبت عديد المنظمات الحقوقية بإطلاق سراح الصحفي.", "عديد المنظمات الحقوقية"),
        ("وقال أحد المشاركين في الدراسة إن النتائج مفاجئة.", "أحد المشاركين"),
    ],
)
def test_a_part_of_a_group_after_the_cue_speaks(text: str, speaker: str) -> None:
    """Guideline: vague groups with a speech verb are sources (بعض خبراء الطيران): a quantifier and a
    definite noun right after the cue are its subject."""
    q = only(text)
    assert q.speaker is not None and q.speaker.name == speaker


def test_a_part_of_a_group_after_an_ambiguous_verb_is_no_speaker() -> None:
    """Control: يعد (counts as / promises) + أحد البرامج is no statement of the programme's."""
    text = 'يذكر أن برنامج "إحالتي" يعد أحد البرامج الالكترونية التي تنفذها الوزارة بحيث يقدم المشورة.'
    for q in quotes(text):
        assert q.speaker is None or "البرامج" not in q.speaker.name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("أكد السيد علي البنزرتي أن القرارات ملغاة.", "علي البنزرتي"),
        ("وقال علي العريض إن الحركة لن تشارك في الحكومة.", "علي العريض"),
        ("وأكد الصحفي علي بن مزين في تصريح أن الحادثة خطيرة.", "علي بن مزين"),
    ],
)
def test_a_person_named_ali_speaks(text: str, name: str) -> None:
    """علي (the name) normalizes to على (the preposition): a PER mention written علي + a name is a
    speaker, not NER noise, and no preposition ends the phrase before it (السيد علي البنزرتي)."""
    q = only(text, (name, "PER"))
    assert q.speaker is not None and q.speaker.name == name and q.speaker.resolution == "explicit"


def test_the_preposition_ala_read_as_a_name_is_no_speaker() -> None:
    """Control: a PER mention the NER made of the preposition (علي لسان X) stays noise; the source is X."""
    text = "وأكد الوزير علي لسان الناطق باسمه أن القرار نهائي."
    for q in quotes(text, ("علي لسان", "PER")):
        assert q.speaker is None or "لسان" not in q.speaker.name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("قال النائب عن كتلة الجبهة الشعبية فتحي الشامخي إنه تم التقدم بمبادرة تشريعية.", "فتحي الشامخي"),
        ("كشف المستشار لدى رئيس الحكومة المكلف بالإعلام مفدي المسدي أن الزيارة هامة.", "مفدي المسدي"),
    ],
)
def test_a_title_with_an_an_or_lada_phrase_then_the_name(text: str, name: str) -> None:
    """النائب عن كتلة X NAME، المستشار لدى رئيس الحكومة NAME: like في/على/ب/من, عن and لدى link a title to
    its body, and the name after the body is the speaker (not the bare title)."""
    q = only(text, (name, "PER"))
    assert q.speaker is not None and q.speaker.name == name


def test_a_title_then_the_body_name_in_marks_then_the_name() -> None:
    """كاتب جمعية ... "أجداد" بالمنطقة محمد صالح غربي: the body's name in marks right after the title phrase
    is no end of it; the person named after it speaks (not the bare title). Control: with no name after the
    marks, the title phrase stays the speaker."""
    text = 'وأشار كاتب جمعية شباب التحدي للبيئة "أجداد" بالمنطقة محمد صالح غربي إلى أن المشروع متوقف.'
    specs = [("جمعية شباب التحدي للبيئة", "ORG"), ("أجداد", "ORG"), ("محمد صالح غربي", "PER")]
    q = only(text, *specs)
    assert q.speaker is not None and q.speaker.name == "محمد صالح غربي"
    control = only('وأشار رئيس جمعية "أجداد" إلى أن المشروع متوقف.', ("أجداد", "ORG"))
    assert control.speaker is not None and control.speaker.name == "رئيس جمعية"


def test_a_description_names_the_entity_its_antecedent_speaker_named() -> None:
    """وأعلنت شركة أبل ... وأضافت الشركة: the description's antecedent is the earlier speaker phrase, read
    as the entity أبل, so the description names أبل (not the words شركة أبل). Control: an antecedent that
    spoke no quote (افتتحت شركة أبل متجرا) still gives its words."""
    text = "وأعلنت شركة أبل أن الجهاز الجديد سيصدر قريبا. وأضافت الشركة أن سعره مرتفع."
    second = quotes(text, ("أبل", "ORG"))[1].speaker
    assert second is not None and second.name == "أبل" and second.entity_id == "E1"
    assert second.resolution == "nominal"
    text = "افتتحت شركة أبل متجرا جديدا في دبي. وقالت الشركة إن المتجر هو الأكبر في المنطقة."
    q = only(text, ("أبل", "ORG"))
    assert q.speaker is not None and q.speaker.name == "شركة أبل" and q.speaker.entity_id is None


def test_a_relative_pronoun_ends_the_search_for_a_name_after_the_title() -> None:
    """وحذرت الخبيرة في التغذية من ظاهرة السمنة ... التي سوف ينجر: a relative clause opens after the title's
    phrase; the words after it (سوف ينجر) are no name. Control: a title, its place, then the name."""
    text = (
        "وقالت ليلى علوان إن السمنة منتشرة. وحذرت الخبيرة في التغذية من ظاهرة السمنة في تونس التي سوف ينجر"
        " عنها أمراض كالسكري والقلب."
    )
    qs = quotes(text, ("ليلى علوان", "PER"))
    assert [q.speaker.name if q.speaker else None for q in qs] == ["ليلى علوان", "الخبيرة"]
    q = only("وقال المدير الجهوي للصحة بصفاقس محمد العلي إن الوضع مستقر.", ("محمد العلي", "PER"))
    assert q.speaker is not None and q.speaker.name == "محمد العلي"


def test_a_person_named_after_a_womans_title_is_a_feminine_antecedent() -> None:
    """قالت النائبة صابرين القوبنطيني ... وأضافت: the entity named after a woman's title
    (quotes_feminine_titles) is a woman, so the later feminine cue refers back to her (an entity had no
    gender: وأضافت found no one). Control: the man who spoke in between speaks on after the masculine
    وأضاف."""
    text = (
        "قالت النائبة صابرين القوبنطيني إن الحزب طردها. وقال النائب محمد العلي إن القرار صائب."
        " وأضافت أن الطرد غير قانوني. وأضاف أن الحزب موحد."
    )
    qs = quotes(text, ("صابرين القوبنطيني", "PER"), ("محمد العلي", "PER"))
    names = [q.speaker.name if q.speaker else None for q in qs]
    assert names == ["صابرين القوبنطيني", "محمد العلي", "صابرين القوبنطيني", "محمد العلي"]


def test_an_unnamed_source_right_after_the_outlet_it_told_speaks() -> None:
    """حسب ما أفاد به، الجوهرة أف أم، مصدر أمني: the outlet (an organization) was told, the unnamed source
    after it spoke. Control: an organization with no source after it is the source."""
    text = "وتم إيقاف المشتبه به بتهمة إضرام النار في محل مسكون، حسب ما أفاد به، الجوهرة أف أم، مصدر أمني."
    q = only(text, ("الجوهرة أف أم", "ORG"))
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"
    text = "وتم إيقاف المشتبه به بتهمة إضرام النار في محل مسكون، حسب ما أفادت به وزارة الداخلية."
    q = only(text, ("وزارة الداخلية", "ORG"))
    assert q.speaker is not None and q.speaker.name == "وزارة الداخلية"


def test_a_title_phrase_goes_on_over_a_coordinated_noun_to_the_name() -> None:
    """مدير وحدة البرمجة والتنسيق والصلح الاداري بالادارة العامة للاداءات محمد الهادي: the title's second
    coordinated noun (والصلح) no longer ends the search for the name after it. Control: with no name after
    the coordinated phrase, the phrase stays the speaker."""
    text = (
        "وقال مدير وحدة البرمجة والتنسيق والصلح الاداري بالادارة العامة للاداءات محمد الهادي إن الغش منتشر."
    )
    q = only(text, ("الادارة العامة للاداءات", "ORG"), ("محمد الهادي", "PER"))
    assert q.speaker is not None and q.speaker.name == "محمد الهادي"
    q = only("وقال مدير المعهد وأعضاء الهيئة إن الغش منتشر.")
    assert q.speaker is not None and q.speaker.name == "مدير المعهد وأعضاء الهيئة"


def test_a_name_in_apposition_after_a_comma_closes_the_title_phrase() -> None:
    """المسؤول الكبير في قسم خدمات العملاء بشركة أمازون، توم ويلاند: the person named right after the comma
    speaks (a comma had ended the search for the name). Control: no name after the comma, the title."""
    specs = [("أمازون", "ORG"), ("توم ويلاند", "PER")]
    text = "وقال المسؤول الكبير في قسم خدمات العملاء بشركة أمازون، توم ويلاند، إن الشركة ستعوض الحرفاء."
    q = only(text, *specs)
    assert q.speaker is not None and q.speaker.name == "توم ويلاند"
    q = only("وقال المسؤول الكبير في قسم خدمات العملاء بشركة أمازون، إن الشركة ستعوض الحرفاء.", specs[0])
    assert q.speaker is not None and q.speaker.name == "المسؤول الكبير"


def test_a_party_leader_noun_is_a_title_before_the_name() -> None:
    """القيادية في حزب الحركة الدستورية عبير موسى: قيادي / قيادية (a party's leading member) are person nouns,
    so the name after the party speaks. Control: with no name after the party, the description."""
    specs = [("حزب الحركة الدستورية", "ORG"), ("عبير موسى", "PER")]
    q = only("أكدت القيادية في حزب الحركة الدستورية عبير موسى أن الحزب سيشارك في الانتخابات.", *specs)
    assert q.speaker is not None and q.speaker.name == "عبير موسى"
    q = only("أكدت القيادية في حزب الحركة الدستورية أن الحزب سيشارك في الانتخابات.", specs[0])
    assert q.speaker is not None and q.speaker.name == "القيادية"


def test_a_possessed_noun_after_the_title_ends_the_search_for_a_name() -> None:
    """Control: وأعرب النائب عن استيائه من ...: عن opens the verb's complement (a possessed noun), so the
    person named later in it (الهادي المجدوب) is no speaker."""
    text = "وأعرب النائب عن استيائه من قرار وزير الداخلية الهادي المجدوب."
    q = only(text, ("الهادي المجدوب", "PER"))
    assert q.speaker is not None and q.speaker.name == "النائب"


def test_a_definite_description_names_the_body_in_marks_that_introduced_it() -> None:
    """دعت منظمة "هيومن رايتس ووتش" ... وقالت المنظمة الحقوقية الدولية إن ...: the description's
    antecedent is the naming noun with its name in marks, so the speaker is the name."""
    text = (
        'دعت منظمة "هيومن رايتس ووتش" السلطات إلى إجراء تحقيق في وفاة موقوفين. '
        "وقالت المنظمة الحقوقية الدولية إن الأهالي قدموا صورا."
    )
    qs = [q for q in quotes(text, ("هيومن رايتس ووتش", "ORG")) if q.cue is not None and q.cue.text == "قالت"]
    assert len(qs) == 1 and qs[0].speaker is not None
    assert qs[0].speaker.name == "هيومن رايتس ووتش" and qs[0].speaker.resolution == "nominal"
    q = only('نشر موقع "ميدل إيست آي" تقريرا. وقال الموقع إن الأوضاع سيئة.')
    assert q.speaker is not None and q.speaker.name == "ميدل إيست آي"


def test_a_definite_description_with_a_bare_antecedent_keeps_its_construct() -> None:
    """Control: with no name in marks after the naming noun, the antecedent is its construct phrase."""
    text = "أصدرت منظمة العفو الدولية تقريرا جديدا. وقالت المنظمة إن الأوضاع سيئة."
    q = only(text)
    assert (
        q.speaker is not None
        and q.speaker.name == "منظمة العفو الدولية"
        and q.speaker.resolution == "nominal"
    )


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("واعترف الموقوف بمكان تخبئته للزي الأمني.", "الموقوف"),
        ("واعترف المظنون فيه بأنه سرق السيارة.", "المظنون"),
        ("وأكد الموقوف أنه لم يسرق السيارة.", "الموقوف"),
    ],
)
def test_the_suspect_after_the_cue_is_its_subject(text: str, speaker: str) -> None:
    """الموقوف، المظنون فيه (the police reports' "the detainee", "the suspect") are person nouns: right
    after the cue they are its subject, not a dropped one resolved to the ministry or the source."""
    q = only(text)
    assert q.speaker is not None and q.speaker.name == speaker


def test_the_suspect_inside_the_content_is_no_speaker() -> None:
    """Control: الموقوف inside a source's clause stays in the content; the source speaks."""
    q = only("وأكد مصدر أمني أن الموقوف اعترف بسرقة السيارة.")
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"
    assert q.content.text == "الموقوف اعترف بسرقة السيارة"


@pytest.mark.parametrize(
    "second",
    ["وطالب الحكومة بالإسراع بتدابير عاجلة.", "ودعا السلطات الجهوية إلى التدخل العاجل لحل الأزمة."],
)
def test_a_feminine_noun_after_a_masculine_verb_is_its_object(second: str) -> None:
    """وطالب الحكومة بـ: a feminine subject would make the verb طالبت, so الحكومة is the object and the
    subject is the one speaking before (the union), not the government."""
    text = "أكد الاتحاد العام التونسي للشغل أن الأسعار مرتفعة، " + second
    qs = quotes(text, ("الاتحاد العام التونسي للشغل", "ORG"))
    assert qs and all(q.speaker is not None and q.speaker.name == "الاتحاد العام التونسي للشغل" for q in qs)


def test_a_feminine_noun_after_a_feminine_verb_is_its_subject() -> None:
    """Control: وطالبت الحكومة بـ: the verb agrees, the government asks."""
    text = "أكد الاتحاد العام التونسي للشغل أن الأسعار مرتفعة. وطالبت الحكومة بالإسراع بتدابير عاجلة."
    qs = [q for q in quotes(text, ("الاتحاد العام التونسي للشغل", "ORG")) if q.cue and q.cue.text == "طالبت"]
    assert len(qs) == 1 and qs[0].speaker is not None and qs[0].speaker.name == "الحكومة"


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("وقام عدد من الأولياء اليوم بغلق المدرسة حسب مراسلنا في الجهة.", "قام عدد من الأولياء", "مراسلنا"),
        ("وقد أسفر الحادث عن مصرع ثلاثة أشخاص وفقا لمصدرنا من الحماية المدنية.", "أسفر الحادث", "مصدرنا"),
        ("وحسب مصادرنا فإن المدرب قد وافق على العرض.", "المدرب قد وافق على العرض", "مصادرنا"),
    ],
)
def test_the_outlets_own_correspondent_or_source_is_an_attribution_source(
    text: str, content: str, speaker: str
) -> None:
    """حسب مراسلنا، وفقا لمصدرنا، حسب مصادرنا: the outlet's own reporter or source vouches for the clause."""
    q = only(text)
    assert content in q.content.text
    assert q.speaker is not None and speaker in q.speaker.name


def test_another_possessed_noun_is_no_attribution_source() -> None:
    """Control: a word with the suffix نا that is no source or channel noun (حسب برنامجنا) names no
    source."""
    assert quotes("وتمت إعادة فتح الطريق، حسب برنامجنا اليومي.") == []


def test_attribution_channel_alone_is_no_source_moved() -> None:
    """Negative control: with no phrase after the channel, the reading is the one before the rule."""
    text = "وتم حجز كميات من السكر، بحسب ما أكده للجوهرة أف أم."
    assert quotes(text, ("الجوهرة أف أم", "ORG")) == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a phrase inside the sentence vouches for all of it: the reported clause runs on over it
        (
            "وقال الوزير إن القانون يخضع له، وفق الدهماني، كل موظف عمومي.",
            "القانون يخضع له، وفق الدهماني، كل موظف عمومي",
        ),
        # a phrase that names no source ends nothing
        (
            "وأوضح المعهد أن مركز الرجة حدد، حسب التحاليل الأولية، في عرض البحر.",
            "مركز الرجة حدد، حسب التحاليل الأولية، في عرض البحر",
        ),
        # control: a post-posed attribution at the sentence end still ends the clause
        ("وقال الوزير إن الوضع مستقر، بحسب وكالة الأنباء الرسمية.", "الوضع مستقر"),
    ],
)
def test_a_clause_runs_over_an_attribution_inside_its_sentence(text: str, content: str) -> None:
    q = quotes(text, ("الدهماني", "PER"))[0]
    assert q.content.text == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a stance verb with no subject or clause of its own is an act the clause reports
        (
            "وأضاف الوزير أن القيادة السابقة تعنتت ورفضت الامتثال إلى أحكام القضاء.",
            "القيادة السابقة تعنتت ورفضت الامتثال إلى أحكام القضاء",
        ),
        ("وأفاد مواطن أن شخصا اتصل به وهدده بقتله.", "شخصا اتصل به وهدده بقتله"),
        # so is a present tense after a comma (its subject is the clause's noun)
        (
            "وقال الوزير إن تقديرات الوزارة للموسم، تشير إلى بلوغ صابة قياسية.",
            "تقديرات الوزارة للموسم، تشير إلى بلوغ صابة قياسية",
        ),
        # controls: a speech verb, or a stance verb with its own subject, starts a new statement
        ("وقال الوزير إن الوضع مستقر وأكدت الوزارة أن الدوريات متواصلة.", "الوضع مستقر"),
        ("وقال الوزير إن الحكومة ملتزمة بالاتفاق وندد الاتحاد بتأخير صرف الأجور.", "الحكومة ملتزمة بالاتفاق"),
    ],
)
def test_a_coordinated_act_without_subject_stays_in_the_clause(text: str, content: str) -> None:
    assert quotes(text)[0].content.text == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # فيما، بينما، كما before an ambiguous word or an act with no subject of its own: the clause goes on
        (
            "وأكدت الوزارة أنهم يتواصلون فيما بينهم عبر شبكات التواصل.",
            "أنهم يتواصلون فيما بينهم عبر شبكات التواصل",
        ),
        (
            "وقال مسؤول إن 4 أشخاص حالتهم خطيرة، فيما تم نقل أحد المصابين إلى المستشفى.",
            "4 أشخاص حالتهم خطيرة، فيما تم نقل أحد المصابين إلى المستشفى",
        ),
        (
            "وقال الأهالي إنهم شاهدوا قطيعا من الخنازير، كما هاجم خنزير أحد المواطنين.",
            "إنهم شاهدوا قطيعا من الخنازير، كما هاجم خنزير أحد المواطنين",
        ),
        # إلى حين (until) is no contrast; a negated verb after a contrast starts no statement
        (
            "وأضاف الوزير أن الدروس ستتواصل، إلى حين انعقاد الهيئة الإدارية مجددا يوم 11 مارس.",
            "الدروس ستتواصل، إلى حين انعقاد الهيئة الإدارية مجددا يوم 11 مارس",
        ),
        (
            "وأضاف الوزير أنه ظهرت بعض التحفظات ولكن لم يتطرق الحزب إلى تمثيليته.",
            "أنه ظهرت بعض التحفظات ولكن لم يتطرق الحزب إلى تمثيليته",
        ),
        # controls: a contrast with a speaker of its own, a post-posed speech verb; في حين ends the clause
        # before في
        ("وقال الوزير إن الاتفاق قريب لكن دريك قال إن الخلافات قائمة.", "الاتفاق قريب"),
        ("وقال الوزير إن الوضع مستقر، كما قال المتحدث باسم الجيش.", "الوضع مستقر"),
        ("وقال الوزير إن الوضع مستقر، في حين قال دريك إن الوضع متوتر.", "الوضع مستقر"),
    ],
)
def test_a_contrast_ends_a_clause_only_with_a_new_statement(text: str, content: str) -> None:
    assert quotes(text, ("دريك", "PER"))[0].content.text == content


def test_a_clause_runs_on_over_the_list_it_announces() -> None:
    # list items after a colon
    text = (
        "وقد لاحظت الهيئة تصاعد الخروقات ومن أهمها : -عدم الإشارة إلى الإشهار عند بثه. "
        "-عدم الإعلان بوضوح عن بداية الإشهار ونهايته.\nوقال الوزير إن الوضع مستقر."
    )
    q = quotes(text)[0]
    assert q.content.text.startswith("-عدم الإشارة") and q.content.text.endswith("بداية الإشهار ونهايته")
    # the paragraph after a line ending with "التالي :"
    text = "وأعلنت الجامعة برنامج المقابلات على النحو التالي :\nالسبت الترجي - النادي الإفريقي\nوفي سياق آخر"
    q = quotes(text, ("الجامعة", "ORG"))[0]
    assert q.content.text.endswith("الترجي - النادي الإفريقي")
    # controls: no list without a colon; a colon with no announcer does not take the next paragraph
    text = "وأكدت الوزارة أن الوضع مستقر. - وفي سياق آخر تم افتتاح معرض."
    assert quotes(text)[0].content.text == "الوضع مستقر"
    text = "وأعلنت الجامعة تأجيل المقابلات بسبب الأمطار :\nالسبت الترجي الرياضي - النادي الإفريقي"
    assert quotes(text, ("الجامعة", "ORG"))[0].content.text == "تأجيل المقابلات بسبب الأمطار"


def test_an_ambiguous_lemmas_participle_before_an_starts_a_statement() -> None:
    # مبينا أن: بين is ambiguous as the preposition, not as this participle
    text = "وأوضح الوزير أن المفاوضات متواصلة مبينا أن الاتفاق قريب."
    assert [q.content.text for q in quotes(text)] == ["المفاوضات متواصلة", "الاتفاق قريب"]
    text = 'وقال الوزير "إن الإصلاحات متواصلة مبينة أن الاتفاق قريب.'  # the closing mark was lost
    assert [q.content.text for q in quotes(text)] == ["إن الإصلاحات متواصلة", "الاتفاق قريب"]
    # control: without أن it ends nothing
    text = "وأوضح الوزير أن الاتفاق مبين في الوثيقة الرسمية."
    assert [q.content.text for q in quotes(text)] == ["الاتفاق مبين في الوثيقة الرسمية"]


def test_a_plural_verb_with_an_object_pronoun_is_a_cue() -> None:
    # وصفوها = وصفوا + ها: the plural's alif is not written before the pronoun
    text = 'وطالب الأساتذة بالتراجع عن الإجراءات التي وصفوها ب"التعسفية" قبل العودة.'
    q = next(q for q in quotes(text) if q.kind == "direct")
    assert q.content.text == "التعسفية" and q.cue is not None and q.cue.text == "وصفوها"
    lex = load_cues()
    assert lex.lookup("وصفوها") is not None and lex.lookup("اتهموه") is not None
    # control: a noun ending in و with a pronoun is no verb
    assert lex.lookup("عفوها") is None and lex.lookup("عضوها") is None


def test_a_crowds_slogans_are_its_words() -> None:
    text = 'ورفع المتظاهرون عديد الشعارات على غرار "اتركوا أبناءنا يدرسون" و "لا لتغول النقابة".'
    qs = quotes(text)
    assert [(q.kind, q.content.text) for q in qs] == [
        ("direct", "اتركوا أبناءنا يدرسون"),
        ("direct", "لا لتغول النقابة"),
    ]
    assert all(q.speaker is not None and q.speaker.name == "المتظاهرون" for q in qs)
    # control: the theme of an event (تحت شعار) is a title
    assert quotes('وانطلقت التظاهرة تحت شعار "الأرض تجمعنا وفلسطين توحدنا".') == []


def test_attribution_outweighs_an_ambiguous_cue_without_subject() -> None:
    """…تبين أن X، وفقا للمصدر ذاته: the attribution vouches for the whole sentence, not تبين's clause."""
    q = only("وبعد نقل المصاب إلى المستشفى تبين أن حالته مستقرة، وفقا للمصدر ذاته.")
    assert q.content.text == "وبعد نقل المصاب إلى المستشفى تبين أن حالته مستقرة"
    assert q.cue is not None and q.cue.text == "وفقا"


@pytest.mark.parametrize(
    "text",
    [
        "وقال مصدر أمني إن الوضع هادئ. وأضاف نفس المصدر أن الدوريات متواصلة.",
        "وتم إيقاف شخصين، وفق ما أفاد به مصدر أمني بالجهة. وأضاف المصدر ذاته أن الأبحاث متواصلة.",
    ],
)
def test_the_same_source_is_the_earlier_one(text: str) -> None:
    """نفس المصدر، المصدر ذاته: the source named before with that noun (an attribution's too)."""
    q = quotes(text)[-1]
    assert q.speaker is not None and q.speaker.name.startswith("مصدر أمني"), q.speaker


@pytest.mark.parametrize(
    "text",
    [
        'وأضاف سامي الفهري خلال ندوة دولية حول "الإرهاب في المنطقة الإفريقية والساحل" أن '
        "الإرهاب ظاهرة عالمية.",
        'وأوضح سامي الفهري على هامش الملتقى الدولي تحت عنوان: "دستور تونس: ثلاث سنوات من الممارسة '
        'الدستورية" أن الإرهاب ظاهرة عالمية.',
    ],
)
def test_an_events_title_in_marks_is_no_quote(text: str) -> None:
    """The marked title of a seminar (ندوة حول "..."، تحت عنوان "...") is a name, however long; the
    statement is the أن-clause after it."""
    q = only(text, ("سامي الفهري", "PER"))
    assert q.content.text == "الإرهاب ظاهرة عالمية" and q.kind == "indirect"
    assert q.speaker is not None and q.speaker.name == "سامي الفهري"


def test_marks_after_a_colon_or_a_plain_haul_stay_quotes() -> None:
    """The controls: the colon of a speaker (not of عنوان) opens the quote; حول without an event before
    it opens no title."""
    q = only(
        'وقال سامي الفهري في الندوة: "الإرهاب في المنطقة الإفريقية ظاهرة عالمية".', ("سامي الفهري", "PER")
    )
    assert q.kind == "direct" and q.content.text == "الإرهاب في المنطقة الإفريقية ظاهرة عالمية"


def test_attributive_non_sources_are_not_quotes() -> None:
    assert quotes("وسيتم توزيع المساعدات حسب الحاجة، وفق الخطة المعتمدة.") == []


def test_requests_with_an_and_impersonal_passives_are_not_quotes() -> None:
    assert quotes("طالبت الولايات المتحدة ان توقف القوات قصفها.", ("الولايات المتحدة", "LOC")) == []
    assert quotes("يذكر أن الجبير نشأ في ألمانيا.", ("الجبير", "PER")) == []
    # تبيّن أن (it turned out), يُذكر mid-sentence: impersonal, whatever precedes them
    assert quotes("وبالتحري معهما تبين أنهما لا يحملان وثائق هوية.") == []
    assert quotes("وفاز الفريق بالمباراة. و يذكر الترجي يواجه فريقا غينيا في الدور القادم.") == []
    q = only("وبين الوزير أن الوضع صعب.")  # the control: the past بيّن with its subject is a cue
    assert q.speaker is not None and q.speaker.name == "الوزير"
    q = only("ودعا الوزير الى “وقف القتال فورا في كل البلاد”.")
    assert q.kind == "direct"  # a request is a quote when its words are quoted


@pytest.mark.parametrize(
    ("sentence", "content", "speaker"),
    [
        ("ودعا الوزير الى وقف القتال في حلب.", "وقف القتال في حلب", "الوزير"),
        ("وأكد الوزير على ضرورة إحياء الهدنة.", "ضرورة إحياء الهدنة", "الوزير"),
        ("وانتقد النائب سامي الفهري قانون المالية الجديد بشدة.", "قانون المالية الجديد بشدة", "سامي الفهري"),
        ("وأعرب سامي الفهري عن قلقه إزاء تدهور الأوضاع.", "قلقه إزاء تدهور الأوضاع", "سامي الفهري"),
        (
            "وحذر المعهد الوطني للاستهلاك المستهلكين من شراء الأدوات المعروضة على الأرصفة.",
            "شراء الأدوات المعروضة على الأرصفة",
            "المعهد الوطني للاستهلاك",
        ),
        (
            "وأعلنت وزارة الصحة في بيان لها اليوم، إطلاق حملة وطنية للتلقيح.",
            "إطلاق حملة وطنية للتلقيح",
            "وزارة الصحة",
        ),
        ("طالب سامي الفهري بفتح تحقيق في الصفقة.", "فتح تحقيق في الصفقة", "سامي الفهري"),
        ("وطالب المتحدث بإجراء تدقيق مالي في المشروع.", "إجراء تدقيق مالي في المشروع", "المتحدث"),
        ("وطالب المدير الجهوي بالقيروان بإجراء تدقيق مالي.", "إجراء تدقيق مالي", "المدير الجهوي بالقيروان"),
    ],
)
def test_noun_phrase_complements_carry_content(sentence: str, content: str, speaker: str) -> None:
    """The guideline's cue + noun-phrase or prepositional complement: content = the complement."""
    q = only(sentence, ("سامي الفهري", "PER"), ("وزارة الصحة", "ORG"), ("المعهد الوطني للاستهلاك", "ORG"))
    assert q.kind == "indirect" and q.content.text == content
    assert q.speaker is not None and q.speaker.name == speaker


@pytest.mark.parametrize(
    ("text", "kind", "content", "speaker"),
    [
        # quote marks later in the object are part of it, not the content
        (
            'وحذر خبراء من جامعة القاهرة من احتمال أن يرتفع منسوب النهر ونصحوا بما سموه "خطة طوارئ".',
            "mixed",
            'احتمال أن يرتفع منسوب النهر ونصحوا بما سموه "خطة طوارئ"',
            "خبراء",
        ),
        (  # marks where the object starts, with more words after them
            'ودعا الوزير سامي الفهري جميع الأطراف إلى "التحلي بضبط النفس" خلال المفاوضات.',
            "mixed",
            '"التحلي بضبط النفس" خلال المفاوضات',
            "سامي الفهري",
        ),
        ('ووصف الوزير سامي الفهري الزيارة بـ"الناجحة".', "direct", "الناجحة", "سامي الفهري"),  # marks end it
        (  # a short quoted name after the subject is its other name
            'وأكدت وكالة الفضاء الأمريكية "ناسا" اليوم الاثنين نجاح إطلاق المسبار.',
            "indirect",
            "نجاح إطلاق المسبار",
            "وكالة الفضاء الأمريكية",
        ),
        (
            'وكشف موقع "الرياضي" الإسباني عن قائمة الأندية الأكثر تتويجا.',
            "indirect",
            "قائمة الأندية الأكثر تتويجا",
            "الرياضي",
        ),
        (
            "وتؤكد هذه الدول الثلاث أن النظام هو المسؤول.",
            "indirect",
            "النظام هو المسؤول",
            "هذه الدول",
        ),  # أن soon after
    ],
)
def test_noun_phrase_complement_or_marks(text: str, kind: str, content: str, speaker: str) -> None:
    specs = (
        ("جامعة القاهرة", "ORG"),
        ("سامي الفهري", "PER"),
        ("وكالة الفضاء الأمريكية", "ORG"),
        ("الرياضي", "ORG"),
    )
    q = only(text, *specs)
    assert (q.kind, q.content.text) == (kind, content)
    assert q.speaker is not None and q.speaker.name == speaker


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("وأوصت وزارة الصحة المرضى بضرورة استشارة الطبيب قبل الصيام.", "ضرورة استشارة الطبيب قبل الصيام"),
        ("وتطرق سامي الفهري إلى حادثة الاغتيال التي هزت البلاد.", "حادثة الاغتيال التي هزت البلاد"),
        ("ودافع سامي الفهري عن قراره بسحب الجنود.", "قراره بسحب الجنود"),
        ("وأرجع سامي الفهري تراجع الحوادث إلى العمل الميداني.", "تراجع الحوادث إلى العمل الميداني"),
        ("ونبهت وزارة الصحة من خطورة المواد المهربة.", "خطورة المواد المهربة"),
    ],
)
def test_more_reporting_verbs_of_the_corpus(sentence: str, content: str) -> None:
    q = only(sentence, ("سامي الفهري", "PER"), ("وزارة الصحة", "ORG"))
    assert q.content.text == content


def test_the_elative_abraz_is_no_cue() -> None:
    assert quotes("وتشهد المنطقة نزاعات عديدة، أبرزها في اليمن وليبيا.") == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "وأكد سامي الفهري في «بوليتيكا» اليوم الخميس نقص الموارد المالية.",
            "نقص الموارد المالية",
        ),  # a name in marks
        (
            "أعلن مسؤول رفيع بالجامعة العربية، الانتهاء من ترتيبات القمة.",
            "الانتهاء من ترتيبات القمة",
        ),  # after a comma
        ("أعلن تنظيم داعش منذ قليل، تبنيه للهجوم.", "تبنيه للهجوم"),
        (
            "وأكد سامي الفهري هذه الصعوبات وقال:\n«الوضع صعب».",
            "هذه الصعوبات",
        ),  # a paragraph ending with a colon
    ],
)
def test_noun_phrase_complement_after_an_adjunct_or_a_comma(text: str, content: str) -> None:
    q = quotes(text, ("سامي الفهري", "PER"), ("الجامعة العربية", "ORG"), ("داعش", "ORG"))[0]
    assert q.content.text == content


def test_an_adjunct_alone_is_no_complement() -> None:
    assert quotes("وأكد الوزير في تصريح لوكالة الأنباء.") == []


def test_noun_phrase_complements_end_before_a_new_statement() -> None:
    text = (
        "وأعلنت وزارة الصحة إطلاق حملة وطنية للتلقيح. ودعت المواطنين إلى التوجه إلى أقرب مركز صحي، "
        "وتعهدت بتوفير اللقاحات مجانا."
    )
    q1, q2, q3 = quotes(text, ("وزارة الصحة", "ORG"))
    assert [q.content.text for q in (q1, q2, q3)] == [
        "إطلاق حملة وطنية للتلقيح",
        "التوجه إلى أقرب مركز صحي",
        "توفير اللقاحات مجانا",
    ]
    assert all(q.speaker is not None and q.speaker.name == "وزارة الصحة" for q in (q1, q2, q3))
    q1, q2 = quotes("ووصفت الشرطة الحادث بالمؤسف وتعهدت بملاحقة الجناة.")
    assert (q1.content.text, q2.content.text) == ("الحادث بالمؤسف", "ملاحقة الجناة")


@pytest.mark.parametrize(
    "text",
    [
        "الوزير يؤكد ضرورة إحياء الهدنة\n\nوصل الوزير إلى جنيف.",  # a headline merely paraphrases
        'الوزير يؤكد إيجاد حلول لأزمة "الشركة"\n\nوصل الوزير إلى جنيف.',  # one ending with a mark too
        "وأثار تجدد الاشتباكات قلقا واسعا.",  # تجدد: the noun, not جدد
        "ويبدو أن الحكومة لم تعلن عن موعد الانتخابات.",  # a negated present tense
        "وتمكن الفريق من الفوز عبر لاعبيه عن طريق الهجوم.",  # عن طريق: a fixed phrase
    ],
)
def test_noun_phrase_complements_not_read(text: str) -> None:
    assert quotes(text) == []


def test_no_noun_phrase_complement_after_a_relative() -> None:
    q = only("وتم إيقاف شخصين وفق ما أكده مصدر أمني لمراسلنا.")  # the relative ما is the object
    assert q.content.text == "وتم إيقاف شخصين"


def test_headline_speaker_colon() -> None:
    text = (
        "كيري: نقترب من التفاهم مع شركائنا\n\n"
        "قال وزير الخارجية الأمريكي، جون كيري، إن “أمريكا تقترب من التفاهم”."
    )
    q1, q2 = quotes(text, KERRY)
    assert q1.kind == "direct" and q1.cue is None and q1.content.text == "نقترب من التفاهم مع شركائنا"
    assert q1.speaker is not None and q1.speaker.name == "جون كيري"
    assert q2.content.text == "أمريكا تقترب من التفاهم"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("سامي الفهري: لن أغادر الاتحاد\n\nأكد سامي الفهري بقاءه.", "direct"),
        ("سامي الفهري: سنكشف معلومات خطيرة في الملف\n\nأكد سامي الفهري ذلك.", "direct"),
        ("سامي الفهري: هذا موقفنا من مشروع القانون\n\nأكد سامي الفهري ذلك.", "direct"),
        ("وقال سامي الفهري في الندوة: نجحنا في إنهاء التوتر بين النقابة والوزارة.", "direct"),
        # my + a noun in ة, a plural predicate opening the clause (we), قد or the future before a verb
        ("سامي الفهري: قضيتي ملفقة منذ البداية\n\nأكد سامي الفهري ذلك.", "direct"),
        ("سامي الفهري: جاهزون لخوض الانتخابات\n\nأكد سامي الفهري ذلك.", "direct"),
        ("سامي الفهري: الوضع صعب وقد نضطر للإضراب\n\nأكد سامي الفهري ذلك.", "direct"),
        ("سامي الفهري: سنرد بكل قوة\n\nأكد سامي الفهري ذلك.", "direct"),
        # the controls: third person, a tanween on a word ending in ن (بيانا), a noun starting with ن
        ("سامي الفهري: الوزارة أصدرت بيانا حول الملف\n\nأكد سامي الفهري ذلك.", "indirect"),
        ("سامي الفهري: نتائج الامتحانات إيجابية\n\nأكد سامي الفهري ذلك.", "indirect"),
        # a nisba in تي (الكويتي), a predicate after its subject, قد + the third person, سنوات (years)
        ("سامي الفهري: الوفد الكويتي يزور تونس\n\nأكد سامي الفهري ذلك.", "indirect"),
        ("سامي الفهري: الأعوان جاهزون لخوض الإضراب\n\nأكد سامي الفهري ذلك.", "indirect"),
        ("سامي الفهري: الوضع صعب وقد يضطر الاتحاد للإضراب\n\nأكد سامي الفهري ذلك.", "indirect"),
        ("سامي الفهري: سنوات الانتظار طالت\n\nأكد سامي الفهري ذلك.", "indirect"),
    ],
)
def test_a_colon_then_the_first_person_is_direct(text: str, kind: str) -> None:
    """The guideline: colon + first person = direct, in a headline or after a cue."""
    q = quotes(text, ("سامي الفهري", "PER"))[0]
    assert q.kind == kind, q.content.text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "وزير الصحة: لا نقص في الأدوية بالمستشفيات\n\nأكد وزير الصحة سامي الفهري أن المخزون كاف.",
            "سامي الفهري",
        ),
        ("حزب المستقبل: قرار الحكومة صائب\n\nاعتبر الحزب أن القرار صائب.", "حزب المستقبل"),
        ('"النقد الدولي": الاقتصاد يواصل التعافي ببطء\n\nقال الصندوق إن النمو تحسن.', "النقد الدولي"),
        # a person title whose phrase stops before the colon (a participle, a place after it) speaks too
        (
            "مسؤول من وزارة الفلاحة: 3 نقاط لبيع الأضاحي بالساحل\n\nقال المكلف بالإنتاج إن الأسعار تراجعت.",
            "مسؤول",
        ),
    ],
)
def test_headline_of_a_title_or_a_body(text: str, speaker: str) -> None:
    """A title, a body or a quoted body name before the headline's colon speaks; a third-person report
    there is indirect (the guideline on a colon without marks)."""
    q = quotes(text, ("سامي الفهري", "PER"), ("النقد الدولي", "ORG"))[0]
    assert q.cue is None and q.kind == "indirect" and q.content.text == text.split(": ")[1].split("\n")[0]
    assert q.speaker is not None and q.speaker.name == speaker


@pytest.mark.parametrize(
    "text",
    [
        "المهدية: وفاة طفل غرقا في البحر\n\nتوفي طفل في العاشرة من عمره.",
        "شاهد: لحظة إنقاذ بحار من الغرق\n\nنجا بحار.",
        "الرابطة الأولى: برنامج المقابلات المتأخرة\n\nتدور اليوم مقابلات الجولة.",
        "الترجي الجرجيسي: الهيئة تتراجع عن إقالة المدرب\n\nقررت الهيئة الإبقاء على المدرب.",
        "المصدر: وكالة تونس افريقيا للأنباء\n\nتدور اليوم مقابلات الجولة.",
    ],
)
def test_headline_of_a_place_or_a_label_quotes_nobody(text: str) -> None:
    """A place, an item label, a sport section's competition or team, a source credit: no speaker (the
    positive controls are the headline tests above)."""
    assert quotes(text, ("المهدية", "LOC"), ("الترجي الجرجيسي", "ORG"), ("الرابطة الأولى", "ORG")) == []


def test_site_boilerplate_yields_no_quotes() -> None:
    text = (
        "وقال كيري “نتحدث مع الروس”.\n\nحول الموقع\n\n"
        "مركز الإعلام مؤسسة تابعة للملتقى، وقال مديرها “ادعمونا”.\n\n"
        "رابط الخبر بصحيفة الوئام: كيري: نتحدث مع الروس"
    )
    qs = quotes(text, KERRY)
    assert [q.content.text for q in qs] == ["نتحدث مع الروس"]


def test_order_ids_and_confidence_ranking() -> None:
    text = "قال كيري “نتحدث مع الروس”. وأضاف أن الوضع معقد. وقتل عشرة مدنيين في حلب، بحسب الدفاع المدني."
    qs = quotes(text, KERRY)
    assert [q.id for q in qs] == ["Q1", "Q2", "Q3"]
    assert [q.content.start for q in qs] == sorted(q.content.start for q in qs)
    direct, anaphoric, attributive = qs
    assert direct.confidence > anaphoric.confidence > attributive.confidence


# ---------------------------------------------------------------------------- robustness
@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "“",
        "”",
        '"',
        "«»",
        '""""',
        "قال",
        "قال:",
        "وقال “",
        "إن",
        "بحسب",
        "، كما قال",
        "x" * 50,
        "“" * 200 + "قال" + "”" * 200,
        "وقال “" * 300,
        ": " * 100,
    ],
)
def test_never_raises_on_odd_input(text: str) -> None:
    qs = extract_quotes(text, [])
    check_offsets(text, qs)


def test_never_raises_on_random_mixtures() -> None:
    rng = random.Random(7)
    pieces = [
        "قال",
        "وأضاف",
        "إن",
        "أن",
        "كيري",
        "بحسب",
        "مشيرا",
        "قوله",
        "عن",
        "كما",
        "“",
        "”",
        "«",
        "»",
        '"',
        "،",
        ".",
        ":",
        "\n\n",
        "الوزير",
        "هذا",
        "المركز",
        "سموه",
        "يذكر",
        "على",
        "لسان",
        "(",
        ")",
    ]
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        entities = ents(text, KERRY) if "كيري" in text else []
        check_offsets(text, extract_quotes(text, entities))


def test_bad_entities_do_not_break_it() -> None:
    text = "وقال كيري “نتحدث مع الروس”."
    bogus = [Entity(id="E1", label="PER", name="x", mentions=[Mention(start=500, end=900, text="x")])]
    assert len(extract_quotes(text, bogus)) == 1


def test_linear_time_on_a_long_document() -> None:
    import time

    # the seeds without their site boilerplate (which ends an article), repeated: ~60k words
    bodies = [p.read_text(encoding="utf-8").split("حول الموقع")[0].split("مقالات متعلقة")[0] for p in SEEDS]
    text = "\n\n".join(bodies) * 20
    t0 = time.perf_counter()
    qs = extract_quotes(text, [])
    elapsed = time.perf_counter() - t0
    assert len(qs) > 100
    assert elapsed < 20, elapsed  # ~2 s on one core; generous for shared CI machines


def test_attributive_phrases_in_one_long_sentence_stay_linear() -> None:
    """A clause runs on over an attributive phrase inside its sentence; reading whether the sentence
    goes on after each phrase must not recurse from phrase to phrase (it did: exponential time, then
    a recursion error, on 50 phrases)."""
    import time

    text = "وقال الوزير إن الوضع " + " ".join(["مستقر، بحسب وكالة الأنباء، والأمن"] * 3000) + "."
    t0 = time.perf_counter()
    qs = extract_quotes(text, [])
    assert len(qs) == 1 and time.perf_counter() - t0 < 10


# ---------------------------------------------------------------------------- pipeline
@pytest.fixture(scope="module")
def nlp() -> Language:
    from qawl_service.analyzer import Analyzer

    pipeline = Analyzer.load().nlp
    if "qawl_quotes" not in pipeline.pipe_names:
        pipeline.add_pipe("qawl_quotes", last=True)
    return pipeline


def test_component_is_registered_and_runs_after_entities(nlp: Language) -> None:
    import qawl_service.nlp.quotes  # noqa: F401

    assert "qawl_quotes" in Language.factories
    assert Doc.has_extension("quotes")
    names = nlp.pipe_names
    assert names.index("qawl_quotes") > names.index("qawl_entities")
    doc = nlp("وقال وزير الخارجية الاميركي جون كيري “نتحدث مع الروس مباشرة”.")
    assert [q.content.text for q in doc._.quotes] == ["نتحدث مع الروس مباشرة"]
    assert nlp("")._.quotes == []


def test_offsets_on_all_seeds(nlp: Language) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        qs = nlp(text)._.quotes
        assert qs, path.name
        check_offsets(text, qs)
        assert [q.id for q in qs] == [f"Q{i}" for i in range(1, len(qs) + 1)]


def test_seed_boilerplate_has_no_quotes(nlp: Language) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        for marker in ("حول الموقع", "ادعم عنب بلدي"):
            cut = text.find(marker)
            if cut >= 0:
                assert all(q.content.start < cut for q in nlp(text)._.quotes), path.name


# ---------------------------------------------------------------------------- gold
# The gold follows ../shared/guidelines/ANNOTATION.md (re-annotated 2026-12-06, corpus/prompts/devgold.md),
# which counts more as a quote than the rules were written for (cue + noun phrase, expressive acts ...).
# The bars guard against regressions at the measured level (a few points below it); they are not targets.
def _assert_bars(result: dict[str, object], f1: float, speaker: float) -> None:
    overall = result["overall"]
    assert isinstance(overall, dict)
    assert overall["f1"] >= f1, overall
    assert result["speaker_accuracy"] >= speaker, result["speaker_accuracy"]


def test_gold_seeds(nlp: Language) -> None:
    """The five seeds (always available): measured F1 0.868, speaker accuracy 0.949 (rules alone: 0.857
    and 0.963; the learned roles add recall, and a few speakers the rules would have got right)."""
    result = evaluate_quotes(nlp, GOLD, None)
    assert result["seed_docs"] == 5 and result["news_docs"] == 0
    _assert_bars(result, f1=0.85, speaker=0.93)


@pytest.mark.shared
def test_gold_dev_with_news(nlp: Language) -> None:
    """The whole dev gold (seeds + news articles read from ../shared at test time)."""
    if not (SHARED / "data" / "news" / "saudinewsnet_dev.jsonl.gz").exists():
        pytest.skip(f"needs {SHARED}/data/news (../shared is not present in a user's clone)")
    result = evaluate_quotes(nlp, GOLD, SHARED)
    assert result["news_docs"] >= 15 and not result["skipped"]
    _assert_bars(result, f1=0.85, speaker=0.95)  # measured 0.863 and 0.975


@pytest.mark.shared
def test_gold_heldout(nlp: Language) -> None:
    """The held-out news articles (never used to write rules): measured F1 0.850, speaker 0.920
    (rules alone 0.813 and 0.961: the learned quotes' speakers are the weaker part)."""
    if not (SHARED / "data" / "news" / "saudinewsnet_dev.jsonl.gz").exists():
        pytest.skip(f"needs {SHARED}/data/news (../shared is not present in a user's clone)")
    result = evaluate_quotes(nlp, HELDOUT, SHARED)
    assert result["news_docs"] >= 10 and not result["skipped"]
    _assert_bars(result, f1=0.83, speaker=0.90)


def test_wifqan_lima_written_as_one_word_reads_the_source_after_the_verb() -> None:
    """وفقا لما ذكرته وسائل إعلام محلية: لما (ل + ما) written as one word; the source is the phrase after
    the verb, not "لما ذكرته ...". Control: the glued ل before a source (وفقا لوسائل ...) as before."""
    q = only("وتوفي ستة أشخاص جراء تسمم كحولي، وفقا لما ذكرته وسائل إعلام محلية.")
    assert q.speaker is not None and q.speaker.name == "وسائل إعلام محلية"
    q = only("وتوفي ستة أشخاص جراء تسمم كحولي، وفقا لوسائل إعلام محلية.")
    assert q.speaker is not None and q.speaker.name == "وسائل إعلام محلية"


def test_a_second_definite_noun_after_the_subject_phrase_opens_the_object() -> None:
    """جددت الهيئة السياسية للحزب الكتلة البرلمانية ...: a definite noun right after a definite word that is
    no adjective, title or name opens the verb's object, so the subject phrase ends before it. Controls: a
    participle adjective (الهيئة العليا المستقلة) and a word that only looks definite (التهاب الكبد) go on."""
    q = only("وأوضحت الشركة المنتجة لهذا الجينز السبب بأن القماش مستورد.")
    assert q.speaker is not None and q.speaker.name == "الشركة المنتجة لهذا الجينز"
    q = only("وقالت الهيئة العليا المستقلة إن الانتخابات ستجرى في موعدها.")
    assert q.speaker is not None and q.speaker.name == "الهيئة العليا المستقلة"
    q = only("وقال رئيس برنامج التهاب الكبد إن المرض منتشر.")
    assert q.speaker is not None and q.speaker.name == "رئيس برنامج التهاب الكبد"


def test_a_negation_particle_ends_a_source_phrase() -> None:
    """بحسب مصدر أمني لم تكشف الوكالة عن هويته: a negation particle (لم، لن، لا، ليس) is followed by a verb,
    so it ends the source phrase (quotes_negations.txt). Control: a negation inside the content stays
    there."""
    q = only("وانطلقت الحملة أمس الجمعة، بحسب مصدر أمني لم تكشف الوكالة عن هويته.")
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"
    q = only("وقال مصدر أمني إنه لم يتم إيقاف أي شخص.")
    assert q.speaker is not None and q.speaker.name == "مصدر أمني"
    assert "لم يتم" in q.content.text


def test_a_naming_nouns_name_in_brackets_or_after_a_second_naming_noun_speaks() -> None:
    """وفقا لما ذكرته وكالة (تاس) للأنباء، حسب ما أورده موقع صحيفة "ديلي ميل": the name in brackets after a
    naming noun, and the name in marks after two naming nouns, is the source (it was "وكالة", "موقع
    صحيفة"). Control: brackets holding more than a name (a long aside) are no name."""
    q = only("وتوفي ستة أشخاص جراء تسمم كحولي، وفقا لما ذكرته وكالة (تاس) للأنباء.", ("تاس", "ORG"))
    assert q.speaker is not None and q.speaker.name == "تاس"
    q = only('وتم إيقاف المسؤول في شقته، حسب ما أورده موقع صحيفة "ديلي ميل" البريطانية.', ("ديلي ميل", "ORG"))
    assert q.speaker is not None and q.speaker.name == "ديلي ميل"
    q = only("وتوفي ستة أشخاص جراء تسمم كحولي، وفقا لما ذكرته وكالة (في تقرير نشرته صباح اليوم) للأنباء.")
    assert q.speaker is not None and q.speaker.name != "في تقرير نشرته صباح اليوم"


def test_shabaka_is_a_naming_noun() -> None:
    """قالت شبكة (سي إن إن) الإخبارية: شبكة (a broadcasting network) names its channel as قناة does, so the
    name in brackets after it speaks. Control: with no name after it, the phrase as written."""
    q = only("قالت شبكة (سي إن إن) الإخبارية إنها أنهت عقدها مع الممثلة.", ("سي إن إن", "ORG"))
    assert q.speaker is not None and q.speaker.name == "سي إن إن"
    q = only("قالت شبكة الرصد الحقوقية إنها وثقت الانتهاكات.")
    assert q.speaker is not None and q.speaker.name == "شبكة الرصد الحقوقية"


def test_a_bare_body_noun_after_a_definite_subject_opens_the_object() -> None:
    """حذرت السلطات البحرينية وسائل الاعلام من ...: a bare body noun (org_heads.txt: وسائل، وزارة) right
    after a definite word is no genitive of it, so it opens the object. Control: a body noun with the
    article or a glued ل goes on (الشركة التونسية للكهرباء والغاز)."""
    q = only("حذرت السلطات البحرينية وسائل الاعلام من نشر آراء مؤيدة لقطر، ملوحة بإجراءات قانونية.")
    assert q.speaker is not None and q.speaker.name == "السلطات البحرينية"
    q = only("وأعلنت الشركة التونسية للكهرباء والغاز أن التيار سيقطع يوم الأحد.")
    assert q.speaker is not None and q.speaker.name == "الشركة التونسية للكهرباء والغاز"


def test_together_ends_the_speaker_phrase() -> None:
    """ويضيف الطفل الهادئ والخجول معاً، ... إنه: معا (together) is an adverb, no word of the speaker's phrase
    (quotes_time_words.txt). Control: the coordinated adjective before it stays in the phrase."""
    q = only("ويضيف الطفل الهادئ والخجول معاً، بلغة إسبانية صحيحة، إنه يحب كرة القدم.")
    assert q.speaker is not None and q.speaker.name == "الطفل الهادئ والخجول"


def test_a_title_right_after_the_channels_name_opens_the_source() -> None:
    """وفق ما صرح به لوكالة تونس إفريقيا للأنباء وزير الشؤون الاجتماعية محمد الطرابلسي: the channel told
    is named, then the source's title follows with no comma; the source is the minister (the channel's
    phrase had read on over both). Control: the source named before the channel, as before."""
    specs = [("وكالة تونس إفريقيا للأنباء", "ORG"), ("محمد الطرابلسي", "PER")]
    text = (
        "وسيتم تمكين البحارة من رخص إبحار وقتية، "
        "وفق ما صرح به لوكالة تونس إفريقيا للأنباء وزير الشؤون الاجتماعية محمد الطرابلسي."
    )
    q = only(text, *specs)
    assert q.speaker is not None and q.speaker.name == "محمد الطرابلسي"
    text = "وسيتم تمكين البحارة من رخص إبحار وقتية، وفق ما صرح به محمد الطرابلسي لوكالة تونس إفريقيا للأنباء."
    q = only(text, *specs)
    assert q.speaker is not None and q.speaker.name == "محمد الطرابلسي"


def test_a_speech_pronoun_pp_after_a_plain_cue_is_passed_to_the_subject() -> None:
    """والتي قال عنها المخرج إنها ...: عنها (about her) after a cue that relays nothing is what the speaker
    spoke about; the subject after it speaks. Control: after a relaying cue (نقلت عنه الصحيفة قوله) the
    pronoun's referent is still the speaker."""
    text = "وهي صورة وفية لواقع المرأة الريفية، والتي قال عنها المخرج إنها تعمل في صمت."
    q = only(text)
    assert q.speaker is not None and q.speaker.name == "المخرج"
    text = "وقال الوزير محمد العلي إن الزيارة ناجحة. ونقلت عنه الصحيفة قوله إن الوضع مستقر."
    qs = [q for q in quotes(text, ("محمد العلي", "PER")) if "الوضع" in q.content.text]
    assert len(qs) == 1 and qs[0].speaker is not None and qs[0].speaker.name == "محمد العلي"


def test_albaad_some_people_is_a_subject_after_the_cue() -> None:
    """واعتبر البعض أن ...، وصفه البعض بغير اللائق: البعض (some people) names who speak, like the person
    nouns (person_nouns.txt). Control: a partitive before a plural goes on as before (بعض المسؤولين)."""
    text = "وقال الوزير محمد العلي إن القرار نهائي. واعتبر البعض أن القرار متسرع."
    qs = [q for q in quotes(text, ("محمد العلي", "PER")) if "متسرع" in q.content.text]
    assert len(qs) == 1 and qs[0].speaker is not None and qs[0].speaker.name == "البعض"
    q = only("وقال بعض المسؤولين إن القرار متسرع.")
    assert q.speaker is not None and q.speaker.name == "بعض المسؤولين"


def test_one_of_them_is_a_subject_after_the_cue() -> None:
    """وتم إيقاف شخصين ... وصرح أحدهما بأنه من السنغال: أحدهما، أحدهم، إحداهما، إحداهن (one of them) name
    who speaks (person_nouns.txt); as a noun with a pronoun it had been read as the verb's object.
    Control: أحد before a plural as before."""
    text = "وتم إيقاف شخصين قرب الحدود. وصرح أحدهما بأنه من السنغال."
    q = only(text)
    assert q.speaker is not None and q.speaker.name == "أحدهما"
    q = only("وصرح أحد المسؤولين بأن الوضع مستقر.")
    assert q.speaker is not None and q.speaker.name == "أحد المسؤولين"


def test_a_person_noun_that_is_also_a_verb_cue_is_the_subject_after_a_verb() -> None:
    """وقال طالب في السابعة عشرة من عمره إنه رأى ...: طالب (a student; also the verb "demanded") right after a
    verb cue is its subject, not a second verb (it had ended the reading: the implicit subject spoke).
    Control: طالب as the cue itself still reads its own subject (وطالب النائب بفتح تحقيق)."""
    q = only("وقال طالب في السابعة عشرة من عمره إنه رأى ثلاثة أطفال.")
    assert q.speaker is not None and q.speaker.name.startswith("طالب")
    q = only("وطالب النائب بفتح تحقيق في الحادثة.")
    assert q.speaker is not None and q.speaker.name == "النائب"
