"""Which sources an answer rests on (issue 14, item 1): each citation of POST /api/ask says
whether the answer rests on it ("support", numbered [1], [2], … in the order the citations
come) or was only retrieved beside it ("related"), and names its document; the codes the answer
writes come with their look-up keys; a legal-basis answer lists its document's legal bases as
that document's page does. The citations keep their order (evaluation reads citations[0])."""

from __future__ import annotations

import pytest

from service.routes.ask import supporting

LONG_AN_PLAN = "001_b919c97a22ddf266"
CAN_DUOC_DECISION = "000_e10c59c27c62b5c8"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
LONG_AN_COVERAGE = "Tỷ lệ bảo hiểm y tế năm 2025 của tỉnh Long An là bao nhiêu?"


def ask(client, question: str) -> dict:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


def supports(body: dict) -> list[dict]:
    return [c for c in body["citations"] if c["role"] == "support"]


def quoted(citation: dict) -> str:
    return citation["text"][
        citation["quote_start"] - citation["start"] : citation["quote_end"] - citation["start"]
    ]


def test_a_figure_answer_rests_on_the_long_an_plan_not_on_can_duoc(client):
    body = ask(client, LONG_AN_COVERAGE)
    assert body["answerable"] and body["figures"]
    first = supports(body)[0]
    assert first["doc_id"] == LONG_AN_PLAN and first["marker"] == 1
    assert first["id"] == body["figures"][0]["citation"]
    assert "95%" in quoted(first)
    # Cần Đước's district figure (98%) shares only the words: retrieved beside it, not a source
    for citation in body["citations"]:
        if citation["doc_id"] == CAN_DUOC_DECISION:
            assert citation["role"] == "related" and citation["marker"] is None


def test_a_figure_answer_rests_exactly_on_what_its_figures_point_to(client):
    body = ask(client, LONG_AN_COVERAGE)
    pointed = {figure["citation"] for figure in body["figures"]}
    assert {c["id"] for c in supports(body)} == pointed
    assert len(body["citations"]) > len(pointed)  # related passages are still given


def test_the_citations_keep_their_order_and_only_sources_are_numbered(client):
    body = ask(client, LONG_AN_COVERAGE)
    assert body["citations"][0]["role"] == "support"  # what evaluation reads as the source
    assert [c["marker"] for c in supports(body)] == list(range(1, len(supports(body)) + 1))
    assert all(c["marker"] is None for c in body["citations"] if c["role"] == "related")


def test_a_quoting_answer_rests_on_the_passage_it_quotes(client):
    body = ask(client, "Những giải pháp chủ yếu của kế hoạch Lai Châu là gì?")
    assert body["intent"] == "general" and body["answerable"]
    first = body["citations"][0]
    assert first["role"] == "support" and quoted(first) in body["answer"]
    for citation in body["citations"][1:]:
        if citation["role"] == "support":
            assert " ".join(quoted(citation).split()) in " ".join(body["answer"].split())


def test_a_list_answer_rests_on_the_passages_its_items_come_from(client):
    body = ask(client, "Kế hoạch Long An gồm những nhiệm vụ trọng tâm nào?")
    assert body["intent"] == "list" and body["answerable"]
    assert body["citations"][0]["role"] == "support" and len(supports(body)) >= 2
    assert {c["doc_id"] for c in supports(body)} == {LONG_AN_PLAN}


def test_an_abstention_rests_on_nothing(client):
    body = ask(client, "Giá vé máy bay đi Paris năm 2025 là bao nhiêu?")
    assert not body["answerable"] and body["citations"]
    assert {c["role"] for c in body["citations"]} == {"related"}


def test_a_number_left_blank_is_shown_from_the_header_the_answer_rests_on(client):
    body = ask(client, "Kế hoạch của Sở Y tế Long An số mấy?")
    assert "không ghi" in body["answer"]
    first = body["citations"][0]
    assert first["role"] == "support" and "/KH-SYT" in quoted(first)


