"""Figures in running text: the clause and sentence around each number, and which numbers are
changes or parts of a name rather than levels."""

from __future__ import annotations

import re

from indexer.figures.context import figure_scope, prose_kind, prose_year
from indexer.figures.drafts import Defaults, Draft
from indexer.figures.labels import BULLET, LOOK_BACK_CHARS, prose_label
from indexer.figures.non_figures import UPPER
from indexer.figures.numbers import MEASURE_UNITS, FoundNumber, figure_numbers
from indexer.figures.parentheses import opening_paren

# A change against an earlier period, not a level: "tăng 12,40% so với cùng kỳ",
# "giảm 312 ca so với cùng kỳ", "tăng so cùng kỳ 8%".
CHANGE_WORD = re.compile(r"\b(?:tăng|giảm)\b", re.IGNORECASE)
CHANGE_REFERENCE = re.compile(
    r"\b(?:so(?: với)?|với)(?: cùng kỳ| năm trước| kỳ trước)\b|\bso với\b"
)
# A clause that is the name of a programme, strategy or plan; a number in it is part of the name.
PROGRAMME_NAME = re.compile(
    rf"^\s*(?:Chương trình|Chiến lược|Đề án|Dự án|Kế hoạch|Nghị quyết|Quyết định|Chỉ thị)"
    rf"(?:\s+[{UPPER}]?[^\s,;:.()]*)*\s*$"
)
CLAUSE_END = re.compile(r"[;.(](?:\s|$)|[;(]")
SENTENCE_END = re.compile(r"\.(?:\s|$)")
# Where a label stops, looking back from a number: "Tỷ lệ tiêm chủng mở rộng: 97%",
# "…1.126.904, tăng …", "(KH 7,5)".
BOUNDARY_CHARS = ";:,()\n"
# Between two figures with no punctuation, where the second one's words begin: "… 118,20% và TYT
# đạt 96,75%", "8 cơ sở với số tiền là 27,30 triệu đồng", "212/215 tỷ đạt 98%".
GAP_STOP = re.compile(
    r"\s(?=(?:và|với|tăng|giảm|so với|so cùng|trong đó)\b)"
    r"|\s(?=(?:đạt|chiếm|là|bằng)(?:\s+tỷ lệ)?\s+[<>≤≥]?\s?\d)",
    re.IGNORECASE,
)


def prose_figures(
    text: str,
    line_start: int,
    line_end: int,
    previous_line: str,
    section: tuple[str, ...],
    defaults: Defaults,
) -> list[Draft]:
    """The figures of a stretch of running text, with labels, kinds, years and scopes."""
    numbers = figure_numbers(text, line_start, line_end, previous_line)
    drafts: list[Draft] = []
    done: list[Draft] = []  # figures so far in the line, which later ones may refer back to
    for index, number in enumerate(numbers):
        previous = numbers[index - 1] if index else None
        following = numbers[index + 1].start if index + 1 < len(numbers) else line_end
        region_start, boundary = _clause_start(text, line_start, number.start, previous, numbers)
        before = text[region_start : number.start]
        if CHANGE_WORD.search(before) and CHANGE_REFERENCE.search(
            text[region_start : _clause_end(text, number.end, line_end)]
        ):
            continue  # a change against an earlier period is not a level
        if (number.unit is None or number.unit == "ngày") and PROGRAMME_NAME.match(
            BULLET.sub("", before)
        ):
            continue  # part of a name: "Đề án Chăm sóc trẻ sơ sinh 28 ngày đầu"
        label, parent = prose_label(
            text, line_start, line_end, number, before, region_start, boundary, done, following
        )
        if not label:
            continue
        sentence_start, sentence_end = _sentence(text, line_start, line_end, number.start)
        draft = Draft(
            number=number,
            label=label,
            kind=prose_kind(
                before,
                boundary,
                text[max(sentence_start, number.start - LOOK_BACK_CHARS) : number.start],
                parent,
                section,
                defaults,
            ),
            year=prose_year(
                text,
                *_sentence(text, line_start, line_end, number.start, ",;:"),
                number,
                section,
                defaults,
            ),
            scope=figure_scope(label, section, defaults),
        )
        done.append(draft)
        drafts.append(draft)
    return drafts


def _clause_start(
    text: str,
    line_start: int,
    position: int,
    previous: FoundNumber | None,
    numbers: list[FoundNumber],
) -> tuple[int, str]:
    """Where the clause holding a number begins, and what ends the one before it.

    A parenthetical without figures belongs to the label ("tỷ lệ sinh con thứ ba (trở lên) là
    6,2%"). Right after another figure the clause begins where that figure's own words stop
    ("8 cơ sở với số tiền là 27,30 triệu đồng"), or it is "figure" when no such stop comes.
    """
    floor = line_start
    if previous is not None and previous.end > floor:
        floor = previous.end
    index = position - 1
    while index >= floor:
        char = text[index]
        if char == ")":
            opening = opening_paren(text, floor, index)
            if opening is not None and not any(
                opening < n.start and n.end <= index for n in numbers
            ):
                index = opening - 1
                continue
        if char in BOUNDARY_CHARS or (char == "." and text[index + 1 : index + 2] in (" ", "\n")):
            if char == "\n" and text[index - 1 : index] == ":":
                return index + 1, ":"  # "Số hồ sơ tiếp nhận trực tuyến:" then "842 hồ sơ"
            return index + 1, char
        index -= 1
    if previous is not None and floor == previous.end:
        if previous.unit_is_word and (previous.unit or "").split("/")[0] in MEASURE_UNITS:
            return floor, "stop"  # "kết dư 3,8 tỷ đơn vị trích quỹ khen thưởng 0,7 tỷ"
        stop = GAP_STOP.search(text, floor, position)
        if stop is not None:
            return stop.end(), "stop"
        return floor, "figure"
    return floor, "line"


def _clause_end(text: str, position: int, line_end: int) -> int:
    match = CLAUSE_END.search(text, position, line_end)
    return match.start() if match else line_end


def _sentence(
    text: str, line_start: int, line_end: int, position: int, over: str = ",;"
) -> tuple[int, int]:
    """The sentence around a position; it goes back over a line break after "," or ";"
    ("Phấn đấu đến năm 2025, trên 90% …;" then "100% trẻ sơ sinh được sàng lọc …"), and for a
    year also after an introducing colon ("* Tình hình khám chữa bệnh năm 2021:")."""
    start = line_start
    while start > 0 and text[start - 1] == "\n" and text[max(0, start - 2)] in over:
        previous_start = text.rfind("\n", 0, start - 1) + 1
        start = previous_start
    for match in SENTENCE_END.finditer(text, start, position):
        start = match.end()
    end_match = SENTENCE_END.search(text, position, line_end)
    return start, end_match.start() if end_match else line_end
