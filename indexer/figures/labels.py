"""A figure's label in the document's own words, from running text: the words before it, the
heading before a colon, the words it governs, or the figure it refers back to."""

from __future__ import annotations

import re
from typing import Literal

from indexer.figures.drafts import Draft
from indexer.figures.numbers import MEASURE_UNITS, FoundNumber

# How long a label may be, and how far back from a number its words are looked for.
MAX_LABEL_CHARS = 140
MAX_EXTENDED_CHARS = 80
LOOK_BACK_CHARS = 4 * MAX_LABEL_CHARS
# A clause that only says something about the figure before it: "…, đạt 104% kế hoạch năm",
# "…, chiếm tỷ lệ 85%".
PREDICATE = re.compile(r"\b(?:đạt|chiếm|là|bằng)\b", re.IGNORECASE)
# Where the words after a number stop: "38.204/36.918 người áp dụng biện pháp tránh thai, đạt …",
# "12/12 kỳ đạt 100%", "2,35%, tăng 0,12% so với cùng kỳ"; "98% trạm y tế đạt chuẩn quốc gia"
# goes on.
AFTER_STOP = re.compile(
    r"[;:.,()\n]|\s(?=(?:tăng|giảm|so với|so cùng|trong đó|với|là)\b)"
    r"|\s(?=(?:đạt|chiếm|là|bằng)(?:\s+tỷ lệ)?\s+[<>≤≥]?\s?\d)",
    re.IGNORECASE,
)
# A piece after a comma that starts a new clause rather than continuing a list.
CLAUSE_OPENER = re.compile(
    r"^\s*(?:tương đương|tăng|giảm|đạt|chiếm|so|trong đó|bao gồm|gồm|không|chưa|đã|được|là|"
    r"với|có)\b",
    re.IGNORECASE,
)
# Time words after a number say when, not what: "dưới 12% vào năm 2025", "150 giường giai đoạn
# 2021-2025".
AFTER_TIME = re.compile(
    r"^(?:(?:vào|đến|trong|tới|của)\s+)?(?:năm|giai đoạn)\s+\d{4}(?:\s?[-–]\s?\d{4})?\s*"
    r"|^(?:kế hoạch\s+)?(?:cả\s+)?năm\b\s*",
    re.IGNORECASE,
)
# Dates inside a label: "đến ngày 30/06/2022 tỉnh Sóc Trăng có …".
DATED = re.compile(r"(?:(?:từ|đến|tính đến)\s+)?(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{2,4}")
# A clause ending in "có" / "gồm" names what is counted after the number: "toàn huyện có
# 38.204/36.918 người áp dụng …", "mỗi khóm có 02 cộng tác viên dân số …".
EXISTENTIAL_END = re.compile(r"\b(?:có|gồm)\s*$")
# What separates an entity from the words before it: "… đạt kết quả là TTYT TP Cao Lãnh (7%)".
ENTITY_CUT = re.compile(r"\b(?:là|gồm|như)\b|[:;)]|[,.](?=\s)")
BULLET = re.compile(r"^\s*(?:[-+•*–]\s*|\(\d{1,2}\)\s*|[a-zđ]\)\s+)+")
LEADING_FILLER = re.compile(
    r"^(?:(?:trong đó|cụ thể|kết quả cho thấy|kết quả|theo đó|đồng thời|ngoài ra|bên cạnh đó|"
    r"tuy nhiên|với|và|trong năm(?: \d{4})?|năm \d{4}|đến (?:nay|thời điểm hiện tại)|hiện tại|"
    r"tính từ|gồm)\s*[,:]?\s*)+",
    re.IGNORECASE,
)
# Words that say what kind a figure is, not what it measures: "Phấn đấu nâng tỷ lệ …",
# "Kế hoạch chi đầu năm 308,250 tỷ đồng".
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


def _after_words(text: str, number: FoundNumber, line_end: int, limit: int) -> str:
    """The words a number governs, with a word unit: "38.204/36.918 người áp dụng các biện pháp
    tránh thai", "Trên 90% dân số có hồ sơ sức khỏe điện tử", "58/58 xã, phường, thị trấn đạt …"."""
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
        position = stop.end()  # a short item of a list: "ấp, khóm, tổ dân phố …"
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
    "100% cơ sở khám bệnh (BV, PKĐKKV, phòng khám tư nhân) đạt loại tốt"."""
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
    "Tổng số ca cấp cứu (các nguyên nhân), bỏng, đuối nước: 2.318"."""
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
    """A short heading before a colon: "Bệnh Thủy đậu" in "- Bệnh Thủy đậu: …"."""
    index = colon - 1
    low = max(line_start, floor)
    while index >= low and text[index] not in ";:.()\n":
        index -= 1
    topic = _clean_label(text[index + 1 : colon])
    if not topic or not _meaningful(topic) or len(topic.split()) > 8:
        return ""
    return topic


def _entity(words: str) -> str:
    """Who a parenthesised figure is about: "BVĐK tỉnh Sóc Trăng (97%)",
    "… gồm là TTKSBT (48%)"."""
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


def prose_label(
    text: str,
    line_start: int,
    line_end: int,
    number: FoundNumber,
    before: str,
    region_start: int,
    boundary: str,
    done: list[Draft],
    limit: int,
) -> tuple[str, Draft | None]:
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
            # a sibling of the breakdown before it: "…: tuyến tỉnh đạt 97,42%; tuyến huyện: …"
            return f"{done[-1].label.rsplit(' – ', 1)[0]} – {local}", done[-1]
        return local, None
    if parent is not None:
        return parent.label, parent
    return _meaningful_or_empty(_extend_before(text, line_start, region_start, previous_end)), None


def _is_breakdown_item(label: str) -> bool:
    """A short name such as "tuyến huyện" or "nguồn xã hội hóa", not an indicator of its own."""
    return len(WORD.findall(label)) <= 4 and not LABEL_HEAD.search(label)


def _meaningful_or_empty(label: str) -> str:
    return label if _meaningful(label) else ""


def _local_label(
    text: str,
    line_start: int,
    line_end: int,
    number: FoundNumber,
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
        # "đã tổ chức tập huấn, hướng dẫn tổng số 156 trường hợp"
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
        return unit_words if _meaningful(unit_words) else ""  # "14 đề tài, 9 sáng kiến"
    return ""


def _parent(number: FoundNumber, done: list[Draft]) -> Draft | None:
    """The figure a parenthetical ("864.215 (tuyến tỉnh: 127.560 …)") or a bare "đạt 93,47% KH"
    refers back to: the last one before it outside its parentheses."""
    limit = number.paren_start if number.depth and number.paren_start is not None else number.start
    for draft in reversed(done):
        other = draft.number
        if other.start < limit and other.depth <= max(number.depth - 1, 0):
            return draft
    return None
