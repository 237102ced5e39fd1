"""Headings, tables and passages that follow the documents' own structure."""

from __future__ import annotations

import pytest

from indexer.clean import clean_text
from indexer.structure import MAX_PASSAGE_CHARS, classify, heading_level, structure
from tests.conftest import SEEDS


def parsed(seed_name: str):
    path = next(p for p in SEEDS if p.name.startswith(seed_name))
    text = clean_text(path.read_text(encoding="utf-8")).text
    return text, structure(path.stem, text)


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Phần I", 0),
        ("Phụ lục 1", 0),
        ("I. Mục tiêu:", 1),
        ("B. MỤC TIÊU, CHỈ TIÊU:", 1),
        ("Điều 1. Ban hành kèm theo Quyết định này gồm:", 1),
        ("1. Mục đích:", 2),
        ("1.1. Mục tiêu chung", 3),
        ("3.1.2. Các bệnh truyền nhiễm", 4),
        ("a) Tuyến tỉnh", 6),
        ("- Triển khai thực hiện", None),
        ("Tăng cường công tác đào tạo", None),
    ],
)
def test_heading_levels(line, level):
    assert heading_level(line) == level


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_passage_is_the_documents_own_words_at_its_offsets(seed):
    text = clean_text(seed.read_text(encoding="utf-8")).text
    document = structure(seed.stem, text)
    assert document.passages, "a seed yields passages"
    for passage in document.passages:
        assert passage.text == text[passage.start : passage.end]
        assert passage.text.strip() == passage.text
        assert "_" not in passage.text or "_" in text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_passages_cover_the_document_in_order_with_ids_unique(seed):
    text = clean_text(seed.read_text(encoding="utf-8")).text
    passages = structure(seed.stem, text).passages
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    assert len({p.passage_id for p in passages}) == len(passages)
    assert [p.start for p in passages] == sorted(p.start for p in passages)


def test_appendix_table_rows_carry_table_title_and_column_header():
    _, document = parsed("000")
    row = next(p for p in document.passages if p.text.startswith("8 Tỷ lệ tham gia BHYT"))
    assert row.kind == "table_row"
    assert row.section == ("Phụ lục 1", "Chỉ tiêu Y tế năm 2025")
    assert row.section_label == "Phụ lục 1 › Chỉ tiêu Y tế năm 2025"
    assert row.context.startswith("TT Chỉ số Đơn vị tính Năm 2025")
    assert row.text == "8 Tỷ lệ tham gia BHYT toàn dân % 98"


def test_facility_sub_table_is_its_own_section():
    _, document = parsed("000")
    row = next(p for p in document.passages if p.text == "Tổng số siêu âm 140")
    assert row.section[-1] == "1. Trung tâm Y tế huyện Cần Đước cơ sở 2"


def test_column_header_flattened_over_several_lines_is_joined_as_context():
    _, document = parsed("002")
    row = next(p for p in document.passages if p.text.startswith("5 Tuổi thọ trung bình"))
    assert "2026-2030" in row.context and "Năm 2025" in row.context and "KH đến" in row.context


def test_list_items_under_a_heading_form_a_list_passage_with_the_heading_in_its_path():
    _, document = parsed("001")
    passage = next(p for p in document.passages if "Tỷ lệ bảo hiểm y tế toàn dân: 95%" in p.text)
    assert passage.section[-1].startswith("1. Hoàn thành đạt 3 chỉ tiêu")
    assert passage.section[0] == "II. Chỉ tiêu"


def test_long_sections_are_split_with_overlap():
    text, document = parsed("004")
    long_groups = [p for p in document.passages if p.kind != "table_row"]
    assert max(len(p.text) for p in long_groups) <= 2 * MAX_PASSAGE_CHARS
    overlapping = sum(
        1 for a, b in zip(long_groups, long_groups[1:], strict=False) if b.start < a.end
    )
    assert overlapping > 0


def test_sections_know_their_span_and_path():
    text, document = parsed("004")
    section = next(s for s in document.sections if s.heading.startswith("3.1.1. Covid-19"))
    assert section.path[-1].startswith("3.1.1. Covid-19")
    assert "2.224.422" in text[section.start : section.end]


def test_block_kinds_of_a_small_document():
    text = "I. Mục tiêu\n1. Chỉ tiêu:\n- Bác sĩ trên vạn dân: 10 bác sĩ.\nTT Chỉ tiêu ĐVT KH 2023 TH 2023\n1 Tuổi thọ trung bình Tuổi 75 75"
    kinds = [block.kind for block in classify(text)]
    assert kinds == ["heading", "heading", "list", "table_header", "table_row"]


def test_a_numbered_heading_with_nothing_under_it_between_siblings_is_kept_as_a_passage():
    text = (
        "II. Chỉ tiêu\n"
        "1. Đạt các chỉ tiêu chủ yếu:\n"
        "- Giường bệnh trên vạn dân: 30 giường.\n"
        "2. Hoàn thành 12 chỉ tiêu chuyên môn (phụ lục kèm theo)\n"
        "III. Nhiệm vụ\n"
        "1. Củng cố mạng lưới\n"
        "Nội dung của nhiệm vụ.\n"
    )
    passages = structure("d", text).passages
    leaf = [p for p in passages if p.kind == "heading"]
    assert [p.text for p in leaf] == ["2. Hoàn thành 12 chỉ tiêu chuyên môn (phụ lục kèm theo)"]
    assert leaf[0].section[-1].startswith("2. Hoàn thành 12 chỉ tiêu")
    # a heading followed by deeper ones is a parent: its words stay in its children's path
    assert not any(p.text.startswith("III. Nhiệm vụ") and p.kind == "heading" for p in passages)


@pytest.mark.parametrize("after", ["", "\nGIÁM ĐỐC\nNguyễn Văn A"])
def test_the_last_numbered_item_before_the_signature_or_the_end_is_kept_as_a_passage(after):
    text = (
        "I. MỤC TIÊU\n"
        "1. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\n"
        "2. 100% trạm y tế xã đạt chuẩn quốc gia về y tế." + after
    )
    items = [p.text for p in structure("d", text).passages if p.kind == "heading"]
    assert items == [
        "1. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.",
        "2. 100% trạm y tế xã đạt chuẩn quốc gia về y tế.",
    ]


def test_a_signature_block_of_several_title_lines_keeps_every_line():
    text = (
        "I. Tổ chức thực hiện\nCác đơn vị triển khai kế hoạch này.\nNơi nhận:\n- Lưu VT.\n"
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Văn An"
    )
    signature = next(p for p in structure("d", text).passages if "Nguyễn Văn An" in p.text)
    assert signature.text.startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
