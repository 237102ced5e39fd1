"""The heading hierarchy and tables of a cleaned document, and the passages that follow them.

A passage is a section's heading with the blocks under it (split with overlap when long), a group
of list items, or one table row with its table title and column header as context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from indexer.clean import (
    BULLET_START,
    ENDS_WITH_VALUE,
    HEADING_START,
    TABLE_HEADER,
    TABLE_ROW_START,
    is_all_caps,
)
from indexer.models import Passage, PassageKind, Section

BlockKind = Literal["heading", "title", "table_header", "table_row", "list", "prose"]

MAX_PASSAGE_CHARS = 700
MAX_HEADING_CHARS = 160
MAX_LABEL_CHARS = 90
# What ends every section: the document's end, or the signature block's all-caps title.
DOCUMENT_LEVEL = 0

APPENDIX = re.compile(r"^(?:Phụ\s+lục|PHỤ\s+LỤC)\b")
PART = re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG)\s+[IVXLC\d]+\b")
# A part heading that is only its number ("Phần I"): its title is the all-caps line under it.
BARE_PART = re.compile(r"^\s*(?:Phần|PHẦN|Chương|CHƯƠNG)\s+[IVXLC\d]+\s*\.?\s*$")
ARTICLE = re.compile(r"^Điều\s+\d+\.")
ROMAN = re.compile(r"^[IVX]{1,5}\.\s")
LETTER_CAPS = re.compile(r"^[A-HĐ]\.\s")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")
LETTER_ITEM = re.compile(r"^[a-zđ]\)\s")
# Words that make up flattened column headers ("Năm 2022 KH đến Năm 2025").
HEADER_WORDS = re.compile(
    r"^(?:(?:TT|STT|Chỉ tiêu|Chỉ số|Đơn vị|tính|ĐVT|Năm|năm|KH|TH|đến|Nghị quyết|Đại hội|Ghi chú|"
    r"Nội dung|Thực hiện|Tỷ lệ|So sánh|So với|cùng kỳ|năm trước|Kế hoạch|Ước|Kết quả|"
    r"[\d\-–/]+)\s*)+$"
)
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ\d\-+])")


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0  # for headings


@dataclass(frozen=True)
class StructuredDocument:
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]


def split_blocks(text: str) -> Iterator[tuple[str, int, int]]:
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield line, offset, offset + len(line)
        offset += len(line) + 1


def heading_level(line: str) -> int | None:
    """Level of a heading line, or None when the line is not one."""
    if PART.match(line) or APPENDIX.match(line):
        return 0
    if ROMAN.match(line) or LETTER_CAPS.match(line) or ARTICLE.match(line):
        return 1
    numbered = NUMBERED.match(line)
    if numbered and HEADING_START.match(line):
        return 1 + numbered.group(1).count(".") + 1
    if LETTER_ITEM.match(line):
        return 6
    return None


def classify(text: str) -> list[Block]:
    return _titled_parts(_classify(text))


def _titled_parts(blocks: list[Block]) -> list[Block]:
    """ "Phần I" followed by its all-caps title ("TỔNG KẾT CÔNG TÁC … NĂM 2021") is one heading, so
    the title's period and subject reach every section path below it."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            block.kind == "title"
            and previous is not None
            and previous.kind == "heading"
            and BARE_PART.match(previous.text)
        ):
            text = f"{previous.text.strip()}. {block.text.strip()}"
            merged[-1] = Block("heading", text, previous.start, block.end, previous.level)
            continue
        merged.append(block)
    return merged


def _classify(text: str) -> list[Block]:
    blocks: list[Block] = []
    in_table = False
    header_open = False  # still reading a column header split over several blocks
    after_appendix = False
    for line, start, end in split_blocks(text):
        level = heading_level(line)
        is_heading = level is not None and _reads_like_heading(line)
        if TABLE_HEADER.match(line):
            in_table, header_open = True, True
            blocks.append(Block("table_header", line, start, end))
        elif in_table and header_open and HEADER_WORDS.match(line):
            blocks.append(Block("table_header", line, start, end))
        elif in_table and _is_table_row(line, is_heading):
            header_open = False
            blocks.append(Block("table_row", line, start, end))
        elif is_heading and level is not None:
            in_table = header_open = False
            blocks.append(Block("heading", line, start, end, level))
            after_appendix = APPENDIX.match(line) is not None
            continue
        elif after_appendix and len(line) <= MAX_HEADING_CHARS:
            blocks.append(Block("heading", line, start, end, 1))  # the appendix's title
            in_table = True  # appendices are tables even without a column header
            header_open = False
        elif is_all_caps(line) and len(line) <= MAX_HEADING_CHARS:
            in_table = False
            blocks.append(Block("title", line, start, end, 0))
        elif BULLET_START.match(line) or (level is not None):
            in_table = False
            blocks.append(Block("list", line, start, end))
        elif in_table and ENDS_WITH_VALUE.search(line) and len(line) <= MAX_HEADING_CHARS:
            blocks.append(Block("table_row", line, start, end))
        else:
            in_table = False
            blocks.append(Block("prose", line, start, end))
        after_appendix = False
    return blocks


def _reads_like_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING_CHARS and not line.rstrip().endswith((";", ","))


def _is_table_row(line: str, is_heading: bool) -> bool:
    if TABLE_ROW_START.match(line) and not line.rstrip().endswith(":"):
        return True
    if is_heading:
        return False
    if ENDS_WITH_VALUE.search(line) and len(line) <= MAX_HEADING_CHARS:
        return True
    # a group label inside a table ("Chỉ tiêu chuyên môn", "* Tư vấn tiền hôn nhân :")
    return len(line) <= 60 and not APPENDIX.match(line)


