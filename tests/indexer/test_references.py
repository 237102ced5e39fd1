"""Citations of legal documents: code keys, legal bases and citation fields, pinned on the seeds."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from indexer.clean import clean_text
from indexer.references import (
    CODE,
    DOC_TYPE_BY_ABBREVIATION,
    TYPE_WORDS,
    document_type_for_code,
    extract_references,
    normalize_code,
    parse_date,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = ("000", "001", "002", "003", "004")


@cache
def seed_text(prefix: str) -> str:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return clean_text(path.read_text(encoding="utf-8")).text


@cache
def seed_references(prefix: str) -> tuple:
    return tuple(extract_references(prefix, seed_text(prefix)))


def cited(prefix: str, code: str) -> list:
    key = normalize_code(code)
    return [reference for reference in seed_references(prefix) if reference.code == key]


# --- codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("25-CT/TW", "25/CT-TW", "25 - CT/TW", "25-ct/tw", "25 – CT/TƯ"), "25-CT/TW"),
        (("43/2021/QĐ-UBND", "43/2021/qđ-ubnd", "43 / 2021 / QĐ - UBND"), "43/2021/QĐ-UBND"),
        (("02-Ctr/ĐU", "2-CTr/ĐU", "02/Ctr-ĐU"), "2-CTR/ĐU"),
        (("101-NQ/TU", "101/NQ-TU"), "101-NQ/TU"),
        (("74/NQ-HĐND",), "74/NQ-HĐND"),
        (("99/2023/QH15",), "99/2023/QH15"),
        (("7095/KH-UBND",), "7095/KH-UBND"),
        (("774/QÐ-UBND", "774/QĐ-UBND"), "774/QĐ-UBND"),  # Ð (U+00D0) as a PDF writes Đ
        (("05/2023/NĐ- CP", "5/2023/NĐ-CP"), "5/2023/NĐ-CP"),
        (("105/KH-UNBD",), "105/KH-UNBD"),  # a typo stays: the key says what is written
    ],
)
def test_spellings_of_one_code_share_one_key(spellings: tuple[str, ...], key: str) -> None:
    assert {normalize_code(spelling) for spelling in spellings} == {key}


@pytest.mark.parametrize("prefix", SEEDS)
def test_normalised_keys_are_stable(prefix: str) -> None:
    for reference in seed_references(prefix):
        assert normalize_code(reference.code) == reference.code


@pytest.mark.parametrize(
    "example",
    [
        "43/2021/QĐ-UBND",
        "67/2024/QĐ-UBND",
        "99/2023/QH15",
        "25-CT/TW",
        "25/CT-TW",
        "02-Ctr/ĐU",
        "101-NQ/TU",
        "74/NQ-HĐND",
        "7095/KH-UBND",
        "387/SYT",
        "05/2023/NĐ- CP",
        "774/QÐ-UBND",
    ],
)
def test_code_pattern_takes_seed_codes_whole(example: str) -> None:
    match = CODE.fullmatch(example)
    assert match is not None and match["number"] == example.split("/")[0].split("-")[0]


@pytest.mark.parametrize(
    "text",
    [
        "Số: /KH-SYT",  # a number left blank
        "ngày 18/10/2021 của",  # a date
        "năm 2024- Tăng cường",  # a year and a dash
        "100%(75/75)",  # a fraction
        "2,0-2,1 con",
    ],
)
def test_code_pattern_ignores_what_is_not_a_code(text: str) -> None:
    assert CODE.search(text) is None
    assert extract_references("x", text) == []


@pytest.mark.parametrize(
    ("code", "doc_type"),
    [
        ("338/QĐ-UBND", "Quyết định"),
        ("/KH-SYT", "Kế hoạch"),
        ("25-CT/TW", "Chỉ thị"),
        ("02-Ctr/ĐU", "Chương trình"),
        ("12/2023/QĐ-UBND", "Quyết định"),
        ("99/2023/QH15", None),  # a Luật or a Nghị quyết: the letters do not say
        ("387/SYT", None),
    ],
)
def test_type_is_read_from_code_letters(code: str, doc_type: str | None) -> None:
    assert document_type_for_code(code) == doc_type


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("13/01/2025", "2025-01-13"),
        ("20/3/2015", "2015-03-20"),
        ("10 tháng 12 năm 2024", "2024-12-10"),
        ("06 tháng 01 năm 2023", "2023-01-06"),
        ("31/02/2024", None),
    ],
)
def test_dates_are_iso(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


# --- legal bases -------------------------------------------------------------------------------

# The codes each seed cites as its legal basis, as the seed writes them. 000 and 001 give theirs
# in "Căn cứ …" clauses. 002 and 003 open with "Thực hiện …, Sở Y tế xây dựng kế hoạch … như
# sau:" instead: that opening clause names what the document implements, so it counts as a basis.
# 004 has lost its preamble; its "Căn cứ Quyết định của Thủ tướng Chính phủ: …" clause before the
# 2024 tasks lists the bases below. Citations nested in another's subject (20-NQ/TW and 21-NQ/TW
# inside Kế hoạch 46 and 55) are not bases themselves.
LEGAL_BASES = {
    "000": ("43/2021/QĐ-UBND", "67/2024/QĐ-UBND", "191/QĐ-UBND", "338/QĐ-UBND"),
    "001": ("101-NQ/TU", "74/NQ-HĐND", "116/QĐ-UBND", "506/QĐ-UBND"),
    "002": ("7095/KH-UBND", "02-Ctr/ĐU"),
    "003": ("25-CT/TW",),
    "004": (
        "376/QĐ-TTg",
        "2348/QĐ-TTg",
        "1092/QĐ-TTg",
        "681/QĐ-TTg",
        "46/KH-UBND",
        "55/KH-UBND",
        "2135/QĐ-UBND",
        "100/KH-UBND",
        "105/KH-UNBD",
    ),
}


@pytest.mark.parametrize("prefix", SEEDS)
def test_legal_bases_of_each_seed(prefix: str) -> None:
    bases = {reference.code for reference in seed_references(prefix) if reference.is_legal_basis}
    assert bases == {normalize_code(code) for code in LEGAL_BASES[prefix]}


def test_thuc_hien_in_the_body_reports_work_and_is_not_a_basis() -> None:
    # 004 "I. Bối cảnh thực hiện": "Thực hiện Quyết định số 2143/QĐ-UBND …" after its headings.
    (reference,) = cited("004", "2143/QĐ-UBND")
    assert not reference.is_legal_basis


def test_thuc_hien_opening_a_document_is_a_basis() -> None:
    text = (
        "KẾ HOẠCH\nPhòng chống sốt xuất huyết năm 2025\n"
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 02/01/2025 của UBND tỉnh, Sở Y tế xây dựng kế "
        "hoạch như sau:\nI. Mục tiêu\nThực hiện Quyết định số 5/QĐ-SYT ngày 03/01/2025.\n"
    )
    bases = {ref.code: ref.is_legal_basis for ref in extract_references("x", text)}
    assert bases == {"12/KH-UBND": True, "5/QĐ-SYT": False}


def test_citation_nested_in_a_subject_is_not_itself_a_basis() -> None:
    # 000: Quyết định 67/2024 amends the rules "ban hành kèm theo Quyết định số 43/2021/QĐ-UBND".
    direct, nested = cited("000", "43/2021/QĐ-UBND")
    assert direct.is_legal_basis and not nested.is_legal_basis
    (amending,) = cited("000", "67/2024/QĐ-UBND")
    assert amending.start < nested.start and nested.end == amending.end


def test_numbered_can_cu_in_the_body_is_not_a_basis() -> None:
    # 003 "3. Căn cứ Chỉ thị số 25-CT/TW, …, đề nghị …" tells others what to act on.
    text = "I. Tổ chức\n3. Căn cứ Chỉ thị số 25-CT/TW, các cấp ủy tổ chức thực hiện.\n"
    (reference,) = extract_references("x", text)
    assert not reference.is_legal_basis


# --- citation fields ---------------------------------------------------------------------------


def test_citation_fields_of_a_decision() -> None:
    first = seed_references("000")[0]
    assert (first.doc_type, first.code, first.number) == ("Quyết định", "43/2021/QĐ-UBND", "43")
    assert (first.date, first.issuer) == ("2021-10-18", "UBND tỉnh Long An")
    assert first.subject == (
        "ban hành Quy định phân cấp quản lý cán bộ,công chức, viên chức trong các cơ quan, "
        "đơn vị trên địa bàn tỉnh Long An"
    )
    assert first.raw.startswith("Quyết định số 43/2021/QĐ-UBND ngày 18/10/2021 của UBND")
    assert first.raw.endswith("trên địa bàn tỉnh Long An")  # the ";" ends the clause


def test_citation_without_so() -> None:
    (reference,) = cited("000", "67/2024/QĐ-UBND")
    assert reference.raw.startswith("Quyết định 67/2024/QĐ-UBND ngày 10/12/2024")
    assert (reference.doc_type, reference.date) == ("Quyết định", "2024-12-10")
    assert reference.issuer == "UBND tỉnh Long An"


def test_date_written_in_words_and_party_code() -> None:
    (reference,) = cited("001", "101-NQ/TU")
    assert (reference.doc_type, reference.date) == ("Nghị quyết", "2024-12-06")
    assert reference.issuer == "Ban Chấp hành Đảng bộ tỉnh"
    assert reference.subject == "phương hướng, nhiệm vụ năm 2025"


def test_state_style_spelling_of_a_party_code_is_the_same_document() -> None:
    # 001 writes "Chỉ thị số 25/CT-TW", 002 and 003 write "25-CT/TW".
    assert cited("001", "25/CT-TW") and cited("002", "25-CT/TW") and cited("003", "25-CT/TW")
    assert {ref.code for ref in cited("001", "25/CT-TW")} == {"25-CT/TW"}


def test_footnote_marker_is_not_part_of_the_issuer() -> None:
    # 001: "… theo Nghị quyết số 99/2023/QH15 của Quốc hội1; Chỉ thị số 25/CT-TW … Ban Bí thư2."
    in_text = cited("001", "99/2023/QH15")[0]
    assert in_text.issuer == "Quốc hội" and in_text.raw.endswith("của Quốc hội")
    assert cited("001", "25-CT/TW")[0].issuer == "Ban Bí thư"


def test_issuer_named_before_the_number() -> None:
    # 004: "Căn cứ Quyết định của Thủ tướng Chính phủ: số 376/QĐ-TTg ngày 20/3/2015 phê duyệt …"
    reference = cited("004", "376/QĐ-TTg")[0]
    assert reference.raw.startswith("Quyết định của Thủ tướng Chính phủ: số 376/QĐ-TTg")
    assert (reference.issuer, reference.date) == ("Thủ tướng Chính phủ", "2015-03-20")
    assert reference.subject.startswith("phê duyệt Chiến lược quốc gia phòng, chống bệnh ung thư")


def test_type_of_a_bare_number_comes_from_its_letters() -> None:
    # 004: "… Quyết định số 1092/QĐ-TTg … phê duyệt Chương trình sức khỏe Việt Nam, số 681/QĐ-TTg"
    (reference,) = cited("004", "681/QĐ-TTg")
    assert reference.doc_type == "Quyết định" and reference.raw.startswith("số 681/QĐ-TTg")
    assert reference.subject.startswith("ban hành lộ trình thực hiện các mục tiêu")


def test_subject_stops_at_the_next_citation_of_a_list() -> None:
    first = cited("004", "1092/QĐ-TTg")[0]
    assert first.subject == "phê duyệt Chương trình sức khỏe Việt Nam"


def test_subject_stops_before_the_preamble_main_clause() -> None:
    # 001: "… về việc ban hành Chương trình hành động … năm 2025, Sở Y tế xây dựng Kế hoạch …"
    (reference,) = cited("001", "506/QĐ-UBND")
    assert reference.subject == (
        "ban hành Chương trình hành động thực hiện kế hoạch phát triển kinh tế - xã hội năm 2025"
    )


def test_issuer_stops_where_a_new_clause_starts() -> None:
    # 002: "… của UBND tỉnh Lai Châu Thực hiện Chương trình hành động số 02-Ctr/ĐU …"
    (plan,) = cited("002", "7095/KH-UBND")
    assert plan.issuer == "UBND tỉnh Lai Châu" and plan.subject is None
    programme = cited("002", "02-Ctr/ĐU")[0]
    assert programme.doc_type == "Chương trình" and programme.number == "02"
    assert programme.subject == (
        "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thức XV, nhiệm kỳ 2025-2030"
    )


def test_issuer_keeps_its_parenthesis() -> None:
    (reference,) = cited("002", "21-NQ/TW")
    assert reference.issuer == "Ban Chấp hành Trung ương Đảng (Khóa XII)"
    assert reference.subject == "công tác dân số trong tình hình mới"


def test_required_code_forms_are_found_in_the_seeds() -> None:
    for prefix, code in [
        ("002", "02-Ctr/ĐU"),
        ("001", "101-NQ/TU"),
        ("001", "74/NQ-HĐND"),
        ("001", "99/2023/QH15"),
        ("002", "7095/KH-UBND"),
        ("004", "774/QĐ-UBND"),
        ("004", "5/2023/NĐ-CP"),
    ]:
        assert cited(prefix, code), code


def test_document_own_number_is_not_a_citation() -> None:
    text = (
        "UBND TỈNH LONG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập – Tự do – Hạnh phúc Số: 338/QĐ-SYT Long An, ngày 13 tháng 01 năm 2025\n"
        "QUYẾT ĐỊNH\n(Ban hành kèm theo Quyết định số /QĐ-TTYT ngày / /2025 của TTYT Cần Đước)\n"
    )
    assert extract_references("x", text) == []
    assert all(not ref.code.startswith("/") for ref in seed_references("001"))


def test_code_inside_a_url_is_not_a_citation() -> None:
    text = "http://thuvienphapluat.vn/tim-van-ban.aspx?keyword=376/CT-TTg&area=2"
    assert extract_references("x", text) == []


# --- invariants over every seed ----------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_raw_is_the_cleaned_text_at_its_offsets(prefix: str) -> None:
    text = seed_text(prefix)
    references = seed_references(prefix)
    assert references
    canonical_types = set(TYPE_WORDS.values()) | set(DOC_TYPE_BY_ABBREVIATION.values())
    for reference in references:
        assert reference.doc_id == prefix
        assert 0 <= reference.start < reference.end <= len(text)
        assert text[reference.start : reference.end] == reference.raw
        assert reference.raw == reference.raw.strip()
        assert reference.doc_type in canonical_types
        assert reference.number and reference.number in reference.raw
        if reference.date is not None:
            date.fromisoformat(reference.date)
        if reference.subject is not None:
            assert reference.subject in reference.raw
        if reference.issuer is not None:
            assert reference.issuer in reference.raw
    starts = [reference.start for reference in references]
    assert starts == sorted(starts)
