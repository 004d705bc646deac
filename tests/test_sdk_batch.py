"""SDK batch helpers against the real app: order kept, per-document errors, concurrency, progress."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

import qawl
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

BASE = "http://testserver.local"
TEXTS = [
    "قال كيري في جنيف",
    "",
    "زار لافروف موسكو",
    "اجتمع دي ميستورا مع جودة في عمان",
    "   ",
    "وصل بوتين الى باريس",
]


@pytest.fixture()
def small_batches(analyzer: Analyzer) -> Litestar:
    return create_app(Settings(max_batch_docs=2), analyzer)


def test_sync_analyze_many_keeps_order_across_requests(small_batches: Litestar) -> None:
    seen: list[tuple[int, int]] = []
    docs = [(f"d{i}", t) for i, t in enumerate(TEXTS)]
    with TestClient(small_batches, base_url=BASE) as http, qawl.Client(BASE, http_client=http) as client:
        items = client.analyze_many(
            docs, batch_size=2, concurrency=3, progress=lambda d, t: seen.append((d, t))
        )
        batch = client.batch(TEXTS[:2])
    assert [i.id for i in items] == [d[0] for d in docs]
    assert [i.ok for i in items] == [bool(t.strip()) for t in TEXTS]
    assert sorted(seen)[-1] == (len(TEXTS), len(TEXTS)) and len(seen) == 3
    assert (
        items[1].error is not None and items[1].error.field == "documents[1].text"
    )  # index within its request
    assert [i.ok for i in batch.results] == [True, False]


def test_sync_batch_over_the_limit_raises(small_batches: Litestar) -> None:
    with (
        TestClient(small_batches, base_url=BASE) as http,
        qawl.Client(BASE, http_client=http) as client,
        pytest.raises(qawl.PayloadTooLargeError),
    ):
        client.batch(TEXTS[:3])


@pytest.mark.asyncio
async def test_async_analyze_many_matches_single_calls(small_batches: Litestar) -> None:
    transport = httpx.ASGITransport(app=small_batches)
    async with qawl.AsyncClient("http://qawl.test", transport=transport) as client:
        items = await client.analyze_many(TEXTS, batch_size=2, concurrency=2, features=["entities", "quotes"])
        assert len(items) == len(TEXTS)
        for text, item in zip(TEXTS, items, strict=True):
            if not text.strip():
                assert not item.ok and item.error is not None and item.error.status == 422
                continue
            single = await client.analyze(text, features=["entities", "quotes"])
            assert item.ok and item.result == single


def test_progress_bar_writes_to_a_stream() -> None:
    import io

    out = io.StringIO()
    bar = qawl.ProgressBar(out, width=10)
    bar(5, 10)
    bar(10, 10)
    assert "[#####.....] 5/10" in out.getvalue() and out.getvalue().endswith("10/10 documents\n")


LONG = "قال كيري في جنيف إن المحادثات مع روسيا جادة. " * 40  # ~1,800 characters, ~3.3 kB of JSON


@pytest.fixture()
def small_bodies(analyzer: Analyzer) -> Litestar:
    return create_app(Settings(max_body_bytes=12_000), analyzer)


def test_sync_analyze_many_splits_a_413_batch_and_keeps_every_result(small_bodies: Litestar) -> None:
    docs = [(f"d{i}", LONG) for i in range(6)] + [("huge", LONG * 5)]  # ~20 kB: over the limit alone
    with TestClient(small_bodies, base_url=BASE) as http, qawl.Client(BASE, http_client=http) as client:
        with pytest.raises(qawl.PayloadTooLargeError):  # positive control: one request of 6 is refused
            client.batch([d[1] for d in docs[:6]])
        items = client.analyze_many(docs, batch_size=8, max_batch_bytes=10**9, concurrency=2)
    assert [i.id for i in items] == [d[0] for d in docs]
    assert [i.ok for i in items] == [True] * 6 + [False]
    assert items[-1].error is not None and items[-1].error.status == 413


def test_batches_are_sized_by_bytes(small_bodies: Litestar) -> None:
    from qawl._batching import chunks, to_documents

    docs = to_documents([LONG] * 6)
    sizes = [len(c) for c in chunks(docs, 32, max_bytes=7_000)]
    assert sizes == [2, 2, 2] and sum(sizes) == 6
    assert [len(c) for c in chunks(docs, 32)] == [6]  # the default allows them in one request
    with TestClient(small_bodies, base_url=BASE) as http, qawl.Client(BASE, http_client=http) as client:
        items = client.analyze_many([LONG] * 6, max_batch_bytes=7_000)
    assert all(i.ok for i in items)


@pytest.mark.asyncio
async def test_async_analyze_many_splits_a_413_batch(small_bodies: Litestar) -> None:
    transport = httpx.ASGITransport(app=small_bodies)
    docs = [(f"d{i}", LONG) for i in range(5)] + [("huge", LONG * 5)]
    async with qawl.AsyncClient("http://qawl.test", transport=transport) as client:
        items = await client.analyze_many(docs, batch_size=8, max_batch_bytes=10**9)
    assert [i.ok for i in items] == [True] * 5 + [False]
    assert items[-1].error is not None and items[-1].error.status == 413
