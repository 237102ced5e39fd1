"""The chat an official comes back to, in Debian's headless Chromium against the app served by
uvicorn over the seed index (issue 14, items 5–7): conversations kept in the browser and reopened,
copied, downloaded as Markdown and printed without the page's chrome; filters sent with the
question and shown as chips; errors in the interface's language; a question that can be stopped,
gives up after a time limit and is tried again in place; the way back from the viewer; ratings
stored on the click; keyboard focus always in sight, on a desktop and on a phone.
Screenshots go to eval/reports/chat-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, Route, expect
from pydantic import SecretStr

from service.app import create_app
from tests.web.live import served

REPORTS = Path(__file__).resolve().parents[2] / "eval" / "reports"
REVIEWER = "reviewer-token-for-the-chat-browser-tests"
AS_REVIEWER = {"Authorization": f"Bearer {REVIEWER}"}

LONG_AN_QUESTION = "Tỷ lệ bảo hiểm y tế toàn dân năm 2025 của Long An là bao nhiêu?"
FOLLOW_UP = "Còn huyện Cần Đước thì sao?"
LAI_CHAU_QUESTION = "Tuổi thọ trung bình của tỉnh Lai Châu đến năm 2030 là bao nhiêu?"
LONG_AN_PLAN = "001_b919c97a22ddf266"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
DATE_TIME = re.compile(r"\d\d/\d\d/\d{4}")


@pytest.fixture(scope="session")
def chat_server(seed_settings, seed_engine, tmp_path_factory) -> Iterator[str]:
    settings = seed_settings.model_copy(
        update={
            "feedback_db": tmp_path_factory.mktemp("chat-feedback") / "feedback.sqlite",
            "reviewer_token": SecretStr(REVIEWER),
        }
    )
    with served(create_app(settings, seed_engine)) as base_url:
        yield base_url


@pytest.fixture
def script_errors() -> list[str]:
    return []


def new_page(browser, script_errors: list[str], viewport: dict[str, int], **options) -> Page:
    context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    def refuse(dialog) -> None:  # the chat never asks through a browser dialog
        script_errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", refuse)
    return page


@pytest.fixture
def page(browser, script_errors) -> Iterator[Page]:
    page = new_page(browser, script_errors, DESKTOP, accept_downloads=True)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, script_errors) -> Iterator[Page]:
    page = new_page(browser, script_errors, PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    return REPORTS


def open_chat(page: Page, base_url: str, path: str = "/") -> None:
    page.goto(base_url + path)
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()


def ask(page: Page, question: str) -> None:
    """Type the question, press Enter and wait until its answer (or error) is in the page."""
    before = page.locator(".message--assistant:not(.message--pending)").count()
    box = page.locator("#question")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".message--assistant:not(.message--pending)")).to_have_count(before + 1)


def last_answer(page: Page):
    return page.locator(".message--assistant").last


def saved_titles(page: Page) -> list[str]:
    return page.locator("#saved-list .saved-item__open").all_inner_texts()


# 5. Work that can be kept


def test_a_conversation_is_kept_reopened_after_a_reload_renamed_and_deleted_only_when_confirmed(
    page: Page, chat_server, reports_dir, script_errors
):
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    ask(page, FOLLOW_UP)

    # "Hỏi đáp mới" starts a new conversation and keeps the old one, without asking
    page.get_by_role("button", name="Hỏi đáp mới").click()
    expect(page.locator(".message")).to_have_count(0)
    expect(page.locator("#tools-status")).to_have_text(
        "Đã bắt đầu cuộc hỏi đáp mới; cuộc trước vẫn được lưu."
    )
    ask(page, LAI_CHAU_QUESTION)

    page.reload()
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    expect(last_answer(page).locator(".figure__value").first).to_have_text(re.compile("70"))
    page.locator("#saved summary").click()
    expect(page.locator("#saved-count")).to_have_text("(2)")
    assert saved_titles(page) == [LAI_CHAU_QUESTION, LONG_AN_QUESTION]  # latest first
    expect(page.locator("#saved-list .saved-item").first).to_contain_text("đang mở")

    # reopen the first one: both its answers come back, and follow-ups go on from it
    page.get_by_role("button", name=LONG_AN_QUESTION).click()
    expect(page.locator(".message--answer")).to_have_count(2)
    expect(page.locator(".message--answer .figure__value").first).to_have_text(
        re.compile(r"95\s*%")
    )
    expect(page.locator(".message--user .message__time").first).to_have_text(DATE_TIME)
    page.screenshot(path=reports_dir / "chat-saved-conversations.png")

    # rename in place
    item = page.locator("#saved-list .saved-item").filter(has_text=LONG_AN_QUESTION)
    item.get_by_role("button", name="Đổi tên").click()
    name = item.get_by_label("Tên mới")
    expect(name).to_be_focused()
    name.fill("BHYT Long An và Cần Đước")
    name.press("Enter")
    expect(page.locator("#tools-status")).to_have_text(
        "Đã đổi tên thành “BHYT Long An và Cần Đước”."
    )
    page.reload()
    page.locator("#saved summary").click()
    assert "BHYT Long An và Cần Đước" in saved_titles(page)
    expect(page.locator(".message--answer")).to_have_count(2)  # the tab reopens what it had open

    # delete asks first, in the page; "Không xoá" keeps it
    item = page.locator("#saved-list .saved-item").filter(has_text="BHYT Long An và Cần Đước")
    item.get_by_role("button", name="Xoá").click()
    expect(item).to_contain_text("Xoá cuộc hỏi đáp “BHYT Long An và Cần Đước”? Không thể hoàn tác.")
    item.get_by_role("button", name="Không xoá").click()
    expect(page.locator("#saved-count")).to_have_text("(2)")
    item.get_by_role("button", name="Xoá").click()
    item.get_by_role("button", name="Xoá hẳn").click()
    expect(page.locator("#saved-count")).to_have_text("(1)")
    assert saved_titles(page) == [LAI_CHAU_QUESTION]
    expect(page.locator(".message")).to_have_count(0)  # it was the open one
    assert script_errors == []


def test_markdown_export_holds_questions_answers_and_sources_with_their_addresses(
    page: Page, chat_server, reports_dir
):
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    ask(page, FOLLOW_UP)
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Tải về (Markdown)").click()
    download = downloaded.value
    assert re.fullmatch(r"hoi-dap-\d{4}-\d\d-\d\d-\d{4}\.md", download.suggested_filename)
    markdown = Path(download.path()).read_text(encoding="utf-8")
    (reports_dir / "chat-export.md").write_text(markdown, encoding="utf-8")

    assert markdown.startswith(f"# Trợ lý văn bản y tế — {LONG_AN_QUESTION}\n")
    assert re.search(r"^Xuất lúc: .*\d\d/\d\d/\d{4}", markdown, re.M)
    assert "## Câu hỏi 1" in markdown and "## Câu hỏi 2" in markdown
    assert f"**Bạn:** {LONG_AN_QUESTION}" in markdown and f"**Bạn:** {FOLLOW_UP}" in markdown
    assert re.search(r"^_Hỏi lúc: .*\d\d/\d\d/\d{4}", markdown, re.M)
    assert re.search(r"\*\*Trả lời:\*\* .*95\s*%", markdown)
    assert "**Nguồn trích dẫn**" in markdown
    assert (
        "1. **Kế hoạch Thực hiện Chương trình hành động công tác y tế năm 2025** — Mục:" in markdown
    )
    assert "   > " in markdown  # the quoted span
    address = re.search(
        rf"Địa chỉ: <({re.escape(chat_server)}/documents/{LONG_AN_PLAN}\?start=\d+&end=\d+#cited)>",
        markdown,
    )
    assert address, markdown
    # the address opens the viewer at the quoted span
    page.goto(address.group(1))
    expect(page.locator("mark#cited")).to_contain_text("95%")


def test_copy_puts_one_answer_with_its_sources_on_the_clipboard(
    browser, chat_server, script_errors
):
    page = new_page(browser, script_errors, DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=chat_server)
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    answer = last_answer(page)
    answer.get_by_role("button", name="Sao chép câu trả lời và nguồn").click()
    expect(answer.locator(".message__action-status")).to_have_text(
        "Đã sao chép câu trả lời và nguồn."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("_Hỏi lúc:") and f"**Bạn:** {LONG_AN_QUESTION}" in copied
    assert "95" in copied and "**Nguồn trích dẫn**" in copied
    assert f"/documents/{LONG_AN_PLAN}?start=" in copied
    page.context.close()


def test_printing_shows_questions_answers_sources_and_times_without_the_chrome(
    page: Page, chat_server, reports_dir
):
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    page.emulate_media(media="print")
    for chrome in (
        ".site-header",
        ".ask-form",
        "#question",
        ".chat-tools",
        ".feedback",
        ".message__actions",
        ".citation__open",
    ):
        expect(page.locator(chrome).first).to_be_hidden()
    assert page.locator("button:visible").count() == 0
    header = page.locator(".print-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text(LONG_AN_QUESTION)
    expect(header.locator("#print-time")).to_have_text(DATE_TIME)
    expect(page.locator(".message--user").first).to_contain_text(LONG_AN_QUESTION)
    expect(page.locator(".message--user .message__time").first).to_have_text(DATE_TIME)
    citation = page.locator(".citation").first
    expect(citation.locator(".citation__title")).to_be_visible()
    expect(citation.locator(".citation__section")).to_be_visible()
    expect(citation.locator(".citation__address")).to_be_visible()
    expect(citation.locator(".citation__address")).to_contain_text(
        f"{chat_server}/documents/{LONG_AN_PLAN}?start="
    )
    page.screenshot(path=reports_dir / "chat-print.png", full_page=True)
    page.emulate_media(media="screen")
    expect(page.locator(".ask-form")).to_be_visible()
    expect(page.locator(".citation__address").first).to_be_hidden()


# 6. Filters


def test_filters_are_sent_with_the_question_shown_as_chips_and_removable(
    page: Page, chat_server, reports_dir, script_errors
):
    open_chat(page, chat_server)
    page.get_by_text("Lọc nguồn: địa bàn, năm, loại, văn bản").click()
    page.get_by_label("Địa bàn", exact=True).select_option("Long An")
    page.get_by_label("Năm", exact=True).select_option("2025")
    chips = page.get_by_role("list", name="Bộ lọc đang dùng")
    expect(chips.get_by_role("button")).to_have_text(
        [re.compile("Địa bàn: Long An"), re.compile("Năm: 2025")]
    )
    page.screenshot(path=reports_dir / "chat-filters.png")

    with page.expect_request("**/api/ask") as sent:
        ask(page, LONG_AN_QUESTION)
    assert sent.value.post_data_json["filters"] == {"place": "Long An", "year": 2025}
    expect(last_answer(page).locator(".figure__value").first).to_have_text(re.compile(r"95\s*%"))
    expect(page.locator(".message--user .message__filters").last).to_have_text(
        "Lọc theo: Địa bàn: Long An, Năm: 2025"
    )

    # a chip removes its filter; focus stays on the chips
    chips.get_by_role("button", name="Bỏ lọc Năm: 2025").click()
    expect(chips.get_by_role("button")).to_have_count(1)
    expect(chips.get_by_role("button", name="Bỏ lọc Địa bàn: Long An")).to_be_focused()
    expect(page.get_by_label("Năm", exact=True)).to_have_value("")

    # a document, named by its title
    page.get_by_label("Văn bản", exact=True).select_option(LAI_CHAU_PLAN)
    expect(chips.get_by_role("button").last).to_contain_text("Văn bản: Kế hoạch Thực hiện")
    with page.expect_request("**/api/ask") as sent:
        ask(page, LAI_CHAU_QUESTION)
    assert sent.value.post_data_json["filters"] == {"place": "Long An", "document": LAI_CHAU_PLAN}

    # the filters belong to the conversation: a reload brings them back
    page.reload()
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    expect(chips.get_by_role("button")).to_have_count(2)
    for button in chips.get_by_role("button").all()[::-1]:
        button.click()
    expect(chips).to_be_hidden()
    expect(page.locator(".chat-filters summary")).to_be_focused()
    with page.expect_request("**/api/ask") as sent:
        ask(page, LONG_AN_QUESTION)
    assert "filters" not in sent.value.post_data_json
    assert script_errors == []


# 7. States and errors


def test_a_question_the_server_refuses_is_explained_in_vietnamese_and_given_back(
    page: Page, chat_server, reports_dir
):
    open_chat(page, chat_server)
    too_long = "Tỷ lệ bảo hiểm y tế toàn dân? " * 99 + "Long An năm 2025 là bao nhiêu?"
    assert len(too_long) == 3000  # the box allows 2,000; the API refuses more
    page.evaluate("text => { document.getElementById('question').value = text; }", too_long)
    page.locator("#question").press("Enter")
    error = page.locator(".message--error")
    expect(error).to_have_text(
        re.compile("Câu hỏi dài 3.000 ký tự, vượt giới hạn 2.000 ký tự. Hãy rút gọn rồi gửi lại.")
    )
    expect(error).not_to_contain_text("characters")
    expect(error.get_by_role("button", name="Thử lại")).to_be_hidden()  # it would fail again
    assert page.locator("#question").input_value() == too_long
    expect(page.locator("#announcer")).to_contain_text("Câu hỏi dài 3.000 ký tự")
    page.screenshot(path=reports_dir / "chat-error-vi.png")

    # the same error in English, from the same code
    page.get_by_role("link", name="English").click()
    expect(error).to_contain_text("The question is 3,000 characters long, over the limit of 2,000.")


def test_a_waiting_question_can_be_stopped_and_tried_again_without_a_second_bubble(
    page: Page, chat_server, script_errors
):
    held: list[Route] = []
    page.route("**/api/ask", lambda route: held.append(route))  # the server never answers
    open_chat(page, chat_server)
    box = page.locator("#question")
    box.fill(LONG_AN_QUESTION)
    box.press("Enter")
    expect(page.locator(".message--pending")).to_be_visible()
    stop = page.get_by_role("button", name="Dừng")
    expect(stop).to_be_visible()
    stop.click()
    error = page.locator(".message--error")
    expect(error).to_contain_text("Bạn đã dừng câu hỏi này.")
    expect(stop).to_be_hidden()

    page.unroute("**/api/ask")
    error.get_by_role("button", name="Thử lại").click()
    expect(last_answer(page).locator(".figure__value").first).to_have_text(re.compile(r"95\s*%"))
    expect(page.locator(".message--user")).to_have_count(1)
    expect(page.locator(".message--error")).to_have_count(0)
    assert script_errors == []


def test_a_question_that_gets_no_answer_in_time_is_given_up_and_retried_in_place(
    page: Page, chat_server
):
    held: list[Route] = []
    page.route("**/api/ask", lambda route: held.append(route))
    open_chat(page, chat_server)
    page.evaluate("document.querySelector('.chat').dataset.timeoutMs = '1500'")
    ask(page, LONG_AN_QUESTION)
    error = page.locator(".message--error")
    expect(error).to_contain_text("Chưa nhận được câu trả lời sau 2 giây. Hãy thử lại.")
    assert len(held) == 1

    # Enter with the same question again also retries in place
    page.unroute("**/api/ask")
    page.locator("#question").fill(LONG_AN_QUESTION)
    page.locator("#question").press("Enter")
    expect(page.locator(".message--answer")).to_have_count(1)
    expect(page.locator(".message--user")).to_have_count(1)
    expect(page.locator(".message--error")).to_have_count(0)


def test_the_viewer_leads_back_to_the_same_place_in_the_conversation(page: Page, chat_server):
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    ask(page, FOLLOW_UP)
    ask(page, LAI_CHAU_QUESTION)
    link = page.locator(".message--answer").nth(1).locator(".citation__open").first
    # the link a third of the way down the screen, the page scrolled well down
    link.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 260)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 100
    link_id = link.get_attribute("id")
    link.click()
    page.wait_for_url(re.compile(r"/documents/"))

    back = page.get_by_role("link", name="Quay lại cuộc hỏi đáp")
    expect(back).to_be_visible()
    back.click()
    expect(page.locator('.chat[data-ready="true"]')).to_be_attached()
    expect(page.locator(".message--answer")).to_have_count(3)
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 2
    expect(page.locator(f"#{link_id}")).to_be_focused()

    # the browser's own back button does the same
    page.locator(f"#{link_id}").click()
    page.wait_for_url(re.compile(r"/documents/"))
    page.go_back()
    expect(page.locator(".message--answer")).to_have_count(3)
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 2

    # a viewer opened from the documents list offers no way back to a conversation
    fresh = page.context.new_page()
    fresh.goto(chat_server + f"/documents/{LONG_AN_PLAN}")
    expect(fresh.get_by_role("link", name="Quay lại cuộc hỏi đáp")).to_be_hidden()
    fresh.close()


def test_a_rating_is_stored_on_the_click_with_the_earlier_turns_and_can_be_changed(
    page: Page, chat_server
):
    def newest() -> dict:
        entries = httpx.get(chat_server + "/api/feedback", headers=AS_REVIEWER).json()["feedback"]
        return entries[0] if entries else {}

    before = newest().get("id", 0)
    open_chat(page, chat_server)
    ask(page, LONG_AN_QUESTION)
    ask(page, FOLLOW_UP)
    answer = last_answer(page)

    answer.get_by_role("button", name="Chưa đúng").click()
    expect(answer.locator(".feedback__status")).to_have_text(
        "Đã ghi nhận đánh giá. Bạn có thể thêm góp ý hoặc đổi đánh giá."
    )
    stored = newest()
    assert stored["id"] > before and stored["question"] == FOLLOW_UP
    assert stored["rating"] == "down" and stored["comment"] is None
    assert [turn["role"] for turn in stored["history"]] == ["user", "assistant"]
    assert stored["history"][0]["content"] == LONG_AN_QUESTION
    assert "95" in stored["history"][1]["content"]

    comment = answer.get_by_label("Góp ý thêm (không bắt buộc)")
    expect(comment).to_be_focused()
    comment.fill("Nên ghi rõ là chỉ tiêu của huyện.")
    answer.get_by_role("button", name="Gửi góp ý").click()
    expect(answer.locator(".feedback__status")).to_have_text(re.compile("Cảm ơn"))
    answer.get_by_role("button", name="Hữu ích").click()
    expect(answer.get_by_role("button", name="Hữu ích")).to_have_attribute("aria-pressed", "true")
    expect(answer.locator(".feedback__status")).to_have_text(re.compile("Đã ghi nhận đánh giá"))
    changed = newest()
    assert changed["id"] == stored["id"]  # the same rating, changed: not a second one
    assert (changed["rating"], changed["comment"]) == ("up", "Nên ghi rõ là chỉ tiêu của huyện.")

    page.reload()
    answer = last_answer(page)
    expect(answer.get_by_role("button", name="Hữu ích")).to_have_attribute("aria-pressed", "true")
    expect(answer.get_by_label("Góp ý thêm (không bắt buộc)")).to_have_value(
        "Nên ghi rõ là chỉ tiêu của huyện."
    )


FOCUS_STATE = """() => {
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  const form = document.getElementById('ask-form');
  const sticky = getComputedStyle(form).position === 'sticky';
  const formTop = form.getBoundingClientRect().top;
  const style = getComputedStyle(element);
  return {
    what: element.outerHTML.slice(0, 120),
    inForm: form.contains(element),
    visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= innerHeight + 1,
    underForm: sticky && !form.contains(element) && box.bottom > formTop + 1,
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def walk_by_keyboard(page: Page, presses: int) -> list[dict]:
    states = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["what"].startswith("<body"):
            break
        states.append(state)
    return states


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_keyboard_only_path_keeps_focus_visible_and_out_from_under_the_question_box(
    browser, chat_server, reports_dir, script_errors, size
):
    viewport = DESKTOP if size == "desktop" else PHONE
    page = new_page(browser, script_errors, viewport)
    open_chat(page, chat_server)
    # ask with the keyboard alone
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    page.locator("#question").focus()
    page.keyboard.type(LONG_AN_QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".message--answer")).to_have_count(1)
    page.keyboard.type(FOLLOW_UP)
    page.keyboard.press("Enter")
    expect(page.locator(".message--answer")).to_have_count(2)

    # from the top of the page through every control of both answers and the question box
    page.locator(".skip-link").focus()
    states = walk_by_keyboard(page, 80)
    walked = [s["what"][:60] for s in states]
    assert sum("citation__open" in what for what in walked) >= 2, walked
    assert any('id="question"' in what for what in walked), walked
    hidden = [s["what"] for s in states if not s["visible"] or s["underForm"]]
    assert hidden == [], hidden
    no_ring = [s["what"] for s in states if not s["ring"]]
    assert no_ring == [], no_ring
    page.screenshot(path=reports_dir / f"chat-keyboard-{size}.png")
    assert script_errors == []
    page.context.close()


def test_on_a_phone_the_question_box_stays_in_reach_below_each_answer(
    phone: Page, chat_server, reports_dir
):
    open_chat(phone, chat_server)
    ask(phone, LONG_AN_QUESTION)
    ask(phone, FOLLOW_UP)
    # the answer is shown from its question down, and the box is on the same screen
    expect(phone.locator(".message--user").last).to_be_in_viewport()
    expect(phone.locator("#question")).to_be_in_viewport()
    phone.locator(".message--answer").first.scroll_into_view_if_needed()
    expect(phone.locator("#question")).to_be_in_viewport()
    form_height = phone.evaluate("document.getElementById('ask-form').offsetHeight")
    assert form_height < PHONE["height"] * 0.35, f"the question box takes {form_height} px"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=reports_dir / "chat-phone-reachable.png")
