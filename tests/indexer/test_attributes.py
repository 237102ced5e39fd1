"""Document attributes read from cleaned text, pinned on every seed, and sidecar overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from indexer.attributes import (
    PLACE_DATE,
    TITLE_LINE,
    apply_overrides,
    extract_attributes,
    load_provinces,
    signature_start,
)
from indexer.clean import clean_text
from indexer.models import DocumentAttributes

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@cache
def seed_attributes(prefix: str) -> DocumentAttributes:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return extract_attributes(clean_text(path.read_text(encoding="utf-8")).text)


# Who issued each seed and where: (type, number, issuing body, signer, province, district).
# 000 is a Quyết định with its Chương trình attached; its number is left blank ("Số /QĐ-TTYT").
# 001's number is blank too ("Số: /KH-SYT"): the letters give the type, the number stays None.
# 002 has no header: "Sở Y tế xây dựng kế hoạch" names the issuer, "UBND tỉnh Lai Châu" its
# province. 003 names Hậu Giang only through "Báo Hậu Giang". 004 lost its header and its
# signature block has no name, so issuer and signer stay unknown.
IDENTITY = {
    "000": (
        "Quyết định",
        None,
        "Trung tâm Y tế huyện Cần Đước",
        "Võ Thị Thùy Trang",
        "Long An",
        "Cần Đước",
    ),
    "001": ("Kế hoạch", None, "Sở Y tế tỉnh Long An", "Huỳnh Minh Phúc", "Long An", None),
    "002": ("Kế hoạch", None, "Sở Y tế tỉnh Lai Châu", "Nguyễn Thế Phong", "Lai Châu", None),
    "003": ("Chương trình", None, "Ban Thường vụ Tỉnh ủy", "Trần Văn Huyến", "Hậu Giang", None),
    "004": ("Báo cáo", None, None, None, "Hậu Giang", None),
}


@pytest.mark.parametrize("prefix", sorted(IDENTITY))
def test_seed_type_number_issuer_signer_and_place(prefix: str) -> None:
    attributes = seed_attributes(prefix)
    assert (
        attributes.doc_type,
        attributes.number,
        attributes.issuing_body,
        attributes.signer,
        attributes.province,
        attributes.district,
    ) == IDENTITY[prefix]


# (issued date, plan years, title). Only 001 dates itself ("Long An, ngày tháng 01 năm 2025",
# day left blank). 002 has no title block: its title comes from "Trên đây là Kế hoạch …". 004's
# years come from its part headings ("… NĂM 2023", "… NĂM 2024"); it has no title.
DATES_YEARS_TITLES = {
    "000": (
        None,
        (2025,),
        "Quyết định Ban hành Chương trình hành động thực hiện Kế hoạch phát triển kinh tế - xã "
        "hội thuộc lĩnh vực Y tế năm 2025",
    ),
    "001": (
        "2025-01",
        (2025,),
        "Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025",
    ),
    "002": (
        None,
        (2025, 2026, 2027, 2028, 2029, 2030),
        "Kế hoạch Thực hiện Chương trình hành động số 02-Ctr/ĐU ngày 23/10/2025 của Ban Chấp "
        "hành Đảng bộ UBND tỉnh thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thức XV, "
        "nhiệm kỳ 2025-2030 về lĩnh vực Y tế",
    ),
    "003": (
        None,
        (),
        "Chương trình của Ban Thường vụ Tỉnh ủy tiếp tục củng cố, hoàn thiện, nâng cao chất "
        "lượng hoạt động của y tế cơ sở trong tình hình mới theo Chỉ thị số 25-CT/TW ngày "
        "25/10/2023 của Ban Bí thư",
    ),
    "004": (None, (2023, 2024), None),
}


@pytest.mark.parametrize("prefix", sorted(DATES_YEARS_TITLES))
def test_seed_date_plan_years_and_title(prefix: str) -> None:
    attributes = seed_attributes(prefix)
    assert (
        attributes.issued_date,
        attributes.plan_years,
        attributes.title,
    ) == DATES_YEARS_TITLES[prefix]


def test_place_is_the_district_when_there_is_one() -> None:
    assert seed_attributes("000").place == "Cần Đước"
    assert seed_attributes("001").place == "Long An"


# --- small documents ---------------------------------------------------------------------------

HEADER = (
    "UBND TỈNH LONG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "SỞ Y TẾ Độc lập – Tự do – Hạnh phúc Số: 12/KH-SYT Long An, ngày 15 tháng 01 năm 2025\n"
)


def test_document_without_a_signer_has_no_signer() -> None:
    text = (
        HEADER + "KẾ HOẠCH\nPhòng chống dịch năm 2025\nI. Mục tiêu\n- Giảm số ca mắc.\n"
        "Nơi nhận:\n- UBND tỉnh;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n"
    )
    attributes = extract_attributes(text)
    assert attributes.signer is None
    assert attributes.doc_type == "Kế hoạch"
    assert attributes.number == "12/KH-SYT"
    assert attributes.issued_date == "2025-01-15"
    assert attributes.issuing_body == "Sở Y tế tỉnh Long An"
    assert attributes.title == "Kế hoạch Phòng chống dịch năm 2025"


def test_signer_on_one_line_with_title_and_next_heading() -> None:
    text = (
        "QUYẾT ĐỊNH\nBan hành Chương trình năm 2025\nNơi nhận:\n- Lưu: VT.\n"
        "GIÁM ĐỐC Võ Thị Thùy Trang CHƯƠNG TRÌNH HÀNH ĐỘNG\nThực hiện kế hoạch năm 2025\n"
    )
    assert extract_attributes(text).signer == "Võ Thị Thùy Trang"


@pytest.mark.parametrize(
    "block", ["KT. GIÁM ĐỐC\n\nPHÓ GIÁM ĐỐC\n\n\n", "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n"]
)
def test_a_signature_block_starts_at_the_title_lines_above_the_name(block: str) -> None:
    text = f"Nơi nhận:\n- Lưu VT, KHTC.\n{block}Nguyễn Văn An"
    start = signature_start(text, text.index("Nguyễn Văn An"))
    assert text[start:] == f"{block}Nguyễn Văn An"


def test_uppercase_heading_after_a_title_is_not_a_signer() -> None:
    text = "QUYẾT ĐỊNH\nVề việc giao chỉ tiêu\nGIÁM ĐỐC SỞ Y TẾ\nCăn cứ Luật Khám bệnh.\n"
    attributes = extract_attributes(text)
    assert attributes.signer is None
    assert attributes.issuing_body == "Sở Y tế"


def test_issuer_split_over_header_lines_is_joined() -> None:
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH HẬU GIANG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 2135/QĐ-UBND Hậu Giang, ngày 14/12/2023\nQUYẾT ĐỊNH\nVề việc giao chỉ tiêu năm 2024\n"
    )
    attributes = extract_attributes(text)
    assert attributes.issuing_body == "Ủy ban nhân dân tỉnh Hậu Giang"
    assert (attributes.number, attributes.issued_date) == ("2135/QĐ-UBND", "2023-12-14")
    assert (attributes.province, attributes.plan_years) == ("Hậu Giang", (2024,))


def test_title_from_the_closing_sentence_leaves_out_the_issuer() -> None:
    text = (
        "Thực hiện Kế hoạch số 12/KH-UBND của UBND tỉnh Long An, Sở Y tế xây dựng kế hoạch như "
        "sau:\nI. Mục tiêu\nTrên đây là Kế hoạch phòng chống dịch năm 2025 của Sở Y tế./.\n"
    )
    attributes = extract_attributes(text)
    assert attributes.title == "Kế hoạch phòng chống dịch năm 2025"
    assert (attributes.doc_type, attributes.plan_years) == ("Kế hoạch", (2025,))
    assert attributes.issuing_body == "Sở Y tế tỉnh Long An"


def test_nothing_stated_means_nothing_extracted() -> None:
    attributes = extract_attributes("Các đơn vị báo cáo kết quả về Sở Y tế.\n")
    assert attributes == DocumentAttributes()


def test_province_mentioned_as_often_as_another_stays_unknown() -> None:
    text = "Phối hợp với tỉnh Long An và tỉnh Tiền Giang.\n"
    assert extract_attributes(text).province is None


def test_province_level_city_is_not_a_district() -> None:
    text = "KẾ HOẠCH\nPhòng chống dịch năm 2025\nSở Y tế thành phố Cần Thơ xây dựng kế hoạch.\n"
    text = "UBND THÀNH PHỐ CẦN THƠ\nSỞ Y TẾ\n" + text
    attributes = extract_attributes(text)
    assert attributes.issuing_body == "Sở Y tế thành phố Cần Thơ"
    assert (attributes.province, attributes.district) == ("Cần Thơ", None)


# --- named patterns ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "doc_type"),
    [
        ("QUYẾT ĐỊNH", "QUYẾT ĐỊNH"),
        ("KẾ HOẠCH", "KẾ HOẠCH"),
        ("CHƯƠNG TRÌNH", "CHƯƠNG TRÌNH"),
        ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH HÀNH ĐỘNG"),
        ("QUYẾT ĐỊNH:", None),  # the operative part of a decision
        ("Kế hoạch phát triển", None),  # running text
    ],
)
def test_title_line(line: str, doc_type: str | None) -> None:
    match = TITLE_LINE.match(line)
    assert (match["type"] if match else None) == doc_type


@pytest.mark.parametrize(
    ("line", "place", "year", "month", "day"),
    [
        ("Số: /KH-SYT Long An, ngày tháng 01 năm 2025", "SYT Long An", "2025", "01", None),
        ("Hậu Giang, ngày 15 tháng 12 năm 2023", "Hậu Giang", "2023", "12", "15"),
    ],
)
def test_place_date(line: str, place: str, year: str, month: str, day: str | None) -> None:
    match = PLACE_DATE.search(line)
    assert (match["place"], match["year"], match["month"], match["day"]) == (
        place,
        year,
        month,
        day,
    )


def test_gazetteer_lists_the_63_provinces_and_the_2025_names() -> None:
    provinces = load_provinces()
    assert len(provinces) == 63
    assert sum(province.kind == "thành phố" for province in provinces) == 5
    forms = {form for province in provinces for form in (province.name, *province.aliases)}
    after_2025 = {"Huế", "Hồ Chí Minh", "Tây Ninh", "Vĩnh Long", "Cà Mau", "Lào Cai", "Gia Lai"}
    assert after_2025 <= forms
    assert {"Long An", "Lai Châu", "Hậu Giang"} <= {province.name for province in provinces}


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_replace_fields() -> None:
    attributes = seed_attributes("004")
    overridden = apply_overrides(
        attributes,
        {
            "issuing_body": "Sở Y tế tỉnh Hậu Giang",
            "issued_date": date(2023, 12, 15),
            "plan_years": [2024, 2023],
            "number": 123,
        },
    )
    assert overridden == replace(
        attributes,
        issuing_body="Sở Y tế tỉnh Hậu Giang",
        issued_date="2023-12-15",
        plan_years=(2023, 2024),
        number="123",
    )


def test_override_with_a_single_year() -> None:
    assert apply_overrides(DocumentAttributes(), {"plan_years": 2025}).plan_years == (2025,)


def test_unknown_override_keys_are_named() -> None:
    with pytest.raises(ValueError, match="issuer, year"):
        apply_overrides(DocumentAttributes(), {"issuer": "Sở Y tế", "year": 2025, "title": "x"})


@pytest.mark.parametrize(
    "overrides",
    [{"plan_years": ["2025"]}, {"plan_years": "2025"}, {"signer": ["a"]}, {"title": True}],
)
def test_override_of_the_wrong_kind_is_refused(overrides: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(overrides))):
        apply_overrides(DocumentAttributes(), overrides)
