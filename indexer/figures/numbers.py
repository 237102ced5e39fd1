"""Numbers as Vietnamese documents write them: reading one ("48.215", "23,6", "112.3%"), with
its range, denominator, unit and comparator, and finding a figure's numbers in running text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.figures.non_figures import UPPER, YEAR_LEAD, non_figure_spans, overlaps
from indexer.figures.parentheses import paren_state

# Written unit forms and their canonical names, one a line (package data under indexer/data).
UNITS_FILE = Path(__file__).parents[1] / "data" / "figure_units.txt"
# One number as Vietnamese documents write it: thousands with dots ("48.215", "2.604.318",
# "27.481.630.915"), decimals with a comma ("23,6", "8,47", "0,875"), and the dot decimal some
# tables use before a percent sign ("112.3%", "98.50%").
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}(?=\s?%)|\d+(?:,\d+)?"
NUMBER_FORMAT = re.compile(
    r"^(?:(?P<thousands>\d{1,3}(?:\.\d{3})+)(?:,(?P<tdec>\d+))?"
    r"|(?P<dotdec>\d+\.\d{1,2})(?=\s?%)"
    r"|(?P<plain>\d+)(?:,(?P<dec>\d+))?)(?:\s?(?:%o|%|‰))?$"
)
# A number in running text, with an optional upper end ("104-106", "3,5-3,8", "2-3 ngày") and an
# optional denominator ("58/58", "4.912/5.207", "2,418 /2,418", "104-106/100"); never a piece of
# a word ("QH15", "Covid-19"), of a code or of a longer number ("4.0", "2,4,6,8").
FIGURE_NUMBER = re.compile(
    rf"(?<![\w.,/\-–])(?P<num>{NUMBER})"
    rf"(?:\s?[-–]\s?(?P<high>{NUMBER}))?"
    rf"(?:\s?/\s?(?P<den>{NUMBER}))?"
    r"(?!\d)(?![.,]\d)(?!\s?/\s?\d)"
)
# A comparator written as a symbol right before the number: "<15", "> 40%", "≥58", "≤ 3".
COMPARATOR_SYMBOL = re.compile(r"([<>≤≥])=?\s?$")
# A comparator written in words just before the number: "Trên 90%", "dưới 12%",
# "tối thiểu 25%", "chiếm hơn 60%".
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
# Units that measure rather than count: the words after them start a new clause
# ("kết dư 3,8 tỷ đơn vị trích quỹ …").
MEASURE_UNITS = frozenset(
    ["tỷ đồng", "triệu đồng", "nghìn đồng", "đồng", "đồng/người/tháng", "gram", "tuổi", "ngày"]
)


@dataclass(frozen=True)
class FoundNumber:
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


def parse_number(raw: str) -> float:
    """The value of a number written the Vietnamese way.

    Dots group thousands and a comma marks decimals ("48.215" → 48215, "23,6" → 23.6,
    "27.481.630.915" → 27481630915); a dot followed by one or two digits is a decimal only before
    a percent sign ("112.3%" → 112.3). A trailing %, %o or ‰ is allowed and ignored.
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


def unit_after(line: str, position: int) -> tuple[int, str | None, bool]:
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


def figure_numbers(
    text: str, line_start: int, line_end: int, previous_line: str
) -> list[FoundNumber]:
    """The figures' numbers in a stretch of running text, with their units and comparators."""
    line = text[line_start:line_end]
    masks = non_figure_spans(line, previous_line)
    found: list[FoundNumber] = []
    for match in FIGURE_NUMBER.finditer(line):
        if overlaps(masks, match.start("num"), match.end("num")):
            continue
        following = line[match.end() :]
        if re.match(rf"\s?[/-]\s?[{UPPER}]", following):
            continue  # a code: "512/QĐ", "31-CT"
        try:
            value = parse_number(match["num"] + ("%" if re.match(r"\s?%", following) else ""))
        except ValueError:
            continue
        high = _parse_optional(match["high"], following)
        denominator = _parse_optional(match["den"], following)
        end, unit, unit_is_word = unit_after(line, match.end())
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
        depth, paren = paren_state(line, match.start())
        found.append(
            FoundNumber(
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


def _drop_label_thresholds(text: str, numbers: list[FoundNumber]) -> list[FoundNumber]:
    """A compared number followed by "chiếm/đạt/là" and another number is part of the label:
    "tỷ lệ trẻ thừa cân >4000gr chiếm 3,12%"."""
    kept: list[FoundNumber] = []
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
