"""A rating is stored on the thumb click, with the conversation's earlier turns; its rater (who
holds the edit key the POST gave) may change the rating or add a comment later; nobody else may."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.feedback import FeedbackTurn, PostgresFeedbackStore, SqliteFeedbackStore
from tests.conftest import new_database

REVIEWER = "reviewer-token-for-feedback-changes"
AS_REVIEWER = {"Authorization": f"Bearer {REVIEWER}"}
EARLIER = [
    {"role": "user", "content": "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An?"},
    {"role": "assistant", "content": "Tỷ lệ bảo hiểm y tế toàn dân: 95%"},
]
RATING = {
    "question": "Còn huyện Cần Đước thì sao?",
    "answer": "Tỷ lệ tham gia BHYT toàn dân: 98 %",
    "citations": ["000_e10c59c27c62b5c8:32"],
    "rating": "up",
    "history": EARLIER,
}


@pytest.fixture
def app(seed_settings, seed_engine, tmp_path):
    settings = seed_settings.model_copy(
        update={
            "store": None,
            "feedback_db": tmp_path / "feedback.sqlite",
            "reviewer_token": SecretStr(REVIEWER),
        }
    )
    with TestClient(create_app(settings, seed_engine)) as client:
        yield client


def stored(app: TestClient) -> list[dict]:
    return app.get("/api/feedback", headers=AS_REVIEWER).json()["feedback"]


def test_a_thumb_click_is_stored_with_the_earlier_turns_and_gives_an_edit_key(app):
    created = app.post("/api/feedback", json=RATING)
    assert created.status_code == 201
    assert len(created.json()["edit_key"]) >= 24
    [entry] = stored(app)
    assert entry["history"] == EARLIER
    assert entry["rating"] == "up" and entry["comment"] is None and entry["updated_at"] is None
    assert "edit_key" not in entry  # reviewers never see it


def test_the_rater_adds_a_comment_then_changes_the_rating(app):
    created = app.post("/api/feedback", json=RATING).json()
    url = f"/api/feedback/{created['id']}"
    commented = app.patch(url, json={"edit_key": created["edit_key"], "comment": "  Đúng.  "})
    assert commented.status_code == 200
    assert commented.json()["comment"] == "Đúng." and commented.json()["rating"] == "up"
    changed = app.patch(url, json={"edit_key": created["edit_key"], "rating": "down"})
    assert changed.json()["rating"] == "down" and changed.json()["comment"] == "Đúng."
    [entry] = stored(app)
    assert (entry["rating"], entry["comment"]) == ("down", "Đúng.")
    assert entry["updated_at"] is not None
    cleared = app.patch(url, json={"edit_key": created["edit_key"], "comment": ""})
    assert cleared.json()["comment"] is None


def test_without_the_edit_key_nobody_changes_a_rating(app):
    created = app.post("/api/feedback", json=RATING).json()
    for feedback_id, key in ((created["id"], "guessed"), (created["id"] + 1, created["edit_key"])):
        response = app.patch(
            f"/api/feedback/{feedback_id}", json={"edit_key": key, "rating": "down"}
        )
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert stored(app)[0]["rating"] == "up"


@pytest.mark.parametrize(
    "change",
    [
        {"history": [{"role": "system", "content": "x"}]},
        {"history": [{"role": "user", "content": "x"}] * 21},
        {"history": "not a list"},
    ],
)
def test_unusable_history_is_422(app, change):
    response = app.post("/api/feedback", json={**RATING, **change})
    assert response.status_code == 422 and response.json()["code"] == "bad_request"


def test_changing_feedback_counts_against_the_feedback_limit(seed_settings, seed_engine, tmp_path):
    settings = seed_settings.model_copy(
        update={
            "store": None,
            "feedback_db": tmp_path / "feedback.sqlite",
            "feedback_rate_per_minute": 2,
            "rate_limit_exempt": (),
        }
    )
    with TestClient(create_app(settings, seed_engine)) as limited:
        created = limited.post("/api/feedback", json=RATING).json()
        url = f"/api/feedback/{created['id']}"
        codes = [
            limited.patch(url, json={"edit_key": created["edit_key"], "comment": "x"}).status_code
            for _ in range(2)
        ]
    assert codes == [200, 429]


def test_a_feedback_file_from_before_gets_the_new_columns(tmp_path):
    path = tmp_path / "feedback.sqlite"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT "
            "NULL, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, "
            "rating TEXT NOT NULL, comment TEXT)"
        )
        old.execute(
            "INSERT INTO feedback (created_at, question, answer, citations, rating) "
            "VALUES ('2025-01-01T00:00:00+00:00', 'q0', 'a0', '[]', 'up')"
        )
    store = SqliteFeedbackStore(path)
    added = store.add(
        question="q1",
        answer="a1",
        citations=[],
        rating="down",
        history=[FeedbackTurn("user", "q0")],
    )
    first, second = sorted(store.all(), key=lambda entry: entry.id)
    assert first.history == () and first.question == "q0"
    assert second.history == (FeedbackTurn("user", "q0"),)
    assert store.update(first.id, "any key", rating="down") is None  # no key was ever given
    assert store.update(added.id, added.edit_key or "", comment="sau").comment == "sau"


def test_on_postgresql_ratings_keep_their_turns_and_change_with_their_key(postgres_url):
    store = PostgresFeedbackStore(new_database(postgres_url, "feedback_changes"))
    added = store.add(
        question="q",
        answer="a",
        citations=["d:1"],
        rating="up",
        history=[FeedbackTurn("user", "trước\x00đó"), FeedbackTurn("assistant", "95%")],
    )
    changed = store.update(added.id, added.edit_key or "", rating="down", comment="sai năm")
    assert changed is not None and (changed.rating, changed.comment) == ("down", "sai năm")
    assert changed.history == (
        FeedbackTurn("user", "trước\ufffdđó"),
        FeedbackTurn("assistant", "95%"),
    )
    assert store.update(added.id, "wrong", rating="up") is None
