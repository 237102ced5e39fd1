"""The embedded store (SQLite + FAISS) keeps the store contract, and what only it does."""

import sqlite3

import numpy as np
import pytest

from indexer.store.base import LexicalQuery
from indexer.store.sqlite_faiss import DATABASE_FILE, SqliteFaissStore, SqliteFaissWriter
from tests.indexer.store_contract import PLAN, StoreContract, StoreCorpus, write_store


def write_sqlite_faiss(directory, corpus: StoreCorpus) -> None:
    write_store(SqliteFaissWriter(directory), corpus)


class TestSqliteFaissStore(StoreContract):
    @pytest.fixture(scope="class")
    @classmethod
    def store(cls, tmp_path_factory, store_corpus):
        directory = tmp_path_factory.mktemp("sqlite-faiss") / "build"
        write_sqlite_faiss(directory, store_corpus)
        store = SqliteFaissStore(directory)
        yield store
        store.close()

    def test_writer_refuses_to_overwrite_an_existing_build(self, tmp_path, store_corpus):
        write_sqlite_faiss(tmp_path / "build", store_corpus)
        with pytest.raises(FileExistsError):
            SqliteFaissWriter(tmp_path / "build")

    def test_writer_refuses_a_vector_count_that_does_not_match_the_passages(
        self, tmp_path, store_corpus
    ):
        writer = SqliteFaissWriter(tmp_path / "build")
        document = store_corpus.documents[0]
        writer.add_document(
            document, store_corpus.passages[PLAN], store_corpus.lexical[PLAN], (), ()
        )
        with pytest.raises(ValueError, match="vectors for"):
            writer.finish(store_corpus.vectors)

    def test_empty_build_is_searchable(self, tmp_path):
        writer = SqliteFaissWriter(tmp_path / "build")
        writer.finish(np.zeros((0, 384), dtype=np.float32))
        store = SqliteFaissStore(tmp_path / "build")
        assert store.documents() == []
        assert store.dense_search(np.ones(384, dtype=np.float32), k=5) == []
        assert store.lexical_search(LexicalQuery(syllables=("y",)), k=5) == []
        store.close()

    def test_database_file_is_sqlite(self, store):
        assert (store.directory / DATABASE_FILE).read_bytes()[:16] == b"SQLite format 3\x00"

    def test_a_build_made_before_tables_and_figure_contexts_were_stored_reads_as_having_none(
        self, tmp_path, store_corpus
    ):
        # the service answers from such a build while it indexes the corpus again
        write_sqlite_faiss(tmp_path / "build", store_corpus)
        database = sqlite3.connect(tmp_path / "build" / DATABASE_FILE)
        database.execute('DROP TABLE "tables"')
        database.execute("DROP TABLE figure_contexts")
        database.commit()
        database.close()
        store = SqliteFaissStore(tmp_path / "build")
        assert store.tables() == []
        assert store.tables(doc_id=PLAN) == []
        assert store.figure_contexts() is None  # the service works them out again
        store.close()
