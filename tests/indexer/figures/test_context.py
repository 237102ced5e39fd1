"""A figure's kind, year and scope: from the words before it, its sentence, the section path, and
last the caller's defaults."""

from __future__ import annotations

import pytest

from indexer.figures.context import figure_scope, last_year, section_kind, section_year
from indexer.figures.drafts import Defaults
from tests.indexer.figures.examples import HOSPITAL_TARGETS, REPORT, figures_in, written

NO_DEFAULTS = Defaults(scope=None, year=None, kind=None)

# --- kind --------------------------------------------------------------------------------------


def test_result_then_plan_in_parentheses() -> None:
    figures = figures_in(REPORT)
    result, plan = written(figures, "10,44%"), written(figures, "<10,45%")
    assert (result.value, result.kind, result.comparator) == (10.44, "result", None)
    assert (plan.value, plan.kind, plan.comparator) == (10.45, "target", "<")
    assert result.label == plan.label == "tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng"
    doctors = written(figures, "9,32")
    assert doctors.label == "số bác sĩ trên 10.000 người dân"
    assert 10000 not in [f.value for f in figures]


def test_plan_words_make_a_target_and_achievement_words_a_result() -> None:
    planned, done = figures_in(
        "- Kế hoạch thu đầu năm 512,670 tỷ đồng, thực hiện 512,363 tỷ đồng.\n"
    )
    assert (planned.value, planned.kind) == (512.67, "target")
    assert (done.value, done.kind) == (512.363, "result")


def test_striving_in_the_sentence_makes_a_target_even_after_achieved() -> None:
    (coverage,) = figures_in("Phấn đấu đến năm 2030, trên 95% dân số tham gia bảo hiểm y tế.\n")
    assert (coverage.kind, coverage.year, coverage.comparator) == ("target", 2030, ">")


def test_a_tasks_section_makes_achieved_a_target() -> None:
    (stations,) = figures_in("II. Nhiệm vụ năm 2024\n- Tỷ lệ trạm y tế có bác sĩ đạt 100%\n")
    assert (stations.kind, stations.year) == ("target", 2024)


@pytest.mark.parametrize(
    ("section", "kind"),
    [
        (("Phần I. KẾT QUẢ", "2. Mục tiêu năm 2025"), "target"),
        (("Mục tiêu", "Kết quả thực hiện"), "result"),
        (("Phụ lục",), None),
    ],
)
def test_the_nearest_heading_that_says_sets_the_kind(section: tuple[str, ...], kind) -> None:
    assert section_kind(section) == kind


# --- year --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Chỉ tiêu Nghị quyết Đại hội 2026-2030", 2030),
        ("Năm 2025 KH 2026", 2026),
        ("Kết quả", None),
    ],
)
def test_the_last_year_named_is_the_end_of_a_period(text: str, year: int | None) -> None:
    assert last_year(text) == year


def test_the_nearest_heading_with_a_year_gives_it() -> None:
    assert section_year(("Kế hoạch năm 2024", "1. Chỉ tiêu")) == 2024
    assert section_year(("Phụ lục",)) is None


def test_a_part_heading_gives_its_year_and_kind_to_the_figures_under_it() -> None:
    (visits,) = figures_in(
        "Phần I\nKẾT QUẢ THỰC HIỆN CÔNG TÁC Y TẾ NĂM 2023\n1. Khám bệnh\n"
        "- Tổng số lần khám bệnh: 1.721.470 lượt\n"
    )
    assert (visits.kind, visits.year) == ("result", 2023)


def test_defaults_fill_what_the_document_does_not_say() -> None:
    (coverage,) = figures_in(
        "- Tỷ lệ bao phủ BHYT 95%.\n",
        default_scope="Long An",
        default_year=2025,
        default_kind="target",
    )
    assert (coverage.scope, coverage.year, coverage.kind) == ("Long An", 2025, "target")


# --- scope -------------------------------------------------------------------------------------


def test_scope_is_the_facility_named_in_the_section_path() -> None:
    figures = figures_in(HOSPITAL_TARGETS, default_scope="huyện Cần Đước")
    assert [(f.raw, f.scope) for f in figures] == [
        ("235.387", "TTYT huyện Cần Đước"),
        ("≥60", "TTYT huyện Cần Đước"),
        ("> 45%", "Trung tâm Y tế huyện Cần Đước cơ sở 2"),
        ("85.000", "các TYT xã"),
    ]


def test_a_facility_in_the_label_is_the_scope_before_the_section_path() -> None:
    section = ("Chỉ tiêu của TTYT huyện Cần Đước năm 2025",)
    assert figure_scope("BVĐK tỉnh Hậu Giang", section, NO_DEFAULTS) == "BVĐK tỉnh Hậu Giang"
    assert figure_scope("Số lượt khám", section, NO_DEFAULTS) == "TTYT huyện Cần Đước"


def test_commune_stations_named_after_a_facility_are_the_scope() -> None:
    section = ("Chỉ tiêu của TTYT huyện Cần Đước và các TYT xã",)
    assert figure_scope("Số lượt khám", section, NO_DEFAULTS) == "các TYT xã"


def test_a_parenthesised_figure_is_about_the_facility_before_it() -> None:
    figures = figures_in(
        "- Công suất sử dụng giường bệnh: TTYT huyện Châu Thành (64%), BVĐK tỉnh Hậu Giang (102%).\n"
    )
    assert [(f.raw, f.scope) for f in figures] == [
        ("64%", "TTYT huyện Châu Thành"),
        ("102%", "BVĐK tỉnh Hậu Giang"),
    ]
