"""Numbers that are not figures: dates, years, document codes, names, list numbering, durations and
thresholds that belong to a label are masked before figures are read."""

from __future__ import annotations

import pytest

from indexer.figures.non_figures import NON_FIGURES, Spans, non_figure_spans
from tests.indexer.figures.examples import figures_in


def masked(line: str) -> list[str]:
    """The pieces of a line the non-figure patterns mask, as written."""
    return [
        line[a:b] for pattern in NON_FIGURES for a, b in (m.span() for m in pattern.finditer(line))
    ]


@pytest.mark.parametrize(
    ("line", "piece"),
    [
        ("Căn cứ Quyết định số 338/QĐ-UBND", "338/QĐ-UBND"),
        ("Chỉ thị số 25-CT/TW", "25-CT/TW"),
        ("ban hành ngày 13/01/2025", "ngày 13/01"),
        ("ngày 10 tháng 12 năm 2024", "ngày 10 tháng 12 năm 2024"),
        ("theo Đề án 1816", "Đề án 1816"),
        ("tiêm nhắc lần 1", "lần 1"),
        ("trẻ em dưới 5 tuổi", "dưới 5 tuổi"),
        ("số bác sĩ trên 10.000 người dân", "trên 10.000 người dân"),
        ("trong 12 tháng", "12 tháng"),
        ("thấp thứ 3 trong 20 tỉnh", "thứ 3 trong 20"),
        ("2 đơn vị tự chủ từ 70-100%", "từ 70-100%"),
        ("(1) Sơ cấp cứu", "(1)"),
        ("xem https://moh.gov.vn/a1", "https://moh.gov.vn/a1"),
    ],
)
def test_a_date_code_name_age_or_duration_is_masked(line: str, piece: str) -> None:
    assert piece in masked(line)


def test_numbering_opening_a_line_is_masked() -> None:
    spans = non_figure_spans("3.8. Khám bệnh 120 lượt", "")
    assert spans.overlaps(0, 3)
    assert not spans.overlaps(15, 18)


def test_a_bare_row_number_is_masked_unless_the_line_before_runs_on() -> None:
    line = "12 Tình hình thực hiện"
    assert non_figure_spans(line, "").overlaps(0, 2)
    assert not non_figure_spans(line, "Các chỉ tiêu gồm:").overlaps(0, 2)


def test_spans_overlap_half_open() -> None:
    spans = Spans([(0, 3), (10, 12)])
    assert spans.overlaps(2, 4) and spans.overlaps(11, 12)
    assert not spans.overlaps(3, 10)  # touching is not overlapping
    assert not spans.overlaps(12, 20)


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
