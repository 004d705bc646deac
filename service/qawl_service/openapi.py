"""The OpenAPI document, generated from the app (``make openapi`` writes openapi/openapi.json)."""

from __future__ import annotations

import json

from .app import create_app
from .settings import Settings


def openapi_json() -> str:
    app = create_app(Settings())  # defaults, not the caller's env: the document must be reproducible
    schema = app.openapi_schema.to_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
