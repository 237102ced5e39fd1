"""Figures at index time: Vietnamese numbers, units, comparators, labels, kinds and years, pinned on
examples from the seeds, and the promise that every figure is written exactly where it says."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from indexer.clean import clean_text
from indexer.figures import extract_figures, parse_columns, parse_number
from indexer.models import Figure, FigureKind
from indexer.structure import structure

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = ("000", "001", "002", "003", "004")


def figures_in(
    raw: str,
    *,
    default_scope: str | None = None,
    default_year: int | None = None,
    default_kind: FigureKind | None = None,
) -> list[Figure]:
    """The whole indexing path over a small document: clean, structure, extract."""
    text = clean_text(raw).text
    return extract_figures(
        text,
        structure("doc", text).passages,
        default_scope=default_scope,
        default_year=default_year,
        default_kind=default_kind,
    )


def written(figures: list[Figure], raw: str) -> Figure:
    matches = [figure for figure in figures if figure.raw == raw]
    assert matches, f"no figure written {raw!r} among {[f.raw for f in figures]}"
    return matches[0]


@cache
def seed(prefix: str) -> tuple[str, tuple, tuple[Figure, ...]]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    text = clean_text(path.read_text(encoding="utf-8")).text
    passages = structure(prefix, text).passages
    return text, passages, tuple(extract_figures(text, passages))


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("235.387", 235387),
        ("1.721.470", 1721470),
        ("16.096.205.221", 16096205221),
        ("17,1", 17.1),
        ("2,1", 2.1),
        ("19,93", 19.93),
        ("0,950", 0.95),
        ("73,877", 73.877),
        ("00", 0),
        ("17,1%", 17.1),
        ("9,45%o", 9.45),
    ],
)
def test_dots_group_thousands_and_a_comma_marks_decimals(raw: str, value: float) -> None:
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize(("raw", "value"), [("105.6%", 105.6), ("100.00%", 100), ("2.8%", 2.8)])
def test_a_dot_and_one_or_two_digits_before_a_percent_sign_is_a_decimal(
    raw: str, value: float
) -> None:
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["4.0", "1.0000", "3,6,9,12", "105.6", "12a"])
def test_a_number_no_vietnamese_format_allows_is_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="not a Vietnamese number"):
        parse_number(raw)


# --- tables ------------------------------------------------------------------------------------

SECTION_TARGETS = """1.3. Các chỉ tiêu chủ yếu
TT Chỉ tiêu Đơn vị tính Chỉ tiêu Nghị quyết Đại hội 2026-2030 Năm 2025 KH đến Năm 2030
3 Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (thể thấp còi) % <17 19,93 <17
5 Tuổi thọ trung bình Tuổi 70 68,5 70
"""


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


APPENDIX = """Phụ lục 1
Chỉ tiêu Y tế năm 2025
TT Chỉ số Đơn vị tính Năm 2025 Ghi chú
1 Bác sĩ/vạn dân Bác sĩ 2,1
4 Giảm tỷ lệ mất cân bằng giới tính khi sinh số bé trai/ bé gái 103-105/100
5 Củng cố và duy trì 17/17 xã, thị trấn đạt bộ tiêu chí quốc gia về y tế xã xã 17
6 Phấn đấu mỗi cặp vợ chồng trong độ tuổi sinh đẻ đủ điều kiện sinh đủ 02 con % ≥62
"""


def test_unit_column_is_taken_out_of_the_label() -> None:
    doctors = written(figures_in(APPENDIX), "2,1")
    assert (doctors.label, doctors.value, doctors.unit) == ("Bác sĩ/vạn dân", 2.1, "bác sĩ")
    assert (doctors.kind, doctors.year) == ("target", 2025)


def test_range_per_hundred_keeps_both_ends_and_the_denominator() -> None:
    ratio = written(figures_in(APPENDIX), "103-105/100")
    assert (ratio.value, ratio.value_high, ratio.denominator) == (103, 105, 100)
    assert ratio.label == "Giảm tỷ lệ mất cân bằng giới tính khi sinh"


def test_numbers_inside_a_row_label_are_not_figures() -> None:
    figures = figures_in(APPENDIX)
    communes = written(figures, "17")
    assert communes.unit == "xã" and "17/17 xã" in communes.label
    children = written(figures, "≥62")
    assert (children.value, children.comparator, children.unit) == (62, "≥", "%")
    assert [f.raw for f in figures] == ["2,1", "103-105/100", "17", "≥62"]


HOSPITAL_TARGETS = """Phụ lục 2
Chỉ tiêu Khám chữa bệnh của TTYT huyện Cần Đước (hệ điều trị) năm 2025
Nội dung Chỉ tiêu
Số lượt khám bệnh 235.387
Công suất sử dụng giường bệnh ≥60
Phụ lục 3
Chỉ tiêu Khám chữa bệnh của Trung tâm Y tế huyện Cần Đước cơ sở 2 và các TYT xã năm 2025
1. Trung tâm Y tế huyện Cần Đước cơ sở 2
Nội dung Chỉ tiêu
Công suất sử dụng giường bệnh > 45%
2. Các trạm Y tế xã
Nội dung Chỉ tiêu
Số lượt khám bệnh 85.000
"""


def test_table_count_keeps_every_digit_group() -> None:
    visits = written(figures_in(HOSPITAL_TARGETS), "235.387")
    assert (visits.value, visits.unit, visits.label) == (235387, None, "Số lượt khám bệnh")
    assert (visits.kind, visits.year) == ("target", 2025)


def test_scope_is_the_facility_named_in_the_section_path() -> None:
    figures = figures_in(HOSPITAL_TARGETS, default_scope="huyện Cần Đước")
    assert [(f.raw, f.scope) for f in figures] == [
        ("235.387", "TTYT huyện Cần Đước"),
        ("≥60", "TTYT huyện Cần Đước"),
        ("> 45%", "Trung tâm Y tế huyện Cần Đước cơ sở 2"),
        ("85.000", "các TYT xã"),
    ]


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


# --- running text ------------------------------------------------------------------------------


def test_label_stops_at_the_colon_and_the_age_stays_in_it() -> None:
    figures = figures_in(
        """II. Chỉ tiêu
