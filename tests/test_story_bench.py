"""bench/story.py measures what it says: both sides run, the overhead is their ratio, the report renders."""

from __future__ import annotations

from litestar.testing import TestClient

from bench import report
from bench.story import BAR, measure_set
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings


def test_story_bench_measures_both_sides(analyzer: Analyzer, seed_texts: list[str]) -> None:
    with TestClient(create_app(Settings(log_level="warning"), analyzer)) as client:
        result = measure_set(analyzer, client, "seeds", seed_texts[:2], passes=1)
    for key in ("one_by_one", "story", "analyze_many", "merge", "http_one_by_one", "http_story"):
        assert result[key]["wall_s"] > 0 and result[key]["cpu_s"] >= 0, key
    assert result["merge"]["wall_s"] < result["story"]["wall_s"]
    expected = result["story"]["wall_s"] / result["one_by_one"]["wall_s"] - 1
    assert abs(result["overhead_wall_s"] - expected) < 1e-12
    section = report.story_section(
        {
            "sets": [result],
            "passes": 1,
            "bar": BAR,
            "met": True,
            "worst_overhead": 0.01,
            "overhead": 0.0,
            "http_overhead": 0.0,
            "cpu": {},
        }
    )
    assert "| seeds | 2 (" in section and "**met**" in section
