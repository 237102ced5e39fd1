"""Figures in running text: one per level a clause states; a change against an earlier period and
a number inside a programme's name are not levels."""

from __future__ import annotations

from tests.indexer.figures.examples import REPORT, figures_in


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


def test_change_against_the_same_period_is_not_a_figure() -> None:
    values = [f.value for f in figures_in(REPORT)]
    assert 25.56 not in values and 1002 not in values


def test_a_level_is_kept_and_its_change_dropped_in_one_sentence() -> None:
    figures = figures_in("- Tỷ lệ tiêm chủng đạt 98%, tăng 2% so với cùng kỳ.\n", default_year=2024)
    assert [(f.raw, f.label, f.kind, f.year) for f in figures] == [
        ("98%", "Tỷ lệ tiêm chủng", "result", 2024)
    ]


def test_a_fall_against_the_same_period_is_not_a_figure() -> None:
    assert figures_in("- Số ca mắc sốt xuất huyết giảm 559 ca so với cùng kỳ.\n") == []


def test_a_number_in_a_programme_name_is_not_a_figure() -> None:
    assert figures_in("- Chương trình Chăm sóc dinh dưỡng 1000 ngày đầu đời.\n") == []


def test_a_line_ending_in_a_colon_runs_on_into_the_figures_that_open_the_next() -> None:
    figures = figures_in(
        "Công suất sử dụng giường bệnh của BVĐK tỉnh đạt 102,86%, của PKĐKKV:\n"
        "95,39% và TYT đạt 105,36%.\n"
    )
    assert [(f.raw, f.label) for f in figures] == [
        ("102,86%", "Công suất sử dụng giường bệnh của BVĐK tỉnh"),
        ("95,39%", "của PKĐKKV"),
        ("105,36%", "TYT"),
    ]
