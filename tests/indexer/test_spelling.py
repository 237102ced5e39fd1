"""Spelling correction against the corpus's own vocabulary."""

from __future__ import annotations

import pytest

from indexer.spelling import Speller
from indexer.tokens import canonical_tone

CORPUS = [
    "Dự toán ngân sách năm 2023 của ngành y tế; sách giáo khoa.",
    "Tổng số bệnh nhân điều trị nội trú 42.926 lượt; điều trị nội trú tuyến tỉnh.",
    "Số bệnh nhân điều trị nội trú; nội trú YHCT; khám sức khỏe tiền hôn nhân.",
    "Chú trọng công tác chăm sóc sức khỏe; chú ý phòng bệnh.",
]


@pytest.fixture(scope="module")
def speller():
    return Speller(CORPUS)


def test_a_syllable_the_documents_never_use_is_replaced_by_a_near_one_they_do(speller):
    assert speller.correct("Dự toán ngân sácg năm 2023?") == "Dự toán ngân sách năm 2023?"
    assert speller.correct("khám sức khỏe tiền hôn nhâm") == "khám sức khỏe tiền hôn nhân"


def test_a_real_syllable_out_of_place_is_corrected_only_by_a_dialect_confusion(speller):
    # "chú" is a word ("chú trọng") but never follows "nội"; "trú" does, often
    assert speller.correct("số bệnh nhân điều trị nội chú") == "số bệnh nhân điều trị nội trú"


def test_question_words_numbers_acronyms_and_known_words_are_kept(speller):
    question = "YHCT năm 2023 bao nhiêu bệnh nhân nội trú?"
    assert speller.correct(question) == question


def test_old_and_new_tone_placement_compare_equal():
    assert canonical_tone("hoá") == canonical_tone("hóa")
    assert canonical_tone("khoẻ") == canonical_tone("khỏe")
    assert canonical_tone("thuỷ") == canonical_tone("thủy")
    assert canonical_tone("quý") == "quý"  # the u of "qu" is part of the consonant


def test_a_province_the_documents_never_name_is_not_taken_for_a_typo():
    speller = Speller(["Trong năm 2023 có bao nhiêu ca sốt xuất huyết trong tỉnh."])
    assert speller.correct("ca sốt xuất huyết trăng tỉnh") == "ca sốt xuất huyết trong tỉnh"
    # "Trăng" is one edit from "trong"; a province's name is kept whole all the same
    question = "Sóc Trăng có bao nhiêu ca sốt xuất huyết năm 2023?"
    assert speller.correct(question) == question
    assert speller.correct("Soc Trang có bao nhiêu ca") == "Soc Trang có bao nhiêu ca"


def test_a_long_acronym_the_documents_never_write_is_their_one_acronym_an_edit_away():
    speller = Speller(["Số lần khám tại PKĐKKV và TTKSBT; TTYT huyện."])
    assert speller.correct("so lan kham tai PKDKV") == "so lan kham tai PKĐKKV"
    # short acronyms lie too close to one another to be guessed; known ones are kept
    assert speller.correct("TTY huyện") == "TTY huyện"
    assert speller.correct("PKDKKV, TTKSBT") == "PKDKKV, TTKSBT"
    # an acronym two edits from any the documents write is someone else's
    assert speller.correct("BHXHVN") == "BHXHVN"
