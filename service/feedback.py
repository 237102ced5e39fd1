"""Officials' thumbs up/down on answers, kept with the question, the answer, the passages it
cited and the conversation's earlier turns, so a reviewer can replay what was judged: in one
SQLite file, or in the PostgreSQL database that holds the index when HEALTHQA_STORE names one
(shared by every service process). A rating is stored on the thumb click; whoever holds its edit
key may change the rating or add a comment later. The service owns the table in both stores:
each creates it (or adds the columns it lacks) the first time it is used."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass, field, replace
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
    comment TEXT,
    history TEXT NOT NULL DEFAULT '[]',  -- JSON list of {role, content}: the earlier turns
    updated_at TEXT,
    edit_key_hash TEXT  -- sha256 of the key the rater was given; the key itself is not kept
)
"""
# Columns added after the first release, added to an older table on first use.
ADDED_COLUMNS = {
    "history": "TEXT NOT NULL DEFAULT '[]'",
    "updated_at": "TEXT",
    "edit_key_hash": "TEXT",
}


@dataclass(frozen=True)
class FeedbackTurn:
    """One earlier turn of the conversation the rated answer belongs to."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: str  # ISO 8601, UTC
    question: str
    answer: str
    citations: tuple[str, ...]
    rating: Rating
    comment: str | None
    history: tuple[FeedbackTurn, ...] = ()
    updated_at: str | None = None  # when the rating or comment was last changed
    # Given once, when the entry is created (never read back from the store): it lets its rater
    # change the rating or the comment. Not part of what the entry is, and never logged.
    edit_key: str | None = field(default=None, compare=False, repr=False)


NOT_CHANGED: Any = object()  # `update`'s default: leave this field as it is


class FeedbackStore(Protocol):
    def add(
        self,
        *,
        question: str,
        answer: str,
        citations: Sequence[str],
        rating: Rating,
        comment: str | None = None,
        history: Sequence[FeedbackTurn] = (),
    ) -> Feedback: ...

    def update(
        self,
        feedback_id: int,
        edit_key: str,
        *,
        rating: Rating = NOT_CHANGED,
        comment: str | None = NOT_CHANGED,
    ) -> Feedback | None:
        """The entry with its rating and/or comment changed; None when no entry has this id and
        edit key."""

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
        history: Sequence[FeedbackTurn] = (),
    ) -> Feedback:
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        edit_key = secrets.token_urlsafe(24)
        # NUL cannot go into PostgreSQL's jsonb, even escaped: kept as U+FFFD in both stores
        turns = json.dumps(
            [{"role": t.role, "content": t.content.replace("\x00", "\ufffd")} for t in history]
        )
        values = (
            created_at,
            question,
            answer,
            json.dumps(list(citations)),
            rating,
            comment,
            turns,
            _key_hash(edit_key),
        )
        marks = ", ".join([self.marker] * len(values))
        with self._connection() as connection:
            row = connection.execute(
                f"INSERT INTO {self.table} (created_at, question, answer, citations, rating, "
                f"comment, history, edit_key_hash) VALUES ({marks}) RETURNING {COLUMNS}",
                self._storable(values),
            ).fetchone()
        return replace(_entry(row), edit_key=edit_key)

    def update(
        self,
        feedback_id: int,
        edit_key: str,
        *,
        rating: Rating = NOT_CHANGED,
        comment: str | None = NOT_CHANGED,
    ) -> Feedback | None:
        """The entry with its rating and/or comment changed; None when no entry has this id and
        edit key."""
        changes = {
            name: value
            for name, value in (("rating", rating), ("comment", comment))
            if value is not NOT_CHANGED
        }
        mark = self.marker
        with self._connection() as connection:
            found = connection.execute(
                f"SELECT edit_key_hash FROM {self.table} WHERE id = {mark}", (feedback_id,)
            ).fetchone()
            if (
                found is None
                or not found[0]
                or not hmac.compare_digest(found[0], _key_hash(edit_key))
            ):
                return None
            assignments = ", ".join(f"{name} = {mark}" for name in [*changes, "updated_at"])
            updated_at = datetime.now(UTC).isoformat(timespec="seconds")
            row = connection.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = {mark} RETURNING {COLUMNS}",
                self._storable((*changes.values(), updated_at, feedback_id)),
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


COLUMNS = "id, created_at, question, answer, citations, rating, comment, history, updated_at"


def _key_hash(edit_key: str) -> str:
    return hashlib.sha256(edit_key.encode("utf-8", "surrogateescape")).hexdigest()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _entry(row: Sequence[Any]) -> Feedback:
    history = tuple(FeedbackTurn(t["role"], t["content"]) for t in _json(row[7]) or ())
    return Feedback(
        row[0], row[1], row[2], row[3], tuple(_json(row[4])), row[5], row[6], history, row[8]
    )


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
                    present = {row[1] for row in connection.execute("PRAGMA table_info(feedback)")}
                    for name, definition in ADDED_COLUMNS.items():
                        if name not in present:
                            connection.execute(
                                f"ALTER TABLE feedback ADD COLUMN {name} {definition}"
                            )
                    connection.commit()
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
    comment text,
    history jsonb NOT NULL DEFAULT '[]'::jsonb,
    updated_at text,
    edit_key_hash text
);
"""
# A table created before the conversation and the edit key were kept gets their columns.
POSTGRES_ADDED_COLUMNS = """
ALTER TABLE healthqa.feedback
    ADD COLUMN IF NOT EXISTS history jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN IF NOT EXISTS updated_at text,
    ADD COLUMN IF NOT EXISTS edit_key_hash text;
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
                current = connection.execute(
                    "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                    "'healthqa' AND table_name = 'feedback' AND column_name = 'edit_key_hash'"
                ).fetchone()
                if current is None or not current[0]:
                    with connection.transaction():
                        connection.execute(
                            "SELECT pg_advisory_xact_lock(%s)", (POSTGRES_SCHEMA_LOCK,)
                        )
                        connection.execute(POSTGRES_SCHEMA)
                        connection.execute(POSTGRES_ADDED_COLUMNS)
                self._ready = True
            yield connection

    @staticmethod
    def _storable(values: tuple[object, ...]) -> tuple[object, ...]:
        """As typed, but for NUL (PostgreSQL text cannot hold it), kept as U+FFFD."""
        from indexer.store.postgres import without_nul

        return without_nul(values)
