"""Quotes take whole sentences and never cut a number at its thousands dot."""

from __future__ import annotations

from indexer.models import Passage
from service.qa.quotes import best_sentence, sentence_around, sentences

TEXT = "Tổng tiền thuốc: 135.553.900.052 đồng; trong bệnh viện: 135.553 lượt. Hết 10.000 liều."


def test_a_sentence_never_ends_inside_a_number():
    spans = [TEXT[s:e] for s, e in sentences(TEXT)]
    assert spans == [
        "Tổng tiền thuốc: 135.553.900.052 đồng;",
        "trong bệnh viện: 135.553 lượt.",
        "Hết 10.000 liều.",
    ]


def test_the_quote_around_a_figure_is_its_whole_sentence():
    start = TEXT.index("10.000")
    s, e = sentence_around(TEXT, start, start + len("10.000"))
    assert TEXT[s:e] == "Hết 10.000 liều."


def test_a_list_marker_is_not_part_of_the_quote():
    text = "- Tỷ lệ bảo hiểm y tế toàn dân: 95%."
    start = text.index("95%")
    s, e = sentence_around(text, start, start + 3)
    assert text[s:e] == "Tỷ lệ bảo hiểm y tế toàn dân: 95%."


def test_the_best_sentence_is_under_the_passages_heading_not_the_heading():
    text = "2.2. Tầm nhìn đến năm 2045\nPhấn đấu mạng lưới y tế xã đạt chuẩn khu vực. Hết."
    passage = Passage(
        "d:1", "d", 1, "prose", ("2.2. Tầm nhìn đến năm 2045",), 100, 100 + len(text), text
    )
    start, end = best_sentence(passage, "What is the 2045 vision?")
    assert text[start - 100 : end - 100] == "Phấn đấu mạng lưới y tế xã đạt chuẩn khu vực."


def test_a_passage_that_is_only_its_heading_is_quoted_whole():
    text = "2. Hoàn thành 12 chỉ tiêu chuyên môn"
    passage = Passage("d:2", "d", 2, "heading", (text,), 0, len(text), text)
    start, end = best_sentence(passage, "Bao nhiêu chỉ tiêu chuyên môn?")
    assert text[start:end].endswith("chỉ tiêu chuyên môn")
