"""Sources an official can trust, in Debian's headless Chromium against the app served by uvicorn
over the seed index (issue 14, items 1, 3 and 4): an answer followed by the [n] of each source it
rests on, each source card naming its document (type, number or "không ghi", issuer, place,
date), the passages retrieved beside it apart and closed; a code in an answer leading to its
look-up, where "chỉ thị 25" finds the same directive; a legal-basis answer listing the bases the
document's page lists. Screenshots go to eval/reports/sources-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from service.app import create_app
from tests.web.live import served

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"
LONG_AN_COVERAGE = "Tỷ lệ bảo hiểm y tế năm 2025 của tỉnh Long An là bao nhiêu?"
DIRECTIVE_QUESTION = "Chỉ thị 25-CT/TW về việc gì?"
LAI_CHAU_BASES = "Kế hoạch của Sở Y tế Lai Châu căn cứ văn bản nào?"
LONG_AN_PLAN = "001_b919c97a22ddf266"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
CITING_DIRECTIVE_25 = 3  # the Long An and Lai Châu plans, the Hậu Giang programme
SIZES = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def sources_server(seed_settings, seed_engine, tmp_path_factory) -> Iterator[str]:
    settings = seed_settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("sources-feedback") / "feedback.sqlite"}
    )
    with served(create_app(settings, seed_engine)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS


@pytest.fixture
def script_errors() -> list[str]:
    return []


def new_page(browser, script_errors: list[str], viewport: dict[str, int]) -> Page:
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser, script_errors) -> Iterator[Page]:
    page = new_page(browser, script_errors, SIZES["desktop"])
    yield page
    page.context.close()


def ask(page: Page, base_url: str, question: str):
    page.goto(base_url + "/")
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    box = page.locator("#question")
    box.fill(question)
    box.press("Enter")
    answer = page.locator(".message--assistant:not(.message--pending)").last
    expect(answer).to_be_visible()
    return answer


def screenshot_whole_page(page: Page, path: Path) -> None:
    """Grow the window to the page's height first, so the sticky question box stays at the end."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=path)
    page.set_viewport_size(size)


@pytest.mark.parametrize("size", list(SIZES))
def test_an_answer_carries_the_n_of_its_sources_and_keeps_related_passages_apart(
    browser, sources_server, reports_dir, script_errors, size
):
    page = new_page(browser, script_errors, SIZES[size])
    answer = ask(page, sources_server, LONG_AN_COVERAGE)
    expect(answer).to_have_class(re.compile("message--answer"))

    # the answer text, then [1] … leading to the numbered source cards
    markers = answer.locator(".message__markers .message__marker")
    expect(markers.first).to_have_text("[1]")
    sources = answer.locator(".citations .citation")
    expect(sources).to_have_count(markers.count())
    first = sources.first
    expect(first.locator(".citation__number")).to_have_text("[1]")
    expect(first.locator(".citation__title")).to_have_text(
        "Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025"
    )
    document = first.locator(".citation__document")
    expect(document).to_contain_text("Kế hoạch")
    expect(document).to_contain_text(re.compile(r"Số hiệu:?\s*không ghi"))
    expect(document).to_contain_text("Sở Y tế tỉnh Long An")
    expect(document).to_contain_text("Long An")
    # a place of before the 2025 reorganisation says where it lies today
    expect(document).to_contain_text("nay thuộc tỉnh Tây Ninh từ 01/07/2025")
    expect(document).to_contain_text("01/2025")
    expect(first.locator(".citation__passage mark")).to_contain_text("95%")
    # the figure points at the same numbered source
    expect(answer.locator(".figure__source").first).to_contain_text("[1]")

    # passages retrieved beside the answer: apart, under their own heading, closed
    related = answer.locator("details.related")
    expect(related).to_be_visible()
    expect(related.locator(".related__title")).to_contain_text("Đoạn liên quan")
    assert related.get_attribute("open") is None
    expect(related.locator(".citation").first).to_be_hidden()
    assert "Cần Đước" not in answer.locator(".citations").inner_text()
    screenshot_whole_page(page, reports_dir / f"sources-answer-{size}.png")

    related.locator("summary").click()
    expect(related.locator(".citation").first).to_be_visible()
    numbers = related.locator(".citation__number").all_inner_texts()
    assert numbers[0] == f"[{markers.count() + 1}]"

    markers.first.click()
    expect(page).to_have_url(re.compile(r"#answer-.+-source-1$"))
    expect(first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert script_errors == []
    page.context.close()


def test_a_code_in_an_answer_leads_to_its_look_up_where_chi_thi_25_finds_it_too(
    page: Page, sources_server, reports_dir, script_errors
):
    answer = ask(page, sources_server, DIRECTIVE_QUESTION)
    link = answer.locator(".message__text a.code-link", has_text="25-CT/TW").first
    expect(link).to_be_visible()
    screenshot_whole_page(page, reports_dir / "sources-code-link.png")
    link.click()
    page.wait_for_url(re.compile(r"/references\?code=25-CT%2FTW$"))
    heading = page.locator(".citing h2").first
    expect(heading).to_contain_text("25-CT/TW")
    expect(page.locator(".citing .document-card")).to_have_count(CITING_DIRECTIVE_25)

    # what an official types for it reaches the same directive, displayed as the sources write it
    box = page.locator("#code")
    box.fill("chỉ thị 25")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/references\?code="))
    expect(page.locator("#code")).to_have_value("chỉ thị 25")
    expect(page.locator(".citing h2").first).to_contain_text("25-CT/TW")
    expect(page.locator(".citing .document-card")).to_have_count(CITING_DIRECTIVE_25)
    page.screenshot(path=reports_dir / "sources-lookup-chi-thi-25.png", full_page=True)
    assert script_errors == []


def test_a_legal_basis_answer_lists_the_bases_the_documents_page_lists(
    page: Page, sources_server, script_errors
):
    answer = ask(page, sources_server, LAI_CHAU_BASES)
    listed = answer.locator(".answer-bases li")
    expect(listed).to_have_count(2)
    expect(answer.locator(".answer-bases")).to_contain_text("02-Ctr/ĐU")
    in_chat = [re.sub(r"\s+", " ", text) for text in listed.all_inner_texts()]

    listed.filter(has_text="02-Ctr/ĐU").locator("a").click()
    page.wait_for_url(re.compile(r"/references\?code="))
    expect(page.locator(".citing h2").first).to_contain_text("02-Ctr/ĐU")

    page.goto(sources_server + f"/documents/{LAI_CHAU_PLAN}")
    bases = page.locator("section[aria-labelledby='legal-bases-title'] .reference")
    expect(bases).to_have_count(2)
    on_page = bases.locator(".reference__raw").all_inner_texts()
    for chat_entry, page_entry in zip(in_chat, on_page, strict=True):
        assert chat_entry.split(" · ")[0] in re.sub(r"\s+", " ", page_entry)
    assert script_errors == []
