"""At scale the PostgreSQL store takes its lexical candidates from the tantivy index its build
stored beside the passages, and ranks them with the exact BM25 from their tsvectors: on the
synthetic corpus (the threshold lowered) the top 10 equals the full FTS5 query's over the same
rows; a document filter holds; the files are unpacked once per machine and
the folders of dropped builds removed; a build stored without the files still answers."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest

from indexer.manifest import Manifest
from indexer.store import postgres as postgres_module
from indexer.store import postgres_tantivy
from indexer.store.postgres import PostgresLocation, PostgresStore
from indexer.store.postgres_tantivy import CACHE_FOLDER, FILES_TABLE
from tests.conftest import new_database
from tests.indexer.test_tantivy_lexical import (
    QUESTIONS,
    full_query,
    write_synthetic,
    write_synthetic_build,
)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The synthetic rows in the embedded store: what the full FTS5 query ranks."""
    directory = tmp_path_factory.mktemp("synthetic") / "build"
    write_synthetic_build(directory)
    return directory


@pytest.fixture(scope="module")
def database(postgres_url, tmp_path_factory) -> tuple[str, str]:
    """(URL, build id) of the same rows written to PostgreSQL."""
    url = new_database(postgres_url, "synthetic")
    location = PostgresLocation(url, tmp_path_factory.mktemp("synthetic-index"))
    writer = location.new_writer(4)
    write_synthetic(writer)
    return url, writer.build_id


@pytest.fixture
def store(database, tmp_path):
    """The PostgreSQL store taking tantivy candidates from its first passage."""
    url, build_id = database
    opened = PostgresStore(url, build_id, lexical_cache=tmp_path / CACHE_FOLDER)
    opened.candidates_from_rows = 0
    yield opened
    opened.close()


def same_ranking(found, expected):
    assert [pid for pid, _ in found] == [pid for pid, _ in expected]
    assert [score for _, score in found] == pytest.approx([s for _, s in expected], rel=1e-6)


@pytest.mark.parametrize("query", QUESTIONS)
def test_tantivy_candidates_rank_the_top_10_as_the_full_fts5_query(embedded, store, query):
    same_ranking(store.lexical_search(query, k=10), full_query(embedded, query, 10))


def test_a_document_filter_restricts_the_passages_not_the_statistics(embedded, store):
    chosen = ["doc-03", "doc-11"]
    for query in QUESTIONS[:10]:
        found = store.lexical_search(query, k=10, doc_ids=chosen)
        assert {pid.split(":")[0] for pid, _ in found} <= set(chosen)
        same_ranking(found, full_query(embedded, query, 10, doc_ids=chosen))
    assert store.lexical_search(QUESTIONS[0], k=10, doc_ids=[]) == []


def test_the_files_are_unpacked_once_and_shared_by_the_machines_processes(
    database, store, tmp_path
):
    url, build_id = database
    store.lexical_search(QUESTIONS[0], k=10)
    folder = tmp_path / CACHE_FOLDER / build_id
    assert (folder / "meta.json").is_file()
    marker = folder / "unpacked-by-the-first-process"
    marker.touch()
    second = PostgresStore(url, build_id, lexical_cache=tmp_path / CACHE_FOLDER)
    second.candidates_from_rows = 0
    try:
        assert second.lexical_search(QUESTIONS[0], k=10) == store.lexical_search(QUESTIONS[0], 10)
    finally:
        second.close()
    assert marker.exists()  # read where the first process left it, not written again
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_a_store_without_a_cache_folder_unpacks_into_its_own_and_removes_it(database):
    url, build_id = database
    store = PostgresStore(url, build_id)
    store.candidates_from_rows = 0
    assert store.lexical_search(QUESTIONS[0], k=10)
    private = store._lexical_cache
    assert (private / build_id / "meta.json").is_file()
    store.close()
    assert not private.exists()


def test_a_build_stored_without_the_files_ranks_through_the_gin_index(postgres_url, tmp_path):
    url = new_database(postgres_url, "without_files")
    writer = PostgresLocation(url, tmp_path).new_writer(4)
    write_synthetic(writer)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP TABLE "{writer.build_id}".{FILES_TABLE}')
    store = PostgresStore(url, writer.build_id, lexical_cache=tmp_path / CACHE_FOLDER)
    store.candidates_from_rows = 0
    gin = PostgresStore(url, writer.build_id)
    gin.candidates_from_rows = 10**9
    try:
        for query in QUESTIONS[:10]:
            assert store.lexical_search(query, k=10) == gin.lexical_search(query, k=10)
    finally:
        store.close()
        gin.close()
    assert not (tmp_path / CACHE_FOLDER / writer.build_id).exists()


def test_opening_the_current_build_removes_the_folders_of_dropped_builds(postgres_url, tmp_path):
    url = new_database(postgres_url, "published")
    location = PostgresLocation(url, tmp_path)
    writer = location.new_writer(4)
    writer.finish(np.zeros((0, 4), dtype=np.float32))
    location.publish(writer, Manifest("none", "a model", 4, {}, {}, {}, "now", 0.0))
    cache = tmp_path / CACHE_FOLDER
    (cache / "build_20000101t000000000000").mkdir(parents=True)
    (cache / ".build_20000101t000000000000.4242.partial").mkdir()  # its unpacker died
    (cache / writer.build_id).mkdir()
    location.open("a model").store.close()
    assert [p.name for p in cache.iterdir()] == [writer.build_id]


def test_files_larger_than_a_part_are_stored_in_parts_and_unpacked_whole(
    postgres_url, embedded, tmp_path, monkeypatch
):
    monkeypatch.setattr(postgres_tantivy, "PART_BYTES", 4096)
    url = new_database(postgres_url, "in_parts")
    writer = PostgresLocation(url, tmp_path).new_writer(4)
    write_synthetic(writer)
    with psycopg.connect(url) as connection:
        (parts,) = connection.execute(
            f'SELECT count(*) FROM "{writer.build_id}".{FILES_TABLE} WHERE part > 0'
        ).fetchone()
    assert parts > 0
    store = PostgresStore(url, writer.build_id, lexical_cache=tmp_path / CACHE_FOLDER)
    store.candidates_from_rows = 0
    try:
        for query in QUESTIONS[:10]:
            same_ranking(store.lexical_search(query, k=10), full_query(embedded, query, 10))
    finally:
        store.close()


def test_opening_a_large_build_unpacks_its_files_before_the_first_question(
    postgres_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(postgres_module, "CANDIDATES_FROM_ROWS", 0)
    url = new_database(postgres_url, "unpacked_on_open")
    location = PostgresLocation(url, tmp_path)
    writer = location.new_writer(4)
    write_synthetic(writer)
    counts = {"passages": 3000}
    location.publish(writer, Manifest("none", "a model", 4, {}, counts, {}, "now", 0.0))
    opened = location.open("a model")
    try:
        assert (tmp_path / CACHE_FOLDER / writer.build_id / "meta.json").is_file()
    finally:
        opened.store.close()
