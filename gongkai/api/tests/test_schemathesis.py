"""Property-based fuzzing of the whole public API from its own OpenAPI document (schemathesis).

Every operation of /api/v1/openapi.json is called in-process through the WSGI application with
data generated from the document, valid (positive) and invalid (negative) alike; no answer may be
a 5xx, and every answer must be one the document declares, with the declared content type and
body. Bounded and derandomised: the same examples on every run, in a few seconds.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode

from gongkai.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 40  # per operation and generation mode


@pytest.fixture
def in_process():
    """Keep the test's database connection across in-process requests, as Django's test client
    does: otherwise the end of each request closes it (PostgreSQL, CONN_MAX_AGE) mid-test."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def operations(db, in_process):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_document_lists_every_operation(operations):
    assert {(op.method.upper(), op.path) for op in operations} == {
        ("GET", "/api/v1/agencies"),
        ("POST", "/api/v1/requests"),
        ("GET", "/api/v1/requests/{query_code}"),
        ("GET", "/api/v1/items"),
    }


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_api_answer_is_a_server_error_or_off_the_document(operations, team, mode):
    # A real agency and a published item, so that look-ups by code and slug also find something.
    team.published("关于城乡低保资金发放情况的公告")
    for operation in operations:
        raw = operation.definition.raw
        if mode == GenerationMode.NEGATIVE and not (raw.get("parameters") or raw.get("requestBody")):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(checks=CHECKS)

        call()


def test_the_document_states_what_the_server_enforces():
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    items = document["paths"]["/api/v1/items"]["get"]

    def bounds(schema):
        for part in [schema, *schema.get("anyOf", [])]:
            if "maximum" in part:
                return part.get("minimum"), part["maximum"]
        return None

    params = {p["name"]: p["schema"] for p in items["parameters"]}
    assert bounds(params["page"]) == (1, 100)
    assert bounds(params["year"]) == (1900, 2100)
    submit = document["paths"]["/api/v1/requests"]["post"]
    assert {"400", "413", "422"} <= set(submit["responses"])
    request_in = document["components"]["schemas"]["RequestIn"]["properties"]
    assert "GB 11643" in request_in["id_number"]["description"]
    assert "GB 32100" in request_in["credit_code"]["description"]
    assert "0759-1234567" in request_in["phone"]["description"]
