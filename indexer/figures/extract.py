"""The walk over a document's blocks that sends table rows, tables flattened into text and
prose to their readers, and places each figure in the passage that holds it."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from indexer.deadline import check_deadline
from indexer.figures.drafts import Defaults, Draft
from indexer.figures.prose import prose_figures
from indexer.figures.tables import (
    GROUP_ROW,
    INLINE_HEADER,
    SUB_ROW,
    InlineTable,
    inline_row,
    numeric_columns,
    parse_columns,
    row_figures,
)
from indexer.models import Figure, FigureKind, Passage
from indexer.structure import classify


def extract_figures(
    document_text: str,
    passages: Sequence[Passage],
    *,
    default_scope: str | None = None,
    default_year: int | None = None,
    default_kind: FigureKind | None = None,
) -> list[Figure]:
    """Every figure stated in the document, in document order (within a table row, column order).

    Each figure lies inside the first passage whose span contains it, and
    `document_text[f.start:f.end] == f.raw`.
    """
    ordered = sorted(passages, key=lambda p: (p.start, p.end))
    starts = [p.start for p in ordered]
    rows = {(p.start, p.end): p for p in ordered if p.kind == "table_row"}
    # a numbered heading kept as a passage states an item of a list (indexer/structure.py)
    items = {(p.start, p.end) for p in ordered if p.kind == "heading"}
    defaults = Defaults(scope=default_scope, year=default_year, kind=default_kind)
    blocks = classify(document_text)
    figures: list[Figure] = []
    inline: InlineTable | None = None
    group_label: str | None = None
    previous_line = ""
    index = 0
    while index < len(blocks):
        check_deadline()  # a document's extraction runs under a time budget (indexer/build.py)
        block = blocks[index]
        end = block.end
        line = document_text[block.start : block.end]
        section = _section_of(ordered, starts, block.start)
        drafts: list[Draft] = []
        if (block.start, block.end) in rows:
            inline = None
            columns, has_unit = parse_columns(rows[(block.start, block.end)].context)
            drafts, row_label = row_figures(
                document_text,
                block.start,
                block.end,
                columns,
                has_unit,
                group_label,
                section,
                defaults,
            )
            if not SUB_ROW.match(line):
                group_label = row_label if not drafts and row_label else None
        elif block.kind in ("prose", "list") or (block.start, block.end) in items:
            group_label = None
            header = INLINE_HEADER.match(line)
            if header:
                columns, _ = parse_columns(header.group(0))
                inline = InlineTable(columns=columns) if numeric_columns(columns) else None
                if inline and header.end() < len(line):
                    drafts = inline_row(
                        document_text,
                        block.start + header.end(),
                        block.end,
                        inline,
                        section,
                        defaults,
                    )
            elif inline is not None:
                drafts = inline_row(
                    document_text, block.start, block.end, inline, section, defaults
                )
                if not drafts and not GROUP_ROW.match(line):
                    inline = None
            if inline is None and not header:
                # A line ending in a colon runs on into lines that start with its figures:
                # "… PKĐKKV:" then "92,14% và TYT đạt 101,08%)."
                while (
                    index + 1 < len(blocks)
                    and blocks[index + 1].kind in ("prose", "list")
                    and document_text[blocks[index].start : blocks[index].end].endswith(":")
                    and document_text[
                        blocks[index + 1].start : blocks[index + 1].start + 1
                    ].isdigit()
                ):
                    index += 1
                    end = blocks[index].end
                drafts = prose_figures(
                    document_text, block.start, end, previous_line, section, defaults
                )
        else:
            inline = None
            group_label = None
        for draft in drafts:
            passage = _containing(ordered, starts, draft.number.start, draft.number.end)
            if passage is not None:
                figures.append(_figure(document_text, draft, passage))
        previous_line = document_text[blocks[index].start : blocks[index].end]
        index += 1
    return figures


def _figure(text: str, draft: Draft, passage: Passage) -> Figure:
    number = draft.number
    return Figure(
        passage_id=passage.passage_id,
        doc_id=passage.doc_id,
        label=draft.label,
        value=number.value,
        unit=number.unit,
        raw=text[number.start : number.end],
        start=number.start,
        end=number.end,
        comparator=number.comparator,
        kind=draft.kind,
        year=draft.year,
        scope=draft.scope,
        value_high=number.value_high,
        denominator=number.denominator,
    )


def _containing(ordered: list[Passage], starts: list[int], start: int, end: int) -> Passage | None:
    index = bisect.bisect_right(starts, start)
    for passage in ordered[:index]:
        if passage.start <= start and end <= passage.end:
            return passage
    return None


def _section_of(ordered: list[Passage], starts: list[int], offset: int) -> tuple[str, ...]:
    index = bisect.bisect_right(starts, offset)
    for passage in reversed(ordered[:index]):
        if passage.start <= offset < max(passage.end, passage.start + 1):
            return passage.section
    return ordered[index - 1].section if index else ()
