"""Abbreviations and loanwords: a document's short or foreign spelling also counts as the long,
usual one."""

from __future__ import annotations

import pytest

from indexer.abbreviations import expansions, written_out
from indexer.figure_keys import expanded


@pytest.mark.parametrize("written", ["vaccine", "Vaccine", "vắc-xin", "vacxin"])
def test_a_loanword_written_another_way_also_counts_as_its_usual_spelling(written):
    assert expansions(f"Tỷ lệ trẻ tiêm đủ các loại {written}") == ["vắc xin"]
    assert written_out(f"tiêm {written} mũi 2") == "tiêm vắc xin mũi 2"


def test_a_record_field_writing_the_loanword_holds_the_usual_spelling_too():
    assert "vắc xin" in expanded("Tỷ lệ trẻ em dưới 1 tuổi tiêm đủ các loại vaccine")


def test_a_word_containing_a_loanword_is_left_alone():
    assert expansions("vaccinees và virustotal") == []


def test_abbreviations_and_loanwords_are_both_expanded_in_order():
    assert expansions("TYT tiêm vaccine") == ["trạm y tế", "vắc xin"]


@pytest.mark.parametrize("written", ["Tổng số CT-Scaner 80", "CT.Scaner: 6.203 lượt"])
def test_a_scanner_spelled_with_one_n_counts_as_a_ct_scanner(written):
    assert "CT scanner" in expansions(written)
