"""Follow-ups borrow what they leave out from earlier turns, in Vietnamese and in English."""

from __future__ import annotations

import pytest

from indexer.models import Document, DocumentAttributes
from indexer.scope import Gazetteer
from service.qa.followup import Turn, resolve_follow_up


@pytest.fixture(scope="module")
def gazetteer():
    places = [("a", "Lai Châu", None), ("b", "Long An", "Cần Đước"), ("c", "Hậu Giang", None)]
    return Gazetteer(
        Document(i, f"{i}.txt", "", "h", DocumentAttributes(province=p, district=d))
        for i, p, d in places
    )


def history(*turns):
    return [Turn("user", t) for t in turns]


def test_an_english_follow_up_keeps_its_own_words_and_borrows_the_place(gazetteer):
    resolved = resolve_follow_up(
        "And what was it in 2025?",
        history("What was Lai Chau's under-five stunting rate in 2024?"),
        gazetteer,
    )
    assert resolved.question == "And what was it in 2025? (Lai Châu)"
    assert "stunting" in resolved.carried and "2024" not in resolved.question


def test_a_vietnamese_follow_up_changing_the_place_keeps_the_indicator_and_year(gazetteer):
    resolved = resolve_follow_up(
        "Còn Lai Châu thì sao?",
        history("Tỷ lệ tham gia BHYT năm 2025 của Long An?"),
        gazetteer,
    )
    assert resolved.question == "Còn Lai Châu thì sao? (2025)"
    assert "BHYT" in resolved.carried.upper()


def test_a_turn_pointing_back_at_a_document_is_asked_of_that_document(gazetteer):
    resolved = resolve_follow_up(
        "Ai ký báo cáo này?", history("Hậu Giang có bao nhiêu ca lao năm 2023?"), gazetteer
    )
    assert resolved.points_back and resolved.previous


def test_a_new_complete_question_is_not_a_follow_up(gazetteer):
    question = "Tuổi thọ trung bình của người dân tỉnh Hậu Giang năm 2023 là bao nhiêu tuổi?"
    resolved = resolve_follow_up(question, history("Long An có bao nhiêu bác sĩ?"), gazetteer)
    assert resolved.question == question and not resolved.carried


def test_a_follow_up_after_a_province_of_today_keeps_that_province_not_its_former_unit(
    gazetteer,
):
    # Tây Ninh stands for the former Long An; carried as asked, it is resolved (and noted) again
    resolved = resolve_follow_up(
        "Còn năm 2030 thì sao?", history("Chỉ tiêu BHYT năm 2025 của Tây Ninh?"), gazetteer
    )
    assert resolved.question == "Còn năm 2030 thì sao? (Tây Ninh)"
    assert "tây" not in resolved.carried.split() and "ninh" not in resolved.carried.split()


def test_a_follow_up_about_another_indicator_stays_at_the_site_asked_before(gazetteer):
    resolved = resolve_follow_up(
        "Còn điện tim thì bao nhiêu?",
        history("Cơ sở 2 của TTYT huyện Cần Đước được giao bao nhiêu ca siêu âm năm 2025?"),
        gazetteer,
    )
    assert resolved.sub_units == ("co so 2",)


@pytest.mark.parametrize(
    "question",
    [
        "Còn toàn huyện thì sao?",  # names a level of its own
        "Còn cơ sở 1 thì sao?",  # names a site of its own
        "Còn Lai Châu thì sao?",  # another place: the site was the earlier place's
    ],
)
def test_a_follow_up_naming_its_own_level_site_or_place_leaves_the_earlier_site(
    gazetteer, question
):
    resolved = resolve_follow_up(
        question,
        history("Cơ sở 2 của TTYT huyện Cần Đước được giao bao nhiêu ca siêu âm năm 2025?"),
        gazetteer,
    )
    assert resolved.sub_units == ()


@pytest.mark.parametrize(
    "question",
    [
        "Còn tình hình điện tim thì sao?",  # "tình" is no "tỉnh"
        "Con dien tim thi bao nhieu?",  # typed without accents, naming no level
    ],
)
def test_a_word_spelled_like_a_level_without_its_accents_keeps_the_earlier_site(
    gazetteer, question
):
    resolved = resolve_follow_up(
        question,
        history("Cơ sở 2 của TTYT huyện Cần Đước được giao bao nhiêu ca siêu âm năm 2025?"),
        gazetteer,
    )
    assert resolved.sub_units == ("co so 2",)


def test_a_level_typed_without_accents_leaves_the_earlier_site(gazetteer):
    resolved = resolve_follow_up(
        "Con toan huyen thi sao?",
        history("Cơ sở 2 của TTYT huyện Cần Đước được giao bao nhiêu ca siêu âm năm 2025?"),
        gazetteer,
    )
    assert resolved.sub_units == ()


def test_a_site_named_before_another_place_is_not_carried(gazetteer):
    resolved = resolve_follow_up(
        "Còn điện tim thì bao nhiêu?",
        history("Cơ sở 2 của TTYT huyện Cần Đước có bao nhiêu ca siêu âm?", "Còn Hậu Giang?"),
        gazetteer,
    )
    assert resolved.sub_units == ()


@pytest.mark.parametrize(
    "question", ["Trong số đó bao nhiêu ca tử vong?", "Of those, how many died?"]
)
def test_a_turn_about_a_part_of_the_earlier_answer_says_so(gazetteer, question):
    resolved = resolve_follow_up(
        question, history("Hậu Giang có bao nhiêu ca sốt xuất huyết năm 2023?"), gazetteer
    )
    assert resolved.within_previous and resolved.previous is not None
