"""`healthqa feedback-to-eval`: thumbs up/down become candidate eval items awaiting review."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from eval.dataset import DatasetError, load_dataset
from service.cli import app

runner = CliRunner()

FEEDBACK_TABLE = """
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT NOT NULL,
    answer TEXT NOT NULL, citations TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT
)
"""


@pytest.fixture
def feedback_db(tmp_path, seed_engine):
    store = seed_engine.index.store
    coverage = next(
        p
        for d in store.documents()
        for p in store.passages_of(d.doc_id)
        if "Tỷ lệ bảo hiểm y tế toàn dân: 95%" in p.text
    )
    path = tmp_path / "feedback.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(FEEDBACK_TABLE)
        rows = [
            (
                "2026-01-01T08:00:00+00:00",
                "Tỷ lệ BHYT toàn dân Long An 2025?",
                "95%",
                [coverage.passage_id, "gone:99"],
                "up",
                None,
            ),
            (
                "2026-01-01T09:00:00+00:00",
                "Ngân sách y tế tỉnh Long An năm 2025?",
                "1.200 tỷ đồng",
                [],
                "down",
                "không có trong văn bản",
            ),
            (
                "2026-01-02T09:00:00+00:00",
                "ngân sách y tế tỉnh Long An năm 2025?",
                "1.200 tỷ đồng",
                [],
                "down",
                "vẫn sai",
            ),
        ]
        db.executemany(
            "INSERT INTO feedback (created_at, question, answer, citations, rating, comment)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(c, q, a, json.dumps(ids), r, m) for c, q, a, ids, r, m in rows],
        )
    db.close()
    return path, coverage


def test_ratings_become_candidates_marked_for_review(feedback_db, seed_settings, tmp_path):
    path, coverage = feedback_db
    before = path.read_bytes()
    out = tmp_path / "candidates.jsonl"
    result = runner.invoke(
        app,
        [
            "feedback-to-eval",
            "--out",
            str(out),
            "--db",
            str(path),
            "--index-dir",
            str(seed_settings.index_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 candidates" in result.output
    up, down = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert up["review"] is True and up["answerable"] is True
    assert up["evidence"] == [coverage.text]
    assert up["docs"] == ["001_b919c97a22ddf266.txt"]
    assert up["feedback"]["missing_citations"] == ["gone:99"]
    # the two "down" ratings of one question collapse into the newest
    assert down["answerable"] is False and down["evidence"] == []
    assert down["feedback"]["comment"] == "vẫn sai"
    assert path.read_bytes() == before  # opened read-only


def test_unreviewed_candidates_cannot_be_scored_by_accident(feedback_db, seed_settings, tmp_path):
    path, _ = feedback_db
    out = tmp_path / "candidates.jsonl"
    runner.invoke(
        app,
        [
            "feedback-to-eval",
            "--out",
            str(out),
            "--db",
            str(path),
            "--index-dir",
            str(seed_settings.index_dir),
        ],
    )
    with pytest.raises(DatasetError, match=r"line 1: item 'fb1' is an unreviewed candidate"):
        load_dataset(out)
    assert [item.item_id for item in load_dataset(out, allow_review=True)] == ["fb1", "fb3"]


def test_a_missing_feedback_database_is_named(tmp_path, seed_settings):
    result = runner.invoke(
        app,
        [
            "feedback-to-eval",
            "--out",
            str(tmp_path / "c.jsonl"),
            "--db",
            str(tmp_path / "none.sqlite"),
        ],
    )
    assert result.exit_code == 2
    assert "no feedback database" in result.output
    assert not (tmp_path / "none.sqlite").exists()