def structure(doc_id: str, text: str) -> StructuredDocument:
    blocks = classify(text)
    sections = _sections(blocks, len(text))
    passages = list(_passages(doc_id, text, blocks))
    return StructuredDocument(sections=tuple(sections), passages=tuple(passages))


def _label(heading: str) -> str:
    heading = heading.rstrip(" :")
    if len(heading) <= MAX_LABEL_CHARS:
        return heading
    return heading[:MAX_LABEL_CHARS].rsplit(" ", 1)[0] + "…"


def _sections(blocks: list[Block], text_length: int) -> list[Section]:
    open_sections: list[tuple[int, str, int]] = []  # level, heading, start
    done: list[Section] = []

    def close_from(level: int, end: int) -> None:
        while open_sections and open_sections[-1][0] >= level:
            lvl, heading, start = open_sections.pop()
            path = tuple(_label(h) for _, h, _ in open_sections) + (_label(heading),)
            done.append(Section(heading=heading, level=lvl, start=start, end=end, path=path))

    for block in blocks:
        if block.kind == "heading":
            close_from(block.level, block.start)
            open_sections.append((block.level, block.text, block.start))
    close_from(0, text_length)
    return sorted(done, key=lambda s: (s.start, s.level))


def _passages(doc_id: str, text: str, blocks: list[Block]) -> Iterator[Passage]:
    stack: list[tuple[int, str]] = []
    table_header = ""
    pending: list[Block] = []
    ordinal = 0

    def path() -> tuple[str, ...]:
        return tuple(_label(h) for _, h in stack)

    def emit(group: list[Block], kind: PassageKind, context: str = "") -> Iterator[Passage]:
        nonlocal ordinal
        for start, end in _windows(text, group):
            yield Passage(
                passage_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                kind=kind,
                section=path(),
                start=start,
                end=end,
                text=text[start:end],
                context=context,
            )
            ordinal += 1

    def flush(next_heading_level: int | None = None) -> Iterator[Passage]:
        if pending:
            kinds = {b.kind for b in pending if b.kind not in ("heading", "title")}
            kind: PassageKind = "list" if kinds == {"list"} else "prose"
            if kinds:
                yield from emit(pending, kind)
            elif _states_an_item(pending, next_heading_level):
                yield from emit(pending, "heading")
            # any other lone heading lives on in its section path
            pending.clear()

    for block in blocks:
        if block.kind == "heading":
            yield from flush(block.level)
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            table_header = ""
            pending.append(block)
        elif block.kind == "title":  # "KẾ HOẠCH", "GIÁM ĐỐC": the document's, not a section's
            # consecutive titles are one block ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"): each kept
            if not all(b.kind == "title" for b in pending):
                yield from flush(DOCUMENT_LEVEL)
            pending.append(block)
        elif block.kind == "table_header":
            yield from flush()
            table_header = f"{table_header} {block.text}".strip()
        elif block.kind == "table_row":
            yield from flush()
            yield from emit([block], "table_row", context=table_header)
        else:
            pending.append(block)
    yield from flush(DOCUMENT_LEVEL)


def _states_an_item(pending: list[Block], next_heading_level: int | None) -> bool:
    """A numbered heading with nothing under it, followed by a sibling or a higher heading, is an
    item of its parent's list written as a heading ("2. Giảm tỷ lệ nhiễm khuẩn …" between "1. …"
    and "3. …"): its words are content, kept as a passage. So is the last one, before the
    signature or the document's end. A heading followed by deeper ones is a parent whose words
    live on in its children's section path; one followed by a table is the table's title."""
    if len(pending) != 1 or pending[0].kind != "heading" or next_heading_level is None:
        return False
    return next_heading_level <= pending[0].level


def _windows(text: str, group: list[Block]) -> Iterator[tuple[int, int]]:
    """Spans of at most MAX_PASSAGE_CHARS over a run of blocks, consecutive spans sharing one
    block (or one sentence when a single block is too long)."""
    units = [span for block in group for span in _sentences(text, block)]
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= MAX_PASSAGE_CHARS:
            j += 1
        yield units[i][0], units[j][1]
        if j + 1 >= len(units):
            return
        i = j if j > i else j + 1  # overlap by one unit


def _sentences(text: str, block: Block) -> list[tuple[int, int]]:
    if block.end - block.start <= MAX_PASSAGE_CHARS:
        return [(block.start, block.end)]
    spans: list[tuple[int, int]] = []
    start = block.start
    for match in SENTENCE_END.finditer(text, block.start, block.end):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, block.end))
    return spans


def fixed_windows(
    doc_id: str, text: str, *, size: int = 60, overlap: int = 15
) -> StructuredDocument:
    """The naive baseline: windows of `size` words, `overlap` words shared, structure ignored.
    Kept for ablation studies against the structure-aware passages."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    passages = []
    step = max(size - overlap, 1)
    for ordinal, first in enumerate(range(0, max(len(spans) - overlap, 1), step)):
        window = spans[first : first + size]
        if not window:
            break
        start, end = window[0][0], window[-1][1]
        passages.append(
            Passage(
                passage_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                kind="prose",
                section=(),
                start=start,
                end=end,
                text=text[start:end],
            )
        )
    return StructuredDocument(sections=(), passages=tuple(passages))
