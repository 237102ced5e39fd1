"""Figures in tables: a flattened header gives each value column its kind, year and role; a row
gives its label, its unit column and one figure per value cell."""

from __future__ import annotations

from indexer.figures.tables import parse_columns
from tests.indexer.figures.examples import (
    APPENDIX,
    HOSPITAL_TARGETS,
    SECTION_TARGETS,
    figures_in,
    written,
)

# --- header columns ----------------------------------------------------------------------------


def test_header_words_split_into_value_columns() -> None:
    columns, has_unit = parse_columns(
        "TT Chỉ tiêu Đơn vị tính Chỉ tiêu Nghị quyết Đại hội 2026-2030 Năm 2025 KH đến Năm 2030"
    )
    assert has_unit
    assert [(c.name, c.kind, c.year) for c in columns] == [
        ("Chỉ tiêu Nghị quyết Đại hội 2026-2030", "target", 2030),
        ("Năm 2025", "baseline", 2025),
        ("KH đến Năm 2030", "target", 2030),
    ]
    columns, _ = parse_columns("Nội dung Thực hiện Tỷ lệ So sánh cùng kỳ")
    assert [(c.name, c.role) for c in columns] == [
        ("Thực hiện", "value"),
        ("Tỷ lệ", "ratio"),
        ("So sánh cùng kỳ", "change"),
    ]
    columns, _ = parse_columns("TT Chỉ số Đơn vị tính Năm 2025 Ghi chú")
    assert [(c.name, c.kind, c.year, c.role) for c in columns] == [
        ("Năm 2025", None, 2025, "value"),
        ("Ghi chú", None, None, "note"),
    ]


def test_plan_and_result_columns_are_targets_and_results_of_their_year() -> None:
    columns, has_unit = parse_columns("TT Chỉ tiêu ĐVT KH 2023 TH 2023")
    assert has_unit
    assert [(c.name, c.kind, c.year) for c in columns] == [
        ("KH 2023", "target", 2023),
        ("TH 2023", "result", 2023),
    ]


def test_a_header_without_a_unit_column_says_so() -> None:
    columns, has_unit = parse_columns("Nội dung Chỉ tiêu")
    assert not has_unit
    assert [(c.name, c.kind) for c in columns] == [("Chỉ tiêu", "target")]


# --- rows --------------------------------------------------------------------------------------


def test_header_columns_give_each_cell_its_kind_and_year() -> None:
    figures = figures_in(SECTION_TARGETS)
    stunting = [f for f in figures if f.label.startswith("Tỷ lệ trẻ em dưới 5 tuổi")]
    assert [(f.value, f.comparator, f.kind, f.year, f.unit) for f in stunting] == [
        (17, "<", "target", 2030, "%"),
        (19.93, None, "baseline", 2025, "%"),
        (17, "<", "target", 2030, "%"),
    ]
    assert stunting[0].label == "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (thể thấp còi)"
    life = [f for f in figures if f.label == "Tuổi thọ trung bình"]
    assert [(f.value, f.kind, f.year, f.unit) for f in life] == [
        (70, "target", 2030, "tuổi"),
        (68.5, "baseline", 2025, "tuổi"),
        (70, "target", 2030, "tuổi"),
    ]


def test_age_in_a_row_label_is_not_a_figure() -> None:
    values = [f.value for f in figures_in(SECTION_TARGETS)]
    assert 5 not in values and 3 not in values


def test_plan_and_result_columns_of_a_report() -> None:
    figures = figures_in(
        """1.2. Các chỉ tiêu hoạt động của ngành
TT Chỉ tiêu ĐVT KH 2023 TH 2023
1 Tuổi thọ trung bình Tuổi 75 75
4 Tỷ suất chết trẻ em dưới 1 tuổi %o <8,5 2,34
"""
    )
    assert [(f.value, f.kind, f.year, f.unit, f.comparator) for f in figures] == [
        (75, "target", 2023, "tuổi", None),
        (75, "result", 2023, "tuổi", None),
        (8.5, "target", 2023, "‰", "<"),
        (2.34, "result", 2023, "‰", None),
    ]
    assert figures[2].label == "Tỷ suất chết trẻ em dưới 1 tuổi"


def test_unit_column_is_taken_out_of_the_label() -> None:
    doctors = written(figures_in(APPENDIX), "2,1")
    assert (doctors.label, doctors.value, doctors.unit) == ("Bác sĩ/vạn dân", 2.1, "bác sĩ")
    assert (doctors.kind, doctors.year) == ("target", 2025)


def test_range_per_hundred_keeps_both_ends_and_the_denominator() -> None:
    ratio = written(figures_in(APPENDIX), "103-105/100")
    assert (ratio.value, ratio.value_high, ratio.denominator) == (103, 105, 100)
    assert ratio.label == "Giảm tỷ lệ mất cân bằng giới tính khi sinh"
    assert ratio.unit == "bé trai/100 bé gái"


def test_numbers_inside_a_row_label_are_not_figures() -> None:
    figures = figures_in(APPENDIX)
    communes = written(figures, "17")
    assert communes.unit == "xã" and "17/17 xã" in communes.label
    children = written(figures, "≥62")
    assert (children.value, children.comparator, children.unit) == (62, "≥", "%")
    assert [f.raw for f in figures] == ["2,1", "103-105/100", "17", "≥62"]


def test_table_count_keeps_every_digit_group() -> None:
    visits = written(figures_in(HOSPITAL_TARGETS), "235.387")
    assert (visits.value, visits.unit, visits.label) == (235387, None, "Số lượt khám bệnh")
    assert (visits.kind, visits.year) == ("target", 2025)


def test_sub_rows_carry_the_label_of_their_group_row() -> None:
    figures = figures_in(
        """2. Chỉ tiêu
TT Chỉ tiêu ĐVT 2024
10 Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng
- Cân nặng theo tuổi % 10,42
- Chiều cao theo tuổi % < 22
11 Tỷ lệ xã đạt chuẩn quốc gia về y tế % 100
"""
    )
    assert [(f.label, f.value, f.comparator, f.year) for f in figures] == [
        ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng - Cân nặng theo tuổi", 10.42, None, 2024),
        ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng - Chiều cao theo tuổi", 22, "<", 2024),
        ("Tỷ lệ xã đạt chuẩn quốc gia về y tế", 100, None, 2024),
    ]


def test_a_table_flattened_into_running_text_reads_its_own_header() -> None:
    figures = figures_in(
        """Hoạt động chương trình chống lao đạt các chỉ tiêu.
Nội dung Thực hiện Tỷ lệ So sánh cùng kỳ
* Khám phát hiện :
- Tổng số 1.341 105.6% -4.1%
- Lao phổi M(+) mới 1.060 128.6% 0.8%
""",
        default_kind="result",
    )
    assert [(f.label, f.value, f.unit) for f in figures] == [
        ("Khám phát hiện - Tổng số", 1341, None),
        ("Khám phát hiện - Tổng số (Tỷ lệ)", 105.6, "%"),
        ("Khám phát hiện - Lao phổi M(+) mới", 1060, None),
        ("Khám phát hiện - Lao phổi M(+) mới (Tỷ lệ)", 128.6, "%"),
    ]
