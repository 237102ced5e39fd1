"""A figure's kind (target / result / baseline), year and scope, from the words before it, its
sentence, the section path or the caller's defaults."""

from __future__ import annotations

import re

from indexer.figures.drafts import Defaults, Draft
from indexer.figures.labels import LOOK_BACK_CHARS
from indexer.figures.non_figures import (
    DATE,
    DOCUMENT_CODE,
    START_YEAR,
    UPPER,
    URL,
    YEAR_MENTION,
    Spans,
    overlaps,
)
from indexer.figures.numbers import FoundNumber
from indexer.figures.parentheses import paren_state
from indexer.models import FigureKind

# Words right before a number that report what was achieved: "đạt 98%", "thực hiện 9 tháng
# 287,415 tỷ", "ước cả năm 94/96 tỷ".
RESULT_CONNECTIVE = re.compile(r"\b(?:đạt|thực hiện|ước|TH)\b", re.IGNORECASE)
# Words that make a number a target: "(KH <8,20%)", "Phấn đấu … dưới 12%", "chỉ tiêu",
# "Kế hoạch chi đầu năm 308,250 tỷ đồng"; "Chương trình mục tiêu quốc gia" is a name.
PLAN = r"(?<!theo )(?<!%)(?<!% )(?<!so với )(?:KH|kế hoạch(?! h(?:óa|oá)))"
GOAL = r"(?<!chương trình )(?<!Chương trình )mục tiêu(?! quốc gia)"
TARGET_WORDS = re.compile(rf"\b(?:{PLAN}|chỉ tiêu|{GOAL}|phấn đấu)\b", re.IGNORECASE)
# Words that are targets even when the clause says "đạt": "Phấn đấu … đạt 90%".
STRIVE = re.compile(rf"\b(?:phấn đấu|{GOAL})\b", re.IGNORECASE)
# A target reported as met: "hoàn thành và vượt các chỉ tiêu được UBND huyện giao".
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
# A named facility: "Trung tâm Y tế huyện Thạnh Phú cơ sở 3", "TTYT huyện Thạnh Phú",
# "BVĐK tỉnh Sóc Trăng", "TTYT TP Cao Lãnh".
FACILITY = re.compile(
    r"(?:Trung tâm Y tế|Trung tâm y tế|TTYT|Bệnh viện Đa khoa|Bệnh viện đa khoa|BVĐK|"
    r"Bệnh viện|Phòng khám đa khoa khu vực|PKĐKKV)\s+"
    r"(?:(?:huyện|thị xã|thành phố|tỉnh|TP\.?|TX)\s+)?"
    rf"[{UPPER}][^\s,.;:()]*(?:\s+[{UPPER}][^\s,.;:()]*)*(?:\s+cơ sở\s+\d+)?"
)
# A health centre or general hospital named in a figure's own words: "TTYT huyện Phú Tân (58%)",
# "BVĐK tỉnh Sóc Trăng (97%)", "TTYT Sa Đéc (41%)".
LABEL_FACILITY = re.compile(
    r"(?:Trung tâm Y tế|Trung tâm y tế|TTYT|BVĐK|Bệnh viện [Đđ]a khoa)\s+"
    r"(?:(?:huyện|thị xã|thành phố|tỉnh|TP\.?|TX)\s+)?"
    rf"[{UPPER}][^\s,.;:()]*(?:\s+[{UPPER}][^\s,.;:()]*)*(?:\s+cơ sở\s+\d+)?"
)
# The commune health stations as a group: "Các trạm Y tế xã", "các TYT xã".
COMMUNE_STATIONS = re.compile(r"\b[Cc]ác\s+(?:trạm\s+[Yy]\s+tế|TYT)\s+xã\b")


def last_year(text: str) -> int | None:
    """The last year a text names (the end of a period: "2026-2030" → 2030)."""
    years = [int(m["to"] or m["from"]) for m in YEAR_MENTION.finditer(text)]
    return years[-1] if years else None


def _has_target(text: str) -> bool:
    """A target word that is not itself reported as met: "(KH <8,20%)", but not "hoàn thành và
    vượt các chỉ tiêu" nor "Chương trình mục tiêu quốc gia"."""
    return any(
        not ACHIEVED.search(text[max(0, m.start() - 25) : m.start()])
        for m in TARGET_WORDS.finditer(text)
    )


def prose_kind(
    before: str,
    boundary: str,
    sentence_before: str,
    parent: Draft | None,
    section: tuple[str, ...],
    defaults: Defaults,
) -> FigureKind | None:
    """Target or result from the words before the figure, then the figure it refers back to,
    then its sentence, then the section path, then the document's default."""
    if boundary != "figure" and _has_target(before):
        return "target"
    zone = " ".join(before.split()[-4:])
    if RESULT_CONNECTIVE.search(zone):
        # "đạt 98%" reports a result, except where the sentence or the section sets goals
        # ("Phấn đấu … đạt", a "Nhiệm vụ … năm 2022" section)
        planned = STRIVE.search(sentence_before) or section_kind(section) == "target"
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
    return section_kind(section) or defaults.kind


def prose_year(
    text: str,
    sentence_start: int,
    sentence_end: int,
    number: FoundNumber,
    section: tuple[str, ...],
    defaults: Defaults,
) -> int | None:
    """The nearest year in the figure's sentence (a year in another parenthetical, a start year
    "từ 2004" or one inside a date or code does not count), else the section's, else the default."""
    sentence = text[sentence_start:sentence_end]
    # the nearest year is looked for within reach of the number, not over a whole flattened table
    low = max(0, number.number_start - sentence_start - LOOK_BACK_CHARS)
    high = min(len(sentence), number.end - sentence_start + LOOK_BACK_CHARS)
    masks = Spans(
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
        if overlaps(masks, absolute, sentence_start + match.end()):
            continue
        if START_YEAR.search(sentence[: match.start()]):
            continue
        if number.number_start <= absolute < number.end:
            continue
        depth, paren = paren_state(sentence, match.start())
        paren = sentence_start + paren if paren is not None else None
        if depth and paren != own_paren:
            continue  # a year in another parenthetical: "109/100 (năm 2021 là 104/100)"
        distance = abs(absolute - number.number_start)
        if best is None or distance < best[0]:
            best = (distance, int(match["to"] or match["from"]))
    if best is not None:
        return best[1]
    return section_year(section) or defaults.year


def section_kind(section: tuple[str, ...]) -> FigureKind | None:
    """The kind the nearest section heading sets ("Mục tiêu …", "Kết quả …")."""
    for heading in reversed(section):
        match = SECTION_KIND.search(heading)
        if match:
            return "target" if match["target"] else "result"
    return None


def section_year(section: tuple[str, ...]) -> int | None:
    """The year the nearest section heading that names one gives."""
    for heading in reversed(section):
        year = last_year(heading)
        if year:
            return year
    return None


def figure_scope(label: str, section: tuple[str, ...], defaults: Defaults) -> str | None:
    """The facility a label names, else the nearest one the section path names, else the default."""
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
