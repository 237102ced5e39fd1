"""Answers shaped like the question: plan against actual, a comparison of two places, a list,
and follow-ups that carry indicator, place and year — on the seed corpus."""

from __future__ import annotations

import pytest

from tests.service.qa.conversation import ask


def test_plan_against_actual_gives_the_result_then_the_plan_and_whether_it_was_met(client):
    body = ask(client, "Kế hoạch và thực hiện tỷ lệ tăng dân số tự nhiên năm 2023 của Hậu Giang?")
    assert body["intent"] == "plan_vs_actual"
    kinds = [f["kind"] for f in body["figures"]]
    assert kinds[:2] == ["result", "target"]
    assert "kế hoạch" in body["answer"]


def test_a_comparison_of_two_places_cites_one_figure_for_each(client):
    body = ask(
        client,
        "So sánh tỷ lệ tham gia bảo hiểm y tế năm 2025 của huyện Cần Đước với tỉnh Long An",
    )
    assert body["intent"] == "comparison"
    assert {f["value"] for f in body["figures"]} == {98, 95}


def test_a_which_ones_question_lists_the_items_of_the_answering_section(client):
    body = ask(client, "Sở Y tế Long An đề ra những nhiệm vụ trọng tâm nào cho năm 2025?")
    assert body["intent"] == "list" and body["answerable"]
    assert body["answer"].count("\n") >= 3


def test_an_answer_reports_its_calibrated_confidence(client):
    body = ask(client, "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của tỉnh Long An là bao nhiêu?")
    assert 0.5 < body["confidence"] <= 1
    abstained = ask(client, "Số ca mắc bệnh dại năm 2031 của Hậu Giang?")
    assert abstained["answerable"] is False and abstained["confidence"] < body["confidence"]


def test_an_english_follow_up_keeps_the_indicator_and_place(client):
    body = ask(
        client,
        "What's the target for 2030?",
        turns=["How common is stunting among under-fives in Lai Chau as of 2025?"],
    )
    assert body["answerable"] and body["figures"][0]["year"] == 2030
    assert "Lai Châu" in body["answer"]


def test_a_question_typed_with_shorthand_and_initials_is_understood(client):
    body = ask(client, "HG TH 2023 tổng số lần khám bệnh là bn?")
    assert body["answerable"] and body["figures"][0]["scope"] == "Hậu Giang"


def test_a_year_the_documents_do_not_report_is_declined_and_the_reported_year_offered(client):
    body = ask(client, "Số ca mắc tay chân miệng năm 2024 của Hậu Giang là bao nhiêu?")
    assert not body["answerable"] and body["figures"] == []
    assert "2023" in body["answer"] and "1.803" in body["answer"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Đơn vị nào chi thu nhập tăng thêm bình quân cao nhất năm 2023 ở Hậu Giang?", 1_733_000),
        ("Đơn vị nào có thu nhập tăng thêm bình quân thấp nhất năm 2023 ở Hậu Giang?", 81_000),
        # in English the amounts per person and month are money, as the question asks
        ("Which unit in Hau Giang had the lowest average additional income in 2023?", 81_000),
    ],
)
def test_a_highest_or_lowest_question_takes_the_extreme_of_the_enumeration(
    client, question, expected
):
    # the report lists twelve units' average extra income in one sentence
    body = ask(client, question)
    assert body["figures"][0]["value"] == expected


def test_a_follow_up_about_another_indicator_is_answered_for_the_same_site(client):
    body = ask(
        client,
        "Còn X-quang thì bao nhiêu?",
        ["TTYT huyện Cần Đước cơ sở 2 được giao chỉ tiêu bao nhiêu lượt khám bệnh năm 2025?"],
    )
    assert body["answerable"] and body["figures"][0]["value"] == 300


def test_a_follow_up_about_a_part_of_the_earlier_count_is_answered_from_its_sentence(client):
    # "(số đang quản lý 1.083)" stands with the cumulative count, not with the methadone
    # patients "hiện đang điều trị" a few lines below
    body = ask(
        client,
        "Trong số đó hiện quản lý được bao nhiêu người?",
        ["Hậu Giang có lũy kế bao nhiêu người nhiễm HIV tính từ năm 2004?"],
    )
    assert body["answerable"] and body["figures"][0]["value"] == 1083
