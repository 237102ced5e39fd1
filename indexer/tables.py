"""Tables the PDF extraction flattened into lines, put back together at index time: the column
headers (header lines merged, value columns read by the figure extractor's `parse_columns`), one
row per line with a cell under each column, and a cited row written out with its headers.

"TT Chỉ tiêu Đơn vị tính Mục tiêu Nghị quyết Tỉnh ủy" / "2021-2025" / "Năm 2022" /
"KH đến Năm 2025" then "3 Số giường bệnh/vạn dân Giường 32 30,4 33" becomes the row
("3", "Số giường bệnh/vạn dân", "Giường", "32", "30,4", "33") under the headers
("TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu Nghị quyết Tỉnh ủy 2021-2025", "Năm 2022",
"KH đến Năm 2025").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.figures import parse_columns, unit_vocabulary
from indexer.figures.tables import (
    CELL,
    GROUP_ROW,
    HEADER_LEAD,
    INLINE_HEADER,
    SEX_RATIO_UNIT,
    SUB_ROW,
)
from indexer.models import Table, TableCell, TableColumnKind, TableRow
from indexer.structure import Block, classify

# The row-number column that opens a header: "STT Chỉ số ĐVT …", "TT …".
NUMBER_HEADER = re.compile(r"S?TT\b")
# A row's number under it: "3 Số giường …", "4.2 Dự án …", "12. …".
ROW_NUMBER_CELL = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?(?=\s)")
# A value written as a word where the other rows have numbers:
# "4.2 Dự án Phòng chống sốt rét Dự án Khá".
RATING_CELL = re.compile(r"(?<=\s)(?:Tốt|Khá|Đạt|Không đạt|Hoàn thành)\s*$")
# Punctuation that makes a line running text, not an inline table's row (as the figure reader).
SENTENCE_PUNCTUATION = re.compile(r"[.;]\s")
MAX_INLINE_LABEL_CHARS = 100
# Between a row's label and its value cells when a row is written out with its headers.
LABEL_SEPARATOR = " — "
CELL_SEPARATOR = " · "


@dataclass(frozen=True)
class Layout:
    """A table's columns as its header states them."""

    headers: tuple[str, ...]
    kinds: tuple[TableColumnKind, ...]

    @property
    def has_number(self) -> bool:
        return "row_number" in self.kinds

    @property
    def has_unit(self) -> bool:
        return "unit" in self.kinds

    @property
    def numeric(self) -> list[int]:
        """Indices of the columns that hold values (every value column, not a note)."""
        return [i for i, kind in enumerate(self.kinds) if kind == "value"]


@dataclass(frozen=True)
class CitedRow:
    """A table row a citation points into, with its table and the row written out."""

    table: Table
    row: TableRow
    text: str  # "Số giường bệnh/vạn dân (giường) — Năm 2022: 30,4 · …"


def find_tables(doc_id: str, text: str) -> list[Table]:
    """Every table of a cleaned document, in text order: tables with a column header over
    lines of their own (appendix tables) and tables written as running text, whose header line
    may carry the first row ("Nội dung Kết quả Tỷ lệ So với năm trước Ca mắc sởi …")."""
    blocks = classify(text)
    tables: list[Table] = []
    title: str | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading":
            title = block.text.strip().rstrip(" :") or None
        if block.kind == "table_header":
            header_end = index
            while header_end < len(blocks) and blocks[header_end].kind == "table_header":
                header_end += 1
            rows_end = header_end
            while rows_end < len(blocks) and blocks[rows_end].kind == "table_row":
                rows_end += 1
            table = _grid_table(
                doc_id, text, title, blocks[index:header_end], blocks[header_end:rows_end]
            )
            if table is not None:
                tables.append(table)
            index = max(rows_end, index + 1)
            continue
        if block.kind in ("prose", "list") and INLINE_HEADER.match(block.text):
            table, index = _inline_table(doc_id, text, title, blocks, index)
            if table is not None:
                tables.append(table)
            continue
        index += 1
    return tables


def layout_of(header: str) -> Layout:
    """The columns of a flattened header, merged into one line:
    "STT Chỉ số ĐVT KH 2022 TH 2022" → STT | Chỉ số | ĐVT | KH 2022 | TH 2022."""
    lead = HEADER_LEAD.match(header)
    columns, _ = parse_columns(header)
    headers: list[str] = []
    kinds: list[TableColumnKind] = []
    lead_text = header[: lead.end()] if lead else ""
    unit = lead["unit"] if lead and lead["unit"] else None
    label_text = lead_text[: lead.start("unit")] if lead and unit else lead_text
    number = NUMBER_HEADER.match(label_text)
    if number:
        headers.append(number.group(0))
        kinds.append("row_number")
        label_text = label_text[number.end() :]
    headers.append(label_text.strip())
    kinds.append("label")
    if unit:
        headers.append(unit)
        kinds.append("unit")
    for column in columns:
        headers.append(column.name)
        kinds.append("note" if column.role == "note" else "value")
    return Layout(headers=tuple(headers), kinds=tuple(kinds))


