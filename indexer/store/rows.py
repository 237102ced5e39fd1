"""Turning a stored row back into a Document or Passage, the same for every store (SQLite hands
JSON columns over as text, PostgreSQL as decoded values)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from indexer.models import Document, DocumentAttributes, Passage

PASSAGE_COLUMNS = 'passage_id, doc_id, ordinal, kind, section, start, "end", text, context'
# Attributes stored as JSON arrays that the dataclass holds as tuples (plan_years).
TUPLE_ATTRIBUTES = tuple(f.name for f in fields(DocumentAttributes) if isinstance(f.default, tuple))


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def passage_values(passage: Passage) -> tuple[object, ...]:
    """The values of PASSAGE_COLUMNS, in order."""
    return (
        passage.passage_id,
        passage.doc_id,
        passage.ordinal,
        passage.kind,
        json.dumps(passage.section, ensure_ascii=False),
        passage.start,
        passage.end,
        passage.text,
        passage.context,
    )


def passage_from_row(row: Sequence[Any]) -> Passage:
    """A row of PASSAGE_COLUMNS."""
    return Passage(
        passage_id=row[0],
        doc_id=row[1],
        ordinal=row[2],
        kind=row[3],
        section=tuple(_decoded(row[4])),
        start=row[5],
        end=row[6],
        text=row[7],
        context=row[8],
    )


def document_values(document: Document) -> tuple[object, ...]:
    """doc_id, source, content_hash, text, attributes (JSON)."""
    return (
        document.doc_id,
        document.source,
        document.content_hash,
        document.text,
        json.dumps(asdict(document.attributes), ensure_ascii=False),
    )


def document_from_row(row: Sequence[Any]) -> Document:
    attributes = dict(_decoded(row[4]))
    for name in TUPLE_ATTRIBUTES:
        attributes[name] = tuple(attributes.get(name) or ())
    return Document(
        doc_id=row[0],
        source=row[1],
        content_hash=row[2],
        text=row[3],
        attributes=DocumentAttributes(**attributes),
    )
