"""Plain typed records that the indexing stages hand each other and the store keeps.

The records a corpus holds by the hundred thousand (passages, figures, their contexts,
references) have slots, not a dictionary each: a service process keeps every figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PassageKind = Literal["prose", "list", "table_row", "heading"]
FigureKind = Literal["target", "result", "baseline"]
# What a table column holds: the row number (TT/STT), the indicator, its unit (ĐVT), a value for
# one header (a year, a plan or a result), or a note.
TableColumnKind = Literal["row_number", "label", "unit", "value", "note"]


@dataclass(frozen=True)
class DocumentAttributes:
    """What a document says about itself; a field nobody could extract stays None/empty."""

    doc_type: str | None = None  # Quyết định, Kế hoạch, Chương trình, Báo cáo, …
    number: str | None = None  # số hiệu, e.g. "512/QĐ-UBND"
    issuing_body: str | None = None  # e.g. "Sở Y tế tỉnh Bến Tre"
    issued_date: str | None = None  # ISO date, or a partial one such as "2022-03"
    signer: str | None = None
    province: str | None = None
    district: str | None = None
    plan_years: tuple[int, ...] = ()
    title: str | None = None

    @property
    def place(self) -> str | None:
        """The narrowest place the document is about."""
        return self.district or self.province


@dataclass(frozen=True)
class SourceFile:
    """A corpus file as loaded: raw extracted text, before cleaning."""

    doc_id: str
    source: str  # path relative to the corpus folder
    raw_text: str
    content_hash: str
    metadata: dict[str, str | int | list[int]] = field(default_factory=dict)  # sidecar overrides


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    text: str  # cleaned text; every offset in the index points into it
    content_hash: str
    attributes: DocumentAttributes


@dataclass(frozen=True)
class Section:
    """A heading and the span of cleaned text it governs."""

    heading: str
    level: int
    start: int
    end: int
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable unit: the document's own words between start and end.

    `context` carries what the words need to be understood (table title, column header) and is
    indexed and embedded with the text but never shown as if it were the text.
    """

    passage_id: str
    doc_id: str
    ordinal: int
    kind: PassageKind
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    context: str = ""

    @property
    def section_label(self) -> str:
        return " › ".join(self.section)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number the documents state, with what it measures and where it is written."""

    passage_id: str
    doc_id: str
    label: str  # the indicator, in the document's words
    value: float
    unit: str | None
    raw: str  # exactly as written, found verbatim at text[start:end]
    start: int  # offsets into the document's cleaned text
    end: int
    comparator: str | None = None  # ≥ ≤ > < = or None
    kind: FigureKind | None = None
    year: int | None = None
    scope: str | None = None  # province, district or facility the figure is for
    value_high: float | None = None  # upper end of a range such as 104-106/100
    denominator: float | None = None  # for fractions such as 58/58


@dataclass(frozen=True, slots=True)
class FigureContext:
    """What names one figure beyond its own label, worked out at index time from its document
    (indexer/figure_records.py): the stored half of a figure record."""

    doc_id: str
    passage_id: str  # the passage the figure lies in
    start: int  # the figure's offsets: which figure of the document this is for
    end: int
    indicator: str  # its label, prefixed by the line's topic and the list item it hangs from
    local: str  # its own clause, without the number
    expanded: str = ""  # the abbreviations its record names, written out


@dataclass(frozen=True, slots=True)
class Reference:
    """A legal document cited by a corpus document."""

    doc_id: str
    doc_type: str  # Quyết định, Nghị quyết, Chỉ thị, …
    code: str  # normalised key, e.g. "31-CT/TW"
    raw: str  # as written, found verbatim at text[start:end]
    start: int
    end: int
    number: str | None = None
    date: str | None = None  # ISO
    issuer: str | None = None
    subject: str | None = None  # "về việc …"
    is_legal_basis: bool = False  # cited in a "Căn cứ …" clause


@dataclass(frozen=True)
class TableCell:
    """One cell of a table row: its words as written, found verbatim at text[start:end]; an empty
    cell (nothing written under that column) has start == end."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TableRow:
    """One line of a flattened table, split into one cell per column of its table."""

    start: int  # offsets into the document's cleaned text
    end: int
    cells: tuple[TableCell, ...]


@dataclass(frozen=True)
class Table:
    """A table the extracted text flattened into lines, put back together: its column headers
    (merged from header lines split over several lines) and its rows."""

    doc_id: str
    start: int  # the first header line
    end: int  # the end of the last row
    title: str | None  # the heading the table sits under, e.g. "Chỉ tiêu Dân số năm 2022"
    headers: tuple[str, ...]  # one per column, e.g. ("TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022")
    column_kinds: tuple[TableColumnKind, ...]  # one per column
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class Hit:
    """A passage returned by retrieval, with its rank-fused score."""

    passage: Passage
    score: float
    document_title: str | None = None
    source: str = ""
