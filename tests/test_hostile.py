"""Hostile inputs, each through HTTP and through the SDK: a 200 whose offsets slice the input exactly,
or the documented 4xx problem. Then property tests over random Unicode: no 5xx, valid offsets,
deterministic results.

Decisions these tests pin down (README "HTTP API", SECURITY.md):
- NUL, other C0 controls, bidi and zero-width controls are valid Unicode: accepted and analyzed;
  offsets count them like any code point.
- A lone surrogate escape (``"\\ud800"``) is not a Unicode scalar value and cannot be UTF-8: the
  JSON body is malformed (400). The SDK cannot encode such a string and raises ``UnicodeEncodeError``
  (a ``ValueError``) before sending.
- Duplicated JSON keys: the last one wins (as in JavaScript's JSON.parse).
- Compressed bodies (``Content-Encoding: gzip``...) are refused: 415 with ``Accept-Encoding: identity``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

import qawl
from qawl.types import Problem
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
BASE = "http://testserver.local"
FEATURES = ["entities", "quotes"]
MAX_TEXT = Settings().max_text_chars


@pytest.fixture(scope="module")
def hostile_app(analyzer: Analyzer) -> Litestar:
    # Generous budget: the slowest case (10,000 quote marks) must not turn into a flaky 503 on a
    # loaded CI machine; the budget itself is tested in test_security.py.
    return create_app(Settings(rate_limit=0, analysis_timeout=300), analyzer)


@pytest.fixture(scope="module")
def http(hostile_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(hostile_app, base_url=BASE) as client:
        yield client


@pytest.fixture(scope="module")
def sdk(http: TestClient[Litestar]) -> Iterator[qawl.Client]:
    with qawl.Client(BASE, http_client=http, max_retries=0) as client:
        yield client


def spans(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entity in body.get("entities", []):
        yield from entity["mentions"]
    for quote in body.get("quotes", []):
        yield quote["content"]
        if quote["cue"]:
            yield quote["cue"]
        if quote["speaker"] and quote["speaker"]["mention"]:
            yield quote["speaker"]["mention"]


def assert_offsets_slice(text: str, body: dict[str, Any]) -> None:
    for span in spans(body):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["text"], span
    for entity in body.get("entities", []):
        assert entity["mentions"] and all(m["start"] < m["end"] for m in entity["mentions"])


def problem_of(resp: httpx.Response) -> Problem:
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.text
    return msgspec.json.decode(resp.content, type=Problem)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    status: int = 200
    field: str | None = None
    names: tuple[str, ...] = ()  # entity names that must still be found


CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\x7f"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CASES = [
    Case("empty", "", 422, "text"),
    Case("whitespace", " \t\n\r\u00a0\u2003\u3000\u2028", 422, "text"),
    Case("only-punctuation", "!!! ... ،،، ؛؟ «» “” () [] {} -- ... ؟!", 200),
    Case("only-digits", "0123456789 ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ 3.14 1,000,000", 200),
    Case("latin-only", "John Kerry arrived in Geneva on Monday, said the U.N. envoy.", 200),
    Case("hebrew", "ראש הממשלה נתניהו נפגש עם ג'ון קרי בירושלים", 200),
    Case("persian", "محمد جواد ظریف، وزیر امور خارجه ایران، در ژنو گفت که مذاکرات ادامه دارد", 200),
    Case("urdu", "وزیر اعظم عمران خان نے اسلام آباد میں کہا کہ مذاکرات جاری رہیں گے", 200),
    Case("emoji", "😀 وقال كيري 👍🏽 بعيد وصوله الى جنيف 👨‍👩‍👧‍👦 🇸🇾 ❤️", 200, names=("كيري", "جنيف")),
    Case(
        "diacritics-everywhere",
        "وَقَالَ جُونْ كِيرِي بُعَيْدَ وُصُولِهِ إِلَى جِنِيفَ",
        200,
        names=("جُونْ كِيرِي",),
    ),
    Case("tatweel-runs", "وقـــــــال كـــــــيري بعيد وصوله الى جـــــــنيف" + "ـ" * 500, 200),
    Case(
        "zero-width-and-bidi",
        f"\u200fوقال\u200d كيري\u200c بعيد{BIDI} وصوله\u202b الى\u202c جنيف\u2069\ufeff{BIDI * 3}",
        200,
    ),
    Case("nul-and-c0-controls", f"وقال\x00 كيري\x01 بعيد\x07 وصوله\x1b الى\x1f جنيف {CONTROLS}\x00", 200),
    Case("100k-text", ((SEED + "\n") * 60)[:MAX_TEXT], 200, names=("جون كيري",)),
    Case("over-the-limit", "ا" * (MAX_TEXT + 1), 413, "text"),
    Case("100k-word", ("كيري" * 25_000)[:MAX_TEXT], 200),
    Case("10k-quote-marks", '"' * 10_000, 200),
    Case("mixed-quote-marks", "«“„‹‘\"'" * 1_500 + "”»›’\"'" * 1_500, 200),
    Case("unbalanced-quotes", '«قال كيري “ إن الوضع في جنيف " صعب» » “ “ «', 200),
    Case("quote-never-closed", "وقال كيري: «" + "الوضع صعب جدا في جنيف " * 200, 200),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_text_over_http(http: TestClient[Litestar], case: Case) -> None:
    resp = http.post("/v1/analyze", json={"text": case.text, "features": FEATURES, "id": case.id})
    assert resp.status_code == case.status, resp.text[:500]
    if case.status != 200:
        assert problem_of(resp).field == case.field
        return
    body = resp.json()
    assert body["id"] == case.id
    assert_offsets_slice(case.text, body)
    found = {e["name"] for e in body["entities"]}
    assert set(case.names) <= found, found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_text_through_the_sdk(sdk: qawl.Client, case: Case) -> None:
    if case.status != 200:
        with pytest.raises(qawl.APIStatusError) as err:
            sdk.analyze(case.text, features=FEATURES, id=case.id)
        assert err.value.status_code == case.status
        assert err.value.problem is not None and err.value.problem.field == case.field
        assert err.value.request_id
        return
    analysis = sdk.analyze(case.text, features=FEATURES, id=case.id)
    body = msgspec.to_builtins(analysis)
    assert_offsets_slice(case.text, body)
    assert set(case.names) <= {e["name"] for e in body["entities"]}


def test_sdk_refuses_lone_surrogates_before_sending(sdk: qawl.Client) -> None:
    with pytest.raises(ValueError):  # UnicodeEncodeError: not representable in UTF-8
        sdk.entities("قال \ud800 كيري")


def test_sdk_wrong_type_is_a_422_naming_the_field(sdk: qawl.Client) -> None:
    with pytest.raises(qawl.UnprocessableEntityError) as err:
        sdk.entities(12345)  # type: ignore[arg-type]
    assert err.value.problem is not None and err.value.problem.field == "text"


JSON = {"content-type": "application/json"}
NESTED = b'{"text": "x", "id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize(
    ("body", "headers", "status", "field"),
    [
        pytest.param(b'{"text": "a\\ud800b"}', JSON, 400, None, id="lone-high-surrogate"),
        pytest.param(b'{"text": "a\\udc00 b"}', JSON, 400, None, id="lone-low-surrogate"),
        pytest.param(b'{"text": "\\ud800\\u0041"}', JSON, 400, None, id="surrogate-then-letter"),
        pytest.param(b'{"text": "\\ud83d\\ude00 ok"}', JSON, 200, None, id="escaped-pair-is-fine"),
        pytest.param('{"text": "قال \\u0000 كيري"}'.encode(), JSON, 200, None, id="escaped-nul"),
        pytest.param(b'{"text": "\xff\xfe bad utf-8"}', JSON, 400, None, id="invalid-utf-8"),
        pytest.param(b'{"text": "\xed\xa0\x80"}', JSON, 400, None, id="utf-8-encoded-surrogate"),
        pytest.param(NESTED, JSON, 400, None, id="deeply-nested-value"),
        pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, JSON, 400, None, id="deeply-nested-object"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, JSON, 400, None, id="deeply-nested-array"),
        pytest.param(
            b'{"text": "x", "text": "\xd9\x82\xd8\xa7\xd9\x84"}', JSON, 200, None, id="duplicate-keys"
        ),
        pytest.param(b'{"text": 5}', JSON, 422, "text", id="text-is-a-number"),
        pytest.param(b'{"text": ["a"]}', JSON, 422, "text", id="text-is-a-list"),
        pytest.param(b'{"text": null}', JSON, 422, "text", id="text-is-null"),
        pytest.param(b'{"text": "x", "id": {"a": 1}}', JSON, 422, "id", id="id-is-an-object"),
        pytest.param(b'{"text": "x", "features": [1]}', JSON, 422, "features[0]", id="feature-is-a-number"),
        pytest.param(b'{"text": "x", "lang": "ar"}', JSON, 422, None, id="unknown-field"),
        pytest.param(b'{"id": "x"}', JSON, 422, "text", id="missing-text"),
        pytest.param(b'["text"]', JSON, 422, None, id="array-body"),
        pytest.param(b'"text"', JSON, 422, None, id="string-body"),
        pytest.param(b"null", JSON, 422, None, id="null-body"),
        pytest.param(b"", JSON, 400, None, id="empty-body"),
        pytest.param(b"   ", JSON, 400, None, id="blank-body"),
        pytest.param(b'{"text": "x"} trailing', JSON, 400, None, id="trailing-garbage"),
        pytest.param(b'{"text": "' + b"9" * 1000 + b'"}', JSON, 200, None, id="long-number-string"),
        pytest.param(b'{"text": "x", "id": ' + b"9" * 5000 + b"}", JSON, 400, None, id="huge-number"),
        pytest.param(b'{"text": "x"}', {"content-type": "text/plain"}, 415, "content-type", id="text-plain"),
        pytest.param(b'{"text": "x"}', {"content-type": "application/xml"}, 415, "content-type", id="xml"),
        pytest.param(
            b'{"text": "x"}', {"content-type": "multipart/form-data"}, 415, "content-type", id="form"
        ),
        pytest.param(b'{"text": "x"}', {}, 415, "content-type", id="no-content-type"),
        pytest.param(
            gzip.compress(b'{"text": "x"}'),
            {**JSON, "content-encoding": "gzip"},
            415,
            "content-encoding",
            id="gzip-body",
        ),
        pytest.param(b'{"text": "x"}', {**JSON, "content-encoding": "br"}, 415, "content-encoding", id="br"),
        pytest.param(b'{"text": "x"}', {**JSON, "content-encoding": "identity"}, 200, None, id="identity"),
    ],
)
def test_hostile_bodies(
    http: TestClient[Litestar], body: bytes, headers: dict, status: int, field: str | None
) -> None:  # type: ignore[type-arg]
    resp = http.post("/v1/analyze", content=body, headers=headers)
    assert resp.status_code == status, resp.text[:300]
    if status == 200:
        text = json.loads(body)["text"]
        assert_offsets_slice(text, resp.json())
        return
    p = problem_of(resp)
    assert p.status == status and p.title and p.detail and p.field == field
    if status == 415 and field == "content-encoding":
        assert resp.headers["accept-encoding"] == "identity"


def test_duplicate_keys_last_one_wins(http: TestClient[Litestar]) -> None:
    resp = http.post("/v1/entities", content='{"text": "x", "text": "قال كيري"}'.encode(), headers=JSON)
    assert [e["name"] for e in resp.json()["entities"]] == ["كيري"]


# ------------------------------------------------------------------------- property tests

ARABIC_PIECES = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى",
    *"\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640",
    *"\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\x00\x1f",
    *" \n\t.،؛؟:!«»“”\"'()",
    "قال ",
    "وقال ",
    "كيري",
    "جون كيري",
    " جنيف",
    "بجنيف",
    " الخارجية",
    "الامم المتحدة",
    "إن ",
    "😀",
    "👨‍👩‍👧",
]
arabic_texts = st.lists(st.sampled_from(ARABIC_PIECES), max_size=120).map("".join)
unicode_texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _check_property(http: TestClient[Litestar], text: str) -> None:
    body = {"text": text, "features": FEATURES}
    first = http.post("/v1/analyze", json=body)
    assert first.status_code < 500, first.text
    if not text.strip():
        assert first.status_code == 422 and problem_of(first).field == "text"
        return
    assert first.status_code == 200, first.text
    assert_offsets_slice(text, first.json())
    second = http.post("/v1/analyze", json=body)
    assert second.content == first.content, "same input, same output"


@PROPERTY_SETTINGS
@given(text=unicode_texts)
def test_random_unicode_never_5xx_offsets_valid_deterministic(http: TestClient[Litestar], text: str) -> None:
    _check_property(http, text)


@PROPERTY_SETTINGS
@given(text=arabic_texts)
def test_random_arabic_never_5xx_offsets_valid_deterministic(http: TestClient[Litestar], text: str) -> None:
    _check_property(http, text)
