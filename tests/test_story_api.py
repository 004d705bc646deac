"""POST /v1/story: the wire shape, validation, per-document failures, offsets (issue 22)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import StoryResponse
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings


class _FailsOnKeyword(Analyzer):
    """A pipeline that breaks on one document (as in test_batch.py): the story must isolate it."""

    def analyze_many(self, texts, features, ids, targets=None, batch_size=32):  # type: ignore[no-untyped-def,override]
        if any("انهيار" in t for t in texts):
            raise RuntimeError("batch broke")
        return super().analyze_many(texts, features, ids, targets, batch_size)

    def analyze(self, text, features, doc_id, targets=None):  # type: ignore[no-untyped-def,override]
        if "انهيار" in text:
            raise RuntimeError("document broke")
        return super().analyze(text, features, doc_id, targets)


ISSUE_SHAPE = {
    "top": ["model", "documents", "entities", "statements", "stances"],
    "document": ["id", "ok", "error"],
    "entity": ["id", "label", "name", "variants", "mentions"],
    "span": ["doc", "start", "end", "text"],
    "statement": ["id", "speaker", "summary", "sources"],
    "source": ["doc", "quote_id", "kind", "start", "end", "text"],
    "stance": ["holder", "target", "label", "sources"],
    "actor": ["name", "entity_id"],
    "target": ["text", "entity_id"],
}


def seed_docs(seed_texts: list[str]) -> list[dict[str, str]]:
    return [{"id": f"seed-{i}", "text": t} for i, t in enumerate(seed_texts)]


def post_story(client: TestClient[Litestar], body: dict[str, Any]) -> tuple[dict[str, Any], StoryResponse]:
    resp = client.post("/v1/story", json=body)
    assert resp.status_code == 200, resp.text
    return resp.json(), msgspec.json.decode(resp.content, type=StoryResponse)


def assert_offsets(texts: dict[str, str], story: StoryResponse) -> int:
    """Every span slices its own document; returns how many spans were checked."""
    n = 0
    spans = [m for e in story.entities for m in e.mentions]
    spans += [s for st in story.statements for s in st.sources]
    spans += [s for st in story.stances for s in st.sources]
    for span in spans:
        assert texts[span.doc][span.start : span.end] == span.text, span
        n += 1
    return n


def test_the_five_seeds_as_one_story(client: TestClient[Litestar], seed_texts: list[str]) -> None:
    docs = seed_docs(seed_texts)
    raw, story = post_story(client, {"documents": docs})
    # the wire shape of the issue, key for key
    assert list(raw) == ISSUE_SHAPE["top"]
    assert all(list(d) == ISSUE_SHAPE["document"] for d in raw["documents"])
    assert list(raw["entities"][0]) == ISSUE_SHAPE["entity"]
    assert list(raw["entities"][0]["mentions"][0]) == ISSUE_SHAPE["span"]
    assert list(raw["statements"][0]) == ISSUE_SHAPE["statement"]
    assert list(raw["statements"][0]["speaker"]) == ISSUE_SHAPE["actor"]
    assert list(raw["statements"][0]["sources"][0]) == ISSUE_SHAPE["source"]
    assert list(raw["stances"][0]) == ISSUE_SHAPE["stance"]
    assert list(raw["stances"][0]["holder"]) == ISSUE_SHAPE["actor"]
    assert list(raw["stances"][0]["target"]) == ISSUE_SHAPE["target"]
    assert list(raw["stances"][0]["sources"][0]) == ISSUE_SHAPE["span"]

    assert [(d.id, d.ok, d.error) for d in story.documents] == [(d["id"], True, None) for d in docs]
    assert story.model == client.get("/v1/info").json()["model"]["name"]
    texts = {d["id"]: d["text"] for d in docs}
    assert assert_offsets(texts, story) > 100
    ids = [e.id for e in story.entities]
    assert ids == [f"S-E{i}" for i in range(1, len(ids) + 1)]
    assert [s.id for s in story.statements] == [f"S-Q{i}" for i in range(1, len(story.statements) + 1)]
    # entity ids in statements and stances are story entity ids
    known = set(ids)
    refs = [s.speaker.entity_id for s in story.statements if s.speaker]
    refs += [s.holder.entity_id for s in story.stances] + [s.target.entity_id for s in story.stances]
    assert {r for r in refs if r is not None} <= known and any(refs)
    # order: entities by documents then mentions; statements and stances by sources
    rank = [(-len({m.doc for m in e.mentions}), -len(e.mentions)) for e in story.entities]
    assert rank == sorted(rank)
    assert [len(s.sources) for s in story.statements] == sorted(
        (len(s.sources) for s in story.statements), reverse=True
    )
    assert [len(s.sources) for s in story.stances] == sorted(
        (len(s.sources) for s in story.stances), reverse=True
    )
    # the story is more than the documents side by side: Kerry is one entity with mentions in all five
    kerry = next(e for e in story.entities if e.name == "جون كيري")
    assert {m.doc for m in kerry.mentions} == set(texts) and kerry.label == "PER"
    assert any(len({s.doc for s in st.sources}) > 1 for st in story.statements)


def test_story_mentions_include_every_per_document_mention(
    client: TestClient[Litestar], seed_texts: list[str]
) -> None:
    docs = seed_docs(seed_texts)
    _, story = post_story(client, {"documents": docs})
    batch = client.post("/v1/batch", json={"documents": docs, "features": ["entities"]}).json()
    per_doc = {
        (r["id"], m["start"], m["end"])
        for r in batch["results"]
        for e in r["result"]["entities"]
        for m in e["mentions"]
    }
    merged = {(m.doc, m.start, m.end) for e in story.entities for m in e.mentions}
    assert per_doc <= merged
    assert sum(len(r["result"]["entities"]) for r in batch["results"]) > len(story.entities)  # merged


@pytest.mark.parametrize(
    ("documents", "field", "title"),
    [
        (
            [{"id": "a", "text": "قال كيري"}, {"id": "a", "text": "قال لافروف"}],
            "documents[1].id",
            "Duplicate id",
        ),
        ([{"id": "", "text": "قال كيري"}], "documents[0].id", None),
        ([{"id": "   ", "text": "قال كيري"}], "documents[0].id", "Empty id"),
        ([{"text": "قال كيري"}], "documents[0].id", None),
        ([{"id": None, "text": "قال كيري"}], "documents[0].id", None),
        ([{"id": "a", "text": "قال كيري", "lang": "ar"}], "documents[0]", None),
        ([], "documents", "Empty batch"),
    ],
)
def test_invalid_requests_are_422_with_the_field(
    app: Litestar, documents: list[dict[str, Any]], field: str | None, title: str | None
) -> None:
    with TestClient(app) as c:
        resp = c.post("/v1/story", json={"documents": documents})
        assert resp.status_code == 422, resp.text
        assert resp.headers["content-type"].startswith("application/problem+json")
        problem = resp.json()
        assert problem["field"] == field
        if title is not None:
            assert problem["title"] == title


def test_targets_are_validated_like_batch(app: Litestar) -> None:
    with TestClient(app) as c:
        docs = [{"id": "a", "text": "ندد الجبير بانتهاكات نظام الأسد"}]
        resp = c.post("/v1/story", json={"documents": docs, "targets": ["  "]})
        assert resp.status_code == 422 and resp.json()["field"] == "targets[0]"
        ok = c.post("/v1/story", json={"documents": docs, "targets": ["نظام الأسد"]})
        assert ok.status_code == 200, ok.text


def test_the_batch_limits_apply(analyzer: Analyzer) -> None:
    settings = Settings(max_batch_docs=2, max_text_chars=40)
    with TestClient(create_app(settings, analyzer)) as c:
        docs = [{"id": str(i), "text": "قال كيري"} for i in range(3)]
        resp = c.post("/v1/story", json={"documents": docs})
        assert resp.status_code == 413 and resp.json()["field"] == "documents"
        _, story = post_story(
            c, {"documents": [{"id": "short", "text": "قال جون كيري"}, {"id": "long", "text": "ا" * 41}]}
        )
        assert [(d.ok, d.error.status if d.error else None) for d in story.documents] == [
            (True, None),
            (False, 413),
        ]
        assert story.documents[1].error is not None and story.documents[1].error.field == "documents[1].text"


def test_a_bad_document_fails_alone_and_the_others_are_merged(
    client: TestClient[Litestar], seed_texts: list[str]
) -> None:
    docs = [*seed_docs(seed_texts[:2]), {"id": "blank", "text": "  \n "}, *seed_docs(seed_texts)[2:3]]
    _, story = post_story(client, {"documents": docs})
    assert [d.ok for d in story.documents] == [True, True, False, True]
    error = story.documents[2].error
    assert error is not None and error.status == 422 and error.field == "documents[2].text"
    kerry = next(e for e in story.entities if e.name == "جون كيري")
    assert {m.doc for m in kerry.mentions} == {"seed-0", "seed-1", "seed-2"}
    assert all(m.doc != "blank" for e in story.entities for m in e.mentions)
    assert_offsets({d["id"]: d["text"] for d in docs}, story)


def test_a_pipeline_failure_fails_its_document_alone(analyzer: Analyzer, seed_texts: list[str]) -> None:
    with TestClient(create_app(Settings(), _FailsOnKeyword(analyzer.nlp))) as c:
        docs = [*seed_docs(seed_texts[:2]), {"id": "broken", "text": "انهيار"}]
        _, story = post_story(c, {"documents": docs})
    assert [d.ok for d in story.documents] == [True, True, False]
    error = story.documents[2].error
    assert error is not None and error.status == 500 and error.field == "documents[2]"
    assert "broke" not in (error.detail or "")
    kerry = next(e for e in story.entities if e.name == "جون كيري")
    assert {m.doc for m in kerry.mentions} == {"seed-0", "seed-1"}


def test_all_documents_bad_is_an_empty_story(app: Litestar) -> None:
    with TestClient(app) as c:
        _, story = post_story(c, {"documents": [{"id": "a", "text": " "}]})
        _, control = post_story(c, {"documents": [{"id": "a", "text": "وقال جون كيري في جنيف"}]})
    assert not story.documents[0].ok
    assert (story.entities, story.statements, story.stances) == ([], [], [])
    assert control.documents[0].ok and control.entities  # positive control: a good text is merged


def test_a_missing_nested_field_is_named(app: Litestar) -> None:
    with TestClient(app) as c:
        resp = c.post("/v1/batch", json={"documents": [{"id": "x"}]})
        assert resp.status_code == 422 and resp.json()["field"] == "documents[0].text"
        resp = c.post("/v1/analyze", json={"id": "x"})
        assert resp.status_code == 422 and resp.json()["field"] == "text"


def test_the_api_process_does_not_load_spacy() -> None:
    """The story merge runs in the API worker; the pipeline (spaCy) lives in the analysis process."""
    probe = "import sys, qawl_service.app, qawl_service.story; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    control = "import sys, qawl_service.analyzer; print('spacy' in sys.modules)"  # positive control
    out = subprocess.run([sys.executable, "-c", control], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
