"""The offline Ray Data job (deploy/ray/process_news.py) on a local Ray instance.

Ray is a ``bench`` extra, not a dev dependency: without it this module is skipped. Ray removed
``ray.init(local_mode=True)``; "local" here is a Ray instance started on this machine for the test
(``address="local"``), never a cluster.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import msgspec
import pytest

from qawl.types import FEATURES, Analysis
from qawl_service.analyzer import Analyzer

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

SCRIPT = Path(__file__).resolve().parent.parent / "deploy" / "ray" / "process_news.py"

TEXTS = [
    "قال وزير الخارجية الأمريكي جون كيري في جنيف إن الهدنة في حلب صامدة.",
    "وأكد نظيره الروسي سيرغي لافروف أن موسكو تدعم وقف إطلاق النار.",
    "وصل المبعوث الدولي ستيفان دي ميستورا إلى دمشق صباح الثلاثاء.",
    "وقال دي ميستورا للصحفيين: “نحن نعمل من أجل استئناف المفاوضات”.",
    "أعلنت الأمم المتحدة أن قافلة مساعدات دخلت مدينة حلب.",
    "ندد الأمين العام للجامعة العربية بالقصف الذي استهدف مستشفى في إدلب.",
    "رحبت وزارة الخارجية الفرنسية بالاتفاق الذي توصلت إليه الأطراف في جنيف.",
    "وأضاف كيري أن واشنطن ستواصل الضغط على جميع الأطراف.",
    "ذكرت وكالة الأنباء السعودية أن الملك سلمان استقبل وزير الخارجية البريطاني في الرياض.",
    "افتتح رئيس الوزراء اللبناني مؤتمرا اقتصاديا في بيروت يوم الأحد.",
    "قالت منظمة الصحة العالمية إن عدد الإصابات تراجع خلال الأسبوع الماضي.",
    "نقلت وكالات الأنباء الروسية عن الجنرال سيرغي رودسكوي قوله إن الغارات توقفت.",
    "وصرح المتحدث باسم البيت الأبيض بأن الرئيس سيزور القاهرة الشهر المقبل.",
    "أشاد البنك الدولي بالإصلاحات التي أعلنتها الحكومة المصرية.",
    "دعا بان كي مون إلى حماية المدنيين في سوريا والعراق واليمن.",
    "وبحسب المرصد السوري لحقوق الإنسان، قتل عشرة مدنيين في ريف حلب.",
    "التقى ولي العهد الأمير محمد بن نايف وفدا من الكونغرس الأمريكي في جدة.",
    "أعلن الاتحاد الأوروبي عن حزمة مساعدات جديدة للاجئين في الأردن ولبنان.",
    "أكدت الخارجية التركية أن أنقرة لن تسمح بإقامة كيان على حدودها الجنوبية.",
    "وتابع لافروف: “لا بديل عن الحل السياسي في سوريا”.",
]


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qawl_ray_process_news", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    # Two actors of one CPU each, plus one CPU for Ray Data's own tasks.
    ray.init(
        address="local",
        num_cpus=3,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=150 * 2**20,
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield
    finally:
        ray.shutdown()


def test_ray_job_matches_the_service(script: ModuleType, local_ray: None, analyzer: Analyzer) -> None:
    features = list(FEATURES)
    texts = [*TEXTS, "   "]  # the last one is a per-document error
    ids = [f"doc-{i:02d}" for i in range(len(texts))]
    rows = script.analyze_texts(texts, ids, features=features, actors=2, batch_size=4)

    assert [r["id"] for r in rows] == ids
    assert rows[-1]["ok"] is False and rows[-1]["error"] == "empty text" and rows[-1]["result"] is None
    found = set()
    for row, text, doc_id in zip(rows[:-1], TEXTS, ids, strict=False):
        assert row["ok"], row["error"]
        assert row["words"] == len(text.split())
        result = msgspec.json.decode(row["result"], type=Analysis)
        # The same document the service's /v1/analyze returns for that text.
        expected = analyzer.analyze(text, features, doc_id)
        assert msgspec.json.encode(result) == msgspec.json.encode(expected)
        for entity in result.entities or []:
            found.add(entity.name)
            for m in entity.mentions:
                assert text[m.start : m.end] == m.text
    assert any("كيري" in name for name in found), found


def test_analyze_batch_isolates_a_failing_document(script: ModuleType, analyzer: Analyzer) -> None:
    """No Ray needed: the batch function keeps a failure with its document."""

    class Flaky:
        def analyze_many(
            self, texts: list[str], features: list[str], ids: list[str | None]
        ) -> list[Analysis]:
            raise RuntimeError("batch failed")

        def analyze(self, text: str, features: list[str], doc_id: str | None) -> Analysis:
            if "فشل" in text:
                raise ValueError("bad document")
            return analyzer.analyze(text, features, doc_id)

    out = script.analyze_batch(
        Flaky(), [TEXTS[0], "نص فشل", "x" * 150], ["a", "b", "c"], ["entities"], max_chars=100
    )
    assert out["ok"] == [True, False, False]
    assert out["error"][1] == "ValueError: bad document"
    assert "over the limit of 100" in out["error"][2]
    assert msgspec.json.decode(out["result"][0], type=Analysis).id == "a"


def test_null_and_non_string_texts_are_errors_not_words(script: ModuleType, analyzer: Analyzer) -> None:
    """A JSON null (None, or NaN once it went through a numeric column) is no text: never "nan"."""
    out = script.analyze_batch(
        analyzer, [None, float("nan"), 42, TEXTS[0]], ["a", "b", "c", "d"], ["entities"]
    )
    assert out["ok"] == [False, False, False, True]  # positive control: the real text is analyzed
    assert out["error"][:3] == ["no text (null)", "no text (null)", "text is not a string (int)"]
    assert out["result"][:3] == [None, None, None]


def test_every_batch_has_the_same_arrow_schema(script: ModuleType, analyzer: Analyzer) -> None:
    """A batch with no failure must not write a null-typed error column (Parquet parts must read together)."""
    import pyarrow as pa

    clean = script.to_table(script.analyze_batch(analyzer, [TEXTS[0]], ["a"], ["entities"]))
    failing = script.to_table(script.analyze_batch(analyzer, ["   "], ["b"], ["entities"]))
    assert clean.schema == failing.schema
    assert clean.schema.field("error").type == pa.string()
    assert pa.concat_tables([clean, failing]).column("error").to_pylist() == [None, "empty text"]