def _grid_table(
    doc_id: str,
    text: str,
    title: str | None,
    header_blocks: Sequence[Block],
    row_blocks: Sequence[Block],
) -> Table | None:
    layout = layout_of(" ".join(block.text.strip() for block in header_blocks))
    if not layout.numeric:
        return None
    rows = [_row(text, block.start, block.end, layout) for block in row_blocks]
    # a short line after the last row is the next paragraph's title, not a row without values
    while rows and not _has_values(layout.kinds, rows[-1]):
        rows.pop()
    if not rows:
        return None
    return Table(
        doc_id=doc_id,
        start=header_blocks[0].start,
        end=rows[-1].end,
        title=title,
        headers=layout.headers,
        column_kinds=layout.kinds,
        rows=tuple(rows),
    )


def _inline_table(
    doc_id: str, text: str, title: str | None, blocks: Sequence[Block], index: int
) -> tuple[Table | None, int]:
    """A table written as running text, from its header line to the last line that reads as a
    row; returns it (None when no row follows) and the index of the first block after it."""
    first = blocks[index]
    header = INLINE_HEADER.match(first.text)
    assert header is not None
    layout = layout_of(header.group(0).strip())
    rows: list[TableRow] = []
    if layout.numeric and header.end() < len(first.text):
        row = _inline_row(text, first.start + header.end(), first.end, layout)
        if row is not None:
            rows.append(row)
    index += 1
    while layout.numeric and index < len(blocks) and blocks[index].kind in ("prose", "list"):
        row = _inline_row(text, blocks[index].start, blocks[index].end, layout)
        if row is None:
            break
        rows.append(row)
        index += 1
    while rows and not _has_values(layout.kinds, rows[-1]):
        rows.pop()
    if not rows:
        return None, index
    table = Table(
        doc_id=doc_id,
        start=first.start,
        end=rows[-1].end,
        title=title,
        headers=layout.headers,
        column_kinds=layout.kinds,
        rows=tuple(rows),
    )
    return table, index


def _inline_row(text: str, start: int, end: int, layout: Layout) -> TableRow | None:
    """A line of running text read as a row, or None when it is not one: a `* Group:` line, or
    a short label followed by no more value cells than the header has columns."""
    label_end, cells = _value_cells(text, start, end, len(layout.numeric) + 1)
    if not cells and GROUP_ROW.match(text[start:end]):
        return _row(text, start, end, layout)
    label = text[start:label_end]
    if (
        not cells
        or len(cells) > len(layout.numeric)
        or len(label) > MAX_INLINE_LABEL_CHARS
        or SENTENCE_PUNCTUATION.search(label)
    ):
        return None
    return _row(text, start, end, layout)


def _row(text: str, start: int, end: int, layout: Layout) -> TableRow:
    """One row line split under the layout's columns; value cells fill the value columns from the
    left (a row with fewer values than columns leaves the last ones, the note first, empty)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    label_end, values = _value_cells(text, start, end, len(layout.numeric))
    if not values:
        rating = RATING_CELL.search(text, start, end)
        if rating and layout.numeric:
            values = [(rating.start(), _strip_end(text, rating.start(), rating.end()))]
            label_end = _strip_end(text, start, rating.start())
    position = start
    number: tuple[int, int] | None = None
    if layout.has_number:
        match = ROW_NUMBER_CELL.match(text, position, label_end)
        if match:
            number = (match.start(), match.end())
            position = _skip_spaces(text, match.end(), label_end)
    unit: tuple[int, int] | None = None
    if layout.has_unit and values:
        unit = _unit_span(text, position, label_end)
    label = (position, _strip_end(text, position, unit[0] if unit else label_end))
    spans: list[tuple[int, int] | None] = []
    value_iter = iter(values)
    for kind in layout.kinds:
        if kind == "row_number":
            spans.append(number)
        elif kind == "label":
            spans.append(label)
        elif kind == "unit":
            spans.append(unit)
        elif kind == "value":
            spans.append(next(value_iter, None))
        else:
            spans.append(None)
    cells: list[TableCell] = []
    previous_end = start
    for span in spans:
        if span is None or span[0] >= span[1]:
            cells.append(TableCell(text="", start=previous_end, end=previous_end))
        else:
            cells.append(TableCell(text=text[span[0] : span[1]], start=span[0], end=span[1]))
            previous_end = span[1]
    return TableRow(start=start, end=end, cells=tuple(cells))


def _value_cells(text: str, start: int, end: int, most: int) -> tuple[int, list[tuple[int, int]]]:
    """The value cells closing a line (at most `most`, left to right) and where its label part
    ends: "Số giường bệnh/vạn dân Giường 32 30,4 33" → "32", "30,4", "33"."""
    cells: list[tuple[int, int]] = []
    stop = end
    while len(cells) < most:
        match = CELL.search(text, start, stop)
        if not match or match.start("num") < start or not match.group(0).strip():
            break
        cells.append((match.start(), _strip_end(text, match.start(), match.end())))
        stop = _strip_end(text, start, match.start())
        if stop <= start:
            break
    return stop, list(reversed(cells))


def _unit_span(text: str, start: int, stop: int) -> tuple[int, int] | None:
    """The unit column at the end of a row's label part: a unit the figure reader knows
    ("… bệnh/vạn dân Giường"), the sex-ratio unit ("… số bé trai / bé gái"), or words that repeat
    the label's first words ("Dự án Phòng chống sốt rét Dự án")."""
    label = text[start:stop]
    ratio = SEX_RATIO_UNIT.search(" " + label)
    if ratio:
        unit_start = start + max(ratio.start(), 0)
        return _skip_spaces(text, unit_start, stop), stop
    lowered = label.lower()
    for form, _ in unit_vocabulary():
        form = form.lower()
        if lowered.endswith(" " + form):
            return stop - len(form), stop
    words = label.split()
    for size in (3, 2, 1):
        first, last = words[:size], words[-size:]
        unit = " ".join(last)
        if len(words) > size and [w.lower() for w in first] == [w.lower() for w in last]:
            if label.endswith(unit):
                return stop - len(unit), stop
    return None


