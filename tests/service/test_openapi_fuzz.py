"""Property-based requests generated from the app's own OpenAPI schema: whatever the inputs, no
endpoint answers 500. Bounded examples per operation; writes are exercised without a token."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

EXAMPLES_PER_OPERATION = 15


def test_no_generated_request_gets_a_500(client):
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures = []
    statuses: dict[str, set[int]] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def no_server_error(case) -> None:
            response = case.call()
            statuses.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.text[:300]))

        no_server_error()
    assert operations >= 10 and len(statuses) == operations
    assert statuses["POST /api/documents"] <= {401, 403, 413, 422}  # writes off: nothing written
    assert failures == []
