"""A figure's label in the document's own words: what stands before it up to a colon or comma,
the topic before a colon, the words it governs, or the total it breaks down."""

from __future__ import annotations

from tests.indexer.figures.examples import REPORT, figures_in, written


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


def test_breakdown_in_parentheses_is_labelled_under_its_total() -> None:
    figures = figures_in(REPORT)
    assert written(figures, "1.721.470").label == "Tổng số lần khám"
    assert written(figures, "193.929").label == "Tổng số lần khám – tuyến tỉnh"
    assert written(figures, "917.081").label == "Tổng số lần khám – tuyến huyện"


def test_a_breakdown_after_in_which_is_labelled_under_its_total() -> None:
    figures = figures_in(
        "- Tổng số lần khám bệnh: 1.721.470 lượt, trong đó: tuyến tỉnh 193.929 lượt, "
        "tuyến huyện 917.081 lượt.\n"
    )
    assert [f.label for f in figures] == [
        "Tổng số lần khám bệnh",
        "Tổng số lần khám bệnh – tuyến tỉnh",
        "Tổng số lần khám bệnh – tuyến huyện",
    ]


def test_label_keeps_the_topic_before_a_colon() -> None:
    cases = written(figures_in(REPORT), "1.803 ca")
    assert (cases.value, cases.unit) == (1803, "ca")
    assert cases.label == "Bệnh Tay chân miệng: Tổng số ca mắc"


def test_number_before_its_noun_is_labelled_by_the_words_after_it() -> None:
    figures = figures_in(REPORT)
    communes = written(figures, "75/75 xã")
    assert communes.label.startswith("xã, phường, thị trấn đạt tiêu chí Quốc gia về Y tế xã")
    assert figures[-1].raw == "100%" and figures[-1].label == communes.label


def test_a_count_after_has_is_labelled_by_what_it_counts() -> None:
    people, rate = figures_in(
        "- Toàn tỉnh có 51.511/49.759 người áp dụng các BPTT hiện đại, đạt 103,5%.\n"
    )
    assert people.label == "người áp dụng các BPTT hiện đại"
    assert (rate.label, rate.kind) == (people.label, "result")
