"""Security headers, request ids, body limit and the /api/ask rate limit."""

from __future__ import annotations

import json
import logging

from fastapi.testclient import TestClient

from service.app import create_app


def app_with(seed_settings, seed_engine, **overrides):
    settings = seed_settings.model_copy(update=overrides)
    return TestClient(create_app(settings, seed_engine))


def test_every_response_carries_security_headers_and_a_request_id(client):
    for response in (client.get("/"), client.get("/api/search", params={"q": "bhyt"})):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert len(response.headers["x-request-id"]) >= 16


def test_a_well_formed_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    replaced = client.get("/healthz", headers={"x-request-id": 'x" onmouseover=1'})
    assert replaced.headers["x-request-id"] != 'x" onmouseover=1'


def test_access_log_is_json_without_the_question(client, caplog):
    with caplog.at_level(logging.INFO, logger="healthqa.access"):
        client.get("/api/search", params={"q": "bí mật nội bộ"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "healthqa.access"]
    assert records and records[-1]["path"] == "/api/search" and records[-1]["status"] == 200
    assert "bí mật" not in caplog.text and "query" not in records[-1]


def test_cors_is_off_by_default(client):
    response = client.get("/healthz", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_a_body_over_the_limit_is_413(seed_settings, seed_engine):
    with app_with(seed_settings, seed_engine, max_body_bytes=2048) as small:
        response = small.post(
            "/api/ask",
            json={"question": "bhyt", "history": [{"role": "user", "content": "x" * 5000}]},
        )
        assert response.status_code == 413


def test_asking_too_fast_is_429_with_retry_after(seed_settings, seed_engine):
    with app_with(
        seed_settings, seed_engine, ask_rate_per_minute=2, rate_limit_exempt=()
    ) as limited:
        codes = [
            limited.post("/api/ask", json={"question": "Tỷ lệ BHYT Long An?"}).status_code
            for _ in range(3)
        ]
        assert codes[:2] == [200, 200] and codes[2] == 429
        response = limited.post("/api/ask", json={"question": "Tỷ lệ BHYT Long An?"})
        assert int(response.headers["retry-after"]) >= 1
        assert limited.get("/api/search", params={"q": "bhyt"}).status_code == 200
