"""The years a question asks about: a year stands alone, never inside a number or a date."""

import pytest

from indexer.scope import asked_years, years_in


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
