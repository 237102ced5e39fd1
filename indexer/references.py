"""Citations of legal documents in a cleaned document, and the key their số hiệu is looked up by.

A citation is a document type, optionally "số", a code such as `17/2022/QĐ-UBND` or `31-CT/TW`,
then optionally "ngày …", "của <issuer>" and a subject ("về việc …"). `normalize_code` maps the
spellings of one code (`31-CT/TW`, `31/CT-TW`, `31 - ct/tw`) to a single key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from indexer.models import Reference

# Vietnamese capital letters (A-Z, Đ and every vowel with its marks), for regexes that must tell
# "Sở Y tế" from "sở": Python's re has no \p{Lu} and the Latin Extended Additional block
# alternates capital and small letters, so a range such as Ạ-Ỹ would take both.
UPPERCASE_LETTER = "A-ZĐ" + "".join(
    sorted(
        {
            unicodedata.normalize("NFC", vowel + mark).upper()
            for vowel in "aăâeêioôơuưy"
            for mark in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
        }
        - set("AEIOUY")
    )
)

# Type words a citation starts with, as written in any case → canonical type. "Chương trình
# hành động" is filed as "Chương trình", the type DocumentAttributes uses.
TYPE_WORDS = {
    "chương trình hành động": "Chương trình",
    "chương trình": "Chương trình",
    "thông tư liên tịch": "Thông tư liên tịch",
    "thông tư": "Thông tư",
    "quyết định": "Quyết định",
    "nghị quyết": "Nghị quyết",
    "nghị định": "Nghị định",
    "chỉ thị": "Chỉ thị",
    "kế hoạch": "Kế hoạch",
    "kết luận": "Kết luận",
    "luật": "Luật",
    "pháp lệnh": "Pháp lệnh",
    "công văn": "Công văn",
    "hướng dẫn": "Hướng dẫn",
    "đề án": "Đề án",
    "thông báo": "Thông báo",
    "tờ trình": "Tờ trình",
    "phương án": "Phương án",
    "báo cáo": "Báo cáo",
    "quy định": "Quy định",
    "quy chế": "Quy chế",
}

# The type abbreviation inside a code (Nghị định 30/2020/NĐ-CP, appendix III; party documents use
# the same letters) → canonical type. Keys are upper case, as normalize_code leaves them. A Công
# văn carries no type letters ("123/SYT-NVY") and a QH code can be a Luật or a Nghị quyết, so
# neither can be read from the code alone.
DOC_TYPE_BY_ABBREVIATION = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CTR": "Chương trình",
    "KL": "Kết luận",
    "HD": "Hướng dẫn",
    "ĐA": "Đề án",
    "TB": "Thông báo",
    "TTR": "Tờ trình",
    "PA": "Phương án",
    "BC": "Báo cáo",
    "QC": "Quy chế",
    "QĐI": "Quy định",
}

# The type words as one regex alternation, longest first, any run of spaces between words.
TYPE_ALTERNATION = "|".join(
    "[ ]+".join(map(re.escape, word.split())) for word in sorted(TYPE_WORDS, key=len, reverse=True)
)
_CODE_LETTERS = "A-Za-zĐđÐð"  # Ð (U+00D0) stands in for Đ in some PDFs: "629/QÐ-UBND"
_SEGMENT = rf"[A-ZĐÐ][{_CODE_LETTERS}]*\d*(?!\w)"

# A số hiệu with its number: "17/2022/QĐ-UBND", "58/2022/QH15", "31-CT/TW", "31/CT-TW",
# "07-Ctr/ĐU", "46/NQ-HĐND", "215/SYT", "11/2022/NĐ- CP" (a space the PDF put after the hyphen).
# Blank numbers ("Số: /KH-BVĐK") do not match: they have no digit.
CODE_PATTERN = (
    rf"(?<![\w/.,=&?-])(?P<number>\d{{1,5}})(?:[ ]*/[ ]*(?P<year>(?:19|20)\d{{2}}))?"
    rf"(?P<letters>[ ]*[-/][ ]*{_SEGMENT}(?:[ ]*[-/][ ]*{_SEGMENT})*)"
)
CODE = re.compile(CODE_PATTERN)

# What stands right before a code, matched against the text that ends where the code starts.
# "Quyết định số 17/2022/QĐ-UBND", "Quyết định 23/2023/QĐ-UBND", "quyết định số 284/QĐ-BYT",
# "Chương trình hành động số 07-Ctr/ĐU"
TYPED_PREFIX = re.compile(
    rf"(?<!\w)(?P<type>{TYPE_ALTERNATION})[ ]+(?:số[ ]*:?[ ]*)?\Z", re.IGNORECASE
)
# "Căn cứ Quyết định của Bộ trưởng Bộ Y tế: số 284/QĐ-BYT"
TYPED_ISSUER_PREFIX = re.compile(
    rf"(?<!\w)(?P<type>{TYPE_ALTERNATION})[ ]+của[ ]+(?P<issuer>[^:;\n]{{1,80}}?)"
    r"[ ]*:[ ]*số[ ]*\Z",
    re.IGNORECASE,
)
# "Quyết định số 1437/QĐ-TTg …, số 553/QĐ-TTg …": the type is read from the code's letters.
NUMBER_WORD_PREFIX = re.compile(r"(?<!\w)số[ ]*\Z", re.IGNORECASE)
# "Số: 512/QĐ-UBND" in a header is the document's own number, not a citation.
OWN_NUMBER_PREFIX = re.compile(r"(?<!\w)Số[ ]*:[ ]*\Z")

_DATE = (
    r"\d{1,2}[ ]*/[ ]*\d{1,2}[ ]*/[ ]*\d{4}"  # 18/03/2022
    r"|\d{1,2}[ ]+tháng[ ]+\d{1,2}[ ]+năm[ ]+\d{4}"  # 22 tháng 09 năm 2021
    r"|\d{1,2}-\d{1,2}-\d{4}"  # 18-03-2022
)
DATE = re.compile(
    r"(?P<day>\d{1,2})(?:[ ]*/[ ]*|-|[ ]+tháng[ ]+)(?P<month>\d{1,2})"
    r"(?:[ ]*/[ ]*|-|[ ]+năm[ ]+)(?P<year>\d{4})"
)
# ", ngày 18/03/2022" or " ngày 27 tháng 10 năm 2021" right after the code.
DATE_CLAUSE = re.compile(rf",?[ ]*ngày[ ]+(?P<date>{_DATE})")

# Where an issuer ends: before the subject or the next clause, at punctuation, or before a
# footnote marker glued to the last word ("của Quốc hội3;", "của Ban Bí thư4.").
_ISSUER_END = (
    r"(?=[ ]+(?i:về|thực[ ]hiện|phê[ ]duyệt|ban[ ]hành|quy[ ]định|tại|theo|để|nhằm|trong|đến|"
    r"với|gồm|có|đã|được|là|như)(?!\w)"
    # "… tỉnh Sóc Trăng và điều kiện …" ends the issuer; "Bộ Kế hoạch và Đầu tư" does not.
    rf"|[ ]+và[ ]+(?![{UPPERCASE_LETTER}])"
    r"|[ ]*[,;:.()\n]|[ ]*$|(?<=[^\W\d_])\d)"
)
# " của UBND tỉnh Bến Tre", " của Ban Chấp hành Đảng bộ tỉnh (Khóa X)"
ISSUER_CLAUSE = re.compile(
    rf"[ ]+của[ ]+(?P<issuer>[{UPPERCASE_LETTER}][^,;:.()\n]{{0,100}}?"
    rf"(?:[ ]*\([^()\n]{{1,30}}\))?){_ISSUER_END}",
    re.MULTILINE,
)

# Where a subject ends: the clause's end (; : newline, a full stop), "(viết tắt là …)", the next
# citation of a list (", Kế hoạch số 39/KH-UBND", ", số 553/QĐ-TTg") or the main clause of a
# preamble (", Trung tâm Y tế ban hành Kế hoạch …").
_SUBJECT_END = (
    r"(?=[ ]*(?:[;:\n]|\.(?:[ ]|$|/)|$|\((?:viết|gọi)[ ]tắt)"
    rf"|,[ ]+(?i:{TYPE_ALTERNATION})[ ]+(?:số[ ]*)?\d"
    r"|,[ ]+số[ ]*\d"
    rf"|,[ ]+[{UPPERCASE_LETTER}][^,;.\n]{{0,60}}?[ ](?:xây[ ]dựng|ban[ ]hành)[ ]+"
    rf"(?i:{TYPE_ALTERNATION})(?!\w))"
)
# " về việc phân bổ kinh phí …", " về nhiệm vụ trọng tâm năm 2022", " phê duyệt Phương án …",
# " quy định mức chi …", " thực hiện Thông tư …" (verbs in lower case only: in "… tỉnh Kon Tum
# Thực hiện Kế hoạch …" a new clause opens). "về việc"/"về" is dropped, a verb is kept.
SUBJECT_CLAUSE = re.compile(
    r"[ ]+(?:(?P<lead>về[ ]việc|V/v|về)[ ]+"
    r"|(?=(?:phê[ ]duyệt|ban[ ]hành|quy[ ]định|thực[ ]hiện)[ ]))"
    rf"(?P<subject>[^;\n]{{1,600}}?){_SUBJECT_END}",
    re.MULTILINE,
)

# A "Căn cứ …" clause: one block of the cleaned text.
BASIS_CLAUSE = re.compile(r"^Căn cứ(?!\w).*$", re.MULTILINE)
# "Thực hiện Kế hoạch số 4186/KH-UBND …, Trung tâm Y tế xây dựng kế hoạch như sau:" as the
# opening of a document (before its first numbered section) names what the document implements.
IMPLEMENTS_CLAUSE = re.compile(r"^Thực hiện(?!\w).*$", re.MULTILINE)
# The first numbered section ends the preamble: "I. Mục tiêu", "A. MỤC ĐÍCH", "Phần I", "Điều 1."
SECTION_HEADING = re.compile(
    r"^(?:[IVXLC]+\.[ ]|[A-HĐ]\.[ ]|\d{1,2}\.[ ]|Phần[ ]+[IVXLC\d]+|PHẦN[ ]+[IVXLC\d]+|Điều[ ]+\d)",
    re.MULTILINE,
)

_CODE_CHARACTERS = str.maketrans({"Ð": "Đ", "ð": "đ", "–": "-", "—": "-", "‐": "-", "‑": "-"})
# The organ of a party document, written after the slash: 31-CT/TW (Trung ương), 64-NQ/TU (Tỉnh
# ủy), 07-Ctr/ĐU (Đảng ủy), …/HU, …/QU, …/ĐĐ (Đảng đoàn), …/BCSĐ (Ban cán sự đảng).
PARTY_ORGAN = re.compile(r"[A-ZĐ]*(?:TW|TƯ|TU|HU|QU|ĐU|XU|ĐĐ|BCSĐ)")
_PARSED_CODE = re.compile(r"0*(?P<number>\d+)(?:/(?P<year>\d{4}))?[-/](?P<rest>.+)")


@dataclass(frozen=True)
class _Code:
    number: str  # without leading zeros
    year: str | None
    segments: tuple[str, ...]  # letter groups, upper case: ("QĐ", "UBND"), ("CT", "TW")


def _parse_code(code: str) -> _Code | None:
    text = unicodedata.normalize("NFC", code).translate(_CODE_CHARACTERS)
    text = re.sub(r"\s+", "", text).upper()
    match = _PARSED_CODE.fullmatch(text)
    if not match:
        return None
    segments = tuple(
        "TW" if segment == "TƯ" else segment
        for segment in re.split(r"[-/]", match["rest"])
        if segment
    )
    if not segments:
        return None
    return _Code(number=match["number"], year=match["year"], segments=segments)


def normalize_code(code: str) -> str:
    """One key per document code, whatever its spelling.

    Spaces and case are dropped, dashes and Ð unified, leading zeros of the number removed. Party
    documents (organ TW, TU, ĐU, … after the slash) take the form NUMBER-TYPE/ORGAN, so
    `31/CT-TW`, `31 - CT/TW` and `31-ct/tw` all give `31-CT/TW`; state documents keep
    NUMBER[/YEAR]/TYPE-ISSUER: `17/2022/QĐ-UBND`, `46/NQ-HĐND`, `58/2022/QH15`. Typos in the
    issuer part (`208/KH-UNBD`) are kept: the key says what is written, not what was meant.
    """
    parsed = _parse_code(code)
    if parsed is None:
        text = unicodedata.normalize("NFC", code).translate(_CODE_CHARACTERS)
        return re.sub(r"\s+", "", text).upper()
    segments = parsed.segments
    if parsed.year:
        return f"{parsed.number}/{parsed.year}/" + "-".join(segments)
    if len(segments) >= 2 and PARTY_ORGAN.fullmatch(segments[-1]):
        return f"{parsed.number}-{segments[0]}/" + "/".join(segments[1:])
    return f"{parsed.number}/" + "-".join(segments)


def document_type_for_code(code: str) -> str | None:
    """The type a code's letters name ("512/QĐ-UBND" → Quyết định, "/KH-BVĐK" → Kế hoạch)."""
    text = unicodedata.normalize("NFC", code).translate(_CODE_CHARACTERS)
    text = re.sub(r"\s+", "", text).upper()
    text = re.sub(r"^\d*(?:/\d{4})?", "", text)  # number and year, if any
    segments = [segment for segment in re.split(r"[-/]", text) if segment]
    return DOC_TYPE_BY_ABBREVIATION.get(segments[0]) if segments else None


