"""Figures the documents state, found at index time: each number with what it measures, for when,
for whom, and exactly where it is written.

Owns reading Vietnamese numbers ("235.387", "17,1", "105.6%"), units, comparators, ranges and
fractions, and giving every figure a label in the document's own words, a kind (target / result /
baseline) and a year, from a table's column header, the sentence, the section path or the
caller's defaults. Dates, years, document codes, list numbers and thresholds that belong to a
label ("dưới 5 tuổi") are not figures.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from indexer.deadline import check_deadline
from indexer.models import Figure, FigureKind, Passage
from indexer.structure import classify

UNITS_FILE = Path(__file__).parent / "data" / "figure_units.txt"
MAX_LABEL_CHARS = 140
MAX_EXTENDED_CHARS = 80
LOOK_BACK_CHARS = 4 * MAX_LABEL_CHARS

UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"

# One number as Vietnamese documents write it: thousands with dots ("235.387", "1.721.470",
# "16.096.205.221"), decimals with a comma ("17,1", "19,93", "0,950"), and the dot decimal some
# tables use before a percent sign ("105.6%", "100.00%").
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}(?=\s?%)|\d+(?:,\d+)?"
NUMBER_FORMAT = re.compile(
    r"^(?:(?P<thousands>\d{1,3}(?:\.\d{3})+)(?:,(?P<tdec>\d+))?"
    r"|(?P<dotdec>\d+\.\d{1,2})(?=\s?%)"
    r"|(?P<plain>\d+)(?:,(?P<dec>\d+))?)(?:\s?(?:%o|%|‰))?$"
)
# A number in running text, with an optional upper end ("103-105", "2,0-2,1", "1-2 ngày") and an
# optional denominator ("75/75", "6.735/8.526", "3,093 /3,093", "103-105/100"); never a piece of
# a word ("QH15", "Covid-19"), of a code or of a longer number ("4.0", "3,6,9,12").
FIGURE_NUMBER = re.compile(
    rf"(?<![\w.,/\-–])(?P<num>{NUMBER})"
    rf"(?:\s?[-–]\s?(?P<high>{NUMBER}))?"
    rf"(?:\s?/\s?(?P<den>{NUMBER}))?"
    r"(?!\d)(?![.,]\d)(?!\s?/\s?\d)"
)
# A comparator written as a symbol right before the number: "<17", "> 45%", "≥62", "≤ 5".
COMPARATOR_SYMBOL = re.compile(r"([<>≤≥])=?\s?$")
# A comparator written in words just before the number: "Trên 95%", "dưới 17%",
# "tối thiểu 30%", "chiếm hơn 70%".
COMPARATOR_WORDS = re.compile(
    r"(?:^|[\s(])(trên|dưới|tối thiểu|ít nhất|tối đa|không quá|hơn|không dưới|không vượt quá)\s*$",
    re.IGNORECASE,
)
COMPARATOR_BY_WORD = {
    "trên": ">",
    "hơn": ">",
    "dưới": "<",
    "tối thiểu": "≥",
    "ít nhất": "≥",
    "không dưới": "≥",
    "tối đa": "≤",
    "không quá": "≤",
    "không vượt quá": "≤",
}

# --- Numbers that are not figures -------------------------------------------------------------
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
START_YEAR = re.compile(r"\btừ\s*$", re.IGNORECASE)
YEAR_LEAD = re.compile(r"\b(?:năm|giai đoạn|đến|từ|KH|TH|Xuân|nhiệm kỳ)\s*$", re.IGNORECASE)

# --- Kind and year ----------------------------------------------------------------------------
# Words right before a number that report what was achieved: "đạt 100%", "thực hiện 12 tháng
# 512,363 tỷ", "ước cả năm 160/160 tỷ".
RESULT_CONNECTIVE = re.compile(r"\b(?:đạt|thực hiện|ước|TH)\b", re.IGNORECASE)
# Words that make a number a target: "(KH <10,45%)", "Phấn đấu … dưới 17%", "chỉ tiêu",
# "Kế hoạch thu đầu năm 512,670 tỷ đồng"; "Chương trình mục tiêu quốc gia" is a name.
PLAN = r"(?<!theo )(?<!%)(?<!% )(?<!so với )(?:KH|kế hoạch(?! h(?:óa|oá)))"
GOAL = r"(?<!chương trình )(?<!Chương trình )mục tiêu(?! quốc gia)"
TARGET_WORDS = re.compile(rf"\b(?:{PLAN}|chỉ tiêu|{GOAL}|phấn đấu)\b", re.IGNORECASE)
# Words that are targets even when the clause says "đạt": "Phấn đấu … đạt 95%".
STRIVE = re.compile(rf"\b(?:phấn đấu|{GOAL})\b", re.IGNORECASE)
# A target reported as met: "hoàn thành đạt và vượt các chỉ tiêu được HĐND tỉnh giao".
ACHIEVED = re.compile(r"\b(?:đạt|vượt|hoàn thành)\b", re.IGNORECASE)
# The last of these before a figure in its sentence decides its kind.
KIND_KEYWORD = re.compile(
    rf"\b(?:(?P<target>{PLAN}|chỉ tiêu|{GOAL}|phấn đấu)"
    r"|(?P<result>đạt|thực hiện|kết quả|tình hình thực hiện|ước))\b",
    re.IGNORECASE,
)
SECTION_KIND = re.compile(
    rf"\b(?P<target>{GOAL}|chỉ tiêu|kế hoạch(?! h(?:óa|oá))|phấn đấu|nhiệm vụ)\b"
    r"|\b(?P<result>kết quả|tình hình|thực hiện)\b",
    re.IGNORECASE,
)
# A change against an earlier period, not a level: "tăng 25,56% so với cùng kỳ",
# "giảm 559 ca so với cùng kỳ", "tăng so cùng kỳ 15%".
CHANGE_WORD = re.compile(r"\b(?:tăng|giảm)\b", re.IGNORECASE)
CHANGE_REFERENCE = re.compile(
    r"\b(?:so(?: với)?|với)(?: cùng kỳ| năm trước| kỳ trước)\b|\bso với\b"
)
# A clause that only says something about the figure before it: "…, đạt 110% kế hoạch năm",
# "…, chiếm tỷ lệ 100%".
PREDICATE = re.compile(r"\b(?:đạt|chiếm|là|bằng)\b", re.IGNORECASE)
# A clause that is the name of a programme, strategy or plan; a number in it is part of the name.
PROGRAMME_NAME = re.compile(
    rf"^\s*(?:Chương trình|Chiến lược|Đề án|Dự án|Kế hoạch|Nghị quyết|Quyết định|Chỉ thị)"
    rf"(?:\s+[{UPPER}]?[^\s,;:.()]*)*\s*$"
)
CLAUSE_END = re.compile(r"[;.(](?:\s|$)|[;(]")
SENTENCE_END = re.compile(r"\.(?:\s|$)")

# --- Labels -----------------------------------------------------------------------------------
# Where a label stops, looking back from a number: "Tỷ lệ bảo hiểm y tế toàn dân: 95%",
# "…1.301.213, tăng …", "(KH 9,3)".
BOUNDARY_CHARS = ";:,()\n"
# Where the words after a number stop: "51.511/49.759 người áp dụng các BPTT hiện đại, đạt …",
# "24/24 kỳ đạt 100%", "1,79%, tăng 0,09% so với cùng kỳ"; "100% xã đạt chuẩn y tế quốc gia"
# goes on.
AFTER_STOP = re.compile(
    r"[;:.,()\n]|\s(?=(?:tăng|giảm|so với|so cùng|trong đó|với|là)\b)"
    r"|\s(?=(?:đạt|chiếm|là|bằng)(?:\s+tỷ lệ)?\s+[<>≤≥]?\s?\d)",
    re.IGNORECASE,
)
# Between two figures with no punctuation, where the second one's words begin: "… 141,09% và TYT
# đạt 105,36%", "13 cơ sở với số tiền là 43,45 triệu đồng", "159/160 tỷ đạt 99%".
GAP_STOP = re.compile(
    r"\s(?=(?:và|với|tăng|giảm|so với|so cùng|trong đó)\b)"
    r"|\s(?=(?:đạt|chiếm|là|bằng)(?:\s+tỷ lệ)?\s+[<>≤≥]?\s?\d)",
    re.IGNORECASE,
)
# A piece after a comma that starts a new clause rather than continuing a list.
CLAUSE_OPENER = re.compile(
    r"^\s*(?:tương đương|tăng|giảm|đạt|chiếm|so|trong đó|bao gồm|gồm|không|chưa|đã|được|là|"
    r"với|có)\b",
    re.IGNORECASE,
)
# Time words after a number say when, not what: "dưới 17% vào năm 2030", "100 giường giai đoạn
# 2025-2030".
AFTER_TIME = re.compile(
    r"^(?:(?:vào|đến|trong|tới|của)\s+)?(?:năm|giai đoạn)\s+\d{4}(?:\s?[-–]\s?\d{4})?\s*"
    r"|^(?:kế hoạch\s+)?(?:cả\s+)?năm\b\s*",
    re.IGNORECASE,
)
# Dates inside a label: "đến ngày 10/12/2023 tỉnh Hậu Giang có …".
DATED = re.compile(r"(?:(?:từ|đến|tính đến)\s+)?(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{2,4}")
# A clause ending in "có" / "gồm" names what is counted after the number: "toàn tỉnh có
# 51.511/49.759 người áp dụng …", "mỗi ấp có 01 nhân viên y tế …".
EXISTENTIAL_END = re.compile(r"\b(?:có|gồm)\s*$")
# What separates an entity from the words before it: "… đạt kết quả là TTYT TP Vị Thanh (5%)".
ENTITY_CUT = re.compile(r"\b(?:là|gồm|như)\b|[:;)]|[,.](?=\s)")
# Units that measure rather than count: the words after them start a new clause
# ("kết dư 2,5 tỷ đơn vị tạm chi …").
MEASURE_UNITS = frozenset(
    ["tỷ đồng", "triệu đồng", "nghìn đồng", "đồng", "đồng/người/tháng", "gram", "tuổi", "ngày"]
)
BULLET = re.compile(r"^\s*(?:[-+•*–]\s*|\(\d{1,2}\)\s*|[a-zđ]\)\s+)+")
LEADING_FILLER = re.compile(
    r"^(?:(?:trong đó|cụ thể|kết quả cho thấy|kết quả|theo đó|đồng thời|ngoài ra|bên cạnh đó|"
    r"tuy nhiên|với|và|trong năm(?: \d{4})?|năm \d{4}|đến (?:nay|thời điểm hiện tại)|hiện tại|"
    r"tính từ|gồm)\s*[,:]?\s*)+",
    re.IGNORECASE,
)
# Words that say what kind a figure is, not what it measures: "Phấn đấu giảm tỷ lệ …",
# "Kế hoạch thu đầu năm 512,670 tỷ đồng".
LEADING_KIND = re.compile(
    r"^(?:(?:phấn đấu(?: đến năm \d{4})?|kế hoạch|chỉ tiêu|mục tiêu)\s*[,:]?\s*)+",
    re.IGNORECASE,
)
TRAILING_CONNECTIVE = re.compile(
    r"(?:\s|^)(?:là|đạt|chiếm|có|gồm|với|được|khoảng|gần|hơn|trên|dưới|tối thiểu|ít nhất|"
    r"tối đa|không quá|không dưới|xuống|lên|còn|bằng|ở mức|mức|tỷ lệ|đạt tỷ lệ|chiếm tỷ lệ|"
    r"tổng số|tổng cộng|cả năm|trong năm|KH|TH|ước|cho|và|của|tại|[<>≤≥])\s*[:,]?\s*$",
    re.IGNORECASE,
)
LEADING_NUMBER = re.compile(r"^[\d/.,]+(?:\s|$)")
DIGIT_PARENTHETICAL = re.compile(r"\s*\([^()]*\d[^()]*\)")
LABEL_HEAD = re.compile(
    r"(?:^|,\s*)((?:tổng số|số|tỷ lệ|tỷ suất|tỷ số|công suất)\b.*)$", re.IGNORECASE
)
CONTINUATION_HEAD = re.compile(r"^(?:lũy kế|cộng dồn|riêng|số đang|trong đó|với)\b", re.IGNORECASE)
BREAKDOWN = re.compile(r"\btrong đó\b", re.IGNORECASE)
GENERIC_WORDS = frozenset(
    """là đạt chiếm có được với gồm và của trong đó năm cả ước tổng số tỷ lệ khoảng gần hơn trên
    dưới tối thiểu đa ít nhất không quá đã thực hiện kết quả kh th kế hoạch bình quân mỗi toàn
    tỉnh cụ thể như sau nay đến từ các những người ca lượt trường hợp hồ sơ đơn vị cơ sở bằng cho
    tại so cùng kỳ chung mức ở còn xuống lên tăng giảm tháng quý vào""".split()
)
WORD = re.compile(r"[^\W\d_]+")

# --- Tables -----------------------------------------------------------------------------------
# The label and unit columns that open a flattened column header: "TT Chỉ tiêu ĐVT …",
# "TT Chỉ số Đơn vị tính …", "Nội dung Chỉ tiêu", "Nội dung Thực hiện Tỷ lệ So sánh cùng kỳ".
HEADER_LEAD = re.compile(
    r"^(?:S?TT\s+)?(?:Nội dung|Tên chỉ tiêu|Chỉ tiêu|Chỉ số|Nhiệm vụ)?\s*"
    r"(?P<unit>Đơn vị tính|ĐVT|Đơn vị)?\s*"
)
# Words that open a value column: "KH 2023 TH 2023", "Chỉ tiêu Nghị quyết Đại hội 2026-2030
# Năm 2025 KH đến Năm 2030", "Thực hiện Tỷ lệ So sánh cùng kỳ", "Năm 2025 Ghi chú".
COLUMN_START = re.compile(
    r"\b(?P<word>KH|TH|Kế hoạch|Thực hiện|Kết quả|Ước(?: thực hiện| tính)?|Chỉ tiêu|Mục tiêu|"
    r"Tỷ lệ|So sánh|So với|Ghi chú|[Nn]ăm)\b|(?<![\d\-–])(?P<year>(?:19|20)\d{2})"
)
COLUMN_TARGET = re.compile(r"\b(?:KH|Kế hoạch|Chỉ tiêu|Mục tiêu)\b")
COLUMN_RESULT = re.compile(r"\b(?:TH|Thực hiện|Kết quả|Ước)\b")
COLUMN_CHANGE = re.compile(r"\b(?:So sánh|So với)\b")
# A column header written as a line of running text, possibly followed by the first row:
# "Nội dung Thực hiện Tỷ lệ So với cùng kỳ năm trước Bệnh nhân ĐHTL trong năm 3 100.00% 66.67%".
INLINE_HEADER = re.compile(
    r"^(?:Nội dung|Chỉ tiêu|Chỉ số|S?TT)\s+(?:(?:Thực hiện|Tỷ lệ|So sánh|So với|cùng kỳ|năm trước|"
    r"Kế hoạch|KH|TH|Ước|Kết quả|Năm|năm|ĐVT|Đơn vị tính|Ghi chú|(?:19|20)\d{2})(?:\s+|$))+"
)
# One value cell at the end of a table row: "70", "68,5", "<17", "> 45%", "≥62", "103-105/100",
# "105.6%", "-4.1%", "%o" stays with the unit column.
CELL = re.compile(
    rf"(?:^|(?<=\s))(?P<cmp>[<>≤≥])?=?\s?(?P<sign>[-+])?(?P<num>{NUMBER})"
    rf"(?:\s?[-–]\s?(?P<high>{NUMBER}))?(?:\s?/\s?(?P<den>{NUMBER}))?"
    r"(?P<unit>\s?(?:%o|%|‰))?\s*$"
)
ROW_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|[-+•*]\s*)")
SUB_ROW = re.compile(r"^\s*[-+•*]")
GROUP_ROW = re.compile(r"^\s*[*]\s*(?P<label>.+?)\s*:?\s*$")
# The unit column of a sex-ratio row: "số bé trai/ bé gái", "số bé trai/100 bé gai".
SEX_RATIO_UNIT = re.compile(r"\s(?:số\s+)?bé\s+trai\s*/\s*(?:100\s+)?bé\s+g[áa]i$", re.IGNORECASE)

# --- Scope ------------------------------------------------------------------------------------
# A named facility: "Trung tâm Y tế huyện Cần Đước cơ sở 2", "TTYT huyện Cần Đước",
# "BVĐK tỉnh Hậu Giang", "TTYT TP Vị Thanh".
FACILITY = re.compile(
    r"(?:Trung tâm Y tế|Trung tâm y tế|TTYT|Bệnh viện Đa khoa|Bệnh viện đa khoa|BVĐK|"
    r"Bệnh viện|Phòng khám đa khoa khu vực|PKĐKKV)\s+"
    r"(?:(?:huyện|thị xã|thành phố|tỉnh|TP\.?|TX)\s+)?"
    rf"[{UPPER}][^\s,.;:()]*(?:\s+[{UPPER}][^\s,.;:()]*)*(?:\s+cơ sở\s+\d+)?"
)
# A health centre or general hospital named in a figure's own words: "TTYT huyện Châu Thành (64%)",
# "BVĐK tỉnh Hậu Giang (102%)", "TTYT Ngã Bảy (35%)".
LABEL_FACILITY = re.compile(
    r"(?:Trung tâm Y tế|Trung tâm y tế|TTYT|BVĐK|Bệnh viện [Đđ]a khoa)\s+"
    r"(?:(?:huyện|thị xã|thành phố|tỉnh|TP\.?|TX)\s+)?"
    rf"[{UPPER}][^\s,.;:()]*(?:\s+[{UPPER}][^\s,.;:()]*)*(?:\s+cơ sở\s+\d+)?"
)
# The commune health stations as a group: "Các trạm Y tế xã", "các TYT xã".
COMMUNE_STATIONS = re.compile(r"\b[Cc]ác\s+(?:trạm\s+[Yy]\s+tế|TYT)\s+xã\b")

ColumnRole = Literal["value", "ratio", "change", "note"]


@dataclass(frozen=True)
class Column:
    """A value column of a flattened table header."""

    name: str
    kind: FigureKind | None
    year: int | None
    role: ColumnRole


@dataclass(frozen=True)
class _Number:
    """A number found in a line, before it is given a label."""

    start: int  # absolute, raw span including a comparator symbol and the unit
    end: int
    number_start: int
    number_end: int
    value: float
    value_high: float | None
    denominator: float | None
    unit: str | None
    unit_is_word: bool
    comparator: str | None
    depth: int  # parentheses open at the number
    paren_start: int | None  # absolute offset of the innermost open parenthesis


@dataclass(frozen=True)
class _Draft:
    """A figure with everything but its passage."""

    number: _Number
    label: str
    kind: FigureKind | None
    year: int | None
    scope: str | None


def parse_number(raw: str) -> float:
    """The value of a number written the Vietnamese way.

    Dots group thousands and a comma marks decimals ("235.387" → 235387, "17,1" → 17.1,
    "16.096.205.221" → 16096205221); a dot followed by one or two digits is a decimal only before
    a percent sign ("105.6%" → 105.6). A trailing %, %o or ‰ is allowed and ignored.
    """
    match = NUMBER_FORMAT.match(raw.strip())
    if not match:
        raise ValueError(f"not a Vietnamese number: {raw!r}")
    if match["thousands"]:
        whole = match["thousands"].replace(".", "")
        return float(f"{whole}.{match['tdec']}") if match["tdec"] else float(whole)
    if match["dotdec"]:
        return float(match["dotdec"])
    return float(f"{match['plain']}.{match['dec']}") if match["dec"] else float(match["plain"])


@lru_cache(maxsize=1)
def unit_vocabulary() -> tuple[tuple[str, str], ...]:
    """(written form, canonical form) pairs, longest written form first."""
    pairs: list[tuple[str, str]] = []
    for line in UNITS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        written, _, canonical = line.partition("\t")
        pairs.append((written.strip(), (canonical or written).strip()))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def canonical_unit(written: str) -> str | None:
    """The canonical unit for a unit column or suffix ("%o" → "‰", "Bác sỹ" → "bác sĩ")."""
    folded = written.strip().lower()
    for form, canonical in unit_vocabulary():
        if folded == form.lower():
            return canonical
    return None


def parse_columns(context: str) -> tuple[list[Column], bool]:
    """The value columns of a flattened header, and whether it has a unit column.

    "TT Chỉ tiêu ĐVT KH 2023 TH 2023" → [KH 2023 (target, 2023), TH 2023 (result, 2023)], True.
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
        columns.append(Column(name=name, kind=kind, year=_last_year(name), role=role))
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


