"""Tables as tables in Debian's headless Chromium (issue 14, item 2): a cited table row opens in the
viewer as an HTML <table> with its column headers and the cited cells highlighted, in place of the
lines the text flattened it into. Screenshots go to eval/reports/table-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from service.app import create_app
from tests.web.live import served

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
LIFE_EXPECTANCY = "Tuổi thọ trung bình của Lai Châu năm 2025?"
LAI_CHAU_HEADERS = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu Nghị quyết Đại hội 2026-2030",
    "Năm 2025",
    "KH đến Năm 2030",
]
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
# The header a cell stands under, read from the rendered table.
COLUMN_HEADER = """(cell) => {
  const table = cell.closest('table');
  return table.tHead.rows[0].cells[cell.cellIndex].textContent;
}"""


@pytest.fixture(scope="session")
def table_server(seed_settings, seed_engine, tmp_path_factory) -> Iterator[str]:
    settings = seed_settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("table-feedback") / "feedback.sqlite"}
    )
    with served(create_app(settings, seed_engine)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def life_expectancy_citation(table_server) -> dict:
    """The citation /api/ask gives for the Lai Châu life-expectancy row."""
    response = httpx.post(f"{table_server}/api/ask", json={"question": LIFE_EXPECTANCY}, timeout=60)
    response.raise_for_status()
    body = response.json()
    figure = body["figures"][0]
    citation = next(c for c in body["citations"] if c["id"] == figure["citation"])
    assert citation["table_row"] is not None
    return citation


@pytest.fixture
def script_errors() -> list[str]:
    return []


def new_page(browser, script_errors: list[str], viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser, script_errors) -> Iterator[Page]:
    page = new_page(browser, script_errors, DESKTOP)
    yield page
    page.context.close()
    assert script_errors == []


def viewer_url(base: str, doc_id: str, start: int, end: int) -> str:
    return f"{base}/documents/{doc_id}?start={start}&end={end}#cited"


def test_opening_a_cited_table_row_shows_a_table_with_its_headers_and_the_row_highlighted(
    page: Page, table_server, life_expectancy_citation
):
    citation = life_expectancy_citation
    page.goto(
        viewer_url(table_server, citation["doc_id"], citation["quote_start"], citation["quote_end"])
    )
    table = page.locator(".document-text table.doc-table")
    expect(table).to_have_count(1)
    expect(table.locator("thead th")).to_have_text(LAI_CHAU_HEADERS)
    # every written cell of the cited row is highlighted, nothing else
    expect(table.locator(".cited")).to_have_text(
        ["5", "Tuổi thọ trung bình", "Tuổi", "70", "68,5", "70"]
    )
    # the reader lands on the row, its column headers in sight
    expect(page.locator("#cited")).to_be_focused()
    expect(table.locator("thead")).to_be_in_viewport()
    expect(page.locator("#cited")).to_be_in_viewport()
    # the flattened lines are gone: the header no longer runs over four lines of text
    text = page.locator(".document-text").evaluate(
        "(element) => [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)"
        ".map((n) => n.data).join('')"
    )
    assert "2026-2030\nNăm 2025\nKH đến Năm 2030" not in text
    assert "5 Tuổi thọ trung bình Tuổi 70 68,5 70" not in text
    REPORTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=REPORTS / "table-cited-row.png")


def test_a_link_to_the_cited_cell_highlights_that_cell_under_its_column(
    page: Page, table_server, life_expectancy_citation
):
    table_row = life_expectancy_citation["table_row"]
    cell = table_row["cells"][table_row["cited_cell"]]
    page.goto(viewer_url(table_server, LAI_CHAU_PLAN, cell["start"], cell["end"]))
    cited = page.locator(".doc-table .cited")
    expect(cited).to_have_text(["68,5"])
    expect(cited).to_be_focused()
    assert cited.evaluate(COLUMN_HEADER) == "Năm 2025"
    page.screenshot(path=REPORTS / "table-cited-cell.png")


def test_the_chat_source_link_of_a_table_row_opens_the_table(
    page: Page, table_server, life_expectancy_citation
):
    page.goto(table_server + "/")
    box = page.get_by_label(re.compile("Câu hỏi của bạn|Your question"))
    box.fill(LIFE_EXPECTANCY)
    box.press("Enter")
    start = life_expectancy_citation["quote_start"]
    link = page.locator(f'a[href^="/documents/{LAI_CHAU_PLAN}?start={start}&"]').first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(rf"/documents/{LAI_CHAU_PLAN}\?start={start}&end=\d+#cited$"))
    expect(page.locator(".doc-table thead th")).to_have_text(LAI_CHAU_HEADERS)
    expect(page.locator(".doc-table .cited").nth(4)).to_have_text("68,5")


def test_every_table_of_a_document_is_shown_as_a_table_without_a_citation(page: Page, table_server):
    page.goto(f"{table_server}/documents/000_e10c59c27c62b5c8")
    tables = page.locator(".document-text table.doc-table")
    expect(tables).to_have_count(4)
    expect(tables.first.locator("thead th")).to_have_text(
        ["TT", "Chỉ số", "Đơn vị tính", "Năm 2025", "Ghi chú"]
    )
    expect(page.locator(".doc-table .cited")).to_have_count(0)
    # a row's label is the header of its row, for screen readers
    expect(tables.first.locator("tbody tr").first.locator("th")).to_have_text("Bác sĩ/vạn dân")


def test_on_a_phone_a_table_scrolls_inside_itself_not_the_page(
    browser, script_errors, table_server, life_expectancy_citation
):
    page = new_page(browser, script_errors, PHONE)
    citation = life_expectancy_citation
    page.goto(
        viewer_url(table_server, citation["doc_id"], citation["quote_start"], citation["quote_end"])
    )
    expect(page.locator(".doc-table")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=REPORTS / "table-phone.png")
    page.context.close()
    assert script_errors == []
