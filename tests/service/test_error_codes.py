"""Every JSON error carries a stable `code` (service/errors.py) next to its readable `detail`, so a
page can say what went wrong in its own language; the codes are the ones the chat has words for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.errors import ErrorCode

STRINGS = Path(__file__).resolve().parents[2] / "web" / "static" / "i18n.json"


def app_with(seed_settings, seed_engine, **overrides) -> TestClient:
    return TestClient(create_app(seed_settings.model_copy(update=overrides), seed_engine))


def test_a_question_over_the_limit_says_so_with_its_length_and_the_limit(client):
    response = client.post("/api/ask", json={"question": "x" * 2999})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "question_too_long"
    assert (body["length"], body["limit"]) == (2999, 2000)
    assert body["detail"] == "the question is 2999 characters; the limit is 2000"


def test_a_search_over_its_limit_has_the_same_code(client):
    body = client.get("/api/search", params={"q": "x" * 1001}).json()
    assert (body["code"], body["length"], body["limit"]) == ("question_too_long", 1001, 1000)


def test_an_empty_question_is_question_empty(client):
    for response in (
        client.post("/api/ask", json={"question": "   "}),
        client.get("/api/search", params={"q": "\u200b"}),
    ):
        assert response.status_code == 422
        assert response.json()["code"] == "question_empty"
        assert "empty" in response.json()["detail"]


def test_a_request_the_schema_refuses_is_bad_request_with_its_problems(client):
    response = client.get("/api/search", params={"q": "bhyt", "k": 0})
    body = response.json()
    assert response.status_code == 422 and body["code"] == "bad_request"
    assert body["errors"][0]["where"] == "k" and "k:" in body["detail"]


def test_unknown_ids_and_paths_are_not_found(client):
    for path in ("/api/documents/no-such-document", "/api/jobs/no-such-job", "/api/no-such-thing"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
        assert response.json()["detail"]


def test_reading_feedback_where_nobody_may_is_forbidden(client):
    response = client.get("/api/feedback")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_body_over_the_limit_is_body_too_large_with_the_limit(seed_settings, seed_engine):
    with app_with(seed_settings, seed_engine, max_body_bytes=2048) as small:
        response = small.post("/api/ask", json={"question": "bhyt " * 1000})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "request body over 2048 bytes",
        "code": "body_too_large",
        "limit": 2048,
    }


def test_over_the_time_budget_is_timeout(seed_settings, seed_engine):
    with app_with(seed_settings, seed_engine, request_seconds=0.000001) as slow:
        response = slow.post("/api/ask", json={"question": "Tỷ lệ BHYT Long An?"})
    assert response.status_code == 503 and response.json()["code"] == "timeout"
    assert "abandoned" in response.json()["detail"]
    assert response.headers["retry-after"]


def test_too_many_questions_is_rate_limited_with_the_wait(seed_settings, seed_engine):
    with app_with(
        seed_settings, seed_engine, search_rate_per_minute=1, rate_limit_exempt=()
    ) as limited:
        limited.get("/api/search", params={"q": "bhyt"})
        response = limited.get("/api/search", params={"q": "bhyt"})
    body = response.json()
    assert response.status_code == 429 and body["code"] == "rate_limited"
    assert body["retry_after"] == int(response.headers["retry-after"]) >= 1
    assert "search" in body["detail"]


def test_an_unexpected_failure_is_internal_error_without_a_traceback(seed_settings, seed_engine):
    app = create_app(seed_settings, seed_engine)

    @app.get("/api/broken")
    def broken() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as failing:
        response = failing.get("/api/broken")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret" not in response.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_chat_has_words_for_every_code_in_both_languages(lang):
    strings = json.loads(STRINGS.read_text(encoding="utf-8"))[lang]
    # the page's own codes for what never reached the server
    page_codes = ["network", "client_timeout", "cancelled"]
    for code in [*(c.value for c in ErrorCode), *page_codes]:
        assert strings.get(f"error_{code}", "").strip(), f"no {lang} words for {code}"


def test_a_rated_question_over_the_limit_has_the_same_code_and_numbers(
    tmp_path, seed_settings, seed_engine
):
    settings = seed_settings.model_copy(
        update={"store": None, "feedback_db": tmp_path / "f.sqlite"}
    )
    with TestClient(create_app(settings, seed_engine)) as app:
        body = {"question": "x" * 2001, "answer": "a", "rating": "up"}
        response = app.post("/api/feedback", json=body)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["length"], response.json()["limit"]) == (
        "question_too_long",
        2001,
        2000,
    )
    assert "x" * 100 not in response.text  # the question itself is never sent back
