"""Figure records carry the context an official needs: the list item a figure hangs from, its own
clause, and the year and kind of the section it stands in."""

from __future__ import annotations

import re

import pytest

from indexer.figure_records import build_records
from indexer.models import Document, DocumentAttributes
from indexer.structure import structure

REPORT = """Phần I
KẾT QUẢ THỰC HIỆN CÔNG TÁC Y TẾ NĂM 2023
1. Khám bệnh, chữa bệnh
Kết quả thực hiện các chỉ số khám, chữa bệnh trong năm cụ thể:
- Tổng số lần khám bệnh: 1.721.470 lượt
- Số lần chụp Xquang: 170.271, số lượt chụp MRI: 253
Phần II
MỤC TIÊU, NHIỆM VỤ NĂM 2024
1. Chỉ tiêu
- Tỷ lệ trạm y tế có bác sĩ đạt 100%
"""


def records_of(doc_id: str, text: str) -> dict:
    """The records of one document, by the figure as written."""
    from indexer.figures import extract_figures

    structured = structure(doc_id, text)
    figures = extract_figures(text, structured.passages)
    document = Document(
        doc_id, f"{doc_id}.txt", text, "h", DocumentAttributes(province="Hậu Giang")
    )
    return {r.figure.raw: r for r in build_records([document], structured.passages, figures)}


@pytest.fixture(scope="module")
def report_records():
    return records_of("r", REPORT)


def test_a_part_heading_carries_its_title_so_its_year_reaches_every_figure(report_records):
    assert report_records["1.721.470 lượt"].figure.year == 2023
    assert report_records["1.721.470 lượt"].figure.kind == "result"
    assert report_records["100%"].figure.year == 2024
    assert report_records["100%"].figure.kind == "target"


def test_a_list_item_label_carries_the_line_it_hangs_from(report_records):
    indicator = report_records["1.721.470 lượt"].indicator
    assert indicator.startswith("Kết quả thực hiện các chỉ số khám, chữa bệnh")
    assert "Tổng số lần khám bệnh" in indicator


def test_a_figure_clause_is_the_words_since_the_previous_figure_on_its_line(report_records):
    assert report_records["253"].local == "số lượt chụp MRI"
    assert "Xquang" in report_records["170.271"].local


PROSE = """Phần I
KẾT QUẢ THỰC HIỆN NĂM 2023
1. Các bệnh truyền nhiễm
- Bệnh Sởi: Tổng số ca mắc là 1.204 ca, tăng 30 ca so với cùng kỳ; tỷ lệ mắc/100.000 dân là 12,5. Có 02 ca tử vong, giảm 01 ca so với cùng kỳ.
Công tác kiểm tra được duy trì đều đặn. Tỷ lệ xã có nhân viên thú y: 90% trong năm.
"""


@pytest.fixture(scope="module")
def prose_records():
    return records_of("p", PROSE)


def test_a_line_that_opens_with_its_topic_gives_the_topic_to_every_figure_on_it(prose_records):
    rate = next(r for raw, r in prose_records.items() if raw.startswith("12,5"))
    assert "Bệnh Sởi – tỷ lệ mắc" in rate.indicator  # under its heading's topic, first


def test_a_figure_named_after_its_number_has_those_words_in_its_clause(prose_records):
    deaths = next(r for raw, r in prose_records.items() if raw.startswith("02"))
    assert deaths.local.endswith("tử vong")
    assert "giảm" not in deaths.local  # the next clause is another figure's


def test_a_figure_clause_stays_inside_its_own_sentence(prose_records):
    share = next(r for raw, r in prose_records.items() if raw.startswith("90"))
    assert "nhân viên thú y" in share.local
    assert "kiểm tra" not in share.local


def test_a_figure_keeps_the_rest_of_its_sentence_when_no_other_number_follows():
    records = records_of(
        "t",
        "Phần I\nKẾ HOẠCH NĂM 2030\n1. Mục tiêu\n"
        "- Trên 80% số giường bệnh, ưu tiên tuyến xã, vùng sâu. Hoàn thành trước năm 2030.\n",
    )
    local = records["80%"].local
    assert "ưu tiên tuyến xã, vùng sâu" in local
    assert "Hoàn thành" not in local  # the next sentence is not its


PARENTHESES = """Phần I
KẾT QUẢ THỰC HIỆN NĂM 2023
1. Nhân lực
- Tỷ lệ xã có nữ hộ sinh: 90% (kể cả hợp đồng), 60% (12/20) xã có nữ hộ sinh biên chế.
- Tổng số cuộc kiểm tra: 12 cuộc (8 cuộc định kỳ, 4 cuộc đột xuất).
(Không kể y tế tư nhân) số ca chuyển tuyến: 35 ca.
"""


@pytest.fixture(scope="module")
def parenthesis_records():
    return records_of("q", PARENTHESES)


def test_a_parenthesis_after_a_figure_qualifies_that_figure_not_the_next(parenthesis_records):
    assert "kể cả hợp đồng" in parenthesis_records["90%"].local
    assert "kể cả hợp đồng" not in parenthesis_records["60%"].local


def test_a_parenthesis_opening_a_line_is_that_lines_not_the_figure_above(parenthesis_records):
    transfers = next(r for raw, r in parenthesis_records.items() if raw.startswith("35"))
    assert "Không kể y tế tư nhân" in transfers.local


