"""Which figure answers: the indicator's own words, its measure (count or rate), its scope."""

from __future__ import annotations

import pytest


def first_figure(client, question):
    body = client.post("/api/ask", json={"question": question}).json()
    return body, (body["figures"][0]["value"] if body["figures"] else None)


KNOWN_MISS = pytest.mark.xfail(
    strict=True,
    reason="the fitted ranker's confidence for a near-miss indicator is above its threshold; "
    "kept as the behaviour to win back (the note of issue 12 lists it)",
)


def test_a_figure_about_another_indicator_sharing_words_is_not_an_answer(client):
    # "bác sĩ trên vạn dân" shares "trên vạn dân" with the question but not "giường bệnh": it
    # counts another thing per the same population
    body, value = first_figure(client, "Số giường bệnh trên vạn dân của Long An năm 2025?")
    assert body["answerable"] is False and value is None


@KNOWN_MISS
def test_english_term_must_be_matched_as_a_whole_word(client):
    # "điều dưỡng" (nurses) is not "bồi dưỡng" (training) although both end in "dưỡng"
    body, value = first_figure(client, "How many nurses does Hau Giang have?")
    assert body["answerable"] is False and value is None


def test_a_count_question_prefers_the_count_to_the_rate_per_100000(client):
    _, value = first_figure(client, "Số ca mắc sốt xuất huyết năm 2023 ở Hậu Giang?")
    assert value == 619


@pytest.mark.parametrize(
    "question",
    [
        "Số giường bệnh kế hoạch năm 2025 của TTYT huyện Cần Đước?",
        "TTYT huyen Can Duoc co bao nhieu giuong benh nam 2025?",
    ],
)
def test_a_count_is_not_answered_by_the_bare_share_of_the_same_words(client, question):
    # the plan's "Công suất sử dụng giường bệnh ≥60" has no unit, but the next table gives the
    # same indicator in %: it is a bed occupancy, not a number of beds
    body, value = first_figure(client, question)
    assert body["answerable"] is False and value is None


def test_a_rate_question_prefers_the_result_of_a_past_year(client):
    _, value = first_figure(client, "What is the infant mortality rate in Hau Giang in 2023?")
    assert value == 2.34


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Số bệnh nhân nội trú chỉ tiêu năm 2025 của TTYT huyện Cần Đước?", 5400),
        ("Số bệnh nhân nội trú của TTYT Cần Đước cơ sở 2 năm 2025?", 1260),
    ],
)
def test_the_narrowest_matching_facility_answers(client, question, expected):
    _, value = first_figure(client, question)
    assert value == expected


def test_unaccented_question_gets_the_same_figure(client):
    _, value = first_figure(client, "Tuoi tho trung binh cua Lai Chau nam 2025?")
    assert value == 68.5


@pytest.mark.parametrize(
    "question",
    [
        "Tỷ lệ xã có bác sỹ định biên của Hậu Giang năm 2023?",  # as the table writes it
        "Tỉ lệ xã có bác sĩ định biên của Hậu Giang năm 2023?",
        "ti le xa co bac si dinh bien cua Hau Giang nam 2023?",
    ],
)
def test_a_figure_is_found_however_the_question_spells_its_i_or_y(client, question):
    _, value = first_figure(client, question)
    assert value == 72


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Năm 2023 Hậu Giang có bao nhiêu cơ sở khám chữa bệnh gửi đơn thuốc điện tử về hệ thống?",
            21,
        ),
        ("Năm 2023 Hậu Giang có bao nhiêu bác sĩ được cấp mã kê đơn thuốc điện tử?", 325),
    ],
)
def test_each_figure_of_an_enumeration_is_named_by_its_own_item(client, question, expected):
    # "(53 CSKCB đã cấp mã liên thông, 21 CSKCB thực hiện liên thông gửi đơn thuốc về hệ thống,
    # 325 bác sĩ đã cấp mã …)": the words after each comma name the next figure
    _, value = first_figure(client, question)
    assert value == expected
