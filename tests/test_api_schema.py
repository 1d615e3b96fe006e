"""schemathesis against the served OpenAPI document: whatever a client sends, no call is
answered with a server error, and every answer matches the document (status, content type,
body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api import keys, spec
from portal.uow import UnitOfWork
from tests.api_client import ApiServer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 30  # per operation and mode: about 500 calls in all


@pytest.fixture(scope="module")
def served(database_url):
    server = ApiServer()
    yield server
    server.stop()


@pytest.fixture
def key(committed, actors, tuned):
    tuned(api_calls_per_minute=6000)
    return keys.create(UnitOfWork(), actors["admin"], "接口模糊测试", actors["admin"].unit_id,
                       list(keys.SCOPES))[1]


OPERATIONS = [(path, method.upper()) for path, methods in spec.document()["paths"].items()
              for method in methods]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_answer_matches_the_document_and_none_is_a_server_error(served, key, path,
                                                                      method, mode):
    operation = schemathesis.openapi.from_url(f"{served.base}/api/openapi.json")[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answered(case):
        case.call_and_validate(base_url=served.base, headers={"X-API-Key": key}, checks=CHECKS)

    answered()


def test_the_document_names_a_scope_for_every_operation():
    operations = [op for path in spec.document()["paths"].values() for op in path.values()]
    assert len(operations) == 8
    assert {op["x-scope"] for op in operations} == set(keys.SCOPES)
