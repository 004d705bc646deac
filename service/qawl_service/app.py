"""The Litestar application: ``create_app()`` for servers and tests alike."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin

from . import __version__
from .analyzer import Analyzer
from .api.problems import handle_http_exception, handle_unexpected
from .api.routes import V1Controller, healthz, readyz
from .runtime import Runtime
from .settings import Settings

log = logging.getLogger("qawl.app")


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None) -> Litestar:
    """Build the app. Without ``analyzer`` the pipeline loads in the background at startup:
    ``/healthz`` answers at once, ``/readyz`` and ``/v1`` return 503 until it is loaded."""
    settings = settings or Settings.from_env()
    runtime = Runtime(settings, analyzer)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        task = asyncio.create_task(runtime.load()) if runtime.analyzer is None else None
        try:
            yield
        finally:
            runtime.shutting_down = True  # readiness goes 503 before the worker stops
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    v1 = Router(path="/v1", route_handlers=[V1Controller])
    return Litestar(
        route_handlers=[v1, healthz, readyz],
        lifespan=[lifespan],
        state=State({"runtime": runtime}),
        request_max_body_size=settings.max_body_bytes,
        exception_handlers={HTTPException: handle_http_exception, Exception: handle_unexpected},
        openapi_config=OpenAPIConfig(
            title="Qawl",
            version=__version__,
            description=(
                "Arabic news analysis: entities, quotes and stance. Offsets are Unicode code points into "
                "the submitted text. Errors are RFC 9457 problem details."
            ),
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(), JsonRenderPlugin()],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level.upper(), "handlers": ["queue_listener"]},
            log_exceptions="debug",
        ),
        debug=False,
    )