def _last_year(text: str) -> int | None:
    years = [int(m["to"] or m["from"]) for m in YEAR_MENTION.finditer(text)]
    return years[-1] if years else None


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
    defaults = _Defaults(scope=default_scope, year=default_year, kind=default_kind)
    blocks = classify(document_text)
    figures: list[Figure] = []
    inline: _InlineTable | None = None
    group_label: str | None = None
    previous_line = ""
    index = 0
    while index < len(blocks):
        check_deadline()  # a document's extraction runs under a time budget (indexer/build.py)
        block = blocks[index]
        end = block.end
        line = document_text[block.start : block.end]
        section = _section_of(ordered, starts, block.start)
        drafts: list[_Draft] = []
        if (block.start, block.end) in rows:
            inline = None
            columns, has_unit = parse_columns(rows[(block.start, block.end)].context)
            drafts, row_label = _row_figures(
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
        elif block.kind in ("prose", "list"):
            group_label = None
            header = INLINE_HEADER.match(line)
            if header:
                columns, _ = parse_columns(header.group(0))
                inline = _InlineTable(columns=columns) if _numeric(columns) else None
                if inline and header.end() < len(line):
                    drafts = _inline_row(
                        document_text,
                        block.start + header.end(),
                        block.end,
                        inline,
                        section,
                        defaults,
                    )
            elif inline is not None:
                drafts = _inline_row(
                    document_text, block.start, block.end, inline, section, defaults
                )
                if not drafts and not GROUP_ROW.match(line):
                    inline = None
            if inline is None and not header:
                # A line ending in a colon runs on into lines that start with its figures:
                # "… PKĐKKV:" then "95,39% và TYT đạt 105,36%)."
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
                drafts = _prose_figures(
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


@dataclass(frozen=True)
class _Defaults:
    scope: str | None
    year: int | None
    kind: FigureKind | None


@dataclass
class _InlineTable:
    """A table flattened into running text, while its rows last."""

    columns: list[Column]
    group: str | None = None


def _numeric(columns: list[Column]) -> list[Column]:
    return [c for c in columns if c.role != "note"]


def _figure(text: str, draft: _Draft, passage: Passage) -> Figure:
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


# --- Table rows -------------------------------------------------------------------------------


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


def _cell_number(match: re.Match[str], unit: str | None) -> _Number:
    value = parse_number(match["num"] + ("%" if match["unit"] else ""))
    if match["sign"] == "-":
        value = -value
    cell_unit = canonical_unit(match["unit"]) if match["unit"] else unit
    high = parse_number(match["high"]) if match["high"] else None
    first = next(name for name in ("cmp", "sign", "num") if match[name])
    last = next(name for name in ("unit", "den", "high", "num") if match[name])
    return _Number(
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
    "1 Bác sĩ/vạn dân Bác sĩ" → ("Bác sĩ/vạn dân", "bác sĩ")."""
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


def _row_figures(
    text: str,
    start: int,
    end: int,
    columns: list[Column],
    has_unit: bool,
    group_label: str | None,
    section: tuple[str, ...],
    defaults: _Defaults,
) -> tuple[list[_Draft], str]:
    stop, cells = _split_cells(text, start, end)
    label, unit = _row_label(text, start, stop, has_unit)
    if group_label and SUB_ROW.match(text[start:end]):
        label = f"{group_label} - {label}"
    if not cells or not label:
        return [], label
    numeric = _numeric(columns)
    mapped = len(numeric) == len(cells)
    row_year = _last_year(label)
    scope = _scope(label, section, defaults)
    drafts: list[_Draft] = []
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
            _Draft(
                number=number,
                label=cell_label,
                kind=kind or _section_kind(section) or defaults.kind,
                year=year or row_year or _section_year(section) or defaults.year,
                scope=scope,
            )
        )
    return drafts, label


def _inline_row(
    text: str,
    start: int,
    end: int,
    table: _InlineTable,
    section: tuple[str, ...],
    defaults: _Defaults,
) -> list[_Draft]:
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
        or len(cells) > len(_numeric(table.columns))
    ):
        return []
    drafts, _ = _row_figures(text, start, end, table.columns, False, table.group, section, defaults)
    return drafts


# --- Running text -----------------------------------------------------------------------------


def _masks(line: str, previous_line: str) -> _Spans:
    """Spans of a line whose numbers are not figures: dates, codes, names, numbering, ages …"""
    spans = [m.span() for pattern in NON_FIGURES for m in pattern.finditer(line)]
    numbering = LINE_NUMBERING.match(line)
    if numbering:
        spans.append(numbering.span())
    row_number = LINE_ROW_NUMBER.match(line)
    if row_number and not previous_line.rstrip().endswith((",", ":", ";")):
        spans.append(row_number.span())
    return _Spans(spans)


class _Spans:
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


def _overlaps(spans: _Spans, start: int, end: int) -> bool:
    return spans.overlaps(start, end)


def _unit_after(line: str, position: int) -> tuple[int, str | None, bool]:
    """The unit written right after a number: (end, canonical unit, whether it is a word)."""
    rest = line[position:]
    symbol = re.match(r"\s?(%o|‰|%)(?![^\W\d_])", rest) or re.match(r"\s?(%)", rest)
    if symbol:
        end = position + symbol.end()
        plan = re.match(r"\s?(?:KH|kế hoạch)\b", line[end:])
        if symbol.group(1) == "%" and plan:
            return end + plan.end(), "% kế hoạch", False
        return end, canonical_unit(symbol.group(1)), False
    lowered = rest.lower()
    for form, canonical in unit_vocabulary():
        form_lower = form.lower()
        attached = not form[0].isalpha() or form_lower in ("đ", "gr") or form_lower.startswith("đ/")
        for prefix in (" ", "") if attached else (" ",):
            candidate = prefix + form_lower
            if lowered.startswith(candidate):
                after = position + len(candidate)
                if after < len(line) and (line[after].isalnum()):
                    continue
                per = re.match(
                    r"\s?/\s?(?:\d[\d.]*\s+(?:dân|người dân|trẻ đẻ sống)|tuần|tháng|năm|ngày|"
                    r"người|vụ)\b",
                    line[after:],
                )
                if per:
                    tail = re.sub(r"\s*/\s*", "/", line[after : after + per.end()])
                    return after + per.end(), canonical + tail, True
                return after, canonical, True
    return position, None, False


def _paren_state(line: str, position: int) -> tuple[int, int | None]:
    """How many parentheses are open at a position, and where the innermost one opened."""
    return _paren_states(line)[position]


@lru_cache(maxsize=16)
def _paren_states(line: str) -> tuple[tuple[int, int | None], ...]:
    """`_paren_state` at every position of a line, in one pass: asked once per number, a line
    of many numbers would otherwise be rescanned from its start each time."""
    opened: list[int] = []
    states: list[tuple[int, int | None]] = []
    for index, char in enumerate(line):
        states.append((len(opened), opened[-1] if opened else None))
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            opened.pop()
        elif (
            char == "."
            and line[index + 1 : index + 2] == " "
            and line[index + 2 : index + 3].isupper()
        ):
            opened.clear()  # a parenthesis left open does not outlive its sentence
    states.append((len(opened), opened[-1] if opened else None))
    return tuple(states)


def _numbers(text: str, line_start: int, line_end: int, previous_line: str) -> list[_Number]:
    """The figures' numbers in a stretch of running text, with their units and comparators."""
    line = text[line_start:line_end]
    masks = _masks(line, previous_line)
    found: list[_Number] = []
    for match in FIGURE_NUMBER.finditer(line):
        if _overlaps(masks, match.start("num"), match.end("num")):
            continue
        following = line[match.end() :]
        if re.match(rf"\s?[/-]\s?[{UPPER}]", following):
            continue  # a code: "338/QĐ", "25-CT"
        try:
            value = parse_number(match["num"] + ("%" if re.match(r"\s?%", following) else ""))
        except ValueError:
            continue
        high = _parse_optional(match["high"], following)
        denominator = _parse_optional(match["den"], following)
        end, unit, unit_is_word = _unit_after(line, match.end())
        is_year = float(value).is_integer() and 1900 <= value <= 2100 and "." not in match["num"]
        if (
            is_year
            and denominator is None
            and (
                unit is None or unit in ("ngày", "tuổi") or YEAR_LEAD.search(line[: match.start()])
            )
        ):
            continue
        start = match.start()
        comparator: str | None = None
        symbol = COMPARATOR_SYMBOL.search(line[max(0, start - 3) : start])
        if symbol:
            comparator = symbol.group(1)
            start = max(0, start - 3) + symbol.start()
        else:
            words = COMPARATOR_WORDS.search(line[max(0, start - 20) : start])
            if words:
                comparator = COMPARATOR_BY_WORD[words.group(1).lower()]
        raw_number = match["num"]
        small = (
            float(value).is_integer()
            and value < 10
            and len(raw_number) == 1
            and high is None
            and denominator is None
            and comparator is None
            and unit is None
            and not line[: match.start()].rstrip().endswith(":")
        )
        if small:
            continue
        depth, paren = _paren_state(line, match.start())
        found.append(
            _Number(
                start=line_start + start,
                end=line_start + end,
                number_start=line_start + match.start(),
                number_end=line_start + match.end(),
                value=value,
                value_high=high,
                denominator=denominator,
                unit=unit,
                unit_is_word=unit_is_word,
                comparator=comparator,
                depth=depth,
                paren_start=line_start + paren if paren is not None else None,
            )
        )
    return _drop_label_thresholds(text, found)


def _parse_optional(raw: str | None, following: str) -> float | None:
    if not raw:
        return None
    try:
        return parse_number(raw + ("%" if re.match(r"\s?%", following) else ""))
    except ValueError:
        return None


def _drop_label_thresholds(text: str, numbers: list[_Number]) -> list[_Number]:
    """A compared number followed by "chiếm/đạt/là" and another number is part of the label:
    "tỷ lệ trẻ nhẹ cân <2500gr chiếm 1,79%"."""
    kept: list[_Number] = []
    for index, number in enumerate(numbers):
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        if number.comparator and following is not None:
            between = text[number.end : following.start]
            if re.search(r"\b(?:chiếm|đạt|là|bằng)\b", between) and not re.search(
                r"[;,.:()]", between
            ):
                continue
        kept.append(number)
    return kept


def _prose_figures(
    text: str,
    line_start: int,
    line_end: int,
    previous_line: str,
    section: tuple[str, ...],
    defaults: _Defaults,
) -> list[_Draft]:
    numbers = _numbers(text, line_start, line_end, previous_line)
    drafts: list[_Draft] = []
    done: list[_Draft] = []  # figures so far in the line, which later ones may refer back to
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
            continue  # part of a name: "Chương trình Chăm sóc dinh dưỡng 1000 ngày đầu đời"
        label, parent = _prose_label(
            text, line_start, line_end, number, before, region_start, boundary, done, following
        )
        if not label:
            continue
        sentence_start, sentence_end = _sentence(text, line_start, line_end, number.start)
        draft = _Draft(
            number=number,
            label=label,
            kind=_prose_kind(
                before,
                boundary,
                text[max(sentence_start, number.start - LOOK_BACK_CHARS) : number.start],
                parent,
                section,
                defaults,
            ),
            year=_prose_year(
                text,
                *_sentence(text, line_start, line_end, number.start, ",;:"),
                number,
                section,
                defaults,
            ),
            scope=_scope(label, section, defaults),
        )
        done.append(draft)
        drafts.append(draft)
    return drafts


def _clause_start(
    text: str,
    line_start: int,
    position: int,
    previous: _Number | None,
    numbers: list[_Number],
) -> tuple[int, str]:
    """Where the clause holding a number begins, and what ends the one before it.

    A parenthetical without figures belongs to the label ("tỷ số giới tính khi sinh (bé trai/100
    bé gái) là 107/100"). Right after another figure the clause begins where that figure's own
    words stop ("13 cơ sở với số tiền là 43,45 triệu đồng"), or it is "figure" when no such stop
    comes.
    """
    floor = line_start
    if previous is not None and previous.end > floor:
        floor = previous.end
    index = position - 1
    while index >= floor:
        char = text[index]
        if char == ")":
            opening = _opening_paren(text, floor, index)
            if opening is not None and not any(
                opening < n.start and n.end <= index for n in numbers
            ):
                index = opening - 1
                continue
        if char in BOUNDARY_CHARS or (char == "." and text[index + 1 : index + 2] in (" ", "\n")):
            if char == "\n" and text[index - 1 : index] == ":":
                return index + 1, ":"  # "Số hồ sơ giải quyết sớm hạn:" then "1117 hồ sơ"
            return index + 1, char
        index -= 1
    if previous is not None and floor == previous.end:
        if previous.unit_is_word and (previous.unit or "").split("/")[0] in MEASURE_UNITS:
            return floor, "stop"  # "kết dư 2,5 tỷ đơn vị tạm chi tết cho nhân viên 0,5 tỷ"
        stop = GAP_STOP.search(text, floor, position)
        if stop is not None:
            return stop.end(), "stop"
        return floor, "figure"
    return floor, "line"


def _opening_paren(text: str, floor: int, closing: int) -> int | None:
    depth = 0
    for index in range(closing, floor - 1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return None


def _clause_end(text: str, position: int, line_end: int) -> int:
    match = CLAUSE_END.search(text, position, line_end)
    return match.start() if match else line_end


def _sentence(
    text: str, line_start: int, line_end: int, position: int, over: str = ",;"
) -> tuple[int, int]:
    """The sentence around a position; it goes back over a line break after "," or ";"
    ("Phấn đấu đến năm 2030, trên 95% …;" then "100% người có nguy cơ cao …"), and for a year
    also after an introducing colon ("* Tình hình cung ứng năm 2023:")."""
    start = line_start
    while start > 0 and text[start - 1] == "\n" and text[max(0, start - 2)] in over:
        previous_start = text.rfind("\n", 0, start - 1) + 1
        start = previous_start
    for match in SENTENCE_END.finditer(text, start, position):
        start = match.end()
    end_match = SENTENCE_END.search(text, position, line_end)
    return start, end_match.start() if end_match else line_end


def _clean_label(label: str, keep: Literal["start", "end"] = "end") -> str:
    """Label words without bullets, fillers, connectives at the ends or dated parentheticals;
    a long label keeps its words nearest the number."""
    label = DATED.sub(" ", label)
    label = DIGIT_PARENTHETICAL.sub("", label)
    label = re.sub(r"\(\s*\)", " ", label)
    label = BULLET.sub("", label).strip()
    # only MAX_LABEL_CHARS survive; trimming a run of fillers one at a time over a whole
    # flattened table would be quadratic
    if len(label) > LOOK_BACK_CHARS:
        label = label[-LOOK_BACK_CHARS:] if keep == "end" else label[:LOOK_BACK_CHARS]
    previous = None
    while previous != label:
        previous = label
        label = LEADING_FILLER.sub("", label.lstrip(") ")).strip(" ,:;-–")
        if keep == "end":
            label = LEADING_KIND.sub("", label).strip(" ,:;-–")
        label = LEADING_NUMBER.sub("", label)
        label = TRAILING_CONNECTIVE.sub("", label).strip(" ,:;-–")
        label = BULLET.sub("", label).strip()
    if label.count("(") != label.count(")"):
        label = label.replace("(", "").replace(")", "")
    label = re.sub(r"\s+", " ", label).strip(" ,:;-–")
    if len(label) > MAX_LABEL_CHARS:
        if keep == "end":
            cut = label[-MAX_LABEL_CHARS:]
            label = cut.split(" ", 1)[1] if " " in cut else cut
        else:
            label = label[:MAX_LABEL_CHARS].rsplit(" ", 1)[0]
    return label.strip(" ,:;-–")


def _meaningful(label: str) -> bool:
    return any(word.lower() not in GENERIC_WORDS for word in WORD.findall(label))


def _after_words(text: str, number: _Number, line_end: int, limit: int) -> str:
    """The words a number governs, with a word unit: "51.511/49.759 người áp dụng các BPTT hiện
    đại", "Trên 95% dân số tham gia bảo hiểm y tế", "75/75 xã, phường, thị trấn đạt …"."""
    end_limit = min(line_end, limit)
    unit_words = text[number.number_end : number.end].strip() if number.unit_is_word else ""
    position = number.end
    covered = number.end  # the words kept run from the number to here
    first = True
    while position < end_limit:
        stop = _after_stop(text, position, end_limit)
        end = stop.start() if stop else end_limit
        piece = text[position:end]
        if not first and ((not stop and end == limit) or CLAUSE_OPENER.match(piece)):
            break  # a new clause, or the words that lead to the next figure
        if stop and text[stop.start()] == ":" and not first:
            break  # a heading for what follows
        covered = end
        syllables = len(WORD.findall(piece)) + (len(WORD.findall(unit_words)) if first else 0)
        first = False
        if not stop or text[stop.start()] != "," or not 1 <= syllables <= 3:
            break
        position = stop.end()  # a short item of a list: "xã, phường, thị trấn …"
    rest = AFTER_TIME.sub("", text[number.end : covered].strip(" ,")).strip()
    rest = _clean_label(rest, keep="start") if rest else ""
    if not rest:
        return ""
    return (
        _clean_label(f"{unit_words}{text[number.end : covered]}", keep="start")
        if unit_words
        else rest
    )


def _after_stop(text: str, position: int, end: int) -> re.Match[str] | None:
    """The next stop after a number's words, reading through a parenthetical without figures:
    "100% cơ sở điều trị (BV, TTYT, BV tư nhân) đạt loại khá"."""
    while True:
        stop = AFTER_STOP.search(text, position, end)
        if stop is None or text[stop.start()] != "(":
            return stop
        closing = text.find(")", stop.start(), end)
        if closing == -1:
            return stop
        position = closing + 1


def _extend_before(text: str, line_start: int, position: int, floor: int) -> str:
    """The words before a colon or parenthesis, back to the previous sentence or colon: for
    "Tổng số tai nạn (các loại), ngộ độc, chấn thương: 9.486"."""
    index = position - 1
    while index >= line_start and text[index] in " :(\n":
        index -= 1
    end = index + 1
    # a label keeps at most MAX_LABEL_CHARS of its words nearest the number: looking further
    # back only costs time (a flattened table is one line of thousands of numbers)
    low = max(line_start, floor, end - LOOK_BACK_CHARS)
    while index >= low:
        char = text[index]
        if char in ";:\n" or (char == "." and text[index + 1 : index + 2] in (" ", "\n")):
            break
        index -= 1
    cleaned = _clean_label(text[index + 1 : end])
    head = LABEL_HEAD.search(cleaned)
    if head and "," in cleaned:
        return head.group(1)
    if len(cleaned) > MAX_EXTENDED_CHARS and ", " in cleaned:
        last = cleaned.rsplit(", ", 1)[1]
        if _meaningful(last):
            return last
    return cleaned


def _topic(text: str, line_start: int, colon: int, floor: int) -> str:
    """A short heading before a colon: "Bệnh Tay chân miệng" in "- Bệnh Tay chân miệng: …"."""
    index = colon - 1
    low = max(line_start, floor)
    while index >= low and text[index] not in ";:.()\n":
        index -= 1
    topic = _clean_label(text[index + 1 : colon])
    if not topic or not _meaningful(topic) or len(topic.split()) > 8:
        return ""
    return topic


def _entity(words: str) -> str:
    """Who a parenthesised figure is about: "BVĐK tỉnh Hậu Giang (102%)",
    "… gồm là TTGĐYK (54%)"."""
    pieces = ENTITY_CUT.split(words)
    tail = pieces[-1]
    index = len(pieces) - 1
    while (
        index > 0
        and len(WORD.findall(tail)) <= 3
        and words.rstrip().endswith(tail.rstrip())
        and _ends_with_comma(words, tail)
    ):
        index -= 1
        tail = f"{pieces[index]}, {tail.strip()}"
    return _clean_label(tail)


def _ends_with_comma(words: str, tail: str) -> bool:
    head = words.rstrip()[: len(words.rstrip()) - len(tail.rstrip())].rstrip()
    return head.endswith(",")


def _prose_label(
    text: str,
    line_start: int,
    line_end: int,
    number: _Number,
    before: str,
    region_start: int,
    boundary: str,
    done: list[_Draft],
    limit: int,
) -> tuple[str, _Draft | None]:
    """A figure's label, and the earlier figure it refers back to when it borrows that label."""
    previous_end = done[-1].number.end if done else line_start
    local = _local_label(
        text, line_start, line_end, number, before, region_start, boundary, previous_end, limit
    )
    parent = _parent(number, done)
    if number.depth and number.paren_start is not None:
        earlier = [d for d in done if d.number.end <= number.paren_start]
        gap = text[earlier[-1].number.end if earlier else line_start : number.paren_start]
        if not earlier or (not local and ENTITY_CUT.search(gap)):
            entity = _entity(gap)
            if _meaningful(entity):
                return (f"{entity} – {local}" if local else entity), None
        if parent is not None:
            return (f"{parent.label} – {local}" if local else parent.label), parent
        if local:
            return local, None
        return _meaningful_or_empty(
            _extend_before(text, line_start, number.paren_start, previous_end)
        ), None
    if boundary == "figure" and done:
        return done[-1].label, done[-1]  # the words in between belong to the previous figure
    between = text[previous_end : number.start].lstrip(" ,;:)")
    if done and (
        CONTINUATION_HEAD.match(BULLET.sub("", before).strip())
        or CONTINUATION_HEAD.match(between)
        or BREAKDOWN.search(between)
    ):
        head = parent or done[-1]
        return (f"{head.label} – {local}" if local else head.label), head
    if parent is not None and not _meaningful(_clean_label(before)) and PREDICATE.search(before):
        return (f"{parent.label} – {local}" if local else parent.label), parent
    if local:
        if done and " – " in done[-1].label and _is_breakdown_item(local):
            # a sibling of the breakdown before it: "…: tuyến tỉnh đạt 102,86%; tuyến huyện: …"
            return f"{done[-1].label.rsplit(' – ', 1)[0]} – {local}", done[-1]
        return local, None
    if parent is not None:
        return parent.label, parent
    return _meaningful_or_empty(_extend_before(text, line_start, region_start, previous_end)), None


def _is_breakdown_item(label: str) -> bool:
    """A short name such as "tuyến huyện" or "nguồn địa phương", not an indicator of its own."""
    return len(WORD.findall(label)) <= 4 and not LABEL_HEAD.search(label)


def _meaningful_or_empty(label: str) -> str:
    return label if _meaningful(label) else ""


def _local_label(
    text: str,
    line_start: int,
    line_end: int,
    number: _Number,
    before: str,
    region_start: int,
    boundary: str,
    previous_end: int,
    limit: int,
) -> str:
    """The label from the figure's own clause: the words before it, or the heading before a
    colon, or the words it governs."""
    own = "" if boundary == "figure" else _clean_label(before)
    if boundary == "," and 0 < len(WORD.findall(own)) <= 2:
        # "đã cử đi đào tạo, bồi dưỡng tổng số 214 trường hợp"
        own = _extend_before(text, line_start, number.start, previous_end) or own
    after = _after_words(text, number, line_end, limit)
    existential = bool(EXISTENTIAL_END.search(before))
    counted = number.unit_is_word and (number.unit or "").split("/")[0] not in MEASURE_UNITS
    if _meaningful(own):
        label = own
        if after and _meaningful(after) and (existential or counted or not number.unit_is_word):
            label = _clean_label(f"{before.strip()} {after}") if existential else f"{own} {after}"
        if boundary == ":":
            topic = _topic(text, line_start, region_start - 1, previous_end)
            if topic and topic.lower() not in label.lower():
                label = f"{topic}: {label}"
        return label
    if boundary == ":":
        extended = _extend_before(text, line_start, region_start, previous_end)
        if _meaningful(extended):
            return extended
    if after and _meaningful(after):
        return after
    if counted and boundary in (",", "line") and not number.depth:
        unit_words = text[number.number_end : number.end].strip()
        return unit_words if _meaningful(unit_words) else ""  # "22 sáng kiến, 26 giải pháp"
    return ""


def _parent(number: _Number, done: list[_Draft]) -> _Draft | None:
    """The figure a parenthetical ("1.721.470 (tuyến tỉnh: 193.929 …)") or a bare "đạt 88,81% KH"
    refers back to: the last one before it outside its parentheses."""
    limit = number.paren_start if number.depth and number.paren_start is not None else number.start
    for draft in reversed(done):
        other = draft.number
        if other.start < limit and other.depth <= max(number.depth - 1, 0):
            return draft
    return None


def _has_target(text: str) -> bool:
    """A target word that is not itself reported as met: "(KH <10,45%)", but not "đạt và vượt các
    chỉ tiêu" nor "Chương trình mục tiêu quốc gia"."""
    return any(
        not ACHIEVED.search(text[max(0, m.start() - 25) : m.start()])
        for m in TARGET_WORDS.finditer(text)
    )


def _prose_kind(
    before: str,
    boundary: str,
    sentence_before: str,
    parent: _Draft | None,
    section: tuple[str, ...],
    defaults: _Defaults,
) -> FigureKind | None:
    """Target or result from the words before the figure, then the figure it refers back to,
    then its sentence, then the section path, then the document's default."""
    if boundary != "figure" and _has_target(before):
        return "target"
    zone = " ".join(before.split()[-4:])
    if RESULT_CONNECTIVE.search(zone):
        # "đạt 100%" reports a result, except where the sentence or the section sets goals
        # ("Phấn đấu … đạt", a "Nhiệm vụ … năm 2024" section)
        planned = STRIVE.search(sentence_before) or _section_kind(section) == "target"
        return "target" if planned else "result"
    if parent is not None and parent.kind:
        return parent.kind
    if STRIVE.search(sentence_before):
        return "target"
    keywords = list(KIND_KEYWORD.finditer(sentence_before))
    if keywords:
        last = keywords[-1]
        if last["target"] and not ACHIEVED.search(
            sentence_before[max(0, last.start() - 25) : last.start()]
        ):
            return "target"
        return "result"
    return _section_kind(section) or defaults.kind


def _prose_year(
    text: str,
    sentence_start: int,
    sentence_end: int,
    number: _Number,
    section: tuple[str, ...],
    defaults: _Defaults,
) -> int | None:
    """The nearest year in the figure's sentence (a year in another parenthetical, a start year
    "từ 2004" or one inside a date or code does not count), else the section's, else the default."""
    sentence = text[sentence_start:sentence_end]
    # the nearest year is looked for within reach of the number, not over a whole flattened table
    low = max(0, number.number_start - sentence_start - LOOK_BACK_CHARS)
    high = min(len(sentence), number.end - sentence_start + LOOK_BACK_CHARS)
    masks = _Spans(
        [
            (sentence_start + a, sentence_start + b)
            for pattern in (DATE, DOCUMENT_CODE, URL)
            for a, b in (m.span() for m in pattern.finditer(sentence, low, high))
        ]
    )
    own_paren = number.paren_start
    best: tuple[int, int] | None = None
    for match in YEAR_MENTION.finditer(sentence, low, high):
        absolute = sentence_start + match.start()
        if _overlaps(masks, absolute, sentence_start + match.end()):
            continue
        if START_YEAR.search(sentence[: match.start()]):
            continue
        if number.number_start <= absolute < number.end:
            continue
        depth, paren = _paren_state(sentence, match.start())
        paren = sentence_start + paren if paren is not None else None
        if depth and paren != own_paren:
            continue  # a year in another parenthetical: "107/100 (năm 2022 là 102/100)"
        distance = abs(absolute - number.number_start)
        if best is None or distance < best[0]:
            best = (distance, int(match["to"] or match["from"]))
    if best is not None:
        return best[1]
    return _section_year(section) or defaults.year


def _section_kind(section: tuple[str, ...]) -> FigureKind | None:
    for heading in reversed(section):
        match = SECTION_KIND.search(heading)
        if match:
            return "target" if match["target"] else "result"
    return None


def _section_year(section: tuple[str, ...]) -> int | None:
    for heading in reversed(section):
        year = _last_year(heading)
        if year:
            return year
    return None


def _scope(label: str, section: tuple[str, ...], defaults: _Defaults) -> str | None:
    named = LABEL_FACILITY.search(label)
    if named:
        return named.group(0).strip()
    for heading in reversed(section):
        found = _facility(heading)
        if found:
            return found
    return defaults.scope


def _facility(text: str) -> str | None:
    stations = COMMUNE_STATIONS.search(text)
    facility = FACILITY.search(text)
    if stations and (facility is None or stations.start() > facility.start()):
        return "các TYT xã"
    return facility.group(0).strip() if facility else None
