"""/v1/stance and the stance feature of /v1/analyze and /v1/batch: wiring, targets, validation."""

from __future__ import annotations

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl.types import Analysis, BatchResponse, StanceResponse


def test_stance_route_returns_entities_quotes_and_stances(
    client: TestClient[Litestar], seed_texts: list[str]
) -> None:
    text = seed_texts[0]
    resp = client.post("/v1/stance", json={"text": text, "id": "s0"})
    assert resp.status_code == 200, resp.text
    result = msgspec.json.decode(resp.content, type=StanceResponse)
    assert result.id == "s0" and result.entities and result.quotes and result.stances
    quote_ids = {q.id for q in result.quotes}
    entity_ids = {e.id for e in result.entities}
    for s in result.stances:
        assert s.label in ("favor", "against") and 0.0 <= s.confidence <= 1.0
        for m in (s.evidence, s.cue, s.target.mention, s.holder.mention):
            if m is not None:
                assert text[m.start : m.end] == m.text
        assert s.quote_id is None or s.quote_id in quote_ids
        assert s.target.entity_id is None or s.target.entity_id in entity_ids
        assert s.holder.entity_id is None or s.holder.entity_id in entity_ids


def test_targets_filter_and_echo(client: TestClient[Litestar], seed_texts: list[str]) -> None:
    text = seed_texts[0]
    everything = client.post("/v1/stance", json={"text": text}).json()["stances"]
    resp = client.post("/v1/stance", json={"text": text, "targets": ["الأسد"]})
    assert resp.status_code == 200
    targeted = resp.json()["stances"]
    assert targeted and len(targeted) <= len(everything)
    assert all(s["target"]["text"] == "الأسد" for s in targeted)


def test_analyze_stance_matches_route(client: TestClient[Litestar], seed_texts: list[str]) -> None:
    text = seed_texts[0]
    body = {"text": text, "features": ["stance"], "targets": ["الأسد"]}
    analysis = msgspec.json.decode(client.post("/v1/analyze", json=body).content, type=Analysis)
    assert analysis.entities is msgspec.UNSET and analysis.quotes is msgspec.UNSET
    direct = client.post("/v1/stance", json={"text": text, "targets": ["الأسد"]}).json()["stances"]
    assert msgspec.to_builtins(analysis.stances) == direct


def test_batch_with_stance_targets(client: TestClient[Litestar], seed_texts: list[str]) -> None:
    docs = [{"id": str(i), "text": t} for i, t in enumerate(seed_texts[:2])]
    resp = client.post("/v1/batch", json={"documents": docs, "features": ["stance"], "targets": ["الأسد"]})
    batch = msgspec.json.decode(resp.content, type=BatchResponse)
    for item in batch.results:
        assert item.ok and item.result is not None
        assert all(s.target.text == "الأسد" for s in item.result.stances or [])  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/analyze", {"text": "نص", "features": ["entities"], "targets": ["الأسد"]}, "targets"),
        ("/v1/stance", {"text": "نص", "targets": ["  "]}, "targets[0]"),
        ("/v1/stance", {"text": "نص", "targets": [""]}, "targets[0]"),
        ("/v1/stance", {"text": "نص", "targets": "الأسد"}, "targets"),
    ],
)
def test_bad_targets_are_422(client: TestClient[Litestar], path: str, body: dict, field: str) -> None:  # type: ignore[type-arg]
    resp = client.post(path, json=body)
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field