- Tỷ lệ bảo hiểm y tế toàn dân: 95% .
- Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi: 17,1% .
""",
        default_year=2025,
    )
    assert [(f.label, f.value, f.unit, f.kind, f.year) for f in figures] == [
        ("Tỷ lệ bảo hiểm y tế toàn dân", 95, "%", "target", 2025),
        ("Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi", 17.1, "%", "target", 2025),
    ]


REPORT = """1.1. Kết quả thực hiện các chỉ tiêu được giao
Năm 2023, ngành Y tế đã hoàn thành đạt và vượt các chỉ tiêu được HĐND tỉnh giao là: Tỷ lệ xã \
đạt chuẩn quốc gia về y tế đạt 100%(75/75); tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng 10,44% \
(KH <10,45%); số bác sĩ trên 10.000 người dân đạt 9,32 (KH 9,3).
- Tổng số lần khám: 1.721.470 (tuyến tỉnh: 193.929, tuyến huyện: 917.081); đạt 125,20%KH, tăng \
25,56% so với cùng kỳ.
- Bệnh Tay chân miệng: Tổng số ca mắc là 1.803 ca, tăng 1.002 ca so với cùng kỳ.
- Toàn tỉnh đã có 75/75 xã, phường, thị trấn đạt tiêu chí Quốc gia về Y tế xã, chiếm tỷ lệ 100%.
"""


def test_percentage_then_its_fraction_in_parentheses() -> None:
    figures = figures_in(REPORT)
    rate, fraction = figures[0], figures[1]
    assert (rate.raw, rate.value, rate.unit, rate.kind, rate.year) == (
        "100%",
        100,
        "%",
        "result",
        2023,
    )
    assert rate.label == "Tỷ lệ xã đạt chuẩn quốc gia về y tế"
    assert (fraction.raw, fraction.value, fraction.denominator) == ("75/75", 75, 75)
    assert fraction.label == rate.label


def test_result_then_plan_in_parentheses() -> None:
    figures = figures_in(REPORT)
    result, plan = written(figures, "10,44%"), written(figures, "<10,45%")
    assert (result.value, result.kind, result.comparator) == (10.44, "result", None)
    assert (plan.value, plan.kind, plan.comparator) == (10.45, "target", "<")
    assert result.label == plan.label == "tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng"
    doctors = written(figures, "9,32")
    assert doctors.label == "số bác sĩ trên 10.000 người dân"
    assert 10000 not in [f.value for f in figures]


def test_breakdown_in_parentheses_is_labelled_under_its_total() -> None:
    figures = figures_in(REPORT)
    assert written(figures, "1.721.470").label == "Tổng số lần khám"
    assert written(figures, "193.929").label == "Tổng số lần khám – tuyến tỉnh"
    assert written(figures, "917.081").label == "Tổng số lần khám – tuyến huyện"


def test_percent_of_plan_is_its_own_unit_and_refers_to_the_figure_before() -> None:
    of_plan = written(figures_in(REPORT), "125,20%KH")
    assert (of_plan.value, of_plan.unit, of_plan.label) == (125.2, "% kế hoạch", "Tổng số lần khám")


def test_change_against_the_same_period_is_not_a_figure() -> None:
    values = [f.value for f in figures_in(REPORT)]
    assert 25.56 not in values and 1002 not in values


def test_label_keeps_the_topic_before_a_colon() -> None:
    cases = written(figures_in(REPORT), "1.803 ca")
    assert (cases.value, cases.unit) == (1803, "ca")
    assert cases.label == "Bệnh Tay chân miệng: Tổng số ca mắc"


def test_number_before_its_noun_is_labelled_by_the_words_after_it() -> None:
    figures = figures_in(REPORT)
    communes = written(figures, "75/75 xã")
    assert communes.label.startswith("xã, phường, thị trấn đạt tiêu chí Quốc gia về Y tế xã")
    assert figures[-1].raw == "100%" and figures[-1].label == communes.label


GOALS = """2.1. Mục tiêu phấn đấu đến năm 2030
- Trên 95% dân số tham gia bảo hiểm y tế.
- Phấn đấu phát triển mô hình bác sĩ gia đình tối thiểu 30% xã, phường, thị trấn trên địa bàn.
- Phấn đấu giảm tỷ lệ suy dinh dưỡng thấp còi trẻ em dưới 5 tuổi xuống dưới 17% vào năm 2030.
- Giảm tỷ suất chết trẻ em dưới 1 tuổi/1000 trẻ đẻ sống dưới 20‰ vào năm 2030.
"""


def test_comparators_written_as_words() -> None:
    figures = figures_in(GOALS)
    assert [(f.value, f.comparator, f.unit, f.kind, f.year) for f in figures] == [
        (95, ">", "%", "target", 2030),
        (30, "≥", "%", "target", 2030),
        (17, "<", "%", "target", 2030),
        (20, "<", "‰", "target", 2030),
    ]
    assert figures[0].label == "dân số tham gia bảo hiểm y tế"
    assert figures[2].label == "giảm tỷ lệ suy dinh dưỡng thấp còi trẻ em dưới 5 tuổi"
    assert figures[3].label == "Giảm tỷ suất chết trẻ em dưới 1 tuổi/1000 trẻ đẻ sống"


def test_dates_document_codes_years_and_numbering_are_not_figures() -> None:
    figures = figures_in(
        """Căn cứ Quyết định số 338/QĐ-UBND ngày 13/01/2025 của Ủy ban nhân dân huyện Cần Đước về \
