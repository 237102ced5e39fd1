"""Officials' thumbs up/down on answers, kept in one SQLite file with the question, the answer and
the passages it cited, so a reviewer can replay what was judged."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Rating = Literal["up", "down"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,  -- JSON list of passage ids
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT
)
"""


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: str  # ISO 8601, UTC
    question: str
    answer: str
    citations: tuple[str, ...]
    rating: Rating
    comment: str | None


class FeedbackStore:
    """Opens a connection per call (requests arrive on many threads) and creates the table the
    first time it is used, so a fresh deployment needs no migration step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path)) as connection:
                if not self._ready:
                    connection.execute(SCHEMA)
                    self._ready = True
                with connection:
                    yield connection

    def add(
        self,
        *,
        question: str,
        answer: str,
        citations: Sequence[str],
        rating: Rating,
        comment: str | None = None,
    ) -> Feedback:
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connection() as connection:
            cursor = connection.execute(
                "INSERT INTO feedback (created_at, question, answer, citations, rating, comment)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (created_at, question, answer, json.dumps(list(citations)), rating, comment),
            )
            feedback_id = cursor.lastrowid
        assert feedback_id is not None
        return Feedback(
            id=feedback_id,
            created_at=created_at,
            question=question,
            answer=answer,
            citations=tuple(citations),
            rating=rating,
            comment=comment,
        )

    def all(self) -> list[Feedback]:
        """Every entry, newest first."""
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT id, created_at, question, answer, citations, rating, comment"
                " FROM feedback ORDER BY id DESC"
            ).fetchall()
        return [
            Feedback(
                id=row[0],
                created_at=row[1],
                question=row[2],
                answer=row[3],
                citations=tuple(json.loads(row[4])),
                rating=row[5],
                comment=row[6],
            )
            for row in rows
        ]
