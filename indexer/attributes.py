"""What a document says about itself: type, số hiệu, issuer, date, signer, place, years, title.

Read from the cleaned text's header, title block, preamble and signature block. A field the text
does not state stays None/empty; sidecar metadata fills or corrects fields (`apply_overrides`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from indexer.models import DocumentAttributes
from indexer.references import (
    CODE,
    SECTION_HEADING,
    TYPE_ALTERNATION,
    TYPE_WORDS,
    UPPERCASE_LETTER,
    canonical_type,
    document_type_for_code,
)

PROVINCES_FILE = Path(__file__).parent / "data" / "provinces.txt"
HEADER_WINDOW = 8  # header, title block and preamble authority sit in the first lines

_UPPER_TYPES = "|".join(
    "[ ]+".join(map(re.escape, word.upper().split()))
    for word in sorted(TYPE_WORDS, key=len, reverse=True)
)
# The title block's type line: "QUYẾT ĐỊNH", "KẾ HOẠCH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH";
# the operative "QUYẾT ĐỊNH:" of a decision is not a title.
TITLE_LINE = re.compile(rf"^(?P<type>{_UPPER_TYPES})(?!\w)(?!\s*:)[ ]*(?P<rest>.*)$")
# A report that lost its header opens with its first part: "Phần I" / "KẾT QUẢ THỰC HIỆN NHIỆM VỤ
# DÂN SỐ NĂM 2021".
REPORT_HEADING = re.compile(
    r"^(?:BÁO[ ]CÁO|KẾT[ ]QUẢ[ ]THỰC[ ]HIỆN|TÌNH[ ]HÌNH[ ]THỰC[ ]HIỆN|KẾT[ ]QUẢ[ ]CÔNG[ ]TÁC"
    r"|TỔNG[ ]KẾT)(?!\w)"
)
PART_HEADING = re.compile(r"^(?:Phần|PHẦN)[ ]+[IVXLC\d]+[ ]*$")
# "Trên đây là Kế hoạch Triển khai Đề án số 05-ĐA/HU … về y tế học đường./."
CLOSING_SENTENCE = re.compile(
    rf"^Trên[ ]đây[ ]là[ ]+(?P<title>(?P<type>(?i:{TYPE_ALTERNATION}))"
    r"(?!\w)[^\n]*?)(?=[ ]*\.(?:/\.)?(?:[ ]|$))",
    re.MULTILINE,
)
# "Số: 512/QĐ-UBND", "Số: /KH-BVĐK" (number left blank for the signature date).
OWN_NUMBER = re.compile(r"(?<!\w)Số[ ]*:?[ ]*(?P<token>[\d /]*[-/][ ]*[^\s,]+)")
# "Bến Tre, ngày tháng 03 năm 2022", "Sóc Trăng, ngày 21/11/2021".
PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d_]+(?:[ ]+[^\W\d_]+){0,6})[ ]*,[ ]*ngày[ ]*(?P<day>\d{1,2})?[ ]*"
    r"(?:tháng[ ]*(?P<month>\d{1,2})?[ ]*năm[ ]*(?P<year>\d{4})"
    r"|/[ ]*(?P<month2>\d{1,2})?[ ]*/[ ]*(?P<year2>\d{4}))"
)
# Lines of the national or party motto that share the header's lines with the issuer.
MOTTO = re.compile(
    r"CỘNG[ ]+H(?:ÒA|OÀ)[ ]+XÃ[ ]+HỘI[ ]+CHỦ[ ]+NGHĨA[ ]+VIỆT[ ]+NAM"
    r"|Độc[ ]+lập[ ]*[-–—][ ]*Tự[ ]+do[ ]*[-–—][ ]*Hạnh[ ]+phúc"
    r"|ĐẢNG[ ]+CỘNG[ ]+SẢN[ ]+VIỆT[ ]+NAM"
    r"|[-_=*]{3,}",
    re.IGNORECASE,
)
_AUTHORITY_TITLES = (
    r"(?:PHÓ[ ]+)?(?:GIÁM[ ]+ĐỐC|CHỦ[ ]+TỊCH|BÍ[ ]+THƯ|BỘ[ ]+TRƯỞNG|THỨ[ ]+TRƯỞNG|TRƯỞNG[ ]+BAN"
    r"|TRƯỞNG[ ]+PHÒNG|CHÁNH[ ]+VĂN[ ]+PHÒNG|VIỆN[ ]+TRƯỞNG|CỤC[ ]+TRƯỞNG|HIỆU[ ]+TRƯỞNG"
    r"|THỦ[ ]+TRƯỞNG)"
)
# The decision's preamble names who decides: "GIÁM ĐỐC TRUNG TÂM Y TẾ HUYỆN THẠNH PHÚ",
# "ỦY BAN NHÂN DÂN TỈNH BẾN TRE".
AUTHORITY_LINE = re.compile(
    rf"^(?:{_AUTHORITY_TITLES}[ ]+(?P<body>.+)"
    r"|(?P<collective>(?:ỦY|UỶ)[ ]+BAN[ ]+.+|UBND[ ]+.+|HỘI[ ]+ĐỒNG[ ]+.+|BAN[ ]+.+))$"
)
# A signature: the signer's title in capitals, then the name ("GIÁM ĐỐC\nLê Thị Minh Hạnh",
# "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nPhạm Quốc Bảo", "T/M BAN THƯỜNG VỤ\nBÍ THƯ\nĐỗ Văn Khải").
SIGNATURE_TITLE = re.compile(rf"(?<!\w){_AUTHORITY_TITLES}(?!\w)")
MAX_SIGNATURE_LINES = 12  # lines (blank ones too) between a signer's title and name, and above
MAX_TITLE_LINE_CHARS = 40
RECIPIENTS = re.compile(r"^Nơi[ ]nhận", re.MULTILINE)
# An organisation introducing itself in the preamble: "… nhiệm kỳ 2020-2025 . Trung tâm Y tế xây
# dựng kế hoạch triển khai như sau:", "…, Ban Thường vụ Huyện ủy ban hành Kế hoạch …".
SELF_STATEMENT = re.compile(
    r"(?:^|[.,;:][ ]+)(?P<body>(?:Sở|Ban|Trung[ ]tâm|Ủy[ ]ban|Uỷ[ ]ban|UBND|HĐND|Hội[ ]đồng"
    r"|Bệnh[ ]viện|Bộ|Cục|Chi[ ]cục|Viện|Tỉnh[ ]ủy|Huyện[ ]ủy|Thành[ ]ủy|Đảng[ ]ủy|Phòng|Trạm)"
    r"(?:[ ]+[^ ,;:.\n]+){0,8}?)[ ]+(?:xây[ ]dựng|ban[ ]hành)[ ]+"
    r"(?i:kế[ ]hoạch|chương[ ]trình|quyết[ ]định|báo[ ]cáo|hướng[ ]dẫn|đề[ ]án)(?!\w)",
    re.MULTILINE,
)
_PLACE_KINDS = r"thành[ ]phố|thị[ ]xã|thị[ ]trấn|tỉnh|huyện|quận|xã|phường"
PLACE_IN_NAME = re.compile(rf"(?<!\w)(?P<kind>{_PLACE_KINDS})[ ]+(?=[{UPPERCASE_LETTER}])")
# "huyện Thạnh Phú", "thị xã Vĩnh Châu", "thành phố Sa Đéc" in an issuer or title.
DISTRICT = re.compile(
    rf"(?<!\w)(?P<kind>huyện|quận|thị[ ]xã|thành[ ]phố)[ ]+(?P<name>[{UPPERCASE_LETTER}][^\s,;.()]*"
    rf"(?:[ ]+[{UPPERCASE_LETTER}][^\s,;.()]*)*)"
)
DATE_IN_TEXT = re.compile(
    r"\d{1,2}[ ]*/[ ]*\d{1,2}[ ]*/[ ]*\d{4}|\d{1,2}[ ]+tháng[ ]+\d{1,2}[ ]+năm[ ]+\d{4}"
)
YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})[ ]*[-–][ ]*((?:19|20)\d{2})(?!\d)")
YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")

# Organisation words whose capitals are fixed ("Sở Y tế", "Ban Thường vụ Huyện ủy"): used to put an
# all-capitals issuer ("GIÁM ĐỐC TRUNG TÂM Y TẾ HUYỆN THẠNH PHÚ") back into ordinary case.
ORGANISATION_CASING = (
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Ban Thường vụ",
    "Ban Chấp hành",
    "Ban Bí thư",
    "Ban Giám đốc",
    "Ban cán sự đảng",
    "Sở Y tế",
    "Bộ Y tế",
    "Trung tâm Y tế",
    "Trạm Y tế",
    "Tỉnh ủy",
    "Huyện ủy",
    "Thành ủy",
    "Thị ủy",
    "Đảng ủy",
    "Đảng bộ",
    "Trung ương",
    "Việt Nam",
    "UBND",
    "HĐND",
    "TTYT",
)


@dataclass(frozen=True)
class Province:
    """A province-level unit from the gazetteer."""

    name: str
    kind: str  # "tỉnh" or "thành phố"
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_provinces() -> tuple[Province, ...]:
    """The gazetteer in `indexer/data/provinces.txt`."""
    provinces = []
    for line in PROVINCES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, *aliases = (part.strip() for part in line.split("|"))
        provinces.append(Province(name=name, kind=kind, aliases=tuple(aliases)))
    return tuple(provinces)


@lru_cache(maxsize=1)
def _province_by_form() -> dict[str, Province]:
    return {
        form.lower(): province
        for province in load_provinces()
        for form in (province.name, *province.aliases)
    }


@dataclass(frozen=True)
class _ProvincePatterns:
    any_case: re.Pattern[str]  # "UBND TỈNH BẾN TRE" in a header
    written: re.Pattern[str]  # "Sóc Trăng" as running text writes it
    qualified: re.Pattern[str]  # "tỉnh Sóc Trăng", "thành phố Đà Nẵng"


@lru_cache(maxsize=1)
def _province_patterns() -> _ProvincePatterns:
    forms = sorted(
        {form for province in load_provinces() for form in (province.name, *province.aliases)},
        key=len,
        reverse=True,
    )
    alternation = "|".join("[ ]+".join(map(re.escape, form.split())) for form in forms)
    return _ProvincePatterns(
        any_case=re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE),
        written=re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"),
        qualified=re.compile(
            rf"(?<!\w)(?:[Tt]ỉnh|[Tt]hành[ ]phố|TP\.?)[ ]+(?P<name>{alternation})(?!\w)"
        ),
    )


def _province_named(form: str) -> Province | None:
    return _province_by_form().get(re.sub(r"\s+", " ", form).lower())


def extract_attributes(cleaned_text: str) -> DocumentAttributes:
    """Read a document's attributes from its cleaned text; what is not stated stays empty."""
    lines = cleaned_text.split("\n")
    title_index = _title_line_index(lines)
    header = lines[:title_index] if title_index is not None else []
    first_lines = lines[:HEADER_WINDOW]

    title = _title(lines, title_index)
    issuer = (
        _issuer_from_header(header)
        or _issuer_from_authority_line(lines, title_index)
        or _issuer_from_title(lines, title_index)
        or _issuer_from_self_statement(cleaned_text)
    )
    issued_date, dated_at = _issued_date(first_lines)
    province = _province(cleaned_text, header, issuer, dated_at)
    if issuer and province and issuer.startswith("Sở ") and not PLACE_IN_NAME.search(issuer):
        issuer = f"{issuer} {province.kind} {province.name}"  # "Sở Y tế" of the province named
    if title is None:
        title = _closing_title(cleaned_text, issuer)
    return DocumentAttributes(
        doc_type=_doc_type(lines, title_index, first_lines, cleaned_text),
        number=_own_number(header or first_lines),
        issuing_body=issuer,
        issued_date=issued_date,
        signer=_signer(cleaned_text),
        province=province.name if province else None,
        district=_district(issuer, title),
        plan_years=_plan_years(title) if title else _part_years(lines),
        title=title,
    )


