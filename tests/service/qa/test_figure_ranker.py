"""The ranker's coverage arithmetic holds for any weights a question's terms carry."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from service.qa.figure_ranker import (
    ALL,
    FEATURES,
    FIELDS,
    OWN,
    FigureRanker,
    _Alternative,
    _indicator_words,
    _measure_of,
    _Term,
)

FIELDS_READ = (*FIELDS, OWN, ALL)


@dataclass
class Indexed:
    """The fields of an indexed record that coverage reads."""

    raw: dict = field(default_factory=lambda: dict.fromkeys(FIELDS_READ, {"a"}))
    folded: dict = field(default_factory=lambda: dict.fromkeys(FIELDS_READ, {"a"}))
    pairs: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, set()))


def test_a_phrase_kept_whole_in_one_field_gives_no_credit_to_a_field_without_its_words():
    # "tử vong mẹ" written in the line (a neighbouring clause) says nothing of an indicator
    # about children: word order counts in the field that keeps it
    phrase = _Alternative.of(tuple((key, True, 1.0) for key in ("tử", "vong", "mẹ")))
    words = {"tử", "vong", "mẹ"}
    kept = {"tử vong", "vong mẹ"}
    item = Indexed(
        raw={f: (words if f in ("line", ALL) else {"trẻ", "em"}) for f in FIELDS_READ},
        folded=dict.fromkeys(FIELDS_READ, set()),
        pairs={f: (kept if f == "line" else set()) for f in FIELDS},
    )
    coverage = FigureRanker._coverages([_Term((phrase,), 1.0)], item)
    assert coverage["line"][0] == coverage[ALL][0] == 1.0
    assert coverage["indicator"][0] == coverage["local"][0] == 0.0


def test_terms_of_equal_weight_whose_sum_rounds_up_still_have_a_weakest_term():
    # 0.1 + 0.1 + 0.1 is a little more than 0.3 in floating point: the average exceeds each
    terms = [_Term((_Alternative.of(((key, True, 0.1),)),), 1.0) for key in "abc"]
    share, weakest, rarest = FigureRanker._coverages(terms, Indexed())["indicator"]
    assert round(share, 6) == round(1 / 3, 6)
    assert weakest == 0.0
    assert rarest in (0.0, 1.0)


def test_label_precision_is_the_share_of_the_label_the_question_asks_for(seed_engine):
    # every word of the coverage row's label is asked; of the stunting row's, none ("tỷ lệ"
    # says what kind of quantity it is, which the measure feature judges)
    ranking = seed_engine.answerer.rank_figures(
        "Tỷ lệ dân số tham gia BHYT của Lai Châu năm 2025?", limit=None
    )
    precision = {
        r.record.indicator: r.features[FEATURES.index("label_precision")] for r in ranking.records
    }
    assert precision["Tỷ lệ dân số tham gia BHYT"] == 1.0
    stunting = next(label for label in precision if "suy dinh dưỡng" in label)
    assert precision[stunting] < 0.25


def test_an_abbreviation_in_a_label_counts_once_as_its_long_form(seed_engine):
    # "Số BN mới điều trị nội trú YHCT" asked in full words: every word of the label is asked
    ranking = seed_engine.answerer.rank_figures(
        "Số bệnh nhân mới điều trị nội trú y học cổ truyền của Hậu Giang năm 2023?", limit=5
    )
    inpatients = next(r for r in ranking.records if r.record.figure.label.endswith("nội trú YHCT"))
    assert inpatients.features[FEATURES.index("label_precision")] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Tổng số lượt khám bệnh", ["luot", "kham", "benh"]),
        ("Tỉ lệ trạm y tế có bác sĩ", ["tram", "y", "te", "co", "bac", "si"]),
        ("Dân số trung bình năm 2023", ["dan", "so", "trung", "binh"]),  # "số" inside a word
    ],
)
def test_a_labels_opening_quantity_words_and_its_year_are_no_indicator_words(label, words):
    assert _indicator_words(label, set()) == words


@pytest.mark.parametrize(
    ("unit", "measure"),
    [
        ("đồng", "money"),
        ("đ/ng/thg", "money"),  # an amount per person per month is still an amount of money
        ("đồng/người/tháng", "money"),
        ("%", "rate"),
        ("ca/100.000 dân", "rate"),
        ("lượt", "count"),
    ],
)
def test_a_figure_unit_says_what_kind_of_quantity_it_is(unit, measure):
    assert _measure_of(unit, "") == measure


class Shelf(list):
    """Invented records in the shelf's shape: by number, and by document."""

    def of_document(self, doc_id):
        return [record for record in self if record.document.doc_id == doc_id]

    def prefetch(self, numbers):
        pass  # all held


PLAN_TABLES = """KẾ HOẠCH
Chỉ tiêu khám chữa bệnh năm 2025
Phụ lục 1
Chỉ tiêu của Trung tâm Y tế huyện năm 2025
Nội dung Chỉ tiêu
Số lượt khám bệnh 12.000
Mức độ hài lòng của người bệnh ≥85
Phụ lục 2
Chỉ tiêu của Phòng khám đa khoa khu vực năm 2025
Nội dung Chỉ tiêu
Số lượt khám bệnh 3.000
Mức độ hài lòng của người bệnh > 80%
"""

SHARE_ON_ITS_LINE = """BÁO CÁO
Kết quả năm 2024
1. Khám bệnh
- Người bệnh hài lòng: 1.700 (85%).
"""


def features_for(question: str, text: str, feature: str) -> dict[str, float]:
    """One feature of every figure of `text`, by the figure as written."""
    from indexer.glossary import load_glossary
    from indexer.scope import QueryScope
    from service.qa.figure_question import analyze_figure_question
    from tests.indexer.test_figure_records import records_of

    records = Shelf(records_of("plan", text).values())
    scope = QueryScope(places=(), unknown_places=(), years=())
    asked = analyze_figure_question(question, scope, load_glossary(), language="vi")
    ranking = FigureRanker(records).rank(asked, [], limit=None)
    column = FEATURES.index(feature)
    return {ranked.record.figure.raw: ranked.features[column] for ranked in ranking.records}


def measures_for(question: str, text: str) -> dict[str, float]:
    return features_for(question, text, "measure")


def test_a_bare_figure_measures_what_its_indicator_measures_elsewhere_in_the_document():
    # "≥85" has no unit; the same indicator is "> 80%" in the next table: a share, not a count
    measures = measures_for("Số người bệnh hài lòng năm 2025?", PLAN_TABLES)
    assert measures["≥85"] == measures["> 80%"] == -1.0
    assert measures["12.000"] == 1.0


def test_a_unit_on_the_figures_own_line_says_nothing_of_the_bare_figure():
    # "1.700 (85%)": a count and its share, side by side
    measures = measures_for("Số người bệnh hài lòng năm 2024?", SHARE_ON_ITS_LINE)
    assert measures["1.700"] == 0.0 and measures["85%"] == -1.0


POPULATION = """BÁO CÁO
Kết quả năm 2023
1. Dân số
- Dân số Hậu Giang năm 2023 là 700.000 người; dân số nam 50,5%.
"""


def test_a_labels_place_and_year_are_not_words_a_question_must_ask():
    # "Dân số Hậu Giang năm 2023" names the indicator "dân số" for its place and year, which
    # the facets check; "dân số nam" names a narrower indicator
    precision = features_for("Dân số là bao nhiêu?", POPULATION, "label_precision")
    assert precision["700.000 người"] == 1.0
    assert precision["50,5%"] < 1.0
