"""Cleaning PDF-extracted Vietnamese text: furniture goes, figures and codes stay."""

from __future__ import annotations

import re
import unicodedata

import pytest

from indexer.clean import clean_text
from tests.conftest import SEEDS

NUMBER_OR_CODE = re.compile(r"\d+(?:[.,/\-–]\d+)*(?:/[A-ZĐa-z\-]+)*")


def test_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Cần Đước")
    assert clean_text(decomposed).text == "Cần Đước"


def test_page_number_between_blank_lines_is_dropped_and_sentence_rejoined():
    raw = "nhân, bệnh án điện tử và kết nối các thông tin khác như khám \n\n\n\n7 \n \n\nbệnh, chữa bệnh."
    cleaned = clean_text(raw)
    assert (
        cleaned.text
        == "nhân, bệnh án điện tử và kết nối các thông tin khác như khám bệnh, chữa bệnh."
    )
    assert cleaned.dropped_lines == ("7",)


def test_table_row_number_followed_by_its_label_is_kept():
    raw = (
        "5\nCủng cố và duy trì 17/17 xã, thị \ntrấn đạt bộ tiêu chí quốc gia về y \ntế xã\n\nxã 17"
    )
    assert clean_text(raw).text.startswith("5 Củng cố và duy trì 17/17 xã, thị trấn")


def test_code_split_across_lines_is_rejoined():
    raw = "- Tăng cường thực hiện Chỉ thị số 25-\n\nCT/TW ngày 25/10/2023 của Ban Bí thư."
    assert "Chỉ thị số 25-CT/TW ngày 25/10/2023" in clean_text(raw).text


def test_range_split_across_lines_is_rejoined():
    raw = "4 Giảm tỷ lệ mất cân bằng giới tính \nkhi sinh\n\nsố bé trai/\nbé gái\n\n103-\n105/100"
    assert "103-105/100" in clean_text(raw).text


def test_line_broken_mid_sentence_is_rejoined():
    raw = "Căn cứ Quyết định số 338/QĐ-UBND ngày 13/01/2025 của Ủy ban nhân \ndân huyện Cần Đước."
    assert clean_text(raw).text == (
        "Căn cứ Quyết định số 338/QĐ-UBND ngày 13/01/2025 của Ủy ban nhân dân huyện Cần Đước."
    )


def test_list_items_and_headings_keep_their_boundaries():
    raw = "II. Chỉ tiêu: \n1. Hoàn thành đạt 3 chỉ tiêu:\n- Bác sĩ trên vạn dân: 10 bác sĩ.\n- Tỷ lệ bảo hiểm y tế toàn dân: 95% ."
    assert clean_text(raw).text.split("\n") == [
        "II. Chỉ tiêu:",
        "1. Hoàn thành đạt 3 chỉ tiêu:",
        "- Bác sĩ trên vạn dân: 10 bác sĩ.",
        "- Tỷ lệ bảo hiểm y tế toàn dân: 95% .",
    ]


def test_rows_of_a_table_without_row_numbers_stay_apart():
    raw = "Nội dung Chỉ tiêu\n\nSố lượt khám bệnh 235.387\n\nSố BN nội trú 5.400"
    assert clean_text(raw).text.split("\n") == [
        "Nội dung Chỉ tiêu",
        "Số lượt khám bệnh 235.387",
        "Số BN nội trú 5.400",
    ]


def test_running_header_repeated_after_page_numbers_is_dropped():
    page = "nội dung trang {n} tiếp tục \n\n\n{n}\n\nBÁO CÁO Y TẾ HẬU GIANG\n"
    raw = "".join(page.format(n=n) for n in range(1, 5)) + "hết."
    cleaned = clean_text(raw)
    assert "BÁO CÁO Y TẾ HẬU GIANG" not in cleaned.text
    assert "BÁO CÁO Y TẾ HẬU GIANG" in cleaned.dropped_lines


def test_footnote_marker_and_text_stay_findable():
    raw = "theo Nghị quyết số 99/2023/QH15 của Quốc hội1; Chỉ thị\n\n1 Nghị quyết về giám sát chuyên đề."
    text = clean_text(raw).text
    assert "Quốc hội1" in text and "Nghị quyết về giám sát chuyên đề" in text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_cleaning_a_seed_changes_nothing_but_whitespace_and_dropped_lines(seed):
    raw = unicodedata.normalize("NFC", seed.read_text(encoding="utf-8")).replace("\r\n", "\n")
    cleaned = clean_text(raw)
    dropped = set(cleaned.dropped_line_numbers)
    kept = "\n".join(line for i, line in enumerate(raw.split("\n")) if i not in dropped)
    assert re.sub(r"\s", "", cleaned.text) == re.sub(r"\s", "", kept)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_number_and_code_of_a_seed_survives_cleaning(seed):
    raw = unicodedata.normalize("NFC", seed.read_text(encoding="utf-8"))
    cleaned = clean_text(raw)
    dropped = set(cleaned.dropped_line_numbers)
    for i, line in enumerate(raw.split("\n")):
        if i in dropped:
            continue
        for token in NUMBER_OR_CODE.findall(line):
            assert token in cleaned.text, f"line {i + 1}: {token!r} lost"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_cleaning_a_seed_drops_only_page_furniture(seed):
    cleaned = clean_text(seed.read_text(encoding="utf-8"))
    assert all(re.fullmatch(r"\d{1,3}|.{0,80}", line) for line in cleaned.dropped_lines)
    assert len(cleaned.dropped_lines) <= 40


def test_a_heading_broken_after_a_function_word_is_joined_with_its_next_line():
    raw = "II. Chỉ tiêu\n1. Đạt các chỉ tiêu chủ yếu năm 2026 được\nHội đồng nhân dân giao:\n- Giường bệnh: 30.\n"
    lines = clean_text(raw).text.split("\n")
    assert "1. Đạt các chỉ tiêu chủ yếu năm 2026 được Hội đồng nhân dân giao:" in lines


def test_a_short_heading_ending_on_a_noun_still_stands_above_its_text():
    raw = "4. Công tác dự phòng\nDuy trì giám sát dịch bệnh.\n"
    assert clean_text(raw).text.split("\n")[:2] == [
        "4. Công tác dự phòng",
        "Duy trì giám sát dịch bệnh.",
    ]