def _has_values(kinds: Sequence[TableColumnKind], row: TableRow) -> bool:
    return any(cell.text for kind, cell in zip(kinds, row.cells, strict=True) if kind == "value")


def _skip_spaces(text: str, position: int, stop: int) -> int:
    while position < stop and text[position].isspace():
        position += 1
    return position


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# Reading a stored table back: a cited row with its headers.


def cited_row(tables: Sequence[Table], start: int, end: int) -> CitedRow | None:
    """The table row holding the span start..end of a document (a citation's quote or passage),
    with its rendering; None when the span is not inside one row."""
    if end <= start:
        return None
    for table in tables:
        if not (table.start <= start and end <= table.end):
            continue
        for row in table.rows:
            if row.start <= start and end <= row.end:
                return CitedRow(table=table, row=row, text=render_row(table, row))
    return None


def render_row(table: Table, row: TableRow) -> str:
    """A row with its column headers, the way a reader says it:
    "Số giường bệnh/vạn dân (giường) — Mục tiêu Nghị quyết Tỉnh ủy 2021-2025: 32 · Năm 2022: 30,4 ·
    KH đến Năm 2025: 33". A sub-row ("- Khám thai đủ 4 lần") is named with its group row."""
    label = ""
    unit = ""
    values: list[str] = []
    for header, kind, cell in zip(table.headers, table.column_kinds, row.cells, strict=True):
        if kind == "label":
            label = cell.text
        elif kind == "unit":
            unit = cell.text
        elif kind in ("value", "note") and cell.text:
            values.append(f"{header}: {cell.text}" if header else cell.text)
    label = _with_group(table, row, label)
    if unit:
        label = f"{label} ({_unit_in_running_text(unit)})"
    return f"{label}{LABEL_SEPARATOR}{CELL_SEPARATOR.join(values)}" if values else label


def _with_group(table: Table, row: TableRow, label: str) -> str:
    """A bulleted row's label after the label of the group row above it (a row with no values),
    as the figure reader names it: "Tỷ lệ phụ nữ mang thai được quản lý - Khám thai đủ 4
    lần"."""
    if GROUP_ROW.match(label):
        return _bare_label(label)
    if not SUB_ROW.match(label):
        return label
    own = _bare_label(label)
    label_column = table.column_kinds.index("label")
    position = table.rows.index(row)
    for earlier in reversed(table.rows[:position]):
        earlier_label = earlier.cells[label_column].text
        if SUB_ROW.match(earlier_label) and not GROUP_ROW.match(earlier_label):
            continue
        if _has_values(table.column_kinds, earlier):
            return own
        return f"{_bare_label(earlier_label)} - {own}"
    return own


def _bare_label(label: str) -> str:
    """A label without its bullet and closing colon: "- Khám thai đủ 4 lần" → "Khám thai đủ 4
    lần", "* Tư vấn tiền hôn nhân :" → "Tư vấn tiền hôn nhân"."""
    return re.sub(r"^\s*[-+•*]\s*", "", label).strip().rstrip(" :")


def _unit_in_running_text(unit: str) -> str:
    """A unit inside a sentence: "Giường" → "giường"; symbols and abbreviations ("%", "BN") stay."""
    first = unit.split()[0]
    if first[:1].isupper() and not first.isupper():
        return unit[:1].lower() + unit[1:]
    return unit
