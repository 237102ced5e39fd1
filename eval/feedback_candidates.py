"""Candidate evaluation items from officials' thumbs up/down (the `feedback` table), for a person
to review before they join an evaluation set: an "up" keeps the passages its answer cited as
candidate evidence, a "down" becomes a candidate unanswerable question. The feedback database is
opened read-only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from eval.metrics import norm
from indexer.store.base import IndexStore

UP_NOTE = (
    "rated up: cut each evidence passage down to the words that answer the question, add the "
    "figure as answer {value, unit} if the answer is a number, then remove review"
)
DOWN_NOTE = (
    "rated down: keep answerable false if the documents do not hold the answer; otherwise give "
    "the evidence that does and set answerable true, then remove review"
)


class FeedbackUnavailableError(RuntimeError):
    """No feedback database, or not one this code can read; the message says which."""


@dataclass(frozen=True)
class FeedbackRow:
    feedback_id: int
    created_at: str
    question: str
    answer: str
    citations: tuple[str, ...]  # passage ids
    rating: str  # "up" or "down"
    comment: str | None


@dataclass(frozen=True)
class Candidate:
    row: FeedbackRow
    evidence: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    missing_citations: tuple[str, ...] = field(default=())  # cited ids the index no longer has

    @property
    def answerable(self) -> bool:
        return self.row.rating == "up"

    def to_json(self) -> str:
        record = {
            "id": f"fb{self.row.feedback_id}",
            "review": True,
            "question": self.row.question,
            "docs": list(self.docs),
            "evidence": list(self.evidence),
            "answer": None,
            "answerable": self.answerable,
            "note": UP_NOTE if self.answerable else DOWN_NOTE,
            "feedback": {
                "rating": self.row.rating,
                "answer": self.row.answer,
                "comment": self.row.comment,
                "created_at": self.row.created_at,
                "citations": list(self.row.citations),
                "missing_citations": list(self.missing_citations),
            },
        }
        return json.dumps(record, ensure_ascii=False)


def read_feedback(path: Path, database: str | None = None) -> list[FeedbackRow]:
    """Every row, oldest first, without ever writing to (or creating) the SQLite file; from the
    PostgreSQL database instead when `database` (a postgresql:// URL) is given."""
    if database:
        from service.feedback import PostgresFeedbackStore

        try:
            entries = PostgresFeedbackStore(database).all()
        except Exception as error:
            raise FeedbackUnavailableError(
                f"cannot read feedback from the database: {error}"
            ) from error
        return [
            FeedbackRow(f.id, f.created_at, f.question, f.answer, f.citations, f.rating, f.comment)
            for f in reversed(entries)
        ]
    if not path.is_file():
        raise FeedbackUnavailableError(
            f"no feedback database at {path}: nobody has rated an answer yet, or "
            "HEALTHQA_FEEDBACK_DB points elsewhere"
        )
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT id, created_at, question, answer, citations, rating, comment"
                " FROM feedback ORDER BY id"
            ).fetchall()
    except sqlite3.DatabaseError as error:
        raise FeedbackUnavailableError(f"cannot read feedback from {path}: {error}") from error
    feedback = []
    for feedback_id, created_at, question, answer, citations, rating, comment in rows:
        try:
            cited = tuple(str(c) for c in json.loads(citations or "[]"))
        except (ValueError, TypeError):
            cited = ()
        feedback.append(
            FeedbackRow(feedback_id, created_at, question, answer, cited, rating, comment)
        )
    return feedback


def candidates(rows: Sequence[FeedbackRow], store: IndexStore | None) -> list[Candidate]:
    """One candidate per distinct (question, rating), the newest rating winning; "up" ratings
    carry the text of the passages their answer cited, looked up in the current index."""
    newest: dict[tuple[str, str], FeedbackRow] = {}
    for row in rows:
        newest[(norm(row.question), row.rating)] = row
    chosen = sorted(newest.values(), key=lambda row: row.feedback_id)
    result = []
    for row in chosen:
        if row.rating != "up":
            result.append(Candidate(row))
            continue
        if store is None:  # no index to look the citations up in
            result.append(Candidate(row, missing_citations=row.citations))
            continue
        found = {p.passage_id: p for p in store.passages(list(row.citations))}
        passages = [found[c] for c in row.citations if c in found]
        sources = []
        for passage in passages:
            document = store.document(passage.doc_id)
            source = document.source if document else passage.doc_id
            if source not in sources:
                sources.append(source)
        result.append(
            Candidate(
                row,
                evidence=tuple(p.text for p in passages),
                docs=tuple(sources),
                missing_citations=tuple(c for c in row.citations if c not in found),
            )
        )
    return result