def apply_overrides(
    attributes: DocumentAttributes, overrides: Mapping[str, object]
) -> DocumentAttributes:
    """Replace extracted fields with sidecar values (keys are DocumentAttributes field names).

    Text fields take a string (a TOML date or a number is written out as text); `plan_years`
    takes a year or a list of years. Unknown keys or values of the wrong kind raise ValueError.
    """
    known = {field.name for field in fields(DocumentAttributes)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(
            f"unknown attribute override(s): {', '.join(unknown)}; "
            f"known fields are {', '.join(sorted(known))}"
        )
    changes: dict[str, object] = {}
    for name, value in overrides.items():
        changes[name] = (
            _plan_years_value(value) if name == "plan_years" else _text_value(name, value)
        )
    return replace(attributes, **changes)


def _text_value(name: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"override {name!r} must be text, got {type(value).__name__}: {value!r}")


def _plan_years_value(value: object) -> tuple[int, ...]:
    years = [value] if isinstance(value, int) else value
    if not isinstance(years, list | tuple) or not all(
        isinstance(year, int) and not isinstance(year, bool) for year in years
    ):
        raise ValueError(f"override 'plan_years' must be a year or a list of years, got {value!r}")
    return tuple(sorted(set(years)))


def _title_line_index(lines: list[str]) -> int | None:
    for index, line in enumerate(lines[:HEADER_WINDOW]):
        if line.startswith(("Căn cứ", "Thực hiện")):
            return None
        if TITLE_LINE.match(line):
            return index
    return None


def _doc_type(
    lines: list[str], title_index: int | None, first_lines: list[str], text: str
) -> str | None:
    if title_index is not None:
        match = TITLE_LINE.match(lines[title_index])
        if match:
            return canonical_type(match["type"])
    for line in first_lines:
        if own := OWN_NUMBER.search(line):
            if doc_type := document_type_for_code(own["token"]):
                return doc_type
    if closing := CLOSING_SENTENCE.search(text):
        return canonical_type(closing["type"])
    for line in first_lines[:4]:
        if REPORT_HEADING.match(line):
            return "Báo cáo"
    return None


def _own_number(lines: list[str]) -> str | None:
    """The document's số hiệu from "Số: …"; None when left blank ("Số: /KH-BVĐK").

    The code letters of a blank number still tell the type (see _doc_type); DocumentAttributes
    has no field for a number-less code, so "/KH-BVĐK" itself is not kept.
    """
    for line in lines:
        own = OWN_NUMBER.search(line)
        if own and (code := CODE.match(own["token"])):
            return re.sub(r"\s+", "", code.group(0))
    return None


def _title(lines: list[str], title_index: int | None) -> str | None:
    """The type line in ordinary case, then the one subtitle line under it.

    "KẾ HOẠCH" / "Triển khai công tác phòng chống dịch bệnh năm 2022" →
    "Kế hoạch Triển khai công tác phòng chống dịch bệnh năm 2022". A subtitle opening with
    capitals ("CỦA BAN THƯỜNG VỤ HUYỆN ỦY về …") has those words put back into ordinary case.
    """
    if title_index is None:
        return None
    match = TITLE_LINE.match(lines[title_index])
    if match is None:
        return None
    words = [_sentence_case(match["type"])]
    if match["rest"]:
        words.append(_recase_leading_capitals(match["rest"]))
    if title_index + 1 < len(lines):
        subtitle = lines[title_index + 1]
        if _is_subtitle(subtitle):
            words.append(_recase_leading_capitals(subtitle))
    return " ".join(words)


def _is_subtitle(line: str) -> bool:
    if not line or _is_all_caps(line) or SECTION_HEADING.match(line):
        return False
    if line.startswith(("Căn cứ", "Kính gửi", "Theo đề nghị", "(Ban hành kèm theo")):
        return False
    return not (line.startswith("Thực hiện") and "như sau" in line)


def _closing_title(text: str, issuer: str | None) -> str | None:
    """Title from "Trên đây là Đề án …" when the document has no title block (002)."""
    closing = CLOSING_SENTENCE.search(text)
    if closing is None:
        return None
    title = closing["title"].strip()
    # "… phòng chống dịch năm 2022 của Trung tâm Y tế" ends by naming the issuer, not the title.
    ending = re.search(r" của (?P<body>[^,;]+)$", title)
    if ending and issuer and issuer.startswith(ending["body"]):
        title = title[: ending.start()]
    return title[:1].upper() + title[1:]


def _issuer_from_header(header: list[str]) -> str | None:
    """The issuer from the header's left column.

    "UBND TỈNH BẾN TRE" above "SỞ Y TẾ" gives "Sở Y tế tỉnh Bến Tre": the body on the last line,
    with the place of the body above it when its own name has none.
    """
    fragments: list[str] = []
    for line in header:
        # The two header columns share lines: cut the issuer's words from the motto, the number
        # and the date between them.
        if place_date := _place_date(line):
            line = line[: place_date[0]] + "\n" + line[place_date[1] :]
        line = OWN_NUMBER.sub("\n", MOTTO.sub("\n", line))
        for piece in line.split("\n"):
            fragment = re.sub(r"\s+", " ", piece).strip(" ,;")
            if not _is_all_caps(fragment):
                continue
            if fragments and re.match(rf"^(?:{_PLACE_KINDS.upper()})[ ]", fragment):
                fragments[-1] = f"{fragments[-1]} {fragment}"  # "ỦY BAN NHÂN DÂN" / "TỈNH X"
            else:
                fragments.append(fragment)
    if not fragments:
        return None
    body = fragments[-1]
    issuer = _recase(body)
    if len(fragments) >= 2 and not PLACE_IN_NAME.search(issuer):
        parent = _recase(fragments[-2])
        if place := PLACE_IN_NAME.search(parent):
            issuer = f"{issuer} {parent[place.start() :]}"
        elif re.match(r"^(?:Tỉnh ủy|Huyện ủy|Thành ủy|Đảng ủy)", parent):
            issuer = f"{issuer} {parent}"
    return issuer


def _issuer_from_authority_line(lines: list[str], title_index: int | None) -> str | None:
    if title_index is None:
        return None
    for line in lines[title_index + 1 : title_index + 4]:
        if line.startswith(("Căn cứ", "Thực hiện")):
            return None
        match = AUTHORITY_LINE.match(line)
        if match and _is_all_caps(line):
            return _recase(match["body"] or match["collective"])
    return None


def _issuer_from_title(lines: list[str], title_index: int | None) -> str | None:
    """The issuer a subtitle names: "CỦA BAN THƯỜNG VỤ HUYỆN ỦY …" → Ban Thường vụ Huyện ủy."""
    if title_index is None or title_index + 1 >= len(lines):
        return None
    capitals = _leading_capitals(lines[title_index + 1])
    if capitals.startswith("CỦA "):
        return _recase(capitals[len("CỦA ") :])
    return None


def _issuer_from_self_statement(text: str) -> str | None:
    first_section = SECTION_HEADING.search(text)
    preamble = text[: first_section.start()] if first_section else text[:3000]
    match = SELF_STATEMENT.search(preamble)
    return match["body"] if match else None


def _place_date(line: str) -> tuple[int, int, str, str | None] | None:
    """(start, end, place, ISO date) of "Bến Tre, ngày tháng 03 năm 2022" in a line."""
    match = PLACE_DATE.search(line)
    if match is None:
        return None
    words = list(re.finditer(r"\S+", match["place"]))
    run: list[re.Match[str]] = []
    for word in reversed(words):  # "SYT Bến Tre" → "Bến Tre": the capitalised words before ","
        if not _is_capitalised(word.group(0)):
            break
        run.insert(0, word)
    if not run:
        return None
    place = " ".join(word.group(0) for word in run)
    start = match.start("place") + run[0].start()
    year = match["year"] or match["year2"]
    month = match["month"] or match["month2"]
    return start, match.end(), place, _iso_date(year, month, match["day"])


def _iso_date(year: str | None, month: str | None, day: str | None) -> str | None:
    if not year:
        return None
    if not month:
        return year
    try:
        if not day:
            return date(int(year), int(month), 1).isoformat()[:7]
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _issued_date(first_lines: list[str]) -> tuple[str | None, str | None]:
    for line in first_lines:
        if place_date := _place_date(line):
            return place_date[3], place_date[2]
    return None, None


def _province(
    text: str, header: list[str], issuer: str | None, dated_at: str | None
) -> Province | None:
    """The province the document belongs to, from the strongest evidence present.

    In order: the header or issuer ("UBND TỈNH BẾN TRE"), the place of the date line, the
    province most often written as "tỉnh X"/"thành phố X", the province most often named at all
    ("Báo Sóc Trăng"). A tie among the most frequent leaves it unknown.
    """
    patterns = _province_patterns()
    for source in (*header, issuer or ""):
        if match := patterns.any_case.search(source):
            return _province_named(match.group(0))
    if dated_at and (province := _province_named(dated_at)):
        return province
    for mentions in (
        [match["name"] for match in patterns.qualified.finditer(text)],
        [match.group(0) for match in patterns.written.finditer(text)],
    ):
        names = [_province_named(mention) for mention in mentions]
        counts = Counter(province for province in names if province).most_common(2)
        if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
            return counts[0][0]
    return None


def _district(issuer: str | None, title: str | None) -> str | None:
    for source in (issuer, title):
        if not source:
            continue
        for match in DISTRICT.finditer(source):
            name = match["name"]
            if match["kind"].startswith("thành") and _province_named(name):
                continue  # "thành phố Đà Nẵng" is a province-level city
            return name
    return None


def _signer(text: str) -> str | None:
    """The personal name under the signer's title; the first signature after "Nơi nhận" wins."""
    recipients = RECIPIENTS.search(text)
    names = [
        (match.start(), name)
        for match in SIGNATURE_TITLE.finditer(text)
        if (name := _name_after(text, match.end()))
    ]
    if not names:
        return None
    if recipients:
        after = [name for position, name in names if position > recipients.start()]
        if after:
            return after[0]
    return names[-1][1]


def signature_start(text: str, name_start: int) -> int:
    """Where the signature block of the name at `name_start` begins: the lines in capitals right
    above it ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), blank lines between them skipped."""
    start = name_start
    line_end = text.rfind("\n", 0, name_start)
    for _ in range(MAX_SIGNATURE_LINES):
        if line_end < 0:
            break
        line_start = text.rfind("\n", 0, line_end) + 1
        line = text[line_start:line_end].strip()
        if line:
            if not (line.isupper() and len(line) <= MAX_TITLE_LINE_CHARS):
                break
            start = text.index(line, line_start)
        line_end = line_start - 1
    return start


def _name_after(text: str, position: int) -> str | None:
    """2–5 capitalised words right after a title ("Lê Thị Minh Hạnh"), at most one line down."""
    words: list[str] = []
    for match in re.finditer(r"\s*(\S+)", text[position : position + 120]):
        if match.group(0).count("\n") > (0 if words else 1):
            break
        word = match.group(1)
        if not (word.isalpha() and _is_capitalised(word)):
            break
        words.append(word)
    return " ".join(words) if 2 <= len(words) <= 5 else None


def _plan_years(title: str) -> tuple[int, ...]:
    """Years a title names: "năm 2022" → (2022,), "nhiệm kỳ 2021-2026" → 2021 … 2026.

    Dates ("ngày 14/08/2024") are not plan years and are ignored.
    """
    text = DATE_IN_TEXT.sub(" ", title)
    years: set[int] = set()
    for match in YEAR_RANGE.finditer(text):
        first, last = int(match[1]), int(match[2])
        if 0 < last - first <= 20:
            years.update(range(first, last + 1))
    text = YEAR_RANGE.sub(" ", text)
    years.update(int(match[1]) for match in YEAR.finditer(text))
    return tuple(sorted(years))


def _part_years(lines: list[str]) -> tuple[int, ...]:
    """Years in the headings under "Phần I", "Phần II", … of a document without a title (004)."""
    years: set[int] = set()
    for index, line in enumerate(lines[:-1]):
        if PART_HEADING.match(line):
            years.update(_plan_years(lines[index + 1]))
    return tuple(sorted(years))


def _is_all_caps(text: str) -> bool:
    letters = [character for character in text if character.isalpha()]
    return len(letters) >= 2 and all(character.isupper() for character in letters)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _sentence_case(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text[:1].upper() + text[1:]


def _leading_capitals(line: str) -> str:
    """The run of all-capital words a line opens with ("CỦA BAN THƯỜNG VỤ HUYỆN ỦY")."""
    words: list[str] = []
    for word in line.split():
        letters = [character for character in word if character.isalpha()]
        if not letters or not all(character.isupper() for character in letters):
            break
        if len(letters) == 1 and not words:
            break
        words.append(word)
    return " ".join(words)


def _recase_leading_capitals(line: str) -> str:
    capitals = _leading_capitals(line)
    if len(capitals.split()) < 2:
        return line
    return _recase(capitals, capitalise=False) + line[len(capitals) :]


def _recase(upper: str, *, capitalise: bool = True) -> str:
    """An all-capitals name in ordinary case: "TRUNG TÂM Y TẾ HUYỆN THẠNH PHÚ" →
    "Trung tâm Y tế huyện Thạnh Phú"."""
    text = re.sub(r"\s+", " ", upper).strip().lower()
    for name in sorted(ORGANISATION_CASING, key=len, reverse=True):
        pattern = re.escape(name.lower()).replace("ủy", "(?:ủy|uỷ)")
        text = re.sub(rf"(?<!\w){pattern}(?!\w)", name, text)
    text = re.sub(
        rf"(?<!\w)(?P<kind>{_PLACE_KINDS})[ ]+(?P<name>[^\W\d_][\w ]*)$",
        lambda match: f"{match['kind']} {_title_case(match['name'])}",
        text,
    )
    return text[:1].upper() + text[1:] if capitalise else text


def _title_case(words: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in words.split())
