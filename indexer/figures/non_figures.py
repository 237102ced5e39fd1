"""Numbers that are not figures: dates, years, document codes, names, list numbering, ages and
other thresholds that belong to a label ("dưới 5 tuổi"), and the spans they mask in a line."""

from __future__ import annotations

import bisect
import re

# Vietnamese capital letters, for a character class: a code's letters, a name's first letter.
UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
# Dates: "18/03/2022", "ngày 14/8/2021", "ngày 22 tháng 09 năm 2021", "tháng 03 năm 2022", "6/2022".
DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|ngày\s+\d{1,2}/\d{1,2}\b"
    r"|\b\d{1,2}/(?:19|20)\d{2}\b"
    r"|(?:ngày\s+\d{1,2}\s+)?tháng\s+(?:0?[1-9]|1[0-2])(?![.,]?\d)(?:\s+năm\s+\d{4})?"
    r"|ngày\s+\d{1,2}(?=\s+tháng)",
    re.IGNORECASE,
)
# Document numbers and codes: "512/QĐ-UBND", "31-CT/TW", "58/2022/QH15", "11/2022/NĐ- CP",
# "07-Ctr/ĐU", "64-NQ/TU".
DOCUMENT_CODE = re.compile(rf"\b\d+(?:[/-]\d+)*\s?[/-]\s?[{UPPER}][\w/.-]*")
# A number naming a thing rather than measuring it: "Quyết định 3874", "Đề án 1125", "ISO 9001",
# "BVĐK số 7", "tiêm nhắc lần 3", "mũi 3", "lần thứ 4", "dự án 5", "hạng 3", "đối tượng 2".
IDENTIFIER = re.compile(
    r"(?:\b(?:Quyết định|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Công văn|Đề án|Tờ trình|"
    r"Phương án|Thông báo|Kết luận|Luật|ISO|TCVN|[Dd]ự án|tiểu dự án|Điều|khoản|điểm|"
    r"[Pp]hụ lục|Chương|Phần|[Qq]uý|mũi|lần thứ|lần|thứ|hạng|nhóm|đối tượng|[Kk]hóa|[Kk]hoá|"
    r"đợt|tầng|cấp|loại)"
    r"|(?<!Tổng )(?<!tổng )\bsố)\s+\d[\d.,]*(?:\s?[-–]\s?\d+)?"
)
# Enumerators: "(2) Phòng chống dịch", "1) …".
ENUMERATOR = re.compile(r"\(\d{1,2}\)|^\d{1,2}\)")
# Section and list numbering at the start of a line: "2. Phạm vi", "4.3. Dược phẩm", "6.2 Dự án…",
# "4." alone.
LINE_NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.(?=\s|$)|^\d{1,2}(?:\.\d{1,2})+(?=\s)")
# A bare row or footnote number opening a line: "1 Nghị quyết số 58/2022/QH15 …", "3 Kết quả …".
LINE_ROW_NUMBER = re.compile(rf"^\d{{1,2}}(?=\s+[{UPPER}(])")
# Durations: "9 tháng", "3 tháng, 6 tháng", "05 năm 2016-2020", "2 năm".
DURATION = re.compile(r"\b\d+\s+(?:tháng|năm|tuần|quý)\b")
# Ages and thresholds that are part of what is measured: "dưới 2 tuổi", "từ 60 tuổi", "trẻ <6 tuổi",
# "15-49 tuổi", "> 3 lần", "dưới 5 tuổi/1000 trẻ sinh sống".
LABEL_THRESHOLD = re.compile(
    r"(?:dưới|trên|từ|<|>|≤|≥)\s*\d+(?:\s?[-–]\s?\d+)?\s*tuổi"
    r"|\b\d+\s?[-–]\s?\d+\s*tuổi"
    r"|[<>≤≥]\s?\d+\s+lần",
    re.IGNORECASE,
)
# Population denominators: "trên 1.000 người dân", "/100.000 dân", "/1.000 trẻ sinh sống",
# "/100 bé gái".
PER_POPULATION = re.compile(
    r"(?:(?<=\s)trên|/)\s*\d[\d.]*\s*(?:người dân|dân|trẻ đẻ sống|trẻ sinh sống|bé gái|bé gai)"
    r"(?!\s*số)\b",
    re.IGNORECASE,
)
# Rankings: "cao thứ 5 trong 13 tỉnh".
RANKING = re.compile(r"thứ\s+\d+\s+trong\s+(?:số\s+)?\d+")
# Category bounds: "3 đơn vị tự chủ từ 50-100%", "6 đơn vị từ 10-50 %".
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
# Years, alone or as periods: "năm 2022", "2016-2020", "Xuân 2021", "KH 2022".
YEAR_MENTION = re.compile(
    r"(?<![\d/.,\-–])(?P<from>(?:19|20)\d{2})(?:\s?[-–]\s?(?P<to>(?:19|20)\d{2}))?(?![\d/])"
)
# A start year ("từ 2008") is not the year a figure is for.
START_YEAR = re.compile(r"\btừ\s*$", re.IGNORECASE)
# Words that make the number after them a year: "năm 2022", "giai đoạn 2016", "KH 2022".
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
