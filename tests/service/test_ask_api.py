"""POST /api/ask: cited figures, legal bases, signers, follow-ups and abstention."""

from __future__ import annotations

import pytest


def ask(client, question, history=()):
    response = client.post("/api/ask", json={"question": question, "history": list(history)})
    assert response.status_code == 200, response.text
    return response.json()


def test_figure_answer_comes_with_the_citation_whose_span_contains_it(client, seed_engine):
    body = ask(client, "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của tỉnh Long An là bao nhiêu?")
    assert body["answerable"] is True and body["intent"] == "figure"
    figure = body["figures"][0]
    assert figure["value"] == 95 and figure["unit"] == "%"
    citation = next(c for c in body["citations"] if c["id"] == figure["citation"])
    document = seed_engine.index.store.document(citation["doc_id"])
    assert figure["raw"] in citation["text"]
    assert citation["start"] <= citation["quote_start"] < citation["quote_end"] <= citation["end"]
    # the highlight is the whole sentence the figure stands in, never a piece of a number
    quoted = document.text[citation["quote_start"] : citation["quote_end"]]
    assert figure["raw"] in quoted and quoted.startswith("Tỷ lệ bảo hiểm y tế toàn dân")
    assert "95%" in body["answer"]


@pytest.mark.parametrize(
    "question", ["Hau Giang population in 2023?", "Dân số Hậu Giang năm 2023?"]
)
def test_a_question_naming_an_indicator_without_a_figure_word_gets_the_figure(client, question):
    body = ask(client, question)
    assert body["intent"] == "figure"
    assert body["figures"][0]["value"] == 728293


def test_a_question_spelling_a_loanword_the_usual_way_finds_the_row_spelling_it_otherwise(client):
    # the row writes "vaccine"; the question "vắc xin"
    body = ask(client, "Tỷ lệ trẻ dưới 1 tuổi được tiêm đủ vắc xin ở Hậu Giang năm 2023?")
    assert body["figures"][0]["value"] == 90.9


def test_a_question_about_a_policys_aims_gets_passages_not_a_figure(client):
    body = ask(client, "What does Long An plan for food safety in 2025?")
    assert body["intent"] == "general" and body["figures"] == []


def test_district_question_gets_the_district_figure_not_the_province_one(client):
    body = ask(client, "Tỷ lệ tham gia bảo hiểm y tế toàn dân năm 2025 của huyện Cần Đước?")
    assert body["figures"][0]["value"] == 98


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Tỷ lệ bao phủ BHYT năm 2025 của Long An là bao nhiêu?", 95),
        ("ty le bao phu BHYT nam 2025 cua Long An la bao nhieu?", 95),
        ("What is Long An's 2025 insurance-coverage target?", 95),
        ("Tỷ lệ bao phủ BHYT năm 2025 của huyện Cần Đước?", 98),
    ],
)
def test_coverage_is_a_way_of_measuring_not_a_term_the_figure_must_repeat(client, question, value):
    """Plans write "tỷ lệ bảo hiểm y tế toàn dân"; officials ask for the "bao phủ BHYT"."""
    body = ask(client, question)
    assert body["answerable"] is True
    assert body["figures"][0]["value"] == value


def test_year_in_a_multi_year_table_picks_its_own_column(client):
    body = ask(client, "Tuổi thọ trung bình của Lai Châu năm 2025?")
    assert body["figures"][0]["value"] == 68.5


def test_english_question_is_answered_in_english_quoting_vietnamese(client):
    body = ask(client, "How many surgeries were performed in Hau Giang in 2023?")
    assert body["language"] == "en"
    assert body["figures"][0]["value"] == 15762
    assert "Source" in body["answer"] and "phẫu thuật" in body["answer"]


def test_follow_up_keeps_indicator_and_year_and_changes_the_place(client):
    first = "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An?"
    answer = ask(client, first)
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer["answer"]},
    ]
    body = ask(client, "Còn huyện Cần Đước thì sao?", history)
    assert "Cần Đước" in body["resolved_question"] and "2025" in body["resolved_question"]
    assert body["figures"][0]["value"] == 98


def test_place_outside_the_corpus_is_abstained(client):
    body = ask(client, "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của tỉnh Hà Giang là bao nhiêu?")
    assert body["answerable"] is False and body["figures"] == []
    assert "Hà Giang" in body["answer"]


def test_indicator_the_documents_do_not_hold_is_abstained(client):
    body = ask(client, "Ngân sách y tế năm 2025 của tỉnh Lai Châu là bao nhiêu?")
    assert body["answerable"] is False and body["figures"] == []


def test_who_signed_cites_the_signature(client):
    body = ask(client, "Ai ký kế hoạch của Sở Y tế Lai Châu?")
    assert body["intent"] == "signer"
    assert "Nguyễn Thế Phong" in body["answer"]
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nguyễn Thế Phong" in body["answer"]  # signing for the head
    assert "Nguyễn Thế Phong" in body["citations"][0]["text"]


def test_legal_basis_lists_the_cited_resolution(client):
    body = ask(client, "Kế hoạch của Sở Y tế Long An năm 2025 căn cứ nghị quyết nào của HĐND tỉnh?")
    assert body["intent"] == "legal_basis"
    assert "74/NQ-HĐND" in body["answer"]
    assert "74/NQ-HĐND" in body["citations"][0]["text"]


def test_code_question_names_the_citing_documents(client):
    body = ask(client, "Chỉ thị 25-CT/TW được những văn bản nào thực hiện?")
    assert body["intent"] == "reference" and body["answerable"]
    assert any(code in body["citations"][0]["text"] for code in ("25-CT/TW", "25/CT-TW"))
    assert (
        "Hậu Giang" in body["answer"] or "Long An" in body["answer"] or "Lai Châu" in body["answer"]
    )


def test_general_question_quotes_a_passage(client):
    body = ask(client, "Long An làm gì về an toàn thực phẩm năm 2025?")
    assert body["answerable"] and body["intent"] == "general"
    assert body["citations"] and "“" in body["answer"]


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({}, "question"),
        ({"question": ""}, "empty"),
        ({"question": "   \n"}, "empty"),
        ({"question": "x" * 2001}, "2000"),
        ({"question": 42}, "question"),
        ({"question": "bhyt", "history": "no"}, "history"),
        ({"question": "bhyt", "history": [{"role": "system", "content": "x"}]}, "role"),
        ({"question": "bhyt", "history": [{"role": "user"}]}, "content"),
        ({"question": "bhyt", "history": [{"role": "user", "content": "a"}] * 21}, "history"),
        ({"question": "bhyt", "filters": {"year": "next"}}, "year"),
    ],
)
def test_bad_ask_requests_are_422_with_a_message(client, payload, fragment):
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 422
    assert fragment in response.json()["detail"].replace(",", "")