def canonical_type(word: str) -> str | None:
    """The canonical type of a type word in any case ("CHƯƠNG TRÌNH HÀNH ĐỘNG" → Chương trình)."""
    return TYPE_WORDS.get(re.sub(r"\s+", " ", word.strip().lower()))


def parse_date(text: str) -> str | None:
    """ISO date from "18/03/2022", "18-03-2022" or "27 tháng 10 năm 2021"; None if invalid."""
    match = DATE.search(text)
    if not match:
        return None
    try:
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return day.isoformat()


def extract_references(doc_id: str, cleaned_text: str) -> list[Reference]:
    """Every cited legal document, one Reference per occurrence, in text order.

    `is_legal_basis` is True for a citation made directly in a "Căn cứ …" clause, or in the
    "Thực hiện …" clause that opens a document before its first numbered section (002 and 003
    implement their cited plans this way instead of "Căn cứ"). A "Thực hiện …" sentence in the
    body only reports what was done, and a citation nested in another's subject ("ban hành kèm
    theo Quyết định số …") is not itself a basis. Codes whose type cannot be told (no type word,
    letters that name no type) are skipped. `number` is the serial number as written ("07" in
    "07-Ctr/ĐU"); `code` is the normalize_code key, which lookups must use too.
    """
    references: list[Reference] = []
    for match in CODE.finditer(cleaned_text):
        if "/" not in match.group(0):
            continue  # "2024- T…" is not a code; every số hiệu has a slash
        if _in_url(cleaned_text, match.start()):
            continue  # "…tim-van-ban.aspx?keyword=912/CT-TTg&area=2"
        reference = _citation_at(doc_id, cleaned_text, match)
        if reference is not None:
            references.append(reference)
    basis_spans = _basis_spans(cleaned_text)
    return [
        replace(
            reference,
            is_legal_basis=_inside(reference, basis_spans) and not _nested(reference, references),
        )
        for reference in references
    ]


