"""Questions about a document's number, date and issuer: read from the document's header or from
the citation of a document it cites; a field the document leaves blank is said to be blank, and a
question asking only for blank fields is declined."""

from __future__ import annotations

import pytest

from service.qa.identity import asked_fields


def ask(client, question):
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("Quyết định đó mang số nào, ký ngày nào?", ("number", "date")),
        ("Tờ trình số mấy?", ("number",)),
        ("Nghị quyết này do cơ quan nào ban hành?", ("issuer",)),
        ("When was the directive issued?", ("date",)),
        ("Which decision set the targets?", ("number", "date", "issuer")),
    ],
)
def test_the_fields_a_question_asks_for(question, fields):
    assert asked_fields(question) == fields


def test_a_document_that_leaves_its_number_and_day_blank_cannot_answer_them(client):
    body = ask(
        client,
        "Quyết định của TTYT huyện Cần Đước ban hành chương trình hành động 2025 số mấy, ngày nào?",
    )
    assert body["intent"] == "document"
    assert not body["answerable"] and body["figures"] == []
    assert "không ghi" in body["answer"]
    assert body["citations"][0]["doc_id"].startswith("000_")


def test_the_plan_implementing_a_programme_is_the_document_asked_about(client):
    body = ask(
        client, "Kế hoạch của Sở Y tế Lai Châu thực hiện Chương trình 02-Ctr/ĐU có số hiệu là gì?"
    )
    assert body["intent"] == "document"
    assert body["citations"][0]["doc_id"].startswith("002_")
    assert not body["answerable"]


def test_a_cited_directive_is_dated_from_its_citation(client):
    body = ask(client, "Chỉ thị 25-CT/TW ban hành ngày nào?")
    assert body["intent"] == "document" and body["answerable"]
    assert "25/10/2023" in body["answer"]
    assert any(code in body["citations"][0]["text"] for code in ("25-CT/TW", "25/CT-TW"))
