"""What a question asks for is read from its cues, whether it writes a term out or abbreviates
it, with or without diacritics."""

from __future__ import annotations

import pytest

from indexer.abbreviations import written_out
from service.qa.intent import detect_intent


def test_abbreviations_documents_use_are_written_out():
    assert written_out("Số TYT có bác sĩ") == "Số trạm y tế có bác sĩ"
    # a lower-case word that happens to spell an abbreviation is left alone
    assert written_out("tyt") == "tyt"


@pytest.mark.parametrize(
    "question",
    [
        "Số trạm y tế có bác sĩ ở Hậu Giang?",
        "Số TYT có bác sĩ ở Hậu Giang?",
        "so TYT co bac si o HG?",
    ],
)
def test_a_count_asked_through_an_abbreviation_is_a_figure_question(question):
    assert detect_intent(question) == "figure"


@pytest.mark.parametrize(
    "question",
    [
        "Tỷ lệ xã có bác sỹ định biên của Hậu Giang?",
        "Tỉ lệ xã có bác sĩ định biên của Hậu Giang?",
        "ti le xa co bac si dinh bien cua Hau Giang?",
        "ty le xa co bac sy dinh bien cua Hau Giang?",
    ],
)
def test_a_rate_is_a_figure_question_however_its_i_or_y_is_spelled(question):
    assert detect_intent(question) == "figure"


@pytest.mark.parametrize("question", ["Ai ký kế hoạch này?", "Ai kí kế hoạch này?", "ai ki?"])
def test_who_signed_is_asked_with_ky_or_ki(question):
    assert detect_intent(question) == "signer"


@pytest.mark.parametrize(
    "question",
    [
        "What was the dengue incidence per 100,000 people in 2023?",
        "How many deaths per 1.000 live births?",
        "What is the prevalence of stunting?",
    ],
)
def test_a_rate_per_a_population_is_a_figure_question(question):
    # "per 100,000": the number after "per" is the denominator, however many digits it has
    assert detect_intent(question) == "figure"


@pytest.mark.parametrize(
    "question",
    [
        "Năm 2023 tỉnh tiêm chủng được bao nhiêu %, kế hoạch giao là mấy %?",
        "Số ca khám đạt bao nhiêu, chỉ tiêu là bao nhiêu?",
        "Năm 2023 Hậu Giang đặt kế hoạch tỷ suất sinh bao nhiêu và thực tế đạt bao nhiêu?",
    ],
)
def test_a_figure_asked_with_its_plan_is_plan_against_actual(question):
    assert detect_intent(question) == "plan_vs_actual"


@pytest.mark.parametrize(
    "question",
    ["Có bao nhiêu máy X quang theo kế hoạch?", "Kế hoạch giao bao nhiêu giường bệnh?"],
)
def test_one_figure_asked_of_a_plan_is_a_figure_question(question):
    assert detect_intent(question) == "figure"


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch căn cứ quyết định số mấy, ngày nào, của cơ quan nào?",
        "The plan is based on which decision, and when was it issued?",
    ],
)
def test_a_number_or_date_asked_of_a_basis_is_a_legal_basis_question(question):
    assert detect_intent(question) == "legal_basis"


def test_a_number_or_date_asked_of_the_document_itself_is_a_document_question():
    assert detect_intent("Quyết định này ban hành ngày nào?") == "document"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # what a document named by its number holds
        ("Kế hoạch số 12/KH-UBND gồm những nhiệm vụ nào?", "list"),
        ("Chương trình thực hiện Chỉ thị 07-CT/TW có những nhóm giải pháp nào?", "list"),
        # the documents that cite it: the references answer
        ("Những văn bản nào thực hiện Chỉ thị 07-CT/TW?", "reference"),
        ("Các kế hoạch nào thực hiện Quyết định 12/QĐ-UBND?", "reference"),
        ("Chỉ thị 07-CT/TW về việc gì?", "reference"),
    ],
)
def test_a_list_of_what_a_numbered_document_holds_is_a_list_question(question, intent):
    assert detect_intent(question) == intent
