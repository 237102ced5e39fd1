"""Numbers that are not figures: dates, years, document codes, names, list numbering, ages and
other thresholds that belong to a label ("dưới 5 tuổi"), and the spans they mask in a line."""

from __future__ import annotations

import bisect
import re

# Vietnamese capital letters, for a character class: a code's letters, a name's first letter.
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
# Dates: "13/01/2025", "ngày 08/7/2021", "ngày 10 tháng 12 năm 2024", "tháng 01 năm 2025", "9/2023".
DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|ngày\s+\d{1,2}/\d{1,2}\b"
    r"|\b\d{1,2}/(?:19|20)\d{2}\b"
    r"|(?:ngày\s+\d{1,2}\s+)?tháng\s+(?:0?[1-9]|1[0-2])(?![.,]?\d)(?:\s+năm\s+\d{4})?"
    r"|ngày\s+\d{1,2}(?=\s+tháng)",
    re.IGNORECASE,
)
# Document numbers and codes: "338/QĐ-UBND", "25-CT/TW", "99/2023/QH15", "05/2023/NĐ- CP",
# "02-Ctr/ĐU", "101-NQ/TU".
DOCUMENT_CODE = re.compile(rf"\b\d+(?:[/-]\d+)*\s?[/-]\s?[{UPPER}][\w/.-]*")
# A number naming a thing rather than measuring it: "Quyết định 2151", "Đề án 1816", "ISO 9001",
# "BVĐK số 10", "tiêm nhắc lần 1", "mũi 1", "lần thứ 3", "dự án 7", "hạng 2", "đối tượng 4".
IDENTIFIER = re.compile(
    r"(?:\b(?:Quyết định|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Công văn|Đề án|Tờ trình|"
    r"Phương án|Thông báo|Kết luận|Luật|ISO|TCVN|[Dd]ự án|tiểu dự án|Điều|khoản|điểm|"
    r"[Pp]hụ lục|Chương|Phần|[Qq]uý|mũi|lần thứ|lần|thứ|hạng|nhóm|đối tượng|[Kk]hóa|[Kk]hoá|"
    r"đợt|tầng|cấp|loại)"
    r"|(?<!Tổng )(?<!tổng )\bsố)\s+\d[\d.,]*(?:\s?[-–]\s?\d+)?"
)
# Enumerators: "(1) Sơ cấp cứu", "1) …".
ENUMERATOR = re.compile(r"\(\d{1,2}\)|^\d{1,2}\)")
# Section and list numbering at the start of a line: "1. Mục đích", "3.8. Khám bệnh", "7.1 Chương…",
# "4." alone.
LINE_NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.(?=\s|$)|^\d{1,2}(?:\.\d{1,2})+(?=\s)")
# A bare row or footnote number opening a line: "1 Nghị quyết số 99/2023/QH15 …", "4 Tình hình …".
LINE_ROW_NUMBER = re.compile(rf"^\d{{1,2}}(?=\s+[{UPPER}(])")
# Durations: "12 tháng", "6 tháng, 9 tháng", "05 năm 2021-2025", "3 năm".
DURATION = re.compile(r"\b\d+\s+(?:tháng|năm|tuần|quý)\b")
# Ages and thresholds that are part of what is measured: "dưới 5 tuổi", "từ 18 tuổi", "trẻ <5 tuổi",
# "12-17 tuổi", "> 4 lần", "dưới 1 tuổi/1000 trẻ đẻ sống".
LABEL_THRESHOLD = re.compile(
    r"(?:dưới|trên|từ|<|>|≤|≥)\s*\d+(?:\s?[-–]\s?\d+)?\s*tuổi"
    r"|\b\d+\s?[-–]\s?\d+\s*tuổi"
    r"|[<>≤≥]\s?\d+\s+lần",
    re.IGNORECASE,
)
# Population denominators: "trên 10.000 người dân", "/100.000 dân", "/1000 trẻ đẻ sống",
# "bé trai/100 bé gái".
PER_POPULATION = re.compile(
    r"(?:(?<=\s)trên|/)\s*\d[\d.]*\s*(?:người dân|dân|trẻ đẻ sống|trẻ sinh sống|bé gái|bé gai)"
    r"(?!\s*số)\b",
    re.IGNORECASE,
)
# Rankings: "thấp thứ 3 trong 20 tỉnh".
RANKING = re.compile(r"thứ\s+\d+\s+trong\s+(?:số\s+)?\d+")
# Category bounds: "2 đơn vị tự chủ từ 70-100%", "9 đơn vị từ 30-70 %".
FROM_RANGE = re.compile(r"\btừ\s+\d[\d.,]*\s?[-–]\s?\d[\d.,]*\s?%?")
URL = re.compile(r"https?://\S+")
NON_FIGURES = (
    URL,
    DATE,
    DOCUMENT_CODE,
    IDENTIFIER,
    ENUMERATOR,
    DURATION,
    LABEL_THRESHOLD,
    PER_POPULATION,
    RANKING,
    FROM_RANGE,
)
# Years, alone or as periods: "năm 2025", "2021-2025", "Xuân 2022", "KH 2023".
YEAR_MENTION = re.compile(
    r"(?<![\d/.,\-–])(?P<from>(?:19|20)\d{2})(?:\s?[-–]\s?(?P<to>(?:19|20)\d{2}))?(?![\d/])"
)
# A start year ("từ 2004") is not the year a figure is for.
START_YEAR = re.compile(r"\btừ\s*$", re.IGNORECASE)
# Words that make the number after them a year: "năm 2025", "giai đoạn 2021", "KH 2023".
YEAR_LEAD = re.compile(r"\b(?:năm|giai đoạn|đến|từ|KH|TH|Xuân|nhiệm kỳ)\s*$", re.IGNORECASE)


def non_figure_spans(line: str, previous_line: str) -> Spans:
    """Spans of a line whose numbers are not figures: dates, codes, names, numbering, ages …"""
    spans = [m.span() for pattern in NON_FIGURES for m in pattern.finditer(line)]
    numbering = LINE_NUMBERING.match(line)
    if numbering:
        spans.append(numbering.span())
    row_number = LINE_ROW_NUMBER.match(line)
    if row_number and not previous_line.rstrip().endswith((",", ":", ";")):
        spans.append(row_number.span())
    return Spans(spans)


class Spans:
    """Masked spans, answering "does [start, end) overlap any?" in log time: a flattened table
    has thousands of masks and thousands of numbers."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach: list[int] = []  # the furthest end among spans starting at or before i
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self._reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self._starts, end)  # spans that start before `end`
        return before > 0 and self._reach[before - 1] > start


def overlaps(spans: Spans, start: int, end: int) -> bool:
    """Whether [start, end) overlaps any masked span."""
    return spans.overlaps(start, end)
