"""A rate is of something and per something: a figure of another base, or of another count per
the same population base, answers another indicator, whatever words it shares with the
question."""

from __future__ import annotations

import pytest

from service.qa.rate_form import RateForm, asked_rate, stated_rate, words_of


@pytest.mark.parametrize(
    ("question", "base"),
    [
        ("Tỷ lệ mắc sởi trên 100.000 dân năm 2024?", 100_000),
        ("số dược sĩ/vạn dân của tỉnh", 10_000),
        ("Có bao nhiêu điều dưỡng trên 10.000 dân?", 10_000),
        ("tỷ suất sinh thô bao nhiêu phần nghìn", 1_000),
        ("ty suat sinh tho bn ‰", 1_000),
        ("What is the neonatal death rate per 1,000 live births?", 1_000),
        ("How many pharmacists per 10,000 population?", 10_000),
    ],
)
def test_a_question_states_the_base_it_asks_a_rate_per(question, base):
    assert asked_rate(question).base == base


@pytest.mark.parametrize(
    "question",
    [
        "Năm 2024 có trên 1.000 ca mắc sởi không?",  # "trên" is "more than" before a count
        "Tỷ lệ tiêm chủng đạt bao nhiêu %?",  # a percentage is also how rates are asked loosely
        "Số bác sĩ năm 2024?",
    ],
)
def test_a_count_above_a_number_or_a_percentage_states_no_base(question):
    assert asked_rate(question).base is None


def test_what_a_rate_counts_is_written_right_before_its_base():
    assert asked_rate("Năm 2024 đạt bao nhiêu giường bệnh trên 10.000 dân?").numerator == {
        "giuong",
        "benh",
    }
    # after "bao nhiêu" the base follows a whole clause: what is counted is not named there
    assert asked_rate("Tỷ lệ chết mẹ năm 2024 là bao nhiêu trên 100.000 dân?").numerator == set()


def test_an_english_question_counts_in_its_vietnamese_renderings_not_its_own_words():
    form = asked_rate(
        "How many nurses per 10,000 population?", ["điều dưỡng/vạn dân"], english=True
    )
    assert form.base == 10_000
    assert form.numerator == {"dieu", "duong"}


@pytest.mark.parametrize(
    ("label", "unit", "base"),
    [
        ("Tỷ lệ tiêm chủng đầy đủ", "%", 100),
        ("Tỷ lệ tăng dân số tự nhiên", "‰", 1_000),
        ("Giảm tỷ suất chết trẻ sơ sinh/1000 trẻ đẻ sống", None, 1_000),
        ("Dược sĩ trên vạn dân", "dược sĩ", 10_000),
        ("tỷ lệ mắc lao", "ca/100.000 dân", 100_000),
        ("Số ca mắc sởi", "ca", None),
    ],
)
def test_a_figure_states_its_base_by_its_unit_or_its_label(label, unit, base):
    assert stated_rate(label, unit).base == base


def _conflicts(question: str, label: str, unit: str | None) -> bool:
    return asked_rate(question).conflicts_with(stated_rate(label, unit), words_of(label, unit))


def test_a_rate_per_another_base_answers_another_indicator():
    assert _conflicts("Tỷ lệ chết mẹ là bao nhiêu trên 100.000 trẻ đẻ sống?", "Tỷ lệ tử vong", "%")
    assert not _conflicts("Tỷ lệ mắc lao trên 100.000 dân?", "tỷ lệ mắc lao", "ca/100.000 dân")


def test_a_rate_per_live_births_is_not_a_rate_per_people():
    asked = "Tỷ lệ chết mẹ năm 2024 là bao nhiêu trên 100.000 trẻ đẻ sống?"
    assert asked_rate(asked).population == "births"
    assert _conflicts(asked, "tỷ lệ mắc sởi", "ca/100.000 dân")
    assert not _conflicts(asked, "Tỷ số tử vong mẹ/100.000 trẻ đẻ sống", None)


def test_a_figure_written_over_a_power_of_ten_is_per_that_base():
    # "107/100": a ratio per 100, not an answer to a question per 100,000
    assert stated_rate("Tỷ số giới tính khi sinh", None, denominator=100).base == 100
    assert stated_rate("Số xã đạt chuẩn", None, denominator=58).base is None
    asked = asked_rate("Tỷ số tử vong mẹ trên 100.000 trẻ đẻ sống?")
    assert asked.conflicts_with(stated_rate("Tỷ số giới tính", None, 100), frozenset())
    # "trên 100" is "more than 100"; "/100" is per 100
    assert asked_rate("Có trên 100 người mắc không?").base is None
    assert stated_rate("bé trai/100 bé gái", None).base == 100


def test_another_count_per_the_same_population_answers_another_indicator():
    asked = "Bao nhiêu giường bệnh trên 10.000 dân?"
    assert _conflicts(asked, "Dược sĩ trên vạn dân", "dược sĩ")
    assert not _conflicts(asked, "Số giường bệnh/vạn dân", "giường")


@pytest.mark.parametrize(
    ("label", "unit", "conflicts"),
    [
        ("Tỷ lệ hộ dùng nước sạch", "%", True),  # a share
        ("Tỷ suất chết trẻ em dưới 1 tuổi", "‰", True),  # a rate per mille
        ("Số ca tử vong", None, True),  # a count
        ("Tỷ số phụ thuộc", "%", False),  # a ratio written as a percentage: its label says so
        ("Giảm mất cân bằng giới tính khi sinh", "số bé trai/bé gái", False),  # one per another
        ("Giảm mất cân bằng giới tính khi sinh", "bé trai/100 bé gái", False),  # per 100 girls
        ("Số bác sĩ/vạn dân", "bác sĩ", False),
    ],
)
def test_a_ratio_is_not_a_share_a_rate_per_mille_or_a_count(label, unit, conflicts):
    assert _conflicts("Tỷ số tử vong mẹ năm 2030?", label, unit) is conflicts


def test_a_question_stating_no_rate_form_conflicts_with_nothing():
    assert not RateForm().conflicts_with(stated_rate("Tỷ lệ tử vong", "%"), frozenset())


def test_the_documents_rate_of_another_kind_is_no_answer_to_a_rate_they_do_not_report(
    seed_engine,
):
    # Lai Châu's plan reports child mortality per 1,000 live births and no maternal mortality
    # ratio; Long An's plan reports doctors per 10,000 people and no hospital beds
    for question in (
        "What maternal mortality ratio does Lai Chau aim for by 2030?",
        "Long An's 2025 target for hospital beds per 10,000 population?",
    ):
        answer = seed_engine.answerer.ask(question)
        assert answer.answerable is False, question
        assert not answer.figures
    # the rates they do report are still answered
    answer = seed_engine.answerer.ask("Năm 2025 Long An phấn đấu đạt bao nhiêu bác sĩ/vạn dân?")
    assert answer.answerable and answer.figures[0].figure.value == 10


def test_an_abstention_offers_another_places_figure_only_of_the_indicator_asked(seed_engine):
    # Hậu Giang's report gives hospital beds per 10,000 people: offered for Long An's question
    beds = seed_engine.answerer.ask(
        "Long An's 2025 target for hospital beds per 10,000 population?"
    )
    assert "35,8" in beds.text
    # its sex ratio at birth shares the word "ratio" with a maternal mortality question, no more
    ratio = seed_engine.answerer.ask("What maternal mortality ratio does Lai Chau aim for by 2030?")
    assert "giới tính" not in ratio.text
