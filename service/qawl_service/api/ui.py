"""The analyst page: ``GET /ui`` and its two assets, files shipped in the package (``qawl_service/ui``).

The page is plain HTML, CSS and JavaScript (no build step, nothing fetched from another host: the
service runs offline). It is not behind the ``/v1`` key itself: it is a form that holds no data. Every
call it makes goes to ``/v1`` with the key typed into its key field, which is sent as
``Authorization: Bearer <key>`` and never stored (no cookie, no web storage).

Every ``/ui`` response carries a strict Content-Security-Policy: scripts, styles and ``fetch`` from
this origin only, no inline script or style, no frames, no forms posting elsewhere. A page that
handles an API key and renders submitted text is what CSP is for; the page is written to need nothing
more (its JavaScript and CSS are separate files and it builds the DOM without ``innerHTML``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from litestar import Response, Router, get
from litestar.datastructures import ResponseHeader
from litestar.handlers import HTTPRouteHandler

# The files of the page, by the name they are served under (/ui/<name>), with their media types
# (Litestar adds "; charset=utf-8" to text types).
ASSETS = {"ui.js": "text/javascript", "ui.css": "text/css"}
INDEX = "index.html"

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # the page's empty favicon is a data: URL (no /favicon.ico request)
        "connect-src 'self'",  # fetch() to /v1 on this origin only
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

UI_HEADERS = [
    ResponseHeader(name="Content-Security-Policy", value=CSP),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="X-Frame-Options", value="DENY"),
    ResponseHeader(name="Referrer-Policy", value="no-referrer"),
    # Revalidated on each load: a new service version's page never runs with an old script.
    ResponseHeader(name="Cache-Control", value="no-cache"),
]


@cache
def _asset(name: str) -> bytes:
    return resources.files("qawl_service").joinpath("ui", name).read_bytes()


@get("/", include_in_schema=False, sync_to_thread=False)
def ui_page() -> Response[bytes]:
    """The analyst page."""
    return Response(_asset(INDEX), media_type="text/html")


def _asset_handler(name: str, media_type: str) -> HTTPRouteHandler:
    """``GET /ui/<name>``: one of the page's files (nothing else under /ui is served)."""

    @get(f"/{name}", include_in_schema=False, sync_to_thread=False, name=f"ui-{name}")
    def asset() -> Response[bytes]:
        return Response(_asset(name), media_type=media_type)

    return asset


UI_ROUTER = Router(
    path="/ui",
    route_handlers=[ui_page, *(_asset_handler(n, t) for n, t in ASSETS.items())],
    include_in_schema=False,
    response_headers=UI_HEADERS,
)

__all__ = ["ASSETS", "CSP", "UI_ROUTER"]
