"""A figure question's terms are its words, not its syllables: "phát hiện" is one term, so a
label with "phát thuốc" expresses half of it; an unaccented question cannot be segmented
reliably and keeps one term per syllable."""

from __future__ import annotations

import pytest

from indexer.abbreviations import expand_shorthand
from indexer.glossary import load_glossary
from indexer.scope import QueryScope
from indexer.tokens import fold
from service.qa.figure_question import (
    analyze_figure_question,
    extreme_in,
    measure_in,
    qualifier_numbers,
    sub_units_asked,
    sub_units_in,
)

SCOPE = QueryScope(places=("Hậu Giang",), unknown_places=(), years=(2023,))


def terms(question: str) -> list[tuple[str, ...]]:
    analyzed = analyze_figure_question(question, SCOPE, load_glossary(), language="vi")
    return [term.alternatives[0] for term in analyzed.terms]


def test_a_multi_syllable_word_is_one_term():
    found = terms("Năm 2023 Hậu Giang khám phát hiện bao nhiêu bệnh nhân lao?")
    assert ("phát", "hiện") in found and ("bệnh", "nhân") in found
    assert ("phát",) not in found


def test_an_unaccented_question_keeps_one_term_per_syllable():
    found = terms("nam 2023 hau giang kham phat hien bao nhieu benh nhan lao")
    assert ("phat",) in found and ("hien",) in found


def test_the_word_that_introduces_a_year_is_no_term_but_nam_gioi_is():
    assert ("năm",) not in terms("Năm 2023 Hậu Giang có bao nhiêu ca tử vong?")
    assert ("nam",) not in terms("nam 2023 hau giang co bao nhieu ca tu vong")
    assert ("nam", "giới") in terms("Tỷ lệ nam giới của Hậu Giang năm 2023?")


def test_an_unaccented_question_stays_unaccented_when_its_places_are_given_accents():
    # the gazetteer gives "Hau Giang" back its accents; the words typed without them are still
    # matched without them, or "dinh bien" would never find "định biên"
    analyzed = analyze_figure_question(
        "ty le xa co bac si dinh bien o Hậu Giang?", SCOPE, load_glossary(), language="vi"
    )
    assert analyzed.terms and not any(term.exact for term in analyzed.terms)


def test_an_unaccented_count_stays_a_count_when_its_places_are_given_accents():
    # "so" typed without accents is "số" (a count); the place written back with accents does
    # not make the question one whose every "so" must carry them
    analyzed = analyze_figure_question(
        "so phong kham tu nhan o Hậu Giang nam 2023?", SCOPE, load_glossary(), language="vi"
    )
    assert analyzed.measure == "count"


def test_shorthand_in_an_unaccented_question_is_written_out_unaccented():
    assert expand_shorthand("HG co bn TYT?") == "HG co bao nhieu TYT?"
    assert expand_shorthand("Hậu Giang có bn TYT?") == "Hậu Giang có bao nhiêu TYT?"
    assert expand_shorthand("tre 5-11t") == "tre 5-11 tuoi"


def test_shorthand_typed_without_accents_is_still_shorthand():
    assert expand_shorthand("HG kham dc bn luot?") == "HG kham duoc bao nhieu luot?"


def test_an_abbreviation_glued_to_a_number_is_two_words_but_a_document_code_stays_whole():
    assert expand_shorthand("TTYT CS2 co bn giuong?") == "TTYT CS 2 co bao nhieu giuong?"
    assert expand_shorthand("Luật 15/2023/QH15 có hiệu lực?") == "Luật 15/2023/QH15 có hiệu lực?"


def test_a_site_written_as_an_abbreviation_is_that_sub_unit():
    question = expand_shorthand("TTYT Cần Đước CS2 khám bn lượt?")
    analyzed = analyze_figure_question(question, SCOPE, load_glossary(), language="vi")
    assert analyzed.sub_units == ("co so 2",)


def test_an_abbreviation_keeps_its_long_form_as_an_alternative():
    analyzed = analyze_figure_question(
        "Số TYT có bác sĩ ở Hậu Giang?", SCOPE, load_glossary(), language="vi"
    )
    tyt = next(t for t in analyzed.terms if t.alternatives[0] == ("tyt",))
    assert ("trạm", "y", "tế") in tyt.alternatives


