"""The figure records' candidate index, built with the index and stored in it like the passage
index: a service process reads the few postings a question needs instead of holding the whole
corpus's (service/qa/figure_candidates.py).

A record is numbered in the order the build adds its documents, then in its document's order of
stored contexts (the order `figure_contexts` reads them back in). The index is one table of rows
(field, key, numbers), `numbers` an int32 array:

- `term`: a syllable key (figure_keys.py) → the records holding it, ascending;
- `scope`: a figure's own place, accent-folded → its records;
- `passage`: a passage id → the records it holds;
- `document`: a document id → [its first record's number, how many records it has];
- `year`: "" → every record's year in number order (-1 for none).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.figure_keys import record_keys
from indexer.figure_records import FigureRecord, assemble_records
from indexer.models import Document, Figure, FigureContext, Passage
from indexer.tokens import fold

TERM = "term"
SCOPE = "scope"
PASSAGE = "passage"
DOCUMENT = "document"
YEAR = "year"
NO_YEAR = -1


@dataclass(frozen=True)
class FigureIndexRow:
    field: str
    key: str
    numbers: bytes  # little-endian int32

    @property
    def count(self) -> int:
        return len(self.numbers) // 4


def decoded(numbers: bytes) -> np.ndarray:
    """A stored row's numbers as an int32 array (read-only: it shares the bytes)."""
    return np.frombuffer(numbers, dtype="<i4")


def in_context_order(contexts: Sequence[FigureContext]) -> list[FigureContext]:
    """A document's contexts in the order the stores read them back (by the figure's start,
    ties in the order written)."""
    return sorted(contexts, key=lambda c: c.start)


class FigureIndexBuilder:
    """Collects the index as documents are added, a few bytes a record (int32 arrays)."""

    def __init__(self) -> None:
        self._size = 0
        self._terms: dict[str, array[int]] = {}
        self._scopes: dict[str, array[int]] = {}
        self._passages: dict[str, array[int]] = {}
        self._documents: dict[str, tuple[int, int]] = {}
        self._years = array("i")

    def add(
        self,
        document: Document,
        passages: Sequence[Passage],
        figures: Sequence[Figure],
        contexts: Sequence[FigureContext],
    ) -> None:
        """One document's records, numbered after those already added."""
        ordered = in_context_order(contexts)
        records = assemble_records([document], passages, figures, ordered)
        if len(records) != len(ordered):
            raise ValueError(
                f"{document.source}: {len(ordered)} figure contexts make {len(records)} records; "
                "a context names a figure or passage the document lacks"
            )
        self.add_records(document.doc_id, records)

    def add_records(self, doc_id: str, records: Sequence[FigureRecord]) -> None:
        """One document's records, already assembled, numbered after those already added."""
        if doc_id in self._documents:
            raise ValueError(f"{doc_id}: its records were added already")
        first = self._size
        for number, record in enumerate(records, start=first):
            for key in record_keys(record):
                self._terms.setdefault(key, array("i")).append(number)
            scope = fold(record.figure.scope or "")
            if scope:
                self._scopes.setdefault(scope, array("i")).append(number)
            self._passages.setdefault(record.passage.passage_id, array("i")).append(number)
            self._years.append(NO_YEAR if record.figure.year is None else record.figure.year)
        self._size = first + len(records)
        self._documents[doc_id] = (first, len(records))

    def rows(self) -> Iterator[FigureIndexRow]:
        for field, lists in ((TERM, self._terms), (SCOPE, self._scopes), (PASSAGE, self._passages)):
            for key, numbers in lists.items():
                yield FigureIndexRow(field, key, _bytes(numbers))
        for doc_id, (first, count) in self._documents.items():
            yield FigureIndexRow(DOCUMENT, doc_id, _bytes(array("i", (first, count))))
        yield FigureIndexRow(YEAR, "", _bytes(self._years))

    def table(self) -> dict[str, dict[str, bytes]]:
        """The rows as {field: {key: numbers}}, as a store would read them back."""
        table: dict[str, dict[str, bytes]] = {}
        for row in self.rows():
            table.setdefault(row.field, {})[row.key] = row.numbers
        return table


def _bytes(numbers: array[int]) -> bytes:
    return np.asarray(numbers, dtype="<i4").tobytes()


@dataclass(frozen=True)
class DocumentRecords:
    """Where one document's records lie in the numbering."""

    first: int
    count: int


def document_layout(rows: Mapping[str, bytes]) -> dict[str, DocumentRecords]:
    """The `document` rows as {doc_id: DocumentRecords}, in number order."""
    layout = {}
    for doc_id, numbers in rows.items():
        first, count = (int(n) for n in decoded(numbers))
        layout[doc_id] = DocumentRecords(first, count)
    return dict(sorted(layout.items(), key=lambda item: item[1].first))
