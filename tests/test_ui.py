"""The analyst page as served: /ui and its assets, open without a key, under a strict CSP, offline-only;
/v1 still needs the key. (The page in a real browser: test_ui_browser.py.)"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from qawl_service.analyzer import Analyzer
from qawl_service.api.ui import ASSETS, CSP
from qawl_service.app import create_app
from qawl_service.openapi import openapi_json
from qawl_service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "service" / "qawl_service" / "ui"
KEY = "ui-test-key-0123456789abcdef"
PAGES = ["/ui", "/ui/ui.js", "/ui/ui.css"]


@pytest.fixture(scope="module")
def keyed(analyzer: Analyzer) -> Iterator[TestClient[Litestar]]:
    """The app with an API key configured."""
    with TestClient(create_app(Settings(api_keys=(KEY,), log_level="warning"), analyzer)) as c:
        yield c


def test_the_page_is_served_without_a_key_and_v1_still_needs_one(keyed: TestClient[Litestar]) -> None:
    page = keyed.get("/ui")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script src="/ui/ui.js"' in page.text and 'href="/ui/ui.css"' in page.text
    assert 'id="key"' in page.text and 'type="password"' in page.text
    assert keyed.get("/ui/").status_code == 200
    # The page's calls go to /v1, which still answers 401 without the key and 200 with it.
    body = {"text": "وقال كيري في جنيف", "features": ["entities", "quotes", "stance"]}
    assert keyed.post("/v1/analyze", json=body).status_code == 401
    assert keyed.get("/v1/info").status_code == 401
    assert keyed.post("/v1/analyze", json=body, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "media_type"), [("/ui", "text/html"), *((f"/ui/{n}", t) for n, t in ASSETS.items())]
)
def test_assets_are_served_with_the_security_headers(
    keyed: TestClient[Litestar], path: str, media_type: str
) -> None:
    resp = keyed.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert resp.headers["content-security-policy"] == CSP
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["referrer-policy"] == "no-referrer"
    assert resp.headers["cache-control"] == "no-cache"
    assert (
        resp.content == (UI_DIR / (path.removeprefix("/ui/") if path != "/ui" else "index.html")).read_bytes()
    )


def test_the_csp_allows_this_origin_only() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src"):
        assert directives[name] == "'self'", name  # no 'unsafe-inline', no other host
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "path", ["/ui/index.htm", "/ui/app.py", "/ui/..%2fapp.py", "/ui/ui.js.map", "/ui/x/ui.js"]
)
def test_nothing_else_is_served_under_ui(keyed: TestClient[Litestar], path: str) -> None:
    resp = keyed.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_the_page_loads_nothing_from_another_host(keyed: TestClient[Litestar]) -> None:
    for path in PAGES:
        text = keyed.get(path).text
        assert not re.search(r"https?://", text), path  # no CDN, font or script from elsewhere
        assert not re.search(r"""(src|href)\s*=\s*["']//""", text), path  # nor protocol-relative
        assert "@import" not in text, path
        assert all(
            u.startswith(("data:", "'data:", '"data:')) for u in re.findall(r"url\(\s*([^)]*)\)", text)
        ), path


def test_the_page_needs_no_inline_script_or_style() -> None:
    """What the CSP (script-src/style-src 'self') would block: inline code, style attributes, handlers."""
    html = (UI_DIR / "index.html").read_text(encoding="utf-8")
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)


def test_the_script_never_writes_html_or_stores_the_key() -> None:
    script = (UI_DIR / "ui.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert risky not in script, risky
    for storage in ("localStorage", "sessionStorage", "document.cookie", "indexedDB"):
        assert storage not in script, storage
    assert "headers.Authorization = `Bearer ${key}`" in script  # the header api/auth.py reads
    assert "Array.from(text)" in script  # offsets are code points, not UTF-16 units


def test_the_page_is_not_in_the_openapi_document() -> None:
    doc = json.loads(openapi_json())
    assert not [p for p in doc["paths"] if p.startswith("/ui")]


def test_the_page_files_are_package_data() -> None:
    """Every file of the page is matched by [tool.setuptools.package-data], so it is in the wheel and
    the image (the Dockerfile's build check fails otherwise)."""
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["qawl_service"]
    files = sorted(p.relative_to(UI_DIR.parent).as_posix() for p in UI_DIR.iterdir() if p.is_file())
    assert {"ui/index.html", "ui/ui.js", "ui/ui.css"} <= set(files)
    for f in files:
        assert any(fnmatch.fnmatch(f, pat) for pat in patterns), f