def test_a_follow_up_borrows_less_of_the_earlier_indicator_the_more_it_names_itself():
    def borrowed_weight(turn: str) -> float:
        analyzed = analyze_figure_question(
            turn, SCOPE, load_glossary(), language="vi", carried="trung tâm y tế tuyến huyện"
        )
        return max(t.weight for t in analyzed.terms if t.alternatives[0] == ("huyện",))

    assert borrowed_weight("Còn phòng khám đa khoa khu vực?") < borrowed_weight("Còn ngoại trú?")


@pytest.mark.parametrize(
    ("question", "extreme"),
    [
        ("Huyện nào có tỷ lệ tiêm chủng cao nhất?", "highest"),
        ("which district had the lowest coverage?", "lowest"),
        ("Tỷ lệ tiêm chủng ít nhất phải đạt bao nhiêu?", None),  # "at least": a comparator
        ("How many doctors does the province have?", None),
    ],
)
def test_a_question_asking_for_the_highest_or_lowest_says_so(question, extreme):
    assert extreme_in(fold(question)) == extreme


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("Hậu Giang có bao nhiêu trạm y tế?", "count"),  # "bao nhiêu" + what is counted
        ("Số lượt khám bệnh năm 2023?", "count"),
        ("so luot kham benh nam 2023?", "count"),
        ("Tỷ lệ bao phủ BHYT là bao nhiêu?", "rate"),
        ("Công suất sử dụng giường bệnh là bao nhiêu?", None),  # "là bao nhiêu" names no kind
        ("Chỉ số khối cơ thể trung bình?", None),  # an index, not a count
        ("Sở Y tế lập hồ sơ sức khỏe cho mấy xã?", None),  # "sở", "sơ": not "số"
        ("so y te lap ho so suc khoe cho may xa?", None),
        ("Kinh phí bao nhiêu tỉ đồng?", "money"),
    ],
)
def test_the_kind_of_quantity_asked_is_read_from_the_words_that_say_it(question, measure):
    assert measure_in(question) == measure


def english(question: str, carried: str = ""):
    return analyze_figure_question(question, SCOPE, load_glossary(), language="en", carried=carried)


def test_an_english_question_asks_money_when_its_noun_renders_as_money():
    assert english("How much in fines was imposed on the violators?").measure == "money"


def test_money_is_not_read_from_what_a_follow_up_borrows():
    assert english("And by 2030?", carried="chi phí tiền thuốc").measure is None


def test_a_population_noun_says_nothing_of_count_or_rate():
    assert english("What about the population with insurance?").measure is None


@pytest.mark.parametrize(
    "question", ["Năm 2023 ngành y tế thực thu bao nhiêu?", "Thực chi năm 2023 là bao nhiêu?"]
)
def test_actual_revenue_or_spending_asks_for_a_result(question):
    assert analyze_figure_question(question, SCOPE, load_glossary(), language="vi").wanted == (
        "result"
    )


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("cong suat giuong benh cua benh vien tuyen huyen", ("tuyen huyen",)),
        ("cong suat su dung giuong benh – bv huyen", ("tuyen huyen",)),
        ("benh vien da khoa tinh", ("tuyen tinh",)),
        ("so benh nhan noi tru cua ttyt co so 2", ("co so 2",)),
        ("ty le bao phu bhyt toan tinh", ()),
    ],
)
def test_a_hospital_named_by_its_level_is_that_levels_sub_unit(text, units):
    assert sub_units_in(text) == units


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("How many second doses were given to children aged 5-11?", {2, 5, 11}),
        ("Tỷ lệ sinh con thứ ba trở lên năm 2023?", {3}),  # the year is no qualifier
        ("liều tiêm nhắc lần 1", {1}),
        ("số trẻ dưới 1.000 gram", set()),  # a quantity, not a qualifier
        ("How many COVID-19 vaccine doses?", set()),  # the digits of a name
        ("ca cúm A/H5N1 mũi 2", {2}),
    ],
)
def test_small_numbers_and_ordinals_qualify_an_indicator(text, numbers):
    assert qualifier_numbers(text) == numbers


def test_a_sub_unit_abbreviated_or_written_out_is_one_sub_unit():
    assert sub_units_asked("Các TYT xã") == sub_units_asked("các trạm y tế xã")
