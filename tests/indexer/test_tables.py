"""Tables the PDF extraction flattened into lines, put back together at index time: headers merged
from their lines, one cell per column in every row, and a cited row said with its headers."""

from __future__ import annotations

import pytest

from indexer.build import process
from indexer.clean import clean_text
from indexer.load import load_file
from indexer.models import Table
from indexer.structure import structure
from indexer.tables import (
    NUMBER_HEADER,
    RATING_CELL,
    ROW_NUMBER_CELL,
    cited_row,
    find_tables,
    layout_of,
    render_row,
)
from tests.conftest import CORPUS, SEEDS

CAN_DUOC_PLAN = "000_e10c59c27c62b5c8"
LAI_CHAU_PLAN = "002_2f70747e408638d8"
HAU_GIANG_REPORT = "004_ed8f74c002a8b9ab"
LAI_CHAU_HEADERS = (
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu Nghị quyết Đại hội 2026-2030",
    "Năm 2025",
    "KH đến Năm 2030",
)


def seed_text(doc_id: str) -> str:
    return clean_text((CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")).text


def seed_tables(doc_id: str) -> tuple[str, list[Table]]:
    text = seed_text(doc_id)
    return text, find_tables(doc_id, text)


def cells_of(table: Table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def row_with(text: str, tables: list[Table], line: str):
    start = text.index(line)
    found = cited_row(tables, start, start + len(line))
    assert found is not None, f"{line!r} is not read as a table row"
    return found


# the named patterns, with the seeds' own examples


@pytest.mark.parametrize(
    ("header", "number"),
    [("TT Chỉ tiêu ĐVT KH", "TT"), ("STT Nội dung", "STT"), ("Tên chỉ tiêu", None)],
)
def test_number_header_is_the_row_number_column(header, number):
    match = NUMBER_HEADER.match(header)
    assert (match.group(0) if match else None) == number


@pytest.mark.parametrize(
    ("row", "number"),
    [
        ("5 Tuổi thọ trung bình Tuổi 70 68,5 70", "5"),
        ("7.1 Chương trình Quản lý dịch Chương trình Tốt", "7.1"),
        ("10 Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng", "10"),
        ("- Cân nặng theo tuổi % 10,42", None),
        ("Số lượt khám bệnh 235.387", None),
    ],
)
def test_row_number_cell_opens_a_numbered_row(row, number):
    match = ROW_NUMBER_CELL.match(row)
    assert (match.group(0) if match else None) == number


@pytest.mark.parametrize(
    ("row", "rating"),
    [
        ("7.1 Chương trình Quản lý dịch Chương trình Tốt", "Tốt"),
        ("7.2 Chương trình SXH Chương trình Tốt", "Tốt"),
        ("Tổng số X-quang 300", None),
        ("Tốt nghiệp đại học", None),
    ],
)
def test_rating_cell_is_a_value_written_as_a_word(row, rating):
    match = RATING_CELL.search(row)
    assert (match.group(0) if match else None) == rating


# headers


def test_header_lines_merge_into_one_header_per_column():
    # the Lai Châu plan splits its header over four lines
    layout = layout_of(
        "TT Chỉ tiêu Đơn vị tính Chỉ tiêu Nghị quyết Đại hội 2026-2030 Năm 2025 KH đến Năm 2030"
    )
    assert layout.headers == LAI_CHAU_HEADERS
    assert layout.kinds == ("row_number", "label", "unit", "value", "value", "value")


def test_a_note_column_is_told_from_the_value_columns():
    layout = layout_of("TT Chỉ số Đơn vị tính Năm 2025 Ghi chú")
    assert layout.headers == ("TT", "Chỉ số", "Đơn vị tính", "Năm 2025", "Ghi chú")
    assert layout.kinds == ("row_number", "label", "unit", "value", "note")


# the seeds' tables


def test_every_appendix_table_of_the_can_duoc_plan_is_reconstructed_with_its_headers():
    _, tables = seed_tables(CAN_DUOC_PLAN)
    assert [(table.title, table.headers, len(table.rows)) for table in tables] == [
        ("Chỉ tiêu Y tế năm 2025", ("TT", "Chỉ số", "Đơn vị tính", "Năm 2025", "Ghi chú"), 10),
        (
            "Chỉ tiêu Khám chữa bệnh của TTYT huyện Cần Đước (hệ điều trị) năm 2025",
            ("Nội dung", "Chỉ tiêu"),
            10,
        ),
        ("1. Trung tâm Y tế huyện Cần Đước cơ sở 2", ("Nội dung", "Chỉ tiêu"), 8),
        ("2. Các trạm Y tế xã", ("Nội dung", "Chỉ tiêu"), 1),
    ]
    appendix_1, appendix_2, appendix_3_centre, appendix_3_stations = tables
    assert cells_of(appendix_1)[:4] == [
        ("1", "Bác sĩ/vạn dân", "Bác sĩ", "2,1", ""),
        (
            "2",
            "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (cân nặng theo tuổi)",
            "%",
            "≤ 5",
            "",
        ),
        ("3", "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ", "%", "97", ""),
        (
            "4",
            "Giảm tỷ lệ mất cân bằng giới tính khi sinh",
            "số bé trai/ bé gái",
            "103-105/100",
            "",
        ),
    ]
    assert cells_of(appendix_2)[0] == ("Số lượt khám bệnh", "235.387")
    assert cells_of(appendix_3_centre)[3] == ("Công suất sử dụng giường bệnh", "> 45%")
    assert cells_of(appendix_3_stations) == [("Số lượt khám bệnh", "85.000")]


def test_a_group_row_and_its_rated_sub_rows_keep_their_columns():
    _, tables = seed_tables(CAN_DUOC_PLAN)
    assert cells_of(tables[0])[6:9] == [
        ("7", "Các chương trình Y tế quốc gia", "", "", ""),
        ("7.1", "Chương trình Quản lý dịch", "Chương trình", "Tốt", ""),
        ("7.2", "Chương trình SXH", "Chương trình", "Tốt", ""),
    ]


def test_the_lai_chau_indicator_table_is_reconstructed_with_its_headers():
    _, tables = seed_tables(LAI_CHAU_PLAN)
    assert len(tables) == 1
    table = tables[0]
    assert table.title == "1.3. Các chỉ tiêu chủ yếu"
    assert table.headers == LAI_CHAU_HEADERS
    assert cells_of(table) == [
        ("", "Chỉ tiêu đầu vào", "", "", "", ""),
        ("1", "Số bác sĩ/10.000 dân", "Bác sỹ", ">13,5", "13,1", ">13,5"),
        ("2", "Xã đạt tiêu chí quốc gia về y tế", "%", "92,11", "78,95", "92,11"),
        (
            "3",
            "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (thể thấp còi)",
            "%",
            "<17",
            "19,93",
            "<17",
        ),
        ("4", "Tỷ lệ dân số tham gia BHYT", "%", "96", "95", "96"),
        ("5", "Tuổi thọ trung bình", "Tuổi", "70", "68,5", "70"),
    ]


def test_the_life_expectancy_row_of_the_lai_chau_plan_is_rendered_with_three_labelled_values():
    text, tables = seed_tables(LAI_CHAU_PLAN)
    found = row_with(text, tables, "5 Tuổi thọ trung bình Tuổi 70 68,5 70")
    assert found.text == (
        "Tuổi thọ trung bình (tuổi) — Chỉ tiêu Nghị quyết Đại hội 2026-2030: 70 · "
        "Năm 2025: 68,5 · KH đến Năm 2030: 70"
    )


def test_the_hau_giang_report_tables_include_those_written_as_running_text():
    _, tables = seed_tables(HAU_GIANG_REPORT)
    assert [(table.headers, len(table.rows)) for table in tables] == [
        (("TT", "Chỉ tiêu", "ĐVT", "KH 2023", "TH 2023"), 11),
        (("Nội dung", "Thực hiện", "Tỷ lệ", "So sánh cùng kỳ"), 12),
        (("Nội dung", "Thực hiện", "Tỷ lệ", "So với cùng kỳ năm trước"), 8),
        (("TT", "Chỉ tiêu", "ĐVT", "2024"), 8),
    ]
    tuberculosis, leprosy = tables[1], tables[2]
    # the header line of the leprosy table also carries its first row
    assert cells_of(leprosy)[0] == ("Bệnh nhân ĐHTL trong năm", "3", "100.00%", "66.67%")
    # a row with fewer values than columns leaves the last column empty
    assert ("- Lao trẻ em", "1", "2.8%", "") in cells_of(tuberculosis)


def test_a_sub_row_is_said_with_its_group_row():
    text, tables = seed_tables(HAU_GIANG_REPORT)
    assert row_with(text, tables, "- Cân nặng theo tuổi % 10,42").text == (
        "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng - Cân nặng theo tuổi (%) — 2024: 10,42"
    )
    assert row_with(text, tables, "- Lao ngoài phổi 179 164.0% 31%").text == (
        "Khám phát hiện - Lao ngoài phổi — Thực hiện: 179 · Tỷ lệ: 164.0% · So sánh cùng kỳ: 31%"
    )


def test_documents_without_tables_have_none():
    for doc_id in ("001_b919c97a22ddf266", "003_970cdc5fae201362"):
        assert seed_tables(doc_id)[1] == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_row_has_one_cell_per_header_each_written_at_its_offsets(seed):
    text, tables = seed_tables(seed.stem)
    for table in tables:
        assert len(table.column_kinds) == len(table.headers)
        assert table.start <= table.rows[0].start and table.rows[-1].end == table.end
        for row in table.rows:
            assert len(row.cells) == len(table.headers)
            assert table.start <= row.start < row.end <= table.end
            for cell in row.cells:
                assert text[cell.start : cell.end] == cell.text
                assert row.start <= cell.start <= cell.end <= row.end


@pytest.mark.parametrize("doc_id", [CAN_DUOC_PLAN, LAI_CHAU_PLAN])
def test_each_row_of_a_table_with_its_own_header_lines_is_one_table_row_passage(doc_id):
    # the table is kept with the passages: a cited row passage is exactly one table row
    text, tables = seed_tables(doc_id)
    row_passages = {
        (p.start, p.end) for p in structure(doc_id, text).passages if p.kind == "table_row"
    }
    for table in tables:
        for row in table.rows:
            assert (row.start, row.end) in row_passages


# citing a row


def test_a_span_inside_one_row_finds_that_row_and_one_across_rows_finds_none():
    text, tables = seed_tables(LAI_CHAU_PLAN)
    value = text.index("68,5")
    found = cited_row(tables, value, value + 4)
    assert found is not None
    assert [cell.text for cell in found.row.cells][4] == "68,5"
    across = text.index("4 Tỷ lệ dân số tham gia BHYT")
    assert cited_row(tables, across, value) is None
    assert cited_row(tables, 0, 20) is None  # the document's header
    assert cited_row(tables, value, value) is None  # an empty span cites nothing


def test_a_row_without_values_is_said_by_its_label_alone():
    _, tables = seed_tables(LAI_CHAU_PLAN)
    assert render_row(tables[0], tables[0].rows[0]) == "Chỉ tiêu đầu vào"


def test_a_small_table_written_in_a_test_is_read_the_same_way():
    text = (
        "Phụ lục 1\n"
        "Chỉ tiêu năm 2026\n"
        "TT Chỉ tiêu ĐVT Năm 2025\n"
        "KH 2026\n"
        "1 Số giường bệnh/vạn dân Giường 30,5 32\n"
        "2 Tỷ lệ tiêm chủng % 95 >96\n"
        "Các đơn vị tổ chức thực hiện kế hoạch này, báo cáo kết quả về Sở Y tế trước ngày 15.\n"
    )
    tables = find_tables("small", text)
    assert len(tables) == 1
    assert tables[0].headers == ("TT", "Chỉ tiêu", "ĐVT", "Năm 2025", "KH 2026")
    assert cells_of(tables[0]) == [
        ("1", "Số giường bệnh/vạn dân", "Giường", "30,5", "32"),
        ("2", "Tỷ lệ tiêm chủng", "%", "95", ">96"),
    ]
    assert render_row(tables[0], tables[0].rows[0]) == (
        "Số giường bệnh/vạn dân (giường) — Năm 2025: 30,5 · KH 2026: 32"
    )


# wired into processing


def test_processing_a_document_keeps_its_tables_and_leaves_its_passages_as_they_were():
    source = load_file(CORPUS / f"{LAI_CHAU_PLAN}.txt", CORPUS)
    processed = process(source)
    assert [table.headers for table in processed.tables] == [LAI_CHAU_HEADERS]
    assert processed.tables[0].doc_id == source.doc_id
    text = processed.document.text
    assert processed.passages == structure(source.doc_id, text).passages
    for passage in processed.passages:
        assert passage.text == text[passage.start : passage.end]
