"""Schemathesis against the app in-process: every operation of the OpenAPI document, every check,
positive and negative data, >= 200 generated examples per operation (plus schemathesis' own
examples and coverage cases).

The app runs with API keys on (so ``ignored_auth`` probes that a missing or wrong key is refused) and
a rate limit high enough never to trigger (429 is documented; it would only hide the rest).
"""

from __future__ import annotations

from typing import Any

import msgspec
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from qawl.types import Problem
from qawl_service.analyzer import Analyzer
from qawl_service.app import create_app
from qawl_service.settings import Settings

KEY = "schemathesis-test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
EXAMPLES = 200


# Built at import: schemathesis' parametrization (one test per operation) needs the schema at
# collection time. (Its fixture-based lazy loader does not work with pytest 9.)
APP = create_app(Settings(api_keys=(KEY,), rate_limit=1_000_000), Analyzer.load())
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", APP)


def _field_root(field: str) -> str:
    return field.split("[", 1)[0].split(".", 1)[0]


@schemathesis.check
def positive_data_acceptance_or_field_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, except for the API's documented rules that a JSON schema cannot
    express: a schema-valid body may still be refused with a 413/422 problem that names the
    offending request field (blank text, text over QAWL_MAX_TEXT_CHARS, no feature, too many
    documents...). Anything else schema-valid must be accepted."""
    meta = getattr(case, "meta", None)
    if (
        meta is not None
        and meta.generation.mode.is_positive
        and response.status_code in (413, 422)
        and isinstance(case.body, dict)
    ):
        problem = msgspec.json.decode(response.content, type=Problem)
        if problem.field and _field_root(problem.field) in case.body:
            return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    response = case.call_and_validate(
        headers=AUTH,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_or_field_rule],
    )
    assert response.status_code < 500, response.text