def _citation_at(doc_id: str, text: str, code_match: re.Match[str]) -> Reference | None:
    code_start, code_end = code_match.span()
    line_start = text.rfind("\n", 0, code_start) + 1
    before = text[max(line_start, code_start - 200) : code_start]
    offset = code_start - len(before)

    doc_type: str | None = None
    issuer: str | None = None
    start = code_start
    if typed := TYPED_PREFIX.search(before):
        doc_type, start = canonical_type(typed["type"]), offset + typed.start()
    elif typed_issuer := TYPED_ISSUER_PREFIX.search(before):
        doc_type = canonical_type(typed_issuer["type"])
        issuer = _clean_issuer(typed_issuer["issuer"])
        start = offset + typed_issuer.start()
    elif OWN_NUMBER_PREFIX.search(before):
        return None
    else:
        doc_type = document_type_for_code(code_match.group(0))
        if number_word := NUMBER_WORD_PREFIX.search(before):
            start = offset + number_word.start()
    if doc_type is None:
        return None

    end = code_end
    cited_date: str | None = None
    if date_match := DATE_CLAUSE.match(text, end):
        cited_date = parse_date(date_match["date"])
        end = date_match.end()
    if (issuer_match := ISSUER_CLAUSE.match(text, end)) and issuer is None:
        issuer = _clean_issuer(issuer_match["issuer"])
        end = issuer_match.end()
    subject: str | None = None
    if subject_match := SUBJECT_CLAUSE.match(text, end):
        subject = subject_match["subject"].strip(" ,")
        end = subject_match.end()

    return Reference(
        doc_id=doc_id,
        doc_type=doc_type,
        code=normalize_code(code_match.group(0)),
        raw=text[start:end],
        start=start,
        end=end,
        number=code_match["number"],
        date=cited_date,
        issuer=issuer,
        subject=subject or None,
    )


