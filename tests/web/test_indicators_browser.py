"""Indicator tables in Debian's headless Chromium against the app served by uvicorn over the seed
index (issue 16): filtering the table, opening a value's line in the viewer, the server-drawn
chart on a desktop and a phone, CSV and XLSX downloads re-read with the csv module and openpyxl,
and the chat's link from a figure answer to its indicator. Screenshots go to
eval/reports/indicators-*.png."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from service.app import create_app
from tests.web.live import served

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
COVERAGE_QUESTION = "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của tỉnh Long An là bao nhiêu?"


@pytest.fixture(scope="module")
def indicators_server(seed_settings, seed_engine, tmp_path_factory) -> Iterator[str]:
    settings = seed_settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("indicators-feedback") / "feedback.sqlite"}
    )
    with served(create_app(settings, seed_engine)) as base_url:
        yield base_url


@pytest.fixture
def problems() -> list[str]:
    """Script errors and Content-Security-Policy violations the pages report."""
    return []


def new_page(browser, problems: list[str], size: str) -> Page:
    viewport = SIZES[size]
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", is_mobile=phone, has_touch=phone, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def test_filter_the_table_and_open_a_value_in_the_viewer(browser, indicators_server, problems):
    REPORTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, problems, "desktop")
    page.goto(indicators_server + "/indicators")
    page.locator("#filter-q").fill("tham gia BHYT")
    page.locator("#filter-place").select_option("Tây Ninh")  # today's province: Long An, Cần Đước
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"place=T%C3%A2y\+Ninh"))
    rows = page.locator("tr.indicator-row")
    expect(rows.first).to_be_visible()
    shown_places = set(rows.evaluate_all("rows => rows.map(r => r.dataset.place)"))
    assert {"Long An", "Cần Đước"} <= shown_places and "Lai Châu" not in shown_places
    page.screenshot(path=REPORTS / "indicators-table-filtered.png", full_page=True)

    long_an = page.locator('tr.indicator-row[data-place="Long An"][data-year="2025"]')
    value = long_an.locator(".indicator-value", has_text="95%").first
    value.click()
    expect(page).to_have_url(re.compile(r"/documents/001_[0-9a-f]+\?start=\d+&end=\d+#cited$"))
    cited = page.locator("#cited")
    expect(cited).to_be_visible()
    expect(cited).to_contain_text("95%")
    page.screenshot(path=REPORTS / "indicators-value-in-viewer.png")
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_indicator_page_draws_its_chart(browser, indicators_server, problems, size):
    REPORTS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, problems, size)
    page.goto(indicators_server + "/indicators?q=tham+gia+BHYT")
    page.screenshot(path=REPORTS / f"indicators-table-{size}.png", full_page=True)
    page.locator("tr.indicator-row th a").first.click()
    chart = page.locator("#indicator-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_js_property("complete", True)
    width = chart.evaluate("img => img.naturalWidth")
    assert width > 0, "the chart did not load"
    box = chart.bounding_box()
    assert box is not None and box["width"] <= SIZES[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(page.locator(".plan-table, .empty").first).to_be_visible()
    page.screenshot(path=REPORTS / f"indicators-chart-{size}.png", full_page=True)
    assert problems == []
    page.context.close()


def test_csv_and_xlsx_downloads_read_back(browser, indicators_server, problems):
    page = new_page(browser, problems, "desktop")
    page.goto(indicators_server + "/indicators?place=H%E1%BA%ADu+Giang&year=2023")
    shown = page.locator(".indicator-value").count()
    with page.expect_download() as downloaded:
        page.locator("#export-csv").click()
    text = Path(downloaded.value.path()).read_bytes().decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert len(lines) == shown
    assert {line["place"] for line in lines} >= {"Hậu Giang"}
    assert all(line["document"] and line["source_text"] and line["link"] for line in lines)
    with page.expect_download() as downloaded:
        page.locator("#export-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(downloaded.value.path()).read_bytes())).active
    assert sheet.max_row - 1 == shown
    header = [cell.value for cell in sheet[1]]
    assert {"document", "section", "source_text", "link"} <= set(header)
    assert problems == []
    page.context.close()


def test_a_figure_answer_in_the_chat_links_to_its_indicator(browser, indicators_server, problems):
    page = new_page(browser, problems, "desktop")
    page.goto(indicators_server + "/")
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    page.locator("#question").fill(COVERAGE_QUESTION)
    page.locator("#question").press("Enter")
    answer = page.locator(".message--assistant:not(.message--pending)").last
    link = answer.locator(".figure__indicator").first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/indicators/[a-z0-9-]+$"))
    expect(page.locator("h1")).to_be_visible()
    assert problems == []
    page.context.close()
