"""The indicator table as a file an official can paste into a report: CSV (UTF-8 with a byte
order mark, so spreadsheet programs read the accents) and XLSX, one line per value with its
document, section, the source line it is written in and a link to that line in the viewer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from indexer.figure_records import line_span
from service.indicators.catalog import Observation
from service.indicators.plan_actual import PlanCheck
from service.indicators.table import TableRow

COLUMNS = (
    "indicator",
    "indicator_id",
    "place",
    "place_today",
    "level",
    "year",
    "kind",
    "comparator",
    "value",
    "value_high",
    "unit",
    "written",
    "met",
    "share_of_plan",
    "document",
    "doc_id",
    "section",
    "source_text",
    "start",
    "end",
    "link",
)


def viewer_path(found: Observation) -> str:
    """The document viewer at the line the value is written in, highlighted (the form the chat
    uses for a citation)."""
    record = found.record
    start, end = line_span(record.document.text, record.figure.start)
    doc_id = quote(record.document.doc_id, safe="")
    return f"/documents/{doc_id}?start={start}&end={end}#cited"


@dataclass(frozen=True)
class ExportLine:
    values: tuple[str | float | int | None, ...]  # in COLUMNS order


def export_lines(rows: Sequence[TableRow], base_url: str = "") -> Iterator[ExportLine]:
    for row in rows:
        verdicts = _verdicts(row.checks)
        for found in row.observations:
            figure = found.record.figure
            attributes = found.record.document.attributes
            met, share = verdicts.get(id(found), (None, None))
            yield ExportLine(
                (
                    row.indicator.name,
                    row.indicator.indicator_id,
                    row.place,
                    row.place_today or "",
                    row.level,
                    row.year,
                    figure.kind or "",
                    figure.comparator or "",
                    figure.value,
                    figure.value_high,
                    figure.unit or "",
                    figure.raw,
                    "" if met is None else ("met" if met else "not met"),
                    None if share is None else round(share, 2),
                    attributes.title or found.record.document.source,
                    found.record.document.doc_id,
                    found.record.passage.section_label,
                    found.record.line,
                    figure.start,
                    figure.end,
                    base_url + viewer_path(found),
                )
            )


def _verdicts(checks: Sequence[PlanCheck]) -> dict[int, tuple[bool | None, float | None]]:
    verdicts = {}
    for check in checks:
        verdicts[id(check.result)] = (check.met, check.share_of_plan)
        verdicts[id(check.target)] = (check.met, check.share_of_plan)
    return verdicts


def to_csv(rows: Sequence[TableRow], base_url: str = "") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for line in export_lines(rows, base_url):
        writer.writerow(["" if value is None else value for value in line.values])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[TableRow], base_url: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "indicators"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    link_column = COLUMNS.index("link") + 1
    for line in export_lines(rows, base_url):
        sheet.append(list(line.values))
        link = sheet.cell(row=sheet.max_row, column=link_column)
        link.hyperlink = str(link.value)
    sheet.freeze_panes = "A2"
    for letter, width in (("A", 48), ("C", 22), ("O", 40), ("Q", 30), ("R", 60)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
