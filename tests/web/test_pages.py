"""The HTML pages and the feedback API through TestClient: what each page shows, that data is
escaped wherever it lands, and that feedback round-trips through SQLite."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from service.routes.documents import display_title
from service.schemas import AttributesOut
from tests.web.conftest import AS_REVIEWER

LONG_AN_PLAN = "001_b919c97a22ddf266"
HAU_GIANG_PROGRAMME = "003_970cdc5fae201362"


# planted in the hostile corpus by conftest.py, and in questions and links by these tests
SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '" onmouseover="window.__xss=1'
IMAGE = '<img src=x onerror="window.__xss=1">'


def script_sources(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)


# the chat


def test_chat_page_is_in_vietnamese_with_example_questions(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="vi">' in html
    assert "Hỏi đáp về văn bản chính sách y tế" in html
    assert "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An là bao nhiêu?" in html
    assert 'aria-live="polite"' in html
    assert 'id="message-template"' in html and 'id="citation-template"' in html


def test_lang_query_renders_the_interface_in_english(client):
    html = client.get("/", params={"lang": "en"}).text
    assert '<html lang="en">' in html
    assert "Ask about health-policy documents" in html
    assert 'data-lang-switch="vi"' in html
    assert 'href="/?lang=vi"' in html


def test_unknown_lang_falls_back_to_vietnamese(client):
    assert '<html lang="vi">' in client.get("/", params={"lang": "fr"}).text


def test_both_languages_have_every_interface_string(client):
    strings = client.get("/static/i18n.json").json()
    assert set(strings) == {"vi", "en"}
    assert strings["vi"].keys() == strings["en"].keys()
    assert all(value.strip() for table in strings.values() for value in table.values())


def test_pages_use_only_the_apps_own_scripts_and_styles_and_no_inline_script(client):
    for path in ("/", "/documents", f"/documents/{LONG_AN_PLAN}", "/references?code=25-CT/TW"):
        html = client.get(path).text
        sources = script_sources(html)
        assert sources and all(src.startswith("/static/") for src in sources)
        assert len(re.findall(r"<script\b", html)) == len(sources), "a script without src"
        assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
        assert "http://" not in html and "https://" not in html
        for asset in [*sources, *re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]:
            assert client.get(asset).status_code == 200


def test_question_in_the_link_is_prefilled_and_escaped(client):
    question = f"{SCRIPT} {ATTRIBUTE} Long An?"
    html = client.get("/", params={"q": question}).text
    assert SCRIPT not in html and ATTRIBUTE not in html
    box = re.search(r'<textarea[^>]*id="question"[^>]*>(.*?)</textarea>', html, re.S)
    assert box and unescape(box.group(1)) == question


# the documents list


def test_documents_list_shows_every_seed_document_with_its_attributes(client):
    html = client.get("/documents").text
    assert html.count('class="document-card"') == 5
    assert f'href="/documents/{LONG_AN_PLAN}"' in html
    assert "Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025" in html
    assert "Sở Y tế tỉnh Long An" in html


def test_documents_list_filters_by_place_year_and_type(client):
    html = client.get("/documents", params={"place": "Hậu Giang"}).text
    assert html.count('class="document-card"') == 2
    assert '<option value="Hậu Giang" selected>' in html
    html = client.get("/documents", params={"year": "2030"}).text
    assert html.count('class="document-card"') == 1 and "Lai Châu" in html
    html = client.get("/documents", params={"type": "Báo cáo"}).text
    assert html.count('class="document-card"') == 1
    html = client.get("/documents", params={"place": "Long An", "type": "Quyết định"}).text
    assert html.count('class="document-card"') == 1


def test_the_documents_list_and_page_show_the_unit_of_today_beside_the_place(client):
    # Long An is part of Tây Ninh since 01/07/2025, Hậu Giang of Cần Thơ
    html = client.get("/documents").text
    shown = {
        " ".join(re.sub(r"<[^>]+>", "", line).split())
        for line in re.findall(r'<span class="place-today">.*', html)
    }
    assert shown == {
        "— nay thuộc tỉnh Tây Ninh từ 01/07/2025",
        "— nay thuộc thành phố Cần Thơ từ 01/07/2025",
    }
    assert '<option value="Tây Ninh" >Tây Ninh</option>' in html  # a place to filter by
    page = client.get(f"/documents/{LONG_AN_PLAN}").text
    assert re.search(
        r'<dt data-i18n="attr_place_today">Địa bàn hiện nay</dt>\s*<dd>tỉnh Tây Ninh \(01/07/2025\)</dd>',
        page,
    )


def test_empty_or_unusable_filters_mean_any(client):
    html = client.get("/documents", params={"place": "", "year": "", "type": ""}).text
    assert html.count('class="document-card"') == 5
    html = client.get("/documents", params={"year": "năm ngoái"}).text
    assert html.count('class="document-card"') == 5


def test_filters_that_match_nothing_say_so(client):
    html = client.get("/documents", params={"place": "Cà Mau"}).text
    assert "Không có văn bản nào khớp bộ lọc." in html


# the document viewer


def test_document_viewer_shows_attributes_legal_bases_references_and_text(client, seed_engine):
    html = client.get(f"/documents/{LONG_AN_PLAN}").text
    text = unescape(html)
    for label, value in [
        ("Loại", "Kế hoạch"),
        ("Cơ quan ban hành", "Sở Y tế tỉnh Long An"),
        ("Ngày ban hành", "01/2025"),
        ("Người ký", "Huỳnh Minh Phúc"),
        ("Địa bàn", "Long An"),
        ("Năm", "2025"),
    ]:
        assert re.search(rf"<dt[^>]*>{label}</dt>\s*<dd>{value}</dd>", text), label
    assert re.search(r"<dt[^>]*>Số hiệu</dt>\s*<dd class=\"unknown\"", text)
    assert "Căn cứ pháp lý" in text and "Nghị quyết số 101-NQ/TU" in text
    assert "Chỉ thị số 25/CT-TW" in text  # a mention, in the document's own words
    assert 'href="/references?code=25-CT/TW"' in text
    document = seed_engine.index.store.document(LONG_AN_PLAN)
    assert (
        unescape(re.sub(r"<[^>]+>", "", html.split('class="document-text">')[1].split("</div>")[0]))
        == document.text
    )


def test_a_number_the_document_leaves_blank_shows_as_not_written(client):
    for doc_id in ("000_e10c59c27c62b5c8", LONG_AN_PLAN):  # "Số:   /KH-SYT", "số   /QĐ-TTYT"
        text = unescape(client.get(f"/documents/{doc_id}").text)
        assert re.search(
            r'<dt[^>]*>Số hiệu</dt>\s*<dd class="unknown" data-i18n="not_written">không ghi</dd>',
            text,
        ), doc_id
    listing = unescape(client.get("/documents").text)
    assert listing.count(">không ghi</dd>") >= 2


def test_no_title_falls_back_to_a_file_name(client):
    listing = client.get("/documents").text
    titles = re.findall(r'class="document-card__title"><a [^>]*>([^<]*)</a>', listing)
    assert len(titles) == 5
    assert not [title for title in titles if title.endswith(".txt") or not title.strip()]


def test_an_untitled_document_is_named_by_type_issuer_and_place():
    attributes = AttributesOut(
        doc_type="Báo cáo",
        number=None,
        issuing_body="Sở Y tế tỉnh Hậu Giang",
        issued_date=None,
        signer=None,
        province="Hậu Giang",
        district=None,
        plan_years=[2023],
        title=None,
    )
    doc_id = "004_ed8f74c002a8b9ab"
    assert display_title(attributes, doc_id) == "Báo cáo – Sở Y tế tỉnh Hậu Giang"
    unknown_issuer = attributes.model_copy(update={"issuing_body": None})
    assert display_title(unknown_issuer, doc_id) == "Báo cáo – Hậu Giang"


def test_document_viewer_puts_an_anchor_at_every_section_and_lists_them(client):
    detail = client.get(f"/api/documents/{LONG_AN_PLAN}").json()
    html = client.get(f"/documents/{LONG_AN_PLAN}").text
    for section in detail["sections"]:
        assert f'id="section-{section["start"]}"' in html
        assert f'href="#section-{section["start"]}"' in html


def test_citation_link_highlights_the_quoted_span(client, seed_engine):
    answer = client.post(
        "/api/ask",
        json={"question": "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An là bao nhiêu?"},
    ).json()
    citation = answer["citations"][0]
    html = client.get(
        f"/documents/{citation['doc_id']}",
        params={"start": citation["quote_start"], "end": citation["quote_end"]},
    ).text
    quoted = seed_engine.index.store.document(citation["doc_id"]).text[
        citation["quote_start"] : citation["quote_end"]
    ]
    assert quoted.startswith("Tỷ lệ bảo hiểm y tế toàn dân") and "95%" in quoted
    assert f'<mark class="cited" id="cited" tabindex="-1">{quoted}</mark>' in html
    assert "Đoạn được trích dẫn được tô sáng." in html


def test_a_span_across_a_section_start_is_highlighted_in_pieces_with_one_target(client):
    detail = client.get(f"/api/documents/{LONG_AN_PLAN}").json()
    boundary = detail["sections"][1]["start"]
    html = client.get(
        f"/documents/{LONG_AN_PLAN}", params={"start": boundary - 5, "end": boundary + 5}
    ).text
    assert html.count('<mark class="cited"') == 2
    assert html.count('id="cited"') == 1


@pytest.mark.parametrize(
    "params", [{"start": "9", "end": "9"}, {"start": "x", "end": "5"}, {"start": "50"}]
)
def test_an_unusable_span_highlights_nothing(client, params):
    html = client.get(f"/documents/{LONG_AN_PLAN}", params=params).text
    assert "<mark" not in html and "Đoạn được trích dẫn" not in html


def test_a_span_past_the_end_is_clamped_to_the_text(client):
    html = client.get(f"/documents/{LONG_AN_PLAN}", params={"start": 0, "end": 10**9}).text
    assert html.count('id="cited"') == 1


def test_unknown_document_is_a_404_page(client):
    response = client.get("/documents/no-such-document")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy" in response.text and 'href="/documents"' in response.text


def test_unknown_page_is_a_404_page_but_the_api_keeps_json(client):
    page = client.get("/no-such-page", params={"lang": "en"})
    assert page.status_code == 404 and "Not found" in page.text
    api = client.get("/api/documents/no-such-document")
    assert api.status_code == 404 and api.headers["content-type"] == "application/json"


# the directive look-up


def test_references_page_lists_documents_citing_a_code_and_how(client):
    html = unescape(client.get("/references", params={"code": "25-CT/TW"}).text)
    assert "<code>25-CT/TW</code>" in html
    assert html.count('class="document-card"') == 3
    assert f'href="/documents/{HAU_GIANG_PROGRAMME}"' in html
    # each document cites it once on the page, in its fullest citation, with its mentions counted
    assert html.count('class="reference"') == 3
    assert "Chỉ thị số 25/CT-TW ngày 25 tháng 10 năm 2023 của Ban Bí thư về nâng cao" in html
    assert "Căn cứ pháp lý" in html and "Nhắc đến" in html
    assert re.search(r"\b2 <span[^>]*>lần nhắc đến trong văn bản</span>", html)
    assert re.search(rf'href="/documents/{LONG_AN_PLAN}\?start=\d+&end=\d+#cited"', html)


def test_references_page_normalizes_how_the_code_is_written(client):
    html = unescape(client.get("/references", params={"code": "25/CT-TW"}).text)
    assert "<code>25-CT/TW</code>" in html
    assert html.count('class="document-card"') == 3


def test_references_page_without_a_code_offers_frequently_cited_ones(client):
    html = client.get("/references").text
    assert 'name="code"' in html
    assert 'href="/references?code=25-CT/TW"' in html
    assert 'class="document-card"' not in html


def test_references_page_for_an_uncited_code_says_so(client):
    html = client.get("/references", params={"code": "999/QĐ-XYZ"}).text
    assert "Không có văn bản nào trong kho dẫn chiếu số hiệu này." in html


def test_references_page_refuses_a_very_long_code_politely(client):
    response = client.get("/references", params={"code": "x" * 500})
    assert response.status_code == 200
    assert "Số hiệu quá dài" in response.text


# escaping: document text and user input are untrusted


def assert_no_live_markup(html: str) -> None:
    for hostile in (SCRIPT, ATTRIBUTE, IMAGE, "<script>window", "<img src=x"):
        assert hostile not in html


def test_the_hostile_corpus_plants_the_markup_these_tests_look_for(hostile_markup):
    assert hostile_markup == (SCRIPT, ATTRIBUTE, IMAGE)


def test_hostile_document_text_is_escaped_in_every_page(hostile_client):
    pages = [
        "/",
        "/documents",
        "/documents/plan",
        "/documents/plan?start=0&end=40",
        "/documents/base",
        "/references?code=25-CT/TW",
        "/references?code=7/KH-UBND",
        "/references",
    ]
    for path in pages:
        response = hostile_client.get(path)
        assert response.status_code == 200, path
        assert_no_live_markup(response.text)
    viewer = hostile_client.get("/documents/plan").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in viewer
    assert "&#34; onmouseover=&#34;window.__xss=1" in viewer
    assert len(re.findall(r"<script\b", viewer)) == len(script_sources(viewer))


def test_hostile_input_in_query_parameters_is_escaped(hostile_client):
    for path, params in [
        ("/", {"q": SCRIPT + ATTRIBUTE + IMAGE}),
        ("/references", {"code": SCRIPT + ATTRIBUTE}),
        ("/documents", {"place": ATTRIBUTE + SCRIPT, "type": SCRIPT, "year": ATTRIBUTE}),
        ("/documents/plan", {"start": ATTRIBUTE, "end": SCRIPT, "lang": SCRIPT}),
        ("/no-such-page", {"lang": ATTRIBUTE}),
    ]:
        html = hostile_client.get(path, params=params).text
        assert_no_live_markup(html)


def test_a_legal_basis_in_the_corpus_links_to_that_document(hostile_client):
    html = hostile_client.get("/documents/plan").text
    assert 'href="/documents/base"' in html
    assert 'href="/references?code=7/KH-UBND"' in html


# feedback

NO_FEEDBACK = {"feedback": [], "next_before": None}


def test_feedback_round_trip_stores_question_answer_citations_and_comment(
    feedback_client, feedback_db, seed_settings
):
    in_file = seed_settings.store is None  # else in the PostgreSQL database
    assert not feedback_db.exists()  # created on first use, not at start-up
    first = {
        "question": "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An là bao nhiêu?",
        "answer": "Tỷ lệ bảo hiểm y tế toàn dân: 95%",
        "citations": [f"{LONG_AN_PLAN}:3"],
        "rating": "up",
    }
    second = {
        "question": f"Còn huyện Cần Đước thì sao? {SCRIPT}",
        "answer": "Tỷ lệ tham gia BHYT toàn dân: 98 %",
        "citations": ["000_e10c59c27c62b5c8:32", f"{LONG_AN_PLAN}:3"],
        "rating": "down",
        "comment": "  Nên nêu rõ là chỉ tiêu của huyện.  ",
    }
    created = [feedback_client.post("/api/feedback", json=body) for body in (first, second)]
    assert [r.status_code for r in created] == [201, 201]
    ids = [r.json()["id"] for r in created]
    assert ids[1] > ids[0]
    assert feedback_db.exists() == in_file

    listed = feedback_client.get("/api/feedback", headers=AS_REVIEWER).json()["feedback"]
    assert [entry["id"] for entry in listed] == ids[::-1]  # newest first
    newest = listed[0]
    assert newest["question"] == second["question"]
    assert newest["answer"] == second["answer"]
    assert newest["citations"] == second["citations"]
    assert newest["rating"] == "down"
    assert newest["comment"] == "Nên nêu rõ là chỉ tiêu của huyện."
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", newest["created_at"])
    assert listed[1]["comment"] is None


def test_feedback_exports_as_json_lines(feedback_client):
    for rating in ("up", "down"):
        body = {"question": "Câu hỏi", "answer": "Trả lời", "citations": [], "rating": rating}
        feedback_client.post("/api/feedback", json=body)
    response = feedback_client.get("/api/feedback.jsonl", headers=AS_REVIEWER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert len(lines) == 2 and response.text.endswith("\n")
    entries = [json.loads(line) for line in lines]
    assert [e["rating"] for e in entries] == ["down", "up"]
    listed = feedback_client.get("/api/feedback", headers=AS_REVIEWER).json()["feedback"]
    assert entries == listed
    assert "Câu hỏi" in response.text  # UTF-8 as written, not \\u escapes


def test_feedback_export_of_nothing_is_empty(feedback_client):
    assert feedback_client.get("/api/feedback.jsonl", headers=AS_REVIEWER).text == ""
    assert feedback_client.get("/api/feedback", headers=AS_REVIEWER).json() == NO_FEEDBACK


@pytest.mark.parametrize(
    "change",
    [
        {"rating": "meh"},
        {"rating": None},
        {"comment": "x" * 2001},
        {"question": ""},
        {"question": "x" * 2001},
        {"citations": "001:3"},
        {"citations": ["x" * 201]},
        {"citations": [f"p:{i}" for i in range(51)]},
    ],
)
def test_invalid_feedback_is_422(feedback_client, change):
    body = {"question": "Câu hỏi", "answer": "Trả lời", "citations": ["p:1"], "rating": "up"}
    response = feedback_client.post("/api/feedback", json={**body, **change})
    assert response.status_code == 422
    assert response.json()["detail"]
    assert feedback_client.get("/api/feedback", headers=AS_REVIEWER).json() == NO_FEEDBACK


def test_feedback_without_a_required_field_is_422(feedback_client):
    response = feedback_client.post("/api/feedback", json={"question": "Câu hỏi", "rating": "up"})
    assert response.status_code == 422
    assert "answer" in response.json()["detail"]


def test_a_comment_of_2000_characters_is_accepted(feedback_client):
    body = {"question": "q", "answer": "a", "rating": "down", "comment": "y" * 2000}
    assert feedback_client.post("/api/feedback", json=body).status_code == 201
