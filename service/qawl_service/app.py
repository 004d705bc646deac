"""The Litestar application: ``create_app()`` for servers and tests alike."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import swagger_ui_bundle
from litestar import Litestar, Response, Router, get
from litestar.datastructures import ResponseHeader, State
from litestar.exceptions import HTTPException, NotFoundException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPIHeader, OpenAPIType, Reference, Schema, SecurityScheme
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_404_NOT_FOUND

from . import __version__
from .api.auth import AuthMiddleware, KeyRing
from .api.body import QawlRequest
from .api.jsonlog import configure_logging
from .api.openapi_schema import StrictStructSchemaPlugin
from .api.problems import handle_analysis_timeout, handle_http_exception, handle_not_ready, handle_unexpected
from .api.ratelimit import RateLimiter, RateLimitMiddleware
from .api.requestlog import RequestLogMiddleware
from .api.routes import V1Controller, healthz, readyz
from .api.ui import UI_ROUTER
from .server.runtime import AnalysisTimeout, NotReady, Runtime
from .server.shutdown import readiness_follows_signals
from .settings import Settings

if TYPE_CHECKING:
    from .analyzer import Analyzer

log = logging.getLogger("qawl.app")

SECURITY_SCHEMES = {
    "bearerAuth": SecurityScheme(
        type="http",
        scheme="bearer",
        description="`Authorization: Bearer <key>`; required only when the service is given API keys.",
    ),
    "apiKeyAuth": SecurityScheme(
        type="apiKey",
        name="X-API-Key",
        security_scheme_in="header",
        description="`X-API-Key: <key>`, the alternative to the bearer header.",
    ),
}

# OpenAPI requires a schema on every header object; Litestar's ResponseHeader has no field for it.
HEADER_TYPES = {"X-Request-ID": "string", "RateLimit-Policy": "string"}  # the other RateLimit-* are integers


def _optional(prop: Schema) -> Schema | None:
    """The T of a ``oneOf: [T, null]`` property whose T is no object, else None."""
    pair = prop.one_of or []
    if len(pair) != 2 or not all(isinstance(p, Schema) for p in pair):
        return None
    inner, null = pair
    if not isinstance(inner, Schema) or not isinstance(null, Schema) or null.type != OpenAPIType.NULL:
        return None
    return inner if isinstance(inner.type, OpenAPIType) and inner.type != OpenAPIType.OBJECT else None


def _finish_openapi(app: Litestar) -> None:
    """Fixes to the app's (cached) OpenAPI document, served and written alike, for client generators:
    an optional field is ``type: [T, "null"]`` rather than a ``oneOf`` of T and null (generators made
    numbered classes of them: Id1 ... Id7); each enum field becomes a named schema (Entity.label and
    Stance.label are two enums: EntityLabel, StanceLabel); each documented response header gets its schema."""
    schema = app.openapi_schema
    components = (schema.components.schemas if schema.components else None) or {}
    enums: dict[str, Schema] = {}
    for component_name, component in components.items():
        properties = component.properties or {}
        for name, prop in properties.items():
            if not isinstance(prop, Schema):
                continue
            if prop.enum and isinstance(prop.type, OpenAPIType):  # a named enum schema, referenced
                title = component_name + name[:1].upper() + name[1:]
                enums[title] = Schema(type=prop.type, enum=prop.enum, title=title)
                properties[name] = Reference(ref=f"#/components/schemas/{title}")
                continue
            inner = _optional(prop)
            if inner is not None and isinstance(inner.type, OpenAPIType):
                prop.one_of, prop.type, prop.items = None, [inner.type, OpenAPIType.NULL], inner.items
    components.update(enums)
    for item in (schema.paths or {}).values():
        for op in (item.get, item.post, item.put, item.patch, item.delete):
            for response in (op.responses or {}).values() if op is not None else ():
                for name, header in (getattr(response, "headers", None) or {}).items():
                    if isinstance(header, OpenAPIHeader) and header.schema is None:
                        header.schema = Schema(type=OpenAPIType(HEADER_TYPES.get(name, "integer")))


@get("/redoc", include_in_schema=False, sync_to_thread=False)
def redoc() -> Redirect:
    """ReDoc is not served (its assets come in no dependency we ship); its usual address leads to
    the docs we serve rather than to a dead end."""
    return Redirect(path="/schema/swagger")


def _schema_not_found_as_problem(response: Response[Any]) -> Response[Any]:
    """Litestar answers an unknown /schema/... path with an HTML page; here it is the same RFC 9457
    problem as any other unknown path."""
    if response.status_code == HTTP_404_NOT_FOUND:
        raise NotFoundException(detail="No such API docs page; they are at /schema/swagger.")
    return response


# The docs router Litestar fills with the render plugins' pages.
SCHEMA_ROUTER = Router(
    path="/schema",
    route_handlers=[redoc],
    include_in_schema=False,
    after_request=_schema_not_found_as_problem,
)

SWAGGER_ASSETS = create_static_files_router(
    path="/schema/assets", directories=[swagger_ui_bundle.swagger_ui_path], include_in_schema=False
)

REQUEST_ID_DOC = ResponseHeader(
    name="X-Request-ID",
    documentation_only=True,
    description="The request's id: the caller's `X-Request-ID` when it is a sane token, else generated.",
)
RATE_LIMIT_DOCS = [
    ResponseHeader(name=name, documentation_only=True, description=description)
    for name, description in (
        ("RateLimit-Limit", "Requests per window allowed to this client (absent when rate limiting is off)."),
        ("RateLimit-Remaining", "Requests left to this client right now."),
        ("RateLimit-Reset", "Seconds until this client's allowance is whole again."),
        ("RateLimit-Policy", "The policy: `<limit>;w=<window seconds>`."),
    )
]


def create_app(
    settings: Settings | None = None, analyzer: Analyzer | Callable[[], Analyzer] | None = None
) -> Litestar:
    """Build the app. The pipeline loads in the background at startup: ``/healthz`` answers at
    once, ``/readyz`` and ``/v1`` return 503 until it is loaded. Without ``analyzer`` it runs in a
    child process per worker (``analysis_process``); given an analyzer, or a function that loads
    one, it runs in this process (tests, embedding)."""
    settings = settings or Settings.from_env()
    keys = KeyRing(settings.api_keys)  # invalid keys fail here, at startup
    limiter = RateLimiter(settings.rate_limit, settings.rate_limit_window)
    runtime = Runtime(settings, analyzer)
    configure_logging(settings.log_level)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        runtime.shutting_down = False  # a lifespan may run again (test clients start one per use)
        task = asyncio.create_task(runtime.load()) if runtime.info is None or not runtime.in_process else None
        log.info(
            "starting: auth %s, rate limit %s, analysis budget %gs",
            f"on ({len(keys)} keys)" if keys else "off",
            f"{limiter.limit}/{limiter.window:g}s per client" if limiter.enabled else "off",
            settings.analysis_timeout,
        )
        try:
            with readiness_follows_signals(runtime, delay=settings.shutdown_delay):
                yield
        finally:
            runtime.shutting_down = True  # readiness goes 503 before the worker stops
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
            await runtime.close()

    # Auth first, then the limiter, which counts per key once the key is known.
    v1 = Router(
        path="/v1",
        route_handlers=[V1Controller],
        middleware=[
            DefineMiddleware(AuthMiddleware, keys=keys),
            DefineMiddleware(RateLimitMiddleware, limiter=limiter),
        ],
        security=[{"bearerAuth": []}, {"apiKeyAuth": []}],
        response_headers=RATE_LIMIT_DOCS,
    )
    app = Litestar(
        route_handlers=[v1, healthz, readyz, SWAGGER_ASSETS, UI_ROUTER],
        lifespan=[lifespan],
        state=State({"runtime": runtime, "limiter": limiter}),
        request_class=QawlRequest,
        plugins=[StrictStructSchemaPlugin()],
        request_max_body_size=settings.max_body_bytes,
        response_headers=[REQUEST_ID_DOC],
        exception_handlers={
            HTTPException: handle_http_exception,
            AnalysisTimeout: handle_analysis_timeout,
            NotReady: handle_not_ready,
            Exception: handle_unexpected,
        },
        openapi_config=OpenAPIConfig(
            title="Qawl",
            version=__version__,
            description=(
                "Arabic news analysis: entities, quotes and stance. Offsets are Unicode code points into "
                "the submitted text. Errors are RFC 9457 problem details. When the service is given API "
                "keys, every /v1 route needs one (bearer or X-API-Key); /healthz and /readyz stay open."
            ),
            path="/schema",
            openapi_router=SCHEMA_ROUTER,
            # Swagger UI from a packaged copy served below, not a CDN: the page works offline and in
            # air-gapped clusters. Absolute paths: the same page is served at /schema and /schema/swagger.
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url="/schema/assets/swagger-ui-bundle.js",
                    css_url="/schema/assets/swagger-ui.css",
                    standalone_preset_js_url="/schema/assets/swagger-ui-standalone-preset.js",
                    favicon="",  # Litestar's default icon is fetched from a CDN
                ),
                JsonRenderPlugin(),
            ],
            components=Components(security_schemes=dict(SECURITY_SCHEMES)),
        ),
        logging_config=None,  # configure_logging(): JSON lines on stdout
        debug=False,
    )
    _finish_openapi(app)
    # Outermost layer, around Litestar's exception handling: request ids and the request log
    # cover every response, 404s and 500s included.
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler, max_body_bytes=settings.max_body_bytes)
    return app
