"""Cleaning of PDF-extracted Vietnamese text into logical lines (blocks), figures untouched.

The output keeps one block per line: a paragraph, a heading, a list item or a table row, with the
lines the PDF broke mid-phrase joined again. Cleaning only removes page furniture (page numbers,
running headers) and whitespace; it never edits a figure or a code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# A page number alone on its line, optionally as "- 3 -" or "Trang 3".
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?(\d{1,3})(?:\s*-)?\s*$", re.IGNORECASE)
# A line ending in a code fragment such as "25-" or "(MGIT-": rejoined without a space.
CODE_FRAGMENT_END = re.compile(r"(?<![\s–-])[0-9A-ZĐ]-$")
CODE_FRAGMENT_START = re.compile(r"^[0-9A-ZĐ]")
TERMINAL_PUNCTUATION = re.compile(r"(?:[.:;!?…]|\./\.)[\"”’)]*$")
ENDS_WITH_VALUE = re.compile(r"(?:\d|%|‰|%o)$")
UPPER_START = re.compile(r"^[A-ZĐÀ-ỸẠ-Ỹ]")

HEADING_START = re.compile(
    r"""^(?:
        Phần\s+[IVXLC\d]+\b
      | PHẦN\s+[IVXLC\d]+\b
      | Chương\s+[IVXLC\d]+\b
      | CHƯƠNG\s+[IVXLC\d]+\b
      | Điều\s+\d+\.
      | Phụ\s+lục\b | PHỤ\s+LỤC\b
      | [IVX]{1,5}\.\s
      | [A-HĐ]\.\s
      | \d{1,2}(?:\.\d{1,2}){0,3}\.\s
      | \d{1,2}\.\d{1,2}(?:\.\d{1,2})?\s
      | [a-zđ]\)\s
    )""",
    re.VERBOSE,
)
BULLET_START = re.compile(r"^[-+•–*]\s*\S")
# A flattened table row: a row number then a capitalised label ("6 Tỷ lệ tiêm chủng đầy đủ …").
TABLE_ROW_START = re.compile(r"^\d{1,2}(?:\.\d{1,2})?\s+[A-ZĐÀ-ỸẠ-Ỹ(]")
LONE_ROW_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})?$")
CLAUSE_START = re.compile(r"^(?:Căn cứ|Theo đề nghị|Nơi nhận|Thực hiện|Trên đây)\b")
# Column headers of flattened tables: "STT Tên chỉ tiêu ĐVT …", "Nội dung Chỉ tiêu …".
TABLE_HEADER = re.compile(r"^(?:S?TT\s+(?:Chỉ|Nội|Tên|Nhiệm)|Nội dung\s+Chỉ tiêu\b)")


@dataclass(frozen=True)
class CleanedText:
    text: str
    dropped_lines: tuple[str, ...]  # page numbers and running headers that were removed
    dropped_line_numbers: tuple[int, ...]  # their 0-based positions in the raw text


def normalize(text: str) -> str:
    """NFC, unified newlines, no control characters other than newline."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\f", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")


def clean_text(raw: str) -> CleanedText:
    lines = [re.sub(r" {2,}", " ", line).strip() for line in normalize(raw).split("\n")]
    drop = _page_furniture(lines)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return CleanedText(
        text="\n".join(_join_blocks(kept)),
        dropped_lines=tuple(lines[i] for i in sorted(drop)),
        dropped_line_numbers=tuple(sorted(drop)),
    )


def _page_furniture(lines: list[str]) -> set[int]:
    """Remove page numbers: a short number alone between blank lines (a table's row number is
    followed directly by its label, so it stays). Lines that repeat right after several page
    numbers are running headers and go too."""
    page_breaks: list[int] = []
    for i, line in enumerate(lines):
        if not PAGE_NUMBER.match(line):
            continue
        blank_before = i == 0 or not lines[i - 1]
        blank_after = i + 1 >= len(lines) or not lines[i + 1]
        if blank_before and blank_after:
            page_breaks.append(i)
    after_break = Counter(_next_content(lines, i) for i in page_breaks)
    running = {
        line for line, count in after_break.items() if line and count >= 3 and len(line) < 80
    }
    drop = set(page_breaks)
    for i, line in enumerate(lines):
        if line in running:
            drop.add(i)
    return drop


def _next_content(lines: list[str], index: int) -> str:
    for line in lines[index + 1 :]:
        if line:
            return line
    return ""


def is_all_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def starts_block(line: str) -> bool:
    """Does this line open a new heading, list item, table row or clause?"""
    return bool(
        is_all_caps(line)
        or TABLE_HEADER.match(line)
        or HEADING_START.match(line)
        or BULLET_START.match(line)
        or TABLE_ROW_START.match(line)
        or LONE_ROW_NUMBER.match(line)
        or CLAUSE_START.match(line)
    )


# Words a Vietnamese heading or sentence never ends on (prepositions, conjunctions, the passive
# "được"): a line ending on one was broken mid-phrase, whatever the next line starts with.
OPEN_ENDING = re.compile(
    r"(?<!\w)(?:được|của|và|các|những|với|cho|theo|về|trong|tại|để|từ|đến|hoặc|như|thuộc|bởi)$"
)


def _join_blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    for line in lines:
        if not line:
            continue
        if not blocks:
            blocks.append(line)
            continue
        previous = blocks[-1]
        if CODE_FRAGMENT_END.search(previous) and CODE_FRAGMENT_START.match(line):
            blocks[-1] = previous + line
        elif _continues(previous, line):
            blocks[-1] = previous + " " + line
        else:
            blocks.append(line)
    return blocks


def _continues(previous: str, line: str) -> bool:
    if LONE_ROW_NUMBER.match(previous):
        return True  # "5" on its own line, then the row's label
    if previous.endswith(",") and TABLE_ROW_START.match(line):
        return True  # "…, 04 Bệnh viện tuyến huyện," then "58 Trạm y tế": one sentence
    if starts_block(line):
        return False
    if line[0].islower():
        return True
    if is_all_caps(previous) and not is_all_caps(line):
        return False  # a title line ("GIÁM ĐỐC") stands alone
    if TABLE_HEADER.match(previous) and ENDS_WITH_VALUE.search(line):
        return False
    if OPEN_ENDING.search(previous):
        return True  # "… năm 2025 được" then "Tỉnh ủy giao": no phrase ends on a function word
    if HEADING_START.match(previous) and len(previous) <= 100 and UPPER_START.match(line):
        return False  # "4. Công tác Y tế dự phòng" then "Duy trì …": a heading, then its text
    if TERMINAL_PUNCTUATION.search(previous):
        return False
    # "Số lượt tiêm 48.215" then "Số ca mổ 1.262": rows of a table without numbers.
    return not (ENDS_WITH_VALUE.search(previous) and UPPER_START.match(line))
