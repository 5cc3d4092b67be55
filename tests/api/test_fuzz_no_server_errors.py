"""Schemathesis generates requests for every operation in the OpenAPI document and sends them
over real HTTP: none may answer 500, and every refusal must be problem+json."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import build_world


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_operation_answers_500(server: LiveServer) -> None:
    build_world(server.services)
    auth = {"Authorization": f"Bearer {issue_token(server.services, 'wangfang')}"}
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    schema.config.base_url = server.url
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    seen: dict[int, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case) -> None:
            case.headers = {**(case.headers or {}), **auth}
            response = case.call()
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            assert response.status_code < 500, f"{case.method} {case.path}: {response.text}"
            if response.status_code >= 400:
                content_type = response.headers["content-type"]
                if isinstance(content_type, list):
                    content_type = content_type[0]
                assert content_type.startswith("application/problem+json")

        no_server_error()

    # The fuzzing reached past authentication and validation into the domain.
    assert seen.get(401, 0) < sum(seen.values())
    assert any(200 <= status < 300 for status in seen), seen