def test_a_figure_restated_in_parentheses_shares_the_words_after_it(parenthesis_records):
    # "60% (12/20) xã có nữ hộ sinh biên chế": both numbers are the same share
    assert "biên chế" in parenthesis_records["60%"].local
    assert "biên chế" in parenthesis_records["12/20"].local


def test_a_parenthesis_naming_a_part_is_no_restatement(parenthesis_records):
    total = next(r for raw, r in parenthesis_records.items() if raw.startswith("12 cuộc"))
    assert "định kỳ" not in total.local


def test_every_seed_figure_under_a_dated_results_or_plan_section_has_that_year(seed_engine):
    """Over the seeds: a figure under "Kết quả … năm YYYY" or "… năm YYYY" is of year YYYY
    unless its own sentence names another year."""
    dated = re.compile(r"năm (20\d\d)\s*$", re.IGNORECASE)
    checked = 0
    for record in seed_engine.answerer.records:
        years = [int(m.group(1)) for h in record.passage.section if (m := dated.search(h))]
        if not years or re.search(r"20\d\d", record.line):
            continue
        checked += 1
        assert record.figure.year == years[-1], (record.line, record.passage.section)
    assert checked > 100


NESTED = """Phần I
KẾT QUẢ THỰC HIỆN NĂM 2023
2. Dược
- Số đơn vị được kiểm tra: 40 đơn vị.
* Tình hình cung ứng thuốc:
- Tổng tiền thuốc dùng tại bệnh viện: 1.000.000 đồng.
Trong đó:
+ Thuốc sản xuất trong nước: 800.000 đồng.
+ Thuốc nhập khẩu: 200.000 đồng.
- Tổng tiền thuốc điều trị nội trú: 600.000 đồng, trong đó:
+ Thuốc sản xuất trong nước: 450.000 đồng.
- Tổng tiền vật tư y tế: 300.000 đồng.
- Các dự án của chương trình mục tiêu: giải ngân đạt 31%.
+ Tiểu dự án dinh dưỡng: 2.977 triệu đồng.
"""


@pytest.fixture(scope="module")
def nested_records():
    return records_of("n", NESTED)


def test_a_sub_item_hangs_from_the_item_above_it_not_from_its_trong_do(nested_records):
    indicator = nested_records["800.000 đồng"].indicator
    assert indicator.startswith("Tổng tiền thuốc dùng tại bệnh viện – ")
    assert "Trong đó" not in indicator
    assert "1.000.000" not in indicator  # the parent's own figure is not part of the name


def test_sub_items_of_two_parents_with_the_same_label_keep_their_own_parent(nested_records):
    assert nested_records["450.000 đồng"].indicator.startswith("Tổng tiền thuốc điều trị nội trú")


def test_an_item_after_a_sibling_with_sub_items_hangs_from_their_common_parent(nested_records):
    supplies = nested_records["300.000 đồng"].indicator
    assert supplies.startswith("Tình hình cung ứng thuốc – Tổng tiền vật tư y tế")
    assert "nội trú" not in supplies


def test_a_parent_named_before_its_colon_gives_only_that_name(nested_records):
    project = nested_records["2.977 triệu đồng"].indicator
    assert project.startswith("Các dự án của chương trình mục tiêu – Tiểu dự án dinh dưỡng")
    assert "31%" not in project


ENUMERATION = """BÁO CÁO
Kết quả năm 2024
1. Công nghệ thông tin
- 100% cơ sở triển khai kê đơn điện tử (40 cơ sở đã cấp mã liên thông, 15 cơ sở gửi đơn \
về hệ thống, 200 bác sĩ đã cấp mã kê đơn).
- Khám bệnh: 1.000 lượt, chụp X-quang: 300 ca; nội soi 12 ca.
"""


def test_a_comma_between_two_figures_parts_their_clauses():
    records = records_of("e", ENUMERATION)
    # the figure first, then what it counts: the words after the comma are the next figure's
    assert "gửi đơn" in records["15 cơ sở"].local and "cấp mã" not in records["15 cơ sở"].local
    assert "gửi đơn" not in records["200 bác sĩ"].local
    # the label first, then the figure: the words before the comma are the previous figure's
    assert records["300 ca"].local == "chụp X-quang"
    assert "X-quang" not in records["1.000 lượt"].local
    assert records["12 ca"].local == "nội soi"


def test_a_full_stop_inside_a_word_ends_no_sentence():
    text = "BÁO CÁO\nKết quả năm 2024\n- Khám bệnh: 1.000 lượt; số lượt chụp CT.Scanner: 500.\n"
    assert records_of("s", text)["500"].local == "số lượt chụp CT.Scanner"


def test_a_paragraphs_figures_carry_the_heading_they_stand_under():
    text = """BÁO CÁO
Phần I
KẾT QUẢ THỰC HIỆN CÔNG TÁC Y TẾ NĂM 2023
1. Khám bệnh, chữa bệnh bằng y học cổ truyền
Tổng số khám bệnh: 12.000 lượt, chiếm 10% tổng số lượt khám chung.
"""
    indicator = records_of("h", text)["12.000 lượt"].indicator
    assert indicator == "Khám bệnh, chữa bệnh bằng y học cổ truyền – Tổng số khám bệnh"
