"""Questions about today's provinces on the seed corpus: since 01/07/2025 Long An is part of Tây
Ninh and Hậu Giang of Cần Thơ, while four of the five seeds were written before. A question
about a province of today is answered from the former units it absorbed, and the answer says
whose figures they are; a province that absorbed no corpus unit still abstains."""

from __future__ import annotations

from tests.service.qa.conversation import ask

LONG_AN_PLAN = "001_b919c97a22ddf266"
HAU_GIANG_REPORT = "004_ed8f74c002a8b9ab"
FORMER_LONG_AN = "Số liệu của tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)."
FORMER_HAU_GIANG = "Số liệu của tỉnh Hậu Giang cũ (nay thuộc thành phố Cần Thơ từ 01/07/2025)."


def supporting_documents(body):
    return {c["doc_id"] for c in body["citations"] if c["role"] == "support"}


def test_todays_tay_ninh_is_answered_from_the_former_long_an_with_the_note(client):
    body = ask(client, "Chỉ tiêu BHYT năm 2025 của Tây Ninh?")
    assert body["answerable"]
    assert [f["value"] for f in body["figures"]] == [95]
    assert body["answer"].startswith(FORMER_LONG_AN)
    assert supporting_documents(body) == {LONG_AN_PLAN}


def test_todays_can_tho_is_answered_from_the_hau_giang_report_with_the_note(client):
    body = ask(client, "Cần Thơ có bao nhiêu ca sốt xuất huyết năm 2023?")
    assert body["answerable"]
    assert [f["value"] for f in body["figures"]] == [619]
    assert body["answer"].startswith(FORMER_HAU_GIANG)
    assert supporting_documents(body) == {HAU_GIANG_REPORT}


def test_an_english_question_with_an_unaccented_province_of_today_gets_the_english_note(client):
    body = ask(client, "What is Tay Ninh's 2025 health insurance coverage target?")
    assert body["answerable"] and [f["value"] for f in body["figures"]] == [95]
    assert body["answer"].startswith(
        "Figures of former Long An province (part of Tây Ninh province since 1 July 2025)."
    )


def test_a_place_still_a_unit_of_today_is_answered_without_a_note(client):
    body = ask(client, "Tỷ lệ suy dinh dưỡng thấp còi trẻ dưới 5 tuổi của Lai Châu năm 2025?")
    assert body["answerable"] and "Lai Châu" in body["answer"]
    assert "nay thuộc" not in body["answer"] and " cũ " not in body["answer"]


def test_a_question_naming_the_former_unit_is_answered_as_before(client):
    body = ask(client, "Chỉ tiêu BHYT năm 2025 của Long An?")
    assert [f["value"] for f in body["figures"]] == [95]
    assert "nay thuộc" not in body["answer"]


def test_a_comparison_of_a_province_of_today_with_another_gives_both_sides(client):
    body = ask(
        client,
        "So sánh tỷ lệ tham gia bảo hiểm y tế năm 2025 của tỉnh Tây Ninh với tỉnh Lai Châu",
    )
    assert body["intent"] == "comparison" and len(body["figures"]) == 2
    assert supporting_documents(body) == {LONG_AN_PLAN, "002_2f70747e408638d8"}
    assert body["answer"].startswith(FORMER_LONG_AN)


def test_a_follow_up_keeps_the_province_of_today_and_its_note(client):
    body = ask(
        client, "Còn tay chân miệng?", turns=["Cần Thơ có bao nhiêu ca sốt xuất huyết năm 2023?"]
    )
    assert "Cần Thơ" in body["resolved_question"]
    assert body["answerable"] and body["answer"].startswith(FORMER_HAU_GIANG)


def test_a_province_of_today_that_absorbed_no_corpus_unit_abstains(client):
    body = ask(client, "Chỉ tiêu BHYT năm 2025 của Đồng Nai?")
    assert not body["answerable"] and not body["figures"]
    assert "Đồng Nai" in body["answer"]


def test_a_province_absorbed_beside_a_corpus_unit_is_not_that_unit(client):
    # Sóc Trăng joined Cần Thơ with Hậu Giang: Hậu Giang's figures are not Sóc Trăng's
    body = ask(client, "Sóc Trăng có bao nhiêu ca sốt xuất huyết năm 2023?")
    assert not body["answerable"] and not body["figures"]
    assert "Sóc Trăng" in body["answer"]


def test_an_abstention_about_a_province_of_today_says_which_documents_were_searched(client):
    body = ask(client, "Chỉ tiêu BHYT năm 2040 của Tây Ninh?")
    assert not body["answerable"]
    assert body["answer"].endswith(
        "Đã tìm trong tài liệu của tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)."
    )
