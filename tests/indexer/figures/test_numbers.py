"""Numbers as Vietnamese documents write them: dots group thousands, a comma marks decimals, and a
number in running text carries its range, denominator, unit and comparator."""

from __future__ import annotations

import pytest

from indexer.figures.numbers import canonical_unit, figure_numbers, parse_number, unit_vocabulary
from tests.indexer.figures.examples import GOALS, REPORT, figures_in, written


def numbers_in(line: str, previous_line: str = "") -> list[tuple[str, float, str | None]]:
    """(as written, value, unit) of each figure's number in one line."""
    return [
        (line[n.start : n.end], n.value, n.unit)
        for n in figure_numbers(line, 0, len(line), previous_line)
    ]


def only_number(line: str):
    (number,) = figure_numbers(line, 0, len(line), "")
    return number


# --- reading one number ------------------------------------------------------------------------


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


# --- units -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written_unit", "canonical"),
    [("%o", "‰"), ("‰", "‰"), ("%", "%"), ("Bác sỹ", "bác sĩ"), ("tỷ", "tỷ đồng"), ("đ", "đồng")],
)
def test_a_unit_is_read_in_its_canonical_form(written_unit: str, canonical: str) -> None:
    assert canonical_unit(written_unit) == canonical


def test_a_word_that_is_no_unit_has_no_canonical_form() -> None:
    assert canonical_unit("xyz") is None


def test_the_longest_written_unit_is_tried_first() -> None:
    lengths = [len(written_unit) for written_unit, _ in unit_vocabulary()]
    assert lengths == sorted(lengths, reverse=True)
    assert ("tỷ đồng", "tỷ đồng") in unit_vocabulary()


def test_per_mille_written_as_percent_o_is_per_mille() -> None:
    assert numbers_in("tỷ suất sinh thô 9,45%o") == [("9,45%o", 9.45, "‰")]
    assert numbers_in("tỷ suất chết 20‰") == [("20‰", 20, "‰")]


def test_a_word_unit_is_part_of_what_is_written() -> None:
    cases = only_number("Tổng số ca mắc là 1.803 ca")
    assert (cases.value, cases.unit, cases.unit_is_word) == (1803, "ca", True)


def test_percent_of_plan_is_its_own_unit_and_refers_to_the_figure_before() -> None:
    of_plan = written(figures_in(REPORT), "125,20%KH")
    assert (of_plan.value, of_plan.unit, of_plan.label) == (125.2, "% kế hoạch", "Tổng số lần khám")


# --- ranges, fractions and comparators ---------------------------------------------------------


def test_a_range_per_hundred_keeps_both_ends_and_the_denominator() -> None:
    ratio = only_number("Giảm tỷ số giới tính khi sinh 103-105/100")
    assert (ratio.value, ratio.value_high, ratio.denominator) == (103, 105, 100)


def test_a_range_of_decimals_keeps_both_ends() -> None:
    doctors = only_number("đạt 2,0-2,1 bác sĩ")
    assert (doctors.value, doctors.value_high, doctors.unit) == (2.0, 2.1, "bác sĩ")


def test_a_fraction_keeps_its_denominator() -> None:
    communes = only_number("toàn tỉnh có 75/75 xã")
    assert (communes.value, communes.denominator, communes.unit) == (75, 75, "xã")


@pytest.mark.parametrize(
    ("line", "comparator"),
    [("Số bác sĩ ≥ 62%", "≥"), ("tỷ lệ <17%", "<"), ("dưới 17% vào năm 2030", "<")],
)
def test_a_comparator_before_the_number_is_kept(line: str, comparator: str) -> None:
    assert only_number(line).comparator == comparator


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


def test_a_compared_threshold_inside_a_label_is_not_a_figure() -> None:
    assert numbers_in("tỷ lệ trẻ nhẹ cân <2500gr chiếm 1,79%") == [("1,79%", 1.79, "%")]


# --- which numbers are figures -----------------------------------------------------------------


def test_a_year_is_not_a_figure() -> None:
    assert numbers_in("năm 2025 đạt 95%") == [("95%", 95, "%")]


def test_a_lone_small_number_without_a_unit_is_not_a_figure() -> None:
    assert numbers_in("được chia thành 3 cụm") == []
    assert numbers_in("Kết quả: 3") == [("3", 3, None)]  # after a colon it is the answer


def test_a_number_inside_parentheses_knows_its_depth() -> None:
    line = "Tổng số lần khám: 1.721.470 (tuyến tỉnh: 193.929)"
    total, province = figure_numbers(line, 0, len(line), "")
    assert (total.depth, province.depth) == (0, 1)
    assert province.paren_start == line.index("(")
