"""What a question is about: the years it asks about (a year stands alone, never inside a number
or a date) and its places, a province of today standing for the former units it absorbed."""

import pytest

from indexer.models import Document, DocumentAttributes
from indexer.scope import Gazetteer, asked_years, years_in


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Năm 2021, bao nhiêu ca mắc?", (2021,)),
        ("kết quả năm 2023.", (2023,)),
        ("in 2025?", (2025,)),
        ("What was it in 2024 and 2030?", (2024, 2030)),
        ("Quyết định số 338/QĐ-UBND ngày 13/01/2025", ()),
        ("tổng chi 2.021,5 triệu đồng", ()),
        ("giảm 2023,5 lượt", ()),
        ("có 12.020 người", ()),
        ("giai đoạn 2025-2030", (2025, 2030)),  # a period's end is a year too
        ("giai đoạn 2021–2025", (2021, 2025)),
        ("số 25-CT/TW, tỷ số 103-105/100", ()),
    ],
)
def test_years_stand_alone(text: str, years: tuple[int, ...]) -> None:
    assert years_in(text) == years


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("Since the outbreak began in July 2021, how many cases were there?", ()),
        ("Số ca mắc kể từ năm 2021 đến nay?", ()),
        ("Từ 2021 đến 2025 có bao nhiêu trạm?", (2025,)),
        ("Số ca mắc năm 2024 là bao nhiêu?", (2024,)),
    ],
)
def test_a_year_opening_a_running_period_is_not_the_year_asked(question, years):
    assert asked_years(question) == years


# Places across the 2025 reorganisation: the seeds speak of Long An (with huyện Cần Đước), Lai Châu
# and Hậu Giang; since 01/07/2025 Long An is part of Tây Ninh, Hậu Giang of Cần Thơ.
SEED_PLACES = [("000", "Long An", "Cần Đước"), ("001", "Long An", None)]
SEED_PLACES += [("002", "Lai Châu", None), ("003", "Hậu Giang", None)]


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(
        Document(doc_id, f"{doc_id}.txt", "", "h", DocumentAttributes(province=p, district=d))
        for doc_id, p, d in SEED_PLACES
    )


@pytest.mark.parametrize(
    ("question", "asked", "former"),
    [
        ("Chỉ tiêu BHYT năm 2025 của Tây Ninh?", "Tây Ninh", "Long An"),
        ("What is Tay Ninh's 2025 health insurance coverage target?", "Tây Ninh", "Long An"),
        ("Cần Thơ có bao nhiêu ca sốt xuất huyết năm 2023?", "Cần Thơ", "Hậu Giang"),
        ("so ca sot xuat huyet cua thanh pho Can Tho", "Cần Thơ", "Hậu Giang"),
    ],
)
def test_a_province_of_today_stands_for_the_former_corpus_units_it_absorbed(
    gazetteer, question, asked, former
):
    scope = gazetteer.scope(question)
    assert scope.places == (former,)
    assert scope.resolved == ((asked, former),)
    assert scope.unknown_places == ()
    assert scope.asked_places == (asked,)


@pytest.mark.parametrize(
    "question",
    ["Chỉ tiêu BHYT năm 2025 của Đồng Nai?", "Sóc Trăng có bao nhiêu ca sốt xuất huyết?"],
)
def test_a_province_that_absorbed_no_corpus_unit_or_was_absorbed_itself_stays_unknown(
    gazetteer, question
):
    scope = gazetteer.scope(question)
    assert scope.places == () and scope.resolved == ()
    assert len(scope.unknown_places) == 1


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("Chỉ tiêu BHYT năm 2025 của Long An?", ("Long An",)),
        ("former Long An's target", ("Long An",)),
        ("Long An cũ có bao nhiêu trạm y tế?", ("Long An",)),
        ("Can Duoc co bao nhieu xa?", ("Cần Đước",)),
        ("Tỷ lệ BHYT của Lai Châu năm 2025?", ("Lai Châu",)),
    ],
)
def test_corpus_places_are_found_as_written_without_any_history(gazetteer, question, places):
    scope = gazetteer.scope(question)
    assert scope.places == places
    assert scope.resolved == () and scope.unknown_places == ()
    assert scope.asked_places == scope.named_places == places


def test_a_comparison_of_a_province_of_today_with_a_corpus_place_keeps_both(gazetteer):
    scope = gazetteer.scope("So sánh tỷ lệ BHYT của tỉnh Tây Ninh với tỉnh Lai Châu")
    assert set(scope.places) == {"Lai Châu", "Long An"}
    assert scope.resolved == (("Tây Ninh", "Long An"),)
    assert set(scope.named_places) == {"Lai Châu", "Long An", "Tây Ninh"}