def test_a_reference_answer_rests_on_the_citations_of_the_code(client):
    body = ask(client, "Chỉ thị 25-CT/TW về việc gì?")
    assert body["intent"] == "reference"
    for citation in supports(body):
        assert "25" in quoted(citation) and "CT" in quoted(citation)


def test_each_source_names_its_document(client):
    body = ask(client, LONG_AN_COVERAGE)
    document = supports(body)[0]["document"]
    assert document["title"] == "Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025"
    assert document["doc_type"] == "Kế hoạch"
    assert document["number"] is None and document["left_blank"] == ["number"]  # "Số:   /KH-SYT"
    assert document["issuing_body"] == "Sở Y tế tỉnh Long An"
    assert document["place"] == "Long An"
    assert document["issued_date"] == "2025-01"
    assert document["original_url"] == f"/documents/{LONG_AN_PLAN}/original"
    assert document["original_type"] == "txt"


def test_a_source_without_a_title_is_never_named_by_its_file(client):
    for citation in ask(client, "Số trạm y tế xã của Hậu Giang năm 2023?")["citations"]:
        title = citation["document"]["title"]
        assert title.strip() and not title.endswith(".txt")


# codes in the answer


def test_each_code_the_answer_writes_comes_with_its_look_up_key(client):
    body = ask(client, "Chỉ thị 25-CT/TW về việc gì?")
    answer = body["answer"]
    assert body["codes"], answer
    for code in body["codes"]:
        assert answer[code["start"] : code["end"]] == code["written"]
    assert "25-CT/TW" in {code["code"] for code in body["codes"]}


@pytest.mark.parametrize(
    "typed", ["Chỉ thị 25", "chi thi 25", "25-CT/TW", "25/CT-TW", "CT 25", "chỉ thị số 25"]
)
def test_the_code_an_answer_links_is_the_one_every_typed_variant_looks_up(client, typed):
    linked = {code["code"] for code in ask(client, "Chỉ thị 25-CT/TW về việc gì?")["codes"]}
    looked_up = client.get("/api/references", params={"code": typed}).json()
    assert looked_up["code"] == "25-CT/TW" and looked_up["code"] in linked
    assert [c["written_code"] for c in looked_up["codes"]] == ["25-CT/TW"]


def test_an_answer_without_codes_has_none(client):
    assert ask(client, LONG_AN_COVERAGE)["codes"] == []


# legal bases: the same in the chat, on the document page and in the API


def test_a_legal_basis_answer_lists_its_documents_legal_bases_as_the_api_does(client):
    body = ask(client, "Kế hoạch của Sở Y tế Lai Châu căn cứ văn bản nào?")
    assert body["intent"] == "legal_basis"
    assert supports(body)[0]["doc_id"] == LAI_CHAU_PLAN
    document = client.get(f"/api/documents/{LAI_CHAU_PLAN}").json()
    listed = [(b["code"], b["written_code"], b["mentions"]) for b in body["legal_bases"]]
    assert listed == [
        (b["code"], b["written_code"], b["mentions"]) for b in document["legal_bases"]
    ]
    assert [written for _, written, _ in listed] == ["7095/KH-UBND", "02-Ctr/ĐU"]
    assert len({code for code, _, _ in listed}) == len(listed)  # each basis once


def test_other_answers_list_no_legal_bases(client):
    assert ask(client, LONG_AN_COVERAGE)["legal_bases"] == []


# the rule itself, on answers built in the test


def test_supporting_marks_the_first_citation_of_an_answer_without_figures(seed_engine):
    answer = seed_engine.answerer.ask("Ai ký kế hoạch của Sở Y tế Long An?")
    roles = supporting(answer)
    assert roles[0] and len(roles) == len(answer.citations)
    signer = answer.citations[0]
    quoted = signer.document.text[signer.quote_start : signer.quote_end]
    assert " ".join(quoted.split()) in answer.text
