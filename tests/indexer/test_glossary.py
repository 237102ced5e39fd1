import dataclasses
import unicodedata

import pytest

from indexer.glossary import (
    DATA_DIR,
    DEFAULT_GLOSSARY_PATH,
    Glossary,
    GlossaryError,
    is_english,
    load_glossary,
)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def small_glossary(*entries: tuple[str, str]) -> Glossary:
    return Glossary(tuple((english, tuple(vi.split("|"))) for english, vi in entries))


def write_glossary(tmp_path, text: str):
    path = tmp_path / "glossary.tsv"
    path.write_text(text, encoding="utf-8")
    return path


# Expansion


def test_insurance_coverage_expands_to_bhyt(glossary):
    terms = glossary.expand("What is the health insurance coverage rate?")
    assert "BHYT" in terms
    assert any("bảo hiểm y tế" in term for term in terms)


def test_longest_term_wins():
    glossary = small_glossary(
        ("health", "y tế|sức khỏe"),
        ("district health centre", "trung tâm y tế huyện|TTYT"),
    )
    assert glossary.expand("the district health centre") == ("trung tâm y tế huyện", "TTYT")


def test_longest_term_wins_in_packaged_glossary(glossary):
    terms = glossary.expand("How many staff does the district health centre have?")
    assert "TTYT" in terms
    assert "sức khỏe" not in terms


@pytest.mark.parametrize(
    "question", ["How many surgical operations were done?", "the number of surgical procedures"]
)
def test_surgical_volume_is_asked_as_phau_thuat(glossary, question):
    assert "phẫu thuật" in glossary.expand(question)


def test_matching_is_case_insensitive_and_ignores_punctuation():
    glossary = small_glossary(("hand foot and mouth disease", "tay chân miệng"))
    assert glossary.expand("Cases of Hand, Foot, and Mouth Disease?") == ("tay chân miệng",)


def test_matches_whole_words_only():
    glossary = small_glossary(("test", "xét nghiệm"), ("plan", "kế hoạch"))
    assert glossary.expand("the latest planning contest") == ()


def test_plural_matches_singular_term():
    glossary = small_glossary(("doctor", "bác sĩ"), ("x-ray", "X-quang"), ("child", "trẻ em"))
    assert glossary.expand("doctors, X-rays and children") == ("bác sĩ", "X-quang", "trẻ em")


def test_apostrophe_s_does_not_break_matching(glossary):
    for question in ("Long An's insurance coverage", "Long An’s insurance coverage"):
        assert "BHYT" in glossary.expand(question)


def test_british_and_american_spellings_match():
    glossary = small_glossary(("health centre", "trung tâm y tế"), ("programme", "chương trình"))
    assert glossary.expand("health centers and programs") == ("trung tâm y tế", "chương trình")


def test_thousands_separators_and_number_words_match(glossary):
    for question in (
        "doctors per 10,000 people",
        "doctors per 10.000 people",
        "doctors per 10000 people",
        "doctors per ten thousand people",
    ):
        assert "bác sĩ/vạn dân" in glossary.expand(question), question


def test_years_expand_to_vietnamese_year_phrases(glossary):
    terms = glossary.expand("targets for 2025, by 2030 and for 2021-2025")
    assert "năm 2025" in terms
    assert "đến năm 2030" in terms
    assert "giai đoạn 2021-2025" in terms


def test_terms_are_in_question_order_without_duplicates():
    glossary = small_glossary(("doctor", "bác sĩ"), ("nurse", "điều dưỡng"))
    assert glossary.expand("nurses and doctors and nurses") == ("điều dưỡng", "bác sĩ")


def test_question_without_glossary_terms_expands_to_nothing(glossary):
    assert glossary.expand("What is it?") == ()
    assert glossary.expand("") == ()


def test_packaged_glossary_covers_core_indicators(glossary):
    expected = {
        "stunting among children under 5": "suy dinh dưỡng thể thấp còi",
        "life expectancy": "tuổi thọ trung bình",
        "infant mortality": "tỷ suất chết trẻ em dưới 1 tuổi",
        "sex ratio at birth": "tỷ số giới tính khi sinh",
        "hospital beds per 10,000 people": "giường bệnh/vạn dân",
        "caesarean sections": "mổ lấy thai",
        "commune health stations": "trạm y tế xã",
        "provincial people's committee": "UBND tỉnh",
        "family planning": "KHHGĐ",
        "food safety": "ATTP",
        "laboratory tests": "xét nghiệm",
    }
    for question, vietnamese in expected.items():
        assert vietnamese in glossary.expand(question), question


def test_packaged_glossary_covers_indicator_vocabularies(glossary):
    """A sample of the health-statistics vocabulary added from glossary.SOURCES.md."""
    expected = {
        "How many male doctors?": "nam",
        "female health workers": "nữ",
        "patients cured of tuberculosis": "chữa khỏi",
        "complaints and denunciations": "khiếu nại, tố cáo",
        "spending on medical supplies": "vật tư y tế",
        "in-hospital deaths": "tử vong tại bệnh viện",
        "MRI scans": "cộng hưởng từ",
        "X-rays": "Xquang",
        "recurrent expenditure": "chi thường xuyên",
        "disbursement of public investment": "giải ngân",
        "e-prescribing": "đơn thuốc điện tử",
        "acupuncture": "châm cứu",
        "collective kitchens inspected": "bếp ăn tập thể",
        "online public services": "dịch vụ công trực tuyến",
    }
    for question, vietnamese in expected.items():
        assert vietnamese in glossary.expand(question), question


