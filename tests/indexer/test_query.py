"""Question analysis: diacritics restored from corpus names, English expanded via the glossary."""

from __future__ import annotations

from indexer.glossary import load_glossary
from indexer.query import analyze, lexical_query, restore_names

NAMES = {
    "can duoc": "Cần Đước",
    "hau giang": "Hậu Giang",
    "long an": "Long An",
    "so y te": "Sở Y tế",
}


def test_unaccented_place_names_get_their_diacritics_back():
    assert restore_names("Chi tieu sieu am cua Can Duoc nam 2025?", NAMES) == (
        "Chi tieu sieu am cua Cần Đước nam 2025?"
    )


def test_restoration_keeps_punctuation_around_a_name():
    assert restore_names("(Hau Giang), Can Duoc?", NAMES) == "(Hậu Giang), Cần Đước?"


def test_english_possessive_is_restored_too():
    assert restore_names("What is Hau Giang's target?", NAMES) == "What is Hậu Giang's target?"


def test_accented_text_is_left_alone():
    assert restore_names("Cần Đước có bao nhiêu xã?", NAMES) == "Cần Đước có bao nhiêu xã?"


def test_unknown_unaccented_words_are_left_alone():
    assert restore_names("Ha Noi", NAMES) == "Ha Noi"


def test_lexical_query_drops_question_words_and_keeps_adjacent_pairs_as_phrases():
    query = lexical_query("Tỷ lệ mổ lấy thai là bao nhiêu?")
    assert "là" not in query.syllables and "bao" not in query.syllables
    assert "mổ lấy" in query.syllables and "lấy thai" in query.syllables
    assert "mo lay" in query.folded


def test_lexical_query_has_segmented_words():
    assert "bảo_hiểm_y_tế" in lexical_query("bảo hiểm y tế toàn dân").words


def test_english_question_is_expanded_with_vietnamese_terms():
    query = analyze("What is Hau Giang's caesarean section rate?", load_glossary(), NAMES)
    assert query.language == "en"
    assert query.restored.startswith("What is Hậu Giang")
    assert any("mổ lấy thai" in term for term in query.expansions)
    assert "mổ lấy" in query.lexical.syllables
    assert "mổ lấy thai" in query.dense_text


def test_unaccented_vietnamese_is_not_treated_as_english():
    query = analyze("Ty le mo lay thai o Hau Giang", load_glossary(), NAMES)
    assert query.language == "vi" and query.expansions == ()


def test_former_units_a_province_of_today_absorbed_are_searched_as_well():
    query = analyze(
        "Chỉ tiêu BHYT năm 2025 của Tây Ninh?", load_glossary(), NAMES, former_units=("Long An",)
    )
    assert "long an" in query.lexical.syllables
    assert query.dense_text.endswith("(Long An)")
    assert query.restored == "Chỉ tiêu BHYT năm 2025 của Tây Ninh?"  # the question as asked


def test_places_the_retriever_applies_as_facets_leave_the_lexical_words_but_not_the_dense_text():
    query = analyze(
        "chi tieu ty le xa co bac si nam 2026 cua tinh long an?",
        load_glossary(),
        NAMES,
        facet_places=("Long An",),
    )
    assert "long an" not in query.lexical.folded and "tinh" not in query.lexical.folded
    assert "bac si" in query.lexical.folded and "2026" in query.lexical.syllables
    assert "Long An" in query.dense_text


def test_a_question_that_is_only_a_place_keeps_it_as_its_words():
    query = analyze("Long An", load_glossary(), NAMES, facet_places=("Long An",))
    assert "long an" in query.lexical.syllables


def test_a_former_unit_applied_as_a_facet_is_not_searched_as_words_either():
    query = analyze(
        "Chỉ tiêu BHYT năm 2025 của Tây Ninh?",
        load_glossary(),
        NAMES,
        former_units=("Long An",),
        facet_places=("Long An",),
    )
    assert "long an" not in query.lexical.syllables
    assert query.dense_text.endswith("(Long An)")
