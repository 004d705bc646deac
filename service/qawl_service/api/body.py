"""Request bodies the JSON parser must not turn into 500s.

Litestar decodes the body with msgspec and maps its ``DecodeError`` to 400, but two failures come out
as other exceptions: bytes that are not UTF-8 (``UnicodeDecodeError``) and nesting deeper than the
decoder allows (``RecursionError``). Both are malformed input: 400. A ``Content-Encoding`` (gzip,
deflate, br...) is not accepted: 415 with ``Accept-Encoding: identity`` (RFC 9110 §15.5.16), rather
than a confusing "not valid JSON" and with no decompression bomb to defuse.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from .problems import ProblemException


class QawlRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        encoding = self.headers.get("content-encoding", "").strip().lower()
        if encoding not in ("", "identity"):
            raise ProblemException(
                415,
                "Compressed request bodies are not accepted; send the JSON uncompressed.",
                title="Unsupported content encoding",
                field="content-encoding",
                headers={"Accept-Encoding": "identity"},
            )
        try:
            return await super().json()
        except UnicodeDecodeError:
            raise ProblemException(
                400, "The request body is not valid UTF-8 JSON.", title="Malformed JSON"
            ) from None
        except RecursionError:
            raise ProblemException(
                400, "The request body's JSON is nested too deeply.", title="Malformed JSON"
            ) from None