def _in_url(text: str, position: int) -> bool:
    token_start = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position)) + 1
    token = text[token_start:position]
    return "://" in token or token.startswith("www.")


def _clean_issuer(issuer: str) -> str | None:
    issuer = re.sub(r"\s+", " ", issuer).strip(" ,")
    return issuer or None


def _basis_spans(text: str) -> list[tuple[int, int]]:
    spans = [match.span() for match in BASIS_CLAUSE.finditer(text)]
    first_section = SECTION_HEADING.search(text)
    preamble_end = first_section.start() if first_section else len(text)
    spans += [
        match.span() for match in IMPLEMENTS_CLAUSE.finditer(text) if match.start() < preamble_end
    ]
    return spans


def _inside(reference: Reference, spans: list[tuple[int, int]]) -> bool:
    return any(start <= reference.start and reference.start < end for start, end in spans)


def _nested(reference: Reference, references: list[Reference]) -> bool:
    return any(
        other.start <= reference.start
        and reference.end <= other.end
        and (other.start, other.end) != (reference.start, reference.end)
        for other in references
    )


# PDF stand-ins for Đ and dashes, and a space a PDF put inside a code ("11/2022/NĐ- CP"): not
# how the author wrote it. Case and leading zeros are.
_PRINTED = str.maketrans({"Ð": "Đ", "ð": "đ", "–": "-", "—": "-", "‐": "-", "‑": "-"})


def written_code(reference: Reference) -> str:
    """The code as this citation writes it ("07-Ctr/ĐU", not the key "7-CTR/ĐU"); the key when
    the citation's words do not hold it."""
    for match in CODE.finditer(reference.raw):
        if normalize_code(match[0]) == reference.code:
            return re.sub(r"\s+", "", match[0].translate(_PRINTED))
    return reference.code