việc giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2025;
Căn cứ Nghị quyết số 101-NQ/TU ngày 06 tháng 12 năm 2024 của Ban Chấp hành Đảng bộ tỉnh;
1. Mục đích
Thực hiện Nghị quyết số 99/2023/QH15 của Quốc hội và Chỉ thị số 25-CT/TW ngày 25/10/2023; \
xây dựng kế hoạch đào tạo nguồn nhân lực giai đoạn 2021-2025 theo Đề án 1816, (1) Sơ cấp cứu; \
bệnh nhân tiêm nhắc lần 1 tại BVĐK số 10 trong 12 tháng, ứng phó dịch Covid-19.
"""
    )
    assert figures == []


# --- the seeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_seed_figure_is_written_where_it_says_inside_its_passage(prefix: str) -> None:
    text, passages, figures = seed(prefix)
    by_id = {passage.passage_id: passage for passage in passages}
    assert figures
    for figure in figures:
        assert text[figure.start : figure.end] == figure.raw
        passage = by_id[figure.passage_id]
        assert passage.start <= figure.start < figure.end <= passage.end
        assert figure.doc_id == prefix
        assert figure.label


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_figures_come_in_document_order(prefix: str) -> None:
    _, _, figures = seed(prefix)
    starts = [figure.start for figure in figures]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize(
    ("prefix", "raw", "value", "label_words"),
    [
        ("000", "2,1", 2.1, "Bác sĩ/vạn dân"),
        ("000", "5.400", 5400, "Số BN nội trú"),
        ("000", "12.000", 12000, "siêu âm"),
        ("000", "146.940", 146940, "Tổng số XN"),
        ("001", "95%", 95, "Tỷ lệ bảo hiểm y tế toàn dân"),
        ("001", "17,1%", 17.1, "suy dinh dưỡng thể thấp còi"),
        ("002", "19,93", 19.93, "suy dinh dưỡng"),
        ("002", "68,5", 68.5, "Tuổi thọ trung bình"),
        ("003", "95%", 95, "bảo hiểm y tế"),
        ("004", "1.803 ca", 1803, "Tay chân miệng"),
        ("004", "1.721.470", 1721470, "Tổng số lần khám"),
        ("004", "15.762", 15762, "Tổng số phẫu thuật"),
        ("004", "51.511/49.759 người", 51511, "BPTT hiện đại"),
        ("004", "71 Trạm y tế", 71, "Trạm y tế"),
        ("004", "2.224.422", 2224422, "liều vắc xin"),
        ("004", "93,8%", 93.8, "đạt chuẩn"),
        ("004", "55,4%", 55.4, "mổ lấy thai"),
        ("004", "16.096.205.221 đồng", 16096205221, "Tiền thuốc ngoại"),
    ],
)
def test_seed_figures_a_question_would_ask_for(
    prefix: str, raw: str, value: float, label_words: str
) -> None:
    _, _, figures = seed(prefix)
    figure = written(list(figures), raw)
    assert figure.value == pytest.approx(value)
    assert label_words.lower() in figure.label.lower()
