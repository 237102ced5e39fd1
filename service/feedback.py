"""Officials' thumbs up/down on answers, kept with the question, the answer and the passages it
cited, so a reviewer can replay what was judged: in one SQLite file, or in the PostgreSQL database
that holds the index when HEALTHQA_STORE names one (shared by every service process). The service
owns the table in both: each store creates it the first time it is used."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from service.settings import Settings

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


class FeedbackStore(Protocol):
    def add(
        self,
        *,
        question: str,
        answer: str,
        citations: Sequence[str],
        rating: Rating,
        comment: str | None = None,
    ) -> Feedback: ...

    def all(self) -> list[Feedback]:
        """Every entry, newest first."""

    def page(self, *, limit: int, before: int | None = None) -> list[Feedback]:
        """Up to `limit` entries with an id below `before` (all when None), newest first."""


def open_feedback_store(settings: Settings) -> FeedbackStore:
    if settings.feedback_store or settings.store:
        return PostgresFeedbackStore(settings.feedback_store or settings.store or "")
    return SqliteFeedbackStore(settings.feedback_db)


class _SqlFeedbackStore:
    """Adding and listing, the same SQL for both databases but for the table's name and the
    parameter marker; subclasses give `_connection()`."""

    table = "feedback"
    marker = "?"

    def _connection(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    @staticmethod
    def _storable(values: tuple[object, ...]) -> tuple[object, ...]:
        return values

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
        marks = ", ".join([self.marker] * 6)
        with self._connection() as connection:
            row = connection.execute(
                f"INSERT INTO {self.table} "
                f"(created_at, question, answer, citations, rating, comment) VALUES ({marks}) "
                f"RETURNING {COLUMNS}",
                self._storable(
                    (created_at, question, answer, json.dumps(list(citations)), rating, comment)
                ),
            ).fetchone()
        return _entry(row)

    def all(self) -> list[Feedback]:
        """Every entry, newest first."""
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT {COLUMNS} FROM {self.table} ORDER BY id DESC"
            ).fetchall()
        return [_entry(row) for row in rows]

    def page(self, *, limit: int, before: int | None = None) -> list[Feedback]:
        """Up to `limit` entries with an id below `before` (all when None), newest first."""
        below = before if before is not None else 2**62
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT {COLUMNS} FROM {self.table} WHERE id < {self.marker} "
                f"ORDER BY id DESC LIMIT {self.marker}",
                (below, limit),
            ).fetchall()
        return [_entry(row) for row in rows]


COLUMNS = "id, created_at, question, answer, citations, rating, comment"


def _entry(row: Sequence[Any]) -> Feedback:
    citations = json.loads(row[4]) if isinstance(row[4], str) else row[4]
    return Feedback(row[0], row[1], row[2], row[3], tuple(citations), row[5], row[6])


class SqliteFeedbackStore(_SqlFeedbackStore):
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


POSTGRES_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS healthqa;
CREATE TABLE IF NOT EXISTS healthqa.feedback (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at text NOT NULL,
    question text NOT NULL,
    answer text NOT NULL,
    citations jsonb NOT NULL,
    rating text NOT NULL CHECK (rating IN ('up', 'down')),
    comment text
);
"""
# One creator at a time when several service processes start together (pg_advisory_xact_lock).
POSTGRES_SCHEMA_LOCK = 72_410_003


class PostgresFeedbackStore(_SqlFeedbackStore):
    """The `healthqa.feedback` table, created on first use if missing (looked for first, so a
    service on a read replica writes nothing); a connection per call, as ratings are rare next
    to questions."""

    table = "healthqa.feedback"
    marker = "%s"

    def __init__(self, url: str) -> None:
        from indexer.store.postgres_connection import Database

        self._database = Database(url)
        self._ready = False

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with self._database.connection() as connection:
            if not self._ready:
                exists = connection.execute("SELECT to_regclass('healthqa.feedback')").fetchone()
                if exists is None or exists[0] is None:
                    with connection.transaction():
                        connection.execute(
                            "SELECT pg_advisory_xact_lock(%s)", (POSTGRES_SCHEMA_LOCK,)
                        )
                        connection.execute(POSTGRES_SCHEMA)
                self._ready = True
            yield connection

    @staticmethod
    def _storable(values: tuple[object, ...]) -> tuple[object, ...]:
        """As typed, but for NUL (PostgreSQL text cannot hold it), kept as U+FFFD."""
        from indexer.store.postgres import without_nul

        return without_nul(values)
