"""Tables on the wire: a citation's table row with its column headers, and a document's tables
for the viewer, both read from the tables the index stored (indexer/tables.py)."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.models import Table
from indexer.store.base import IndexStore
from indexer.tables import cited_row
from service.qa.answer import AnsweredFigure, Citation
from service.schemas import TableCellOut, TableOut, TableRowOut


def cited_table_row(
    store: IndexStore | None, citation: Citation, figures: Sequence[AnsweredFigure] = ()
) -> TableRowOut | None:
    """The table row the citation's quote (or, without one, its passage) lies in, with its
    headers; `cited_cell` is the cell holding a figure the answer gives from this citation.
    None outside tables, and without a store to read tables from."""
    if store is None:
        return None
    passage = citation.passage
    quoted = citation.quote_end > citation.quote_start
    start, end = (
        (citation.quote_start, citation.quote_end) if quoted else (passage.start, passage.end)
    )
    found = cited_row(store.tables(doc_id=passage.doc_id), start, end)
    if found is None:
        return None
    cells = found.row.cells
    cited_cell = next(
        (
            index
            for answered in figures
            if answered.citation_id == passage.passage_id
            for index, cell in enumerate(cells)
            if cell.start <= answered.figure.start and answered.figure.end <= cell.end
        ),
        None,
    )
    return TableRowOut(
        headers=list(found.table.headers),
        cells=[TableCellOut(text=c.text, start=c.start, end=c.end) for c in cells],
        text=found.text,
        start=found.row.start,
        end=found.row.end,
        cited_cell=cited_cell,
    )


def document_tables(store: IndexStore, doc_id: str) -> list[TableOut]:
    """Every table of a document, for the viewer to show as a table."""
    return [table_out(table) for table in store.tables(doc_id=doc_id)]


def table_out(table: Table) -> TableOut:
    return TableOut(
        title=table.title,
        headers=list(table.headers),
        column_kinds=list(table.column_kinds),
        rows=[
            [TableCellOut(text=c.text, start=c.start, end=c.end) for c in row.cells]
            for row in table.rows
        ],
        start=table.start,
        end=table.end,
    )
