"""A large corpus scores only the figure records that can compete; the seeds score them all, and
scoring only the candidates would give the seeds' figure questions the same answers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from indexer.scope import QueryScope
from service.qa import figure_candidates
from service.qa.figure_candidates import CandidateIndex, Facets
from service.qa.figure_ranker import _folded_places, _in_scope, _index

QUESTIONS = [
    "Tỷ lệ bao phủ BHYT năm 2025 của Long An là bao nhiêu?",
    "Số bệnh nhân nội trú chỉ tiêu năm 2025 của TTYT huyện Cần Đước?",
    "What is the infant mortality rate in Hau Giang in 2023?",
    "Số ca mắc sốt xuất huyết năm 2023 ở Hậu Giang?",
    "Tuoi tho trung binh cua Lai Chau nam 2025?",
    "Tỷ lệ trạm y tế có bác sĩ là bao nhiêu?",
]


@pytest.fixture
def ranker(seed_engine):
    return seed_engine.answerer.ranker


@pytest.fixture
def large_corpus(monkeypatch):
    """The seeds ranked as a corpus too large to score every record of."""
    monkeypatch.setattr(figure_candidates, "SCORE_ALL_UP_TO", 0)


@pytest.mark.parametrize(
    ("places", "years"),
    [
        ((), ()),
        (("Long An",), (2025,)),
        (("Cần Đước",), ()),
        (("Long An", "Cần Đước"), (2024, 2025)),
        (("Hậu Giang",), (2023,)),
        ((), (2030,)),
    ],
)
def test_the_facets_over_all_records_agree_with_the_rankers_rule_record_by_record(
    ranker, places, years
):
    scope = QueryScope(places=places, unknown_places=(), years=years)
    question = SimpleNamespace(scope=scope)
    masked = ranker._candidates._in_scope(Facets(_folded_places(places), frozenset(years)))
    one_by_one = [_in_scope(_index(record, ranker.idf), question) for record in ranker._records]
    assert masked.tolist() == one_by_one


def test_a_small_corpus_scores_every_record_of_the_allowed_documents(ranker):
    every = ranker._candidates.candidates([], Facets(frozenset(), frozenset()), [])
    assert len(every) == len(ranker._records)
    doc_id = ranker._records[0].document.doc_id
    own = ranker._candidates.candidates([], Facets(frozenset(), frozenset(), {doc_id}), [])
    assert {ranker._records[n].document.doc_id for n in own} == {doc_id}


def test_a_large_corpus_scores_the_retrieved_records_and_the_best_sharing_ones(
    ranker, large_corpus, monkeypatch
):
    monkeypatch.setattr(figure_candidates, "IN_SCOPE", 5)
    monkeypatch.setattr(figure_candidates, "OUT_OF_SCOPE", 2)
    retrieved = ranker._records[-1].passage.passage_id
    keys = [("giường", 3.0), ("bệnh", 1.0)]
    found = ranker._candidates.candidates(
        keys, Facets(frozenset({"long an"}), frozenset({2025})), [retrieved]
    )
    of_passage = {n for n, r in enumerate(ranker._records) if r.passage.passage_id == retrieved}
    assert of_passage <= set(found.tolist())
    assert len(found) <= 5 + 2 + len(of_passage)
    assert found.tolist() == sorted(found.tolist())
    sharing = [
        n for n in found.tolist() if n not in of_passage and "giường" in ranker._records[n].line
    ]
    assert sharing, "the records that write the question's rarest word are among the candidates"


@pytest.mark.parametrize("question", QUESTIONS)
def test_scoring_only_the_candidates_gives_the_seeds_the_same_answer(
    seed_engine, monkeypatch, question
):
    full = seed_engine.answerer.rank_figures(question, limit=3)
    monkeypatch.setattr(figure_candidates, "SCORE_ALL_UP_TO", 0)
    candidates = seed_engine.answerer.rank_figures(question, limit=3)
    assert [r.record for r in candidates.records] == [r.record for r in full.records]
    assert candidates.confidence == pytest.approx(full.confidence)


def test_the_stored_candidate_index_holds_what_walking_every_record_finds(
    seed_engine, ranker, large_corpus
):
    """The build stores the index a process used to build at start by reading every record:
    same keys and counts, same candidates, same facets."""
    answerer = seed_engine.answerer
    stored = CandidateIndex.of_store(answerer.store, answerer.documents)
    walked = CandidateIndex.of_records(ranker._records)
    assert stored is not None
    assert stored.size == walked.size == len(ranker._records)
    assert dict(stored._counts) == dict(walked._counts)
    assert stored._years.tolist() == walked._years.tolist()
    assert stored._document_of.tolist() == walked._document_of.tolist()
    passages = [ranker._records[n].passage.passage_id for n in range(0, stored.size, 50)]
    for places, years in [((), ()), (("long an",), (2025,)), (("hau giang",), (2023,))]:
        facets = Facets(frozenset(places), frozenset(years))
        keys = [("giường", 3.0), ("bệnh", 1.0), ("ty", 0.5), ("not-a-key", 9.0)]
        assert (
            stored.candidates(keys, facets, passages).tolist()
            == walked.candidates(keys, facets, passages).tolist()
        )
        assert stored._in_scope(facets).tolist() == walked._in_scope(facets).tolist()
