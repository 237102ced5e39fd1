"""Quotes take whole sentences and never cut a number at its thousands dot."""

from __future__ import annotations

from service.qa.quotes import sentence_around, sentences

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
