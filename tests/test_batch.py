"""POST /v1/batch: one result per input, in order, per-document errors, same results as single calls."""

from __future__ import annotations

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import Analysis, BatchResponse
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings


def post_batch(client: TestClient[Litestar], body: dict) -> BatchResponse:  # type: ignore[type-arg]
    resp = client.post("/v1/batch", json=body)
    assert resp.status_code == 200, resp.text
    return msgspec.json.decode(resp.content, type=BatchResponse)


def test_batch_matches_single_documents(client: TestClient[Litestar], seed_texts: list[str]) -> None:
    docs = [{"id": f"s{i}", "text": t} for i, t in enumerate(seed_texts)]
    batch = post_batch(client, {"documents": docs, "features": ["entities", "quotes"]})
    assert [r.id for r in batch.results] == [d["id"] for d in docs]
    for doc, item in zip(docs, batch.results, strict=True):
        assert item.ok and item.error is None and item.result is not None
        single = client.post("/v1/analyze", json={**doc, "features": ["entities", "quotes"]})
        assert msgspec.json.decode(single.content, type=Analysis) == item.result


def test_bad_documents_fail_alone_and_keep_their_place(client: TestClient[Litestar]) -> None:
    texts = ["قال كيري في جنيف", "", "زار لافروف موسكو", "   ", "وصل دي ميستورا"]
    batch = post_batch(client, {"documents": [{"text": t, "id": str(i)} for i, t in enumerate(texts)]})
    assert [r.id for r in batch.results] == ["0", "1", "2", "3", "4"]
    assert [r.ok for r in batch.results] == [True, False, True, False, True]
    for i in (1, 3):
        error = batch.results[i].error
        assert error is not None and error.status == 422 and error.field == f"documents[{i}].text"
        assert batch.results[i].result is None


def test_per_document_text_limit(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(max_text_chars=20), analyzer)) as c:
        batch = post_batch(c, {"documents": [{"text": "قال كيري"}, {"text": "ا" * 21}]})
        assert batch.results[0].ok
        error = batch.results[1].error
        assert error is not None and error.status == 413 and error.field == "documents[1].text"


def test_too_many_or_no_documents(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(max_batch_docs=3), analyzer)) as c:
        resp = c.post("/v1/batch", json={"documents": [{"text": "نص"}] * 4})
        assert resp.status_code == 413 and resp.json()["field"] == "documents"
        resp = c.post("/v1/batch", json={"documents": []})
        assert resp.status_code == 422 and resp.json()["field"] == "documents"
        assert c.get("/v1/info").json()["limits"]["max_batch_docs"] == 3


class _FailsOnKeyword(Analyzer):
    """A pipeline that breaks on one document: the batch must isolate it."""

    def analyze_many(self, texts, features, ids, targets=None, batch_size=32):  # type: ignore[no-untyped-def,override]
        if any("انهيار" in t for t in texts):
            raise RuntimeError("batch broke")
        return super().analyze_many(texts, features, ids, targets, batch_size)

    def analyze(self, text, features, doc_id, targets=None):  # type: ignore[no-untyped-def,override]
        if "انهيار" in text:
            raise RuntimeError("document broke")
        return super().analyze(text, features, doc_id, targets)


def test_a_failing_document_gets_a_500_item_not_a_500_response(analyzer: Analyzer) -> None:
    with TestClient(create_app(Settings(), _FailsOnKeyword(analyzer.nlp))) as c:
        batch = post_batch(
            c, {"documents": [{"text": "قال كيري"}, {"text": "انهيار"}, {"text": "زار لافروف"}]}
        )
        assert [r.ok for r in batch.results] == [True, False, True]
        error = batch.results[1].error
        assert error is not None and error.status == 500 and "broke" not in (error.detail or "")
