"""Figures in tables: the value columns of a flattened header (kind, year, role), and each row's
label, unit column and value cells, also for a table flattened into running text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from indexer.figures.context import figure_scope, last_year, section_kind, section_year
from indexer.figures.drafts import Defaults, Draft
from indexer.figures.non_figures import YEAR_MENTION
from indexer.figures.numbers import (
    NUMBER,
    FoundNumber,
    canonical_unit,
    parse_number,
    unit_vocabulary,
)
from indexer.models import FigureKind

# The label and unit columns that open a flattened column header: "STT Chỉ số ĐVT …",
# "TT Tên chỉ tiêu Đơn vị tính …", "Nhiệm vụ Mục tiêu", "Nội dung Kết quả Tỷ lệ So với năm trước".
HEADER_LEAD = re.compile(
    r"^(?:S?TT\s+)?(?:Nội dung|Tên chỉ tiêu|Chỉ tiêu|Chỉ số|Nhiệm vụ)?\s*"
    r"(?P<unit>Đơn vị tính|ĐVT|Đơn vị)?\s*"
)
# Words that open a value column: "KH 2022 TH 2022", "Mục tiêu Nghị quyết Tỉnh ủy 2021-2025
# Năm 2022 KH đến Năm 2025", "Kết quả Tỷ lệ So với năm trước", "Năm 2022 Ghi chú".
COLUMN_START = re.compile(
    r"\b(?P<word>KH|TH|Kế hoạch|Thực hiện|Kết quả|Ước(?: thực hiện| tính)?|Chỉ tiêu|Mục tiêu|"
    r"Tỷ lệ|So sánh|So với|Ghi chú|[Nn]ăm)\b|(?<![\d\-–])(?P<year>(?:19|20)\d{2})"
)
COLUMN_TARGET = re.compile(r"\b(?:KH|Kế hoạch|Chỉ tiêu|Mục tiêu)\b")
COLUMN_RESULT = re.compile(r"\b(?:TH|Thực hiện|Kết quả|Ước)\b")
COLUMN_CHANGE = re.compile(r"\b(?:So sánh|So với)\b")
# A column header written as a line of running text, possibly followed by the first row:
# "Nội dung Kết quả Tỷ lệ So với năm trước Ca mắc sởi được điều tra 12 100.00% 75.00%".
INLINE_HEADER = re.compile(
    r"^(?:Nội dung|Chỉ tiêu|Chỉ số|S?TT)\s+(?:(?:Thực hiện|Tỷ lệ|So sánh|So với|cùng kỳ|năm trước|"
    r"Kế hoạch|KH|TH|Ước|Kết quả|Năm|năm|ĐVT|Đơn vị tính|Ghi chú|(?:19|20)\d{2})(?:\s+|$))+"
)
# One value cell at the end of a table row: "32", "30,4", "<15", "> 40%", "≥58", "104-106/100",
# "112.3%", "-2.7%", "%o" stays with the unit column.
CELL = re.compile(
    rf"(?:^|(?<=\s))(?P<cmp>[<>≤≥])?=?\s?(?P<sign>[-+])?(?P<num>{NUMBER})"
    rf"(?:\s?[-–]\s?(?P<high>{NUMBER}))?(?:\s?/\s?(?P<den>{NUMBER}))?"
    r"(?P<unit>\s?(?:%o|%|‰))?\s*$"
)
ROW_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|[-+•*]\s*)")
SUB_ROW = re.compile(r"^\s*[-+•*]")
GROUP_ROW = re.compile(r"^\s*[*]\s*(?P<label>.+?)\s*:?\s*$")
# The unit column of a sex-ratio row: "số bé trai / bé gái", "bé trai/ 100 bé gai".
SEX_RATIO_UNIT = re.compile(r"\s(?:số\s+)?bé\s+trai\s*/\s*(?:100\s+)?bé\s+g[áa]i$", re.IGNORECASE)
ColumnRole = Literal["value", "ratio", "change", "note"]


@dataclass(frozen=True)
class Column:
    """A value column of a flattened table header."""

    name: str
    kind: FigureKind | None
    year: int | None
    role: ColumnRole


@dataclass
class InlineTable:
    """A table flattened into running text, while its rows last."""

    columns: list[Column]
    group: str | None = None


def parse_columns(context: str) -> tuple[list[Column], bool]:
    """The value columns of a flattened header, and whether it has a unit column.

    "STT Chỉ số ĐVT KH 2022 TH 2022" → [KH 2022 (target, 2022), TH 2022 (result, 2022)], True.
    """
    lead = HEADER_LEAD.match(context)
    has_unit = bool(lead and lead["unit"])
    rest = context[lead.end() :] if lead else context
    starts: list[int] = [0]
    for match in COLUMN_START.finditer(rest):
        position = match.start()
        if position == starts[-1]:
            continue
        current = rest[starts[-1] : position]
        if match["year"] or match["word"].lower() == "năm":
            if YEAR_MENTION.search(current):
                starts.append(position)
        elif current.strip():
            starts.append(position)
    names = [rest[a:b].strip() for a, b in zip(starts, starts[1:] + [len(rest)], strict=True)]
    columns: list[Column] = []
    for name in names:
        if not name:
            continue
        role: ColumnRole = "value"
        kind: FigureKind | None = None
        if name.startswith("Ghi chú"):
            role = "note"
        elif COLUMN_CHANGE.search(name):
            role = "change"
        elif name.startswith("Tỷ lệ"):
            role, kind = "ratio", "result"
        elif COLUMN_TARGET.search(name):
            kind = "target"
        elif COLUMN_RESULT.search(name):
            kind = "result"
        columns.append(Column(name=name, kind=kind, year=last_year(name), role=role))
    return _with_baselines(columns), has_unit


def _with_baselines(columns: list[Column]) -> list[Column]:
    """A plain "Năm 2025" column beside targets for a later year is the starting point."""
    target_years = [c.year for c in columns if c.kind == "target" and c.year]
    return [
        replace(c, kind="baseline")
        if c.kind is None and c.role == "value" and c.year and any(y > c.year for y in target_years)
        else c
        for c in columns
    ]


def numeric_columns(columns: list[Column]) -> list[Column]:
    """The columns that hold values (every one but a note column)."""
    return [c for c in columns if c.role != "note"]


def _split_cells(text: str, start: int, end: int) -> tuple[int, list[re.Match[str]]]:
    """The value cells closing a row, left to right, and where the row's label part ends."""
    cells: list[re.Match[str]] = []
    stop = end
    while True:
        match = CELL.search(text, start, stop)
        if not match or match.start("num") < start or match.group(0).strip() == "":
            break
        cells.append(match)
        stop = match.start()
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        if stop <= start:
            break
    return stop, list(reversed(cells))


