"""Turning a stored row back into a Document, Passage or Table, the same for every store (SQLite
hands JSON columns over as text, PostgreSQL as decoded values)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from sys import intern
from typing import Any

from indexer.models import Document, DocumentAttributes, Passage, Table, TableCell, TableRow
from indexer.store.stored_documents import StoredDocument, TextCache

PASSAGE_COLUMNS = 'passage_id, doc_id, ordinal, kind, section, start, "end", text, context'
# A table is one stored row: its headers, column kinds and rows (with their cells) as JSON.
TABLE_COLUMNS = 'doc_id, start, "end", title, headers, column_kinds, "rows"'
# Attributes stored as JSON arrays that the dataclass holds as tuples (plan_years).
TUPLE_ATTRIBUTES = tuple(f.name for f in fields(DocumentAttributes) if isinstance(f.default, tuple))


# Stored strings this short (ids, units, kinds, places) repeat across millions of rows: one copy
# each, not one per row.
SHARED_STRING_CHARS = 40


def shared(value: Any) -> Any:
    """`value`, interned when it is a short string."""
    return intern(value) if isinstance(value, str) and len(value) <= SHARED_STRING_CHARS else value


def one_or_any(one: str | None, any_of: Sequence[str] | None) -> list[str] | None:
    """A column's allowed values from a one-value and a many-value argument (given both: any of
    them); None when neither restricts it."""
    if one is None:
        return None if any_of is None else list(any_of)
    return [one, *(any_of or ())]


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
        doc_id=shared(row[1]),
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


def stored_document_from_row(row: Sequence[Any], texts: TextCache) -> StoredDocument:
    """A document from its row without the text (doc_id, source, content_hash, attributes): the
    text is read through `texts` when first needed."""
    return StoredDocument(row[0], row[1], row[2], attributes_from_value(row[3]), texts)


def attributes_from_value(value: Any) -> DocumentAttributes:
    attributes = dict(_decoded(value))
    for name in TUPLE_ATTRIBUTES:
        attributes[name] = tuple(attributes.get(name) or ())
    return DocumentAttributes(**attributes)


def table_values(table: Table) -> tuple[object, ...]:
    """The values of TABLE_COLUMNS, in order; a row is [start, end, [[text, start, end], …]]."""
    rows = [
        [row.start, row.end, [[cell.text, cell.start, cell.end] for cell in row.cells]]
        for row in table.rows
    ]
    return (
        table.doc_id,
        table.start,
        table.end,
        table.title,
        json.dumps(table.headers, ensure_ascii=False),
        json.dumps(table.column_kinds),
        json.dumps(rows, ensure_ascii=False),
    )


def table_from_row(row: Sequence[Any]) -> Table:
    """A row of TABLE_COLUMNS."""
    return Table(
        doc_id=row[0],
        start=row[1],
        end=row[2],
        title=row[3],
        headers=tuple(_decoded(row[4])),
        column_kinds=tuple(_decoded(row[5])),
        rows=tuple(
            TableRow(
                start=start,
                end=end,
                cells=tuple(TableCell(text=text, start=a, end=b) for text, a, b in cells),
            )
            for start, end, cells in _decoded(row[6])
        ),
    )