def test_male_and_female_are_separate_terms(glossary):
    assert glossary.expand_groups("male and female") == (("nam", "nam giới"), ("nữ", "nữ giới"))


# Loading


def test_default_path_is_the_packaged_file(glossary):
    assert DEFAULT_GLOSSARY_PATH == DATA_DIR / "glossary.tsv"
    assert load_glossary(DEFAULT_GLOSSARY_PATH) == glossary


def test_loads_entries_with_several_renderings(tmp_path):
    path = write_glossary(tmp_path, "english\tvietnamese\ndoctor\tbác sĩ|BS\n\nnurse\tđiều dưỡng\n")
    assert load_glossary(path).entries == (("doctor", ("bác sĩ", "BS")), ("nurse", ("điều dưỡng",)))


def test_malformed_line_names_its_number(tmp_path):
    path = write_glossary(tmp_path, "english\tvietnamese\ndoctor\tbác sĩ\nnurse điều dưỡng\n")
    with pytest.raises(GlossaryError, match="line 3") as caught:
        load_glossary(path)
    assert caught.value.line_number == 3
    assert isinstance(caught.value, ValueError)


def test_missing_header_is_rejected(tmp_path):
    path = write_glossary(tmp_path, "doctor\tbác sĩ\n")
    with pytest.raises(GlossaryError, match="line 1"):
        load_glossary(path)


def test_empty_rendering_is_rejected(tmp_path):
    path = write_glossary(tmp_path, "english\tvietnamese\ndoctor\tbác sĩ||BS\n")
    with pytest.raises(GlossaryError, match="line 2"):
        load_glossary(path)


def test_upper_case_english_term_is_rejected(tmp_path):
    path = write_glossary(tmp_path, "english\tvietnamese\nDoctor\tbác sĩ\n")
    with pytest.raises(GlossaryError, match="line 2"):
        load_glossary(path)


def test_repeated_term_names_both_lines(tmp_path):
    path = write_glossary(tmp_path, "english\tvietnamese\ndoctor\tbác sĩ\ndoctors\tBS\n")
    with pytest.raises(GlossaryError, match="line 3.*line 2"):
        load_glossary(path)


def test_glossary_is_immutable(glossary):
    with pytest.raises(dataclasses.FrozenInstanceError):
        glossary.entries = ()  # type: ignore[misc]


# The data file


def test_every_entry_is_nfc_and_non_empty():
    lines = DEFAULT_GLOSSARY_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "english\tvietnamese"
    for number, line in enumerate(lines[1:], start=2):
        assert line == unicodedata.normalize("NFC", line), f"line {number} is not NFC"
        english, vietnamese = line.split("\t")
        assert english.strip() and english == english.lower(), f"line {number}"
        assert all(term.strip() == term and term for term in vietnamese.split("|")), number


def test_glossary_has_several_hundred_entries(glossary):
    # ~460 original terms plus ~500 from the indicator vocabularies in glossary.SOURCES.md
    assert 800 <= len(glossary) <= 1200


def test_word_lists_are_lower_case_and_non_empty():
    for name in ("english_stopwords.txt", "vietnamese_syllables.txt"):
        words = [
            line
            for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        assert len(words) > 50
        assert all(word == word.strip().lower() and word.isascii() for word in words), name


# Language detection


@pytest.mark.parametrize(
    "question",
    [
        "What is the health insurance coverage rate of Long An in 2025?",
        "How many doctors per 10,000 people does Can Duoc have?",
        "Who signed the decision?",
        "Hospital beds Long An 2025",
        "How many doctors does Cần Đước have?",
    ],
)
def test_english_questions_are_english(question):
    assert is_english(question)


@pytest.mark.parametrize(
    "question",
    [
        "Tỷ lệ bao phủ BHYT của Long An năm 2025 là bao nhiêu?",
        "Số bác sĩ trên vạn dân",
        "Cần Đước",
    ],
)
def test_accented_vietnamese_is_not_english(question):
    assert not is_english(question)


@pytest.mark.parametrize(
    "question",
    [
        "Ty le bao phu BHYT cua Long An nam 2025",
        "Can Duoc",
        "So bac si tren van dan",
        "TTYT Can Duoc co bao nhieu bac si?",
        "Ket qua tiem chung mo rong nam 2024",
    ],
)
def test_unaccented_vietnamese_is_not_english(question):
    assert not is_english(question)


def test_text_without_words_is_not_english():
    assert not is_english("")
    assert not is_english("BHYT 2025 ?")


def test_function_words_are_never_counted_as_unrendered_content(glossary):
    unrendered = glossary.unrendered("What does the province aim for, and how does it compare?")
    assert "doe" not in unrendered and "does" not in unrendered