def _cell_number(match: re.Match[str], unit: str | None) -> FoundNumber:
    value = parse_number(match["num"] + ("%" if match["unit"] else ""))
    if match["sign"] == "-":
        value = -value
    cell_unit = canonical_unit(match["unit"]) if match["unit"] else unit
    high = parse_number(match["high"]) if match["high"] else None
    first = next(name for name in ("cmp", "sign", "num") if match[name])
    last = next(name for name in ("unit", "den", "high", "num") if match[name])
    return FoundNumber(
        start=match.start(first),
        end=match.end(last),
        number_start=match.start("num"),
        number_end=match.end("num"),
        value=value,
        value_high=high,
        denominator=parse_number(match["den"]) if match["den"] else None,
        unit=cell_unit,
        unit_is_word=False,
        comparator=match["cmp"],
        depth=0,
        paren_start=None,
    )


def _row_label(text: str, start: int, stop: int, has_unit: bool) -> tuple[str, str | None]:
    """A row's label and its unit column:
    "2 Số bác sĩ/vạn dân Bác sỹ" → ("Số bác sĩ/vạn dân", "bác sĩ")."""
    label = text[start:stop]
    label = ROW_NUMBER.sub("", label, count=1).strip()
    unit: str | None = None
    if has_unit:
        ratio = SEX_RATIO_UNIT.search(" " + label)
        if ratio:
            return label[: max(ratio.start() - 1, 0)].strip(), "bé trai/100 bé gái"
        for form, canonical in unit_vocabulary():
            if label.lower().endswith(" " + form.lower()) or label.lower() == form.lower():
                unit = canonical
                label = label[: len(label) - len(form)].strip()
                break
    return label.rstrip(" :"), unit


def row_figures(
    text: str,
    start: int,
    end: int,
    columns: list[Column],
    has_unit: bool,
    group_label: str | None,
    section: tuple[str, ...],
    defaults: Defaults,
) -> tuple[list[Draft], str]:
    """A table row's figures, one per value cell, with the kind and year of its column."""
    stop, cells = _split_cells(text, start, end)
    label, unit = _row_label(text, start, stop, has_unit)
    if group_label and SUB_ROW.match(text[start:end]):
        label = f"{group_label} - {label}"
    if not cells or not label:
        return [], label
    numeric = numeric_columns(columns)
    mapped = len(numeric) == len(cells)
    row_year = last_year(label)
    scope = figure_scope(label, section, defaults)
    drafts: list[Draft] = []
    for index, cell in enumerate(cells):
        number = _cell_number(cell, unit)
        column = numeric[index] if mapped else None
        if column is not None and column.role == "change":
            continue
        if column is None and cell["sign"] and any(c.role == "change" for c in numeric):
            continue
        kind = column.kind if column and column.kind else None
        year = column.year if column and column.year else None
        cell_label = label
        if column is not None and column.role == "ratio" and len(numeric) > 1:
            cell_label = f"{label} ({column.name})"
        drafts.append(
            Draft(
                number=number,
                label=cell_label,
                kind=kind or section_kind(section) or defaults.kind,
                year=year or row_year or section_year(section) or defaults.year,
                scope=scope,
            )
        )
    return drafts, label


def inline_row(
    text: str,
    start: int,
    end: int,
    table: InlineTable,
    section: tuple[str, ...],
    defaults: Defaults,
) -> list[Draft]:
    """A row of a table flattened into running text; a `* Group:` line names the rows after it."""
    line = text[start:end]
    group = GROUP_ROW.match(line)
    stop, cells = _split_cells(text, start, end)
    if not cells:
        if group:
            table.group = group["label"].strip()
        return []
    label_part = text[start:stop]
    if (
        len(label_part) > 100
        or re.search(r"[.;]\s", label_part)
        or len(cells) > len(numeric_columns(table.columns))
    ):
        return []
    drafts, _ = row_figures(text, start, end, table.columns, False, table.group, section, defaults)
    return drafts
