"""The PostgreSQL + pgvector store, for deployments past one machine.

Each build is a schema of its own (documents, passages with their tsvector and vector, figures,
references, tables, names); `healthqa.current` points at the one readers use and is switched in one
transaction, so readers see the old build or the new, never half of one. A builder holds an
advisory lock; several service processes (on several machines, or read replicas) can read the
same database. Connections come from a pool shared by a process's request threads.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from indexer.figure_index import FigureIndexBuilder
from indexer.manifest import IndexCorruptError, IndexMissingError, Manifest
from indexer.models import Document, Figure, FigureContext, Passage, Reference, Table
from indexer.store.base import LexicalQuery, OpenIndex
from indexer.store.fts5_top_k import EXTRA, PRUNE_FROM_ROWS, query_phrases
from indexer.store.fts5_top_k import Phrase as ColumnPhrase
from indexer.store.postgres_connection import Database, connect
from indexer.store.postgres_lexical import (
    FIELD_LABELS,
    PRESELECT,
    Phrase,
    candidates_statement,
    exact_bm25,
    frequency_statement,
    idf,
    needed_tokens,
    phrases,
    rows_statement,
    tsvector_literal,
)
from indexer.store.postgres_schema import (
    BUILD_LOCK,
    CONTROL_SCHEMA,
    RECORD_TABLES,
    build_indexes,
    build_tables,
)
from indexer.store.postgres_tantivy import (
    CACHE_FOLDER,
    remove_other_builds,
    store_files,
    unpacked,
)
from indexer.store.ranking import HNSW_EF_SEARCH, K1
from indexer.store.rows import (
    PASSAGE_COLUMNS,
    TABLE_COLUMNS,
    document_values,
    one_or_any,
    passage_from_row,
    passage_values,
    shared,
    stored_document_from_row,
    table_from_row,
    table_values,
)
from indexer.store.stored_documents import TextCache
from indexer.store.tantivy_lexical import LexicalIndexWriter, TantivyCandidates
from indexer.tokens import LexicalFields

# rarest phrases that preselect passages at first; doubled while the others could still matter
FIRST_ESSENTIAL = 4
# passages from which tantivy supplies the lexical candidates; below, the GIN path (measured to
# 10k passages, not yet side by side with tantivy between 4k and 20k as the embedded store was)
CANDIDATES_FROM_ROWS = PRUNE_FROM_ROWS
BUILD_MEMORY_KB = 512 * 1024  # maintenance_work_mem of a build's session, at least
KEEP_BUILDS = 3  # the current one and two before it, still open in slower processes
POOL_SIZE = 8


class PostgresLocation:
    def __init__(self, url: str, index_dir: Path) -> None:
        self.url = url
        # the embedding cache stays on the building machine; every machine unpacks the tantivy
        # candidates of the builds it reads under it (postgres_tantivy.py)
        self.index_dir = index_dir
        self._database = Database(url)
        self._connection = self._database.connection

    def describe(self) -> str:
        return self._database.describe()

    def where(self, build_id: str) -> str:
        return f"{self.describe()} (schema {build_id})"

    def build_directory(self, build_id: str) -> Path | None:
        return None  # the build is a schema in the database

    @contextmanager
    def lock(self) -> Iterator[None]:
        """A session advisory lock: released by the server if the builder dies."""
        with self._connection() as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))

    def current_build(self) -> str | None:
        with self._connection() as connection:
            row = connection.execute(f"SELECT build_id FROM {CONTROL_SCHEMA}.current").fetchone()
        return row[0] if row else None

    def current_manifest(self) -> Manifest | None:
        current = self._current()
        return current[1] if current else None

    def _current(self) -> tuple[str, Manifest] | None:
        with self._connection() as connection:
            row = connection.execute(
                f"SELECT b.build_id, b.manifest FROM {CONTROL_SCHEMA}.current c "
                f"JOIN {CONTROL_SCHEMA}.builds b USING (build_id) WHERE b.state = 'ready'"
            ).fetchone()
        if row is None:
            return None
        try:
            return row[0], Manifest(**row[1])
        except TypeError as error:
            raise IndexCorruptError(
                f"the manifest of build {row[0]} is unreadable ({error}): "
                "run `healthqa index --rebuild`"
            ) from error

    def new_writer(self, dimension: int) -> PostgresWriter:
        build_id = "build_" + datetime.now(UTC).strftime("%Y%m%dt%H%M%S%f")
        with self._connection() as connection:
            connection.execute(
                f"INSERT INTO {CONTROL_SCHEMA}.builds (build_id, state) VALUES (%s, 'building')",
                (build_id,),
            )
        return PostgresWriter(self.url, build_id, dimension)

    def publish(self, writer: PostgresWriter, manifest: Manifest) -> str:
        with self._connection() as connection, connection.transaction():
            connection.execute(
                f"UPDATE {CONTROL_SCHEMA}.builds SET state = 'ready', manifest = %s "
                "WHERE build_id = %s",
                (json.dumps(asdict(manifest), ensure_ascii=False), writer.build_id),
            )
            connection.execute(
                f"INSERT INTO {CONTROL_SCHEMA}.current (singleton, build_id) VALUES (true, %s) "
                "ON CONFLICT (singleton) DO UPDATE SET build_id = excluded.build_id",
                (writer.build_id,),
            )
        self._remove_old_builds()
        return writer.build_id

    def discard(self, writer: PostgresWriter) -> None:
        writer.close()
        with self._connection() as connection:
            _drop_build(connection, writer.build_id)

    def _remove_old_builds(self) -> None:
        """Keep the newest ready builds; drop older ones and builds a crash left unfinished
        (the caller holds the build lock, so no other build is in progress)."""
        with self._connection() as connection:
            current = connection.execute(
                f"SELECT build_id FROM {CONTROL_SCHEMA}.current"
            ).fetchone()
            rows = connection.execute(
                f"SELECT build_id, state FROM {CONTROL_SCHEMA}.builds ORDER BY build_id DESC"
            ).fetchall()
            ready = [build_id for build_id, state in rows if state == "ready"]
            keep = set(ready[:KEEP_BUILDS]) | ({current[0]} if current else set())
            for build_id, _ in rows:
                if build_id not in keep:
                    _drop_build(connection, build_id)

    def open(self, model_id: str, *, verify: bool = True) -> OpenIndex:
        current = self._current()
        if current is None:
            raise IndexMissingError(
                f"no index in {self.describe()}: run `healthqa index --store URL` first"
            )
        build_id, manifest = current
        manifest.check_compatible(model_id)
        cache = self.index_dir / CACHE_FOLDER
        remove_other_builds(cache, self._build_ids())
        store = PostgresStore(self.url, build_id, lexical_cache=cache)
        try:
            if verify:
                store.verify_counts(manifest.counts)
            store.prepare_lexical()
        except BaseException:
            store.close()
            raise
        return OpenIndex(
            build_id=build_id,
            where=self.where(build_id),
            manifest=manifest,
            store=store,
        )

    def _build_ids(self) -> set[str]:
        with self._connection() as connection:
            rows = connection.execute(f"SELECT build_id FROM {CONTROL_SCHEMA}.builds").fetchall()
        return {build_id for (build_id,) in rows}

    def size_bytes(self) -> int:
        build_id = self.current_build()
        if build_id is None:
            return 0
        with self._connection() as connection:
            row = connection.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                (build_id,),
            ).fetchone()
        return int(row[0]) if row else 0


def _drop_build(connection: psycopg.Connection, build_id: str) -> None:
    with connection.transaction():
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(build_id))
        )
        connection.execute(
            f"DELETE FROM {CONTROL_SCHEMA}.builds WHERE build_id = %s "
            f"AND build_id NOT IN (SELECT build_id FROM {CONTROL_SCHEMA}.current)",
            (build_id,),
        )


class PostgresWriter:
    """Collects one build in memory, then loads it with COPY and indexes it in one go."""

    def __init__(self, url: str, build_id: str, dimension: int) -> None:
        self.url = url
        self.build_id = build_id
        self.dimension = dimension
        self._documents: list[tuple[object, ...]] = []
        self._passages: list[tuple[object, ...]] = []
        self._records: dict[str, list[tuple[object, ...]]] = {name: [] for name in RECORD_TABLES}
        self._names: list[tuple[object, ...]] = []
        self._tables: list[tuple[object, ...]] = []
        # the tantivy candidates, written as passages come (postgres_tantivy.py)
        self._scratch = Path(tempfile.mkdtemp(prefix=f"healthqa-{build_id}-"))
        self._lexical = LexicalIndexWriter(self._scratch / "lexical")
        self._figure_index = FigureIndexBuilder()

    def add_document(
        self,
        document: Document,
        passages: Sequence[Passage],
        lexical: Sequence[LexicalFields],
        figures: Sequence[Figure],
        references: Sequence[Reference],
        tables: Sequence[Table] = (),
        contexts: Sequence[FigureContext] = (),
    ) -> None:
        self._documents.append(document_values(document))
        for passage, terms in zip(passages, lexical, strict=True):
            literal, length = tsvector_literal(terms)
            number = len(self._passages) + 1  # the passage's id, and its tantivy rowid
            self._passages.append((number, *passage_values(passage), literal, length))
            self._lexical.add(number, terms.syllables, terms.words, terms.folded)
        stored = (("figures", figures), ("figure_contexts", contexts), ("refs", references))
        for table, records in stored:
            rows = self._records[table]
            for record in records:
                rows.append((len(rows) + 1, *(getattr(record, f.name) for f in fields(record))))
        for table in tables:
            self._tables.append((len(self._tables) + 1, *table_values(table)))
        self._figure_index.add(document, passages, figures, contexts)

    def add_names(self, forms: dict[str, tuple[str, int]]) -> None:
        self._names.extend((folded, form, count) for folded, (form, count) in forms.items())

    def finish(self, vectors: np.ndarray) -> None:
        if len(vectors) != len(self._passages):
            raise ValueError(f"{len(vectors)} vectors for {len(self._passages)} passages")
        s = sql.Identifier(self.build_id)
        with connect(self.url) as connection:
            raise_build_memory(connection)
            with connection.transaction():
                for statement in build_tables(self.build_id, self.dimension):
                    connection.execute(statement)
                self._copy(connection, sql.SQL("{}.documents").format(s), self._documents)
                self._copy(
                    connection,
                    sql.SQL("{}.passages").format(s),
                    (
                        (*row, _vector_text(vector))
                        for row, vector in zip(self._passages, vectors, strict=True)
                    ),
                )
                self._copy(connection, sql.SQL("{}.names").format(s), self._names)
                self._copy(
                    connection,
                    sql.SQL("{}.{} (ordinal, {})").format(
                        s, sql.Identifier("tables"), sql.SQL(TABLE_COLUMNS)
                    ),
                    self._tables,
                )
                for table, rows in self._records.items():
                    self._copy(connection, sql.SQL("{}.{}").format(s, sql.Identifier(table)), rows)
                self._copy(
                    connection,
                    sql.SQL("{}.figure_index").format(s),
                    ((r.field, r.key, r.count, r.numbers) for r in self._figure_index.rows()),
                )
                self._lexical.finish()
                store_files(connection, self.build_id, self._lexical.folder)
                for statement in build_indexes(self.build_id):
                    connection.execute(statement)
        self.close()

    def close(self) -> None:
        """Remove the scratch folder (after `finish`, or when the build is discarded)."""
        shutil.rmtree(self._scratch, ignore_errors=True)

    @staticmethod
    def _copy(connection: psycopg.Connection, table: sql.Composable, rows: Any) -> None:
        with connection.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
            for row in rows:
                copy.write_row(row)

    def checksums(self) -> dict[str, str]:
        return {}  # the database checks its own pages; open() compares row counts instead


def raise_build_memory(connection: psycopg.Connection) -> None:
    """Give this session's index builds at least BUILD_MEMORY_KB, or what the server is set to
    give when that is more: an HNSW graph that fits in memory builds many times faster than one
    that spills (a 1M-passage build wants a few GB; a DBA sets it with ALTER SYSTEM)."""
    row = connection.execute(
        "SELECT setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem'"
    ).fetchone()
    if row is None or int(row[0]) < BUILD_MEMORY_KB:
        connection.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY_KB}kB'")


def _vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in vector) + "]"


class PostgresStore:
    """Read side of one build. Safe to share between request threads (a connection pool)."""

    def __init__(self, url: str, build_id: str, *, lexical_cache: Path | None = None) -> None:
        """`lexical_cache`: the folder this machine unpacks builds' tantivy candidates into
        (a private temporary one when not given, removed on close)."""
        from pgvector.psycopg import register_vector

        def configure(connection: psycopg.Connection) -> None:
            register_vector(connection)

        self.build_id = build_id
        self._schema = sql.Identifier(build_id)
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True},
            configure=configure,
            open=True,
            name=f"healthqa-{build_id}",
        )
        self._documents: dict[str, Document] | None = None
        self._counts: dict[str, dict[str, int]] | None = None
        self._statistics: tuple[int, float] | None = None
        self._matching: dict[str, int] = {}  # tsquery → passages it matches
        self._tables_present: dict[str, bool] = {}
        self._texts = TextCache(self._text)
        self._private_cache = lexical_cache is None
        self._lexical_cache = lexical_cache or Path(tempfile.mkdtemp(prefix="healthqa-lexical-"))
        # from this many passages lexical candidates come from tantivy, below it from the GIN
        # index alone (the seed's and every dev-set number's path)
        self.candidates_from_rows = CANDIDATES_FROM_ROWS
        self._candidates: TantivyCandidates | None = None
        self._candidates_read = False
        self._candidates_lock = threading.Lock()

    def close(self) -> None:
        self._pool.close()
        if self._private_cache:
            shutil.rmtree(self._lexical_cache, ignore_errors=True)

    def _rows(self, statement: sql.Composable, params: Any = None) -> list[tuple[Any, ...]]:
        with self._pool.connection() as connection:
            return connection.execute(statement, without_nul(params)).fetchall()

    def _table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(self._schema, sql.Identifier(name))

    def verify_counts(self, expected: dict[str, int]) -> None:
        tables = {"documents": "documents", "passages": "passages", "figures": "figures"}
        tables["references"] = "refs"
        if "tables" in expected:  # a build made before tables were stored has none to count
            tables["tables"] = "tables"
        for kind, table in tables.items():
            try:
                found = self._rows(sql.SQL("SELECT count(*) FROM {}").format(self._table(table)))
            except psycopg.Error as error:
                raise IndexCorruptError(
                    f"build {self.build_id} is damaged ({error}): run `healthqa index --rebuild`"
                ) from error
            if kind in expected and found[0][0] != expected[kind]:
                raise IndexCorruptError(
                    f"build {self.build_id} has {found[0][0]} {kind}, its manifest says "
                    f"{expected[kind]}: run `healthqa index --rebuild`"
                )

    # documents and passages

    def documents(self) -> list[Document]:
        if self._documents is None:
            rows = self._rows(
                sql.SQL(
                    "SELECT doc_id, source, content_hash, attributes FROM {} "
                    'ORDER BY source COLLATE "C"'
                ).format(self._table("documents"))
            )
            self._documents = {row[0]: stored_document_from_row(row, self._texts) for row in rows}
        return list(self._documents.values())

    def _text(self, doc_id: str) -> str:
        statement = sql.SQL("SELECT text FROM {} WHERE doc_id = %s").format(
            self._table("documents")
        )
        rows = self._rows(statement, (doc_id,))
        if not rows:
            raise KeyError(doc_id)
        return str(rows[0][0])

    def document(self, doc_id: str) -> Document | None:
        self.documents()
        assert self._documents is not None
        return self._documents.get(doc_id)

    def passage_count(self) -> int:
        return self._statistics_of()[0]

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        if not passage_ids:
            return []
        rows = self._rows(
            sql.SQL("SELECT {} FROM {} WHERE passage_id = ANY(%s)").format(
                sql.SQL(PASSAGE_COLUMNS), self._table("passages")
            ),
            (list(passage_ids),),
        )
        by_id = {row[0]: passage_from_row(row) for row in rows}
        return [by_id[pid] for pid in passage_ids if pid in by_id]

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._rows(
            sql.SQL("SELECT {} FROM {} WHERE doc_id = %s ORDER BY ordinal").format(
                sql.SQL(PASSAGE_COLUMNS), self._table("passages")
            ),
            (doc_id,),
        )
        return [passage_from_row(row) for row in rows]

    # retrieval

    def _statistics_of(self) -> tuple[int, float]:
        if self._statistics is None:
            row = self._rows(
                sql.SQL("SELECT count(*), coalesce(avg(lex_length), 0) FROM {}").format(
                    self._table("passages")
                )
            )[0]
            self._statistics = (int(row[0]), float(row[1]) or 1.0)
        return self._statistics

    def lexical_search(
        self, query: LexicalQuery, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        found = phrases(query)
        if not found or doc_ids == [] or k <= 0:
            return []
        source = self._candidate_source()
        if source is not None:
            return self._ranked_candidates(source, query, found, k, doc_ids)
        return self._gin_search(found, k, doc_ids)

    def prepare_lexical(self) -> None:
        """Unpack the tantivy candidates now, where the corpus is large enough to use them, so
        that no question waits for the download (hundreds of MB at 1M passages)."""
        self._candidate_source()

    def _candidate_source(self) -> TantivyCandidates | None:
        """Where lexical candidates come from: tantivy from `candidates_from_rows` passages on
        (None for a build stored without its files), the GIN index below."""
        if self.passage_count() < self.candidates_from_rows:
            return None
        return self._tantivy()

    def _tantivy(self) -> TantivyCandidates | None:
        """The build's tantivy candidates, unpacked on first use; None for a build stored
        without them."""
        if not self._candidates_read:
            with self._candidates_lock:
                if not self._candidates_read:
                    folder = unpacked(self._rows, self.build_id, self._lexical_cache)
                    self._candidates = TantivyCandidates(folder) if folder else None
                    self._candidates_read = True
        return self._candidates

    def _ranked_candidates(
        self,
        source: TantivyCandidates,
        query: LexicalQuery,
        found: Sequence[Phrase],
        k: int,
        doc_ids: Sequence[str] | None,
    ) -> list[tuple[str, float]]:
        """tantivy's best k + EXTRA passages for the question's phrases (weighed as BM25 weighs
        them), ranked by the exact BM25 from their tsvectors; each phrase's passage count is
        tantivy's (the same tokens in both, so the same count as the GIN index gives)."""
        allowed = None
        if doc_ids is not None:
            allowed = {
                number
                for (number,) in self._rows(
                    sql.SQL("SELECT id FROM {} WHERE doc_id = ANY(%s)").format(
                        self._table("passages")
                    ),
                    (list(doc_ids),),
                )
            }
        fields = (query.syllables, query.words, query.folded)
        numbers = source.candidates(query_phrases(fields), k + EXTRA, allowed)
        if not numbers:
            return []
        frequencies = [
            source.matching(ColumnPhrase(FIELD_LABELS.index(p.label), " ".join(p.tokens), p.tokens))
            for p in found
        ]
        fetched = self._rows(
            rows_statement(self.build_id),
            {"ids": [int(n) for n in numbers], "needed": needed_tokens(found)},
        )
        rows = [
            (passage_id, length, entries, frequencies, row_id)
            for passage_id, length, entries, row_id in fetched
        ]
        total, average_length = self._statistics_of()
        return exact_bm25(rows, found, total, average_length)[:k]

    def _gin_search(
        self, found: Sequence[Phrase], k: int, doc_ids: Sequence[str] | None
    ) -> list[tuple[str, float]]:
        """BM25 top k, MaxScore-style: the rarest phrases preselect passages, and more phrases
        are read only while the idf × (k1 + 1) that all unread phrases could add together
        might lift a passage they alone match into the top k; every preselected passage is then
        scored on all phrases. Common phrases are only counted (once per build)."""
        total, average_length = self._statistics_of()
        frequencies = self._frequencies(found)
        bounds = [idf(total, n) * (K1 + 1) for n in frequencies]
        order = sorted((i for i, n in enumerate(frequencies) if n), key=lambda i: -bounds[i])
        take = min(len(order), FIRST_ESSENTIAL)
        while take:
            essential = order[:take]
            statement, params = candidates_statement(
                self.build_id,
                found,
                essential,
                frequencies,
                filtered=doc_ids is not None,
            )
            params.update(total=total, avgdl=average_length, preselect=max(PRESELECT, k))
            if doc_ids is not None:
                params["doc_ids"] = list(doc_ids)
            rows = [
                (passage_id, length, entries, frequencies, row_id)
                for passage_id, length, entries, row_id in self._rows(statement, params)
            ]
            scored = exact_bm25(rows, found, total, average_length)
            unread = sum(bounds[i] for i in order[take:])
            if take == len(order) or (len(scored) >= k and scored[k - 1][1] > unread * 1.000001):
                return scored[:k]
            take = min(len(order), take * 2)
        return []

    def _frequencies(self, found: Sequence[Phrase]) -> list[int]:
        """Passages each phrase matches in this build, counted once and kept: the build never
        changes."""
        missing = [p for p in dict.fromkeys(p.tsquery for p in found) if p not in self._matching]
        if missing:
            statement, params = frequency_statement(
                self.build_id, [Phrase(q, 1.0, (), "") for q in missing]
            )
            counts = dict(self._rows(statement, params))
            for i, tsquery in enumerate(missing, start=1):
                self._matching[tsquery] = int(counts.get(i, 0))
        return [self._matching[p.tsquery] for p in found]

    def dense_search(
        self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        if doc_ids == []:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        where = sql.SQL("WHERE doc_id = ANY(%(doc_ids)s) ") if doc_ids is not None else sql.SQL("")
        statement = sql.SQL(
            "SELECT passage_id, -(embedding <#> %(v)s) AS score FROM {} {}"
            "ORDER BY embedding <#> %(v)s LIMIT %(k)s"
        ).format(self._table("passages"), where)
        params = {"v": query, "k": k, "doc_ids": list(doc_ids or [])}
        with self._pool.connection() as connection, connection.transaction():
            # SET LOCAL: holds for this transaction only, so it also works behind PgBouncer in
            # transaction mode; filtered searches keep walking the graph until enough rows pass
            connection.execute(f"SET LOCAL hnsw.ef_search = {HNSW_EF_SEARCH}")
            connection.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = connection.execute(statement, params).fetchall()
        # relaxed iterative scans may return a few rows out of order
        return sorted(((pid, float(score)) for pid, score in rows), key=lambda r: -r[1])

    # extracted facts

    def figures(
        self,
        *,
        doc_id: str | None = None,
        passage_ids: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> list[Figure]:
        documents = one_or_any(doc_id, doc_ids)
        return self._records("figures", Figure, doc_id=documents, passage_id=passage_ids)

    def references(self, *, doc_id: str | None = None, code: str | None = None) -> list[Reference]:
        return self._records("refs", Reference, doc_id=doc_id, code=[code] if code else None)

    def figure_contexts(
        self, *, doc_id: str | None = None, doc_ids: Sequence[str] | None = None
    ) -> list[FigureContext] | None:
        if not self._has_table("figure_contexts"):
            return None
        documents = one_or_any(doc_id, doc_ids)
        return self._records("figure_contexts", FigureContext, doc_id=documents)

    def figure_contexts_at(
        self, positions: Sequence[tuple[str, int]]
    ) -> list[FigureContext] | None:
        if not self._has_table("figure_contexts"):
            return None
        if not positions:
            return []
        doc_ids = sorted({doc_id for doc_id, _ in positions})
        numbered = sql.SQL(
            "(SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY start, ordinal) - 1 AS "
            "position FROM {} WHERE doc_id = ANY(%s)) numbered"
        ).format(self._table("figure_contexts"))
        wanted = sql.SQL("(doc_id, position) IN (SELECT * FROM unnest(%s::text[], %s::bigint[]))")
        return self._records(
            "figure_contexts",
            FigureContext,
            source=numbered,
            extra=(wanted, [doc_ids, [d for d, _ in positions], [n for _, n in positions]]),
        )

    def figure_index_counts(self, field: str) -> dict[str, int] | None:
        if not self._has_table("figure_index"):
            return None
        statement = sql.SQL("SELECT key, count FROM {} WHERE field = %s")
        return dict(self._rows(statement.format(self._table("figure_index")), (field,)))

    def figure_index_rows(
        self, field: str, keys: Sequence[str] | None = None
    ) -> dict[str, bytes] | None:
        if not self._has_table("figure_index"):
            return None
        statement = sql.SQL("SELECT key, numbers FROM {} WHERE field = %s").format(
            self._table("figure_index")
        )
        if keys is None:
            rows = self._rows(statement, (field,))
        else:
            wanted = sql.SQL("{} AND key = ANY(%s)").format(statement)
            rows = self._rows(wanted, (field, list(dict.fromkeys(keys))))
        return {key: bytes(numbers) for key, numbers in rows}

    def figures_at(self, spans: Sequence[tuple[str, int, int]]) -> list[Figure]:
        if not spans:
            return []
        wanted = sql.SQL(
            '(doc_id, start, "end") IN (SELECT * FROM unnest(%s::text[], %s::int[], %s::int[]))'
        )
        columns = [[span[i] for span in spans] for i in range(3)]
        return self._records(
            "figures",
            Figure,
            doc_id=sorted({doc_id for doc_id, _, _ in spans}),
            extra=(wanted, columns),
        )

    def tables(self, *, doc_id: str | None = None) -> list[Table]:
        # a build made before tables were stored still answers (with no tables) while the
        # service indexes the corpus again
        if not self._has_table("tables"):
            return []
        where = sql.SQL(" WHERE doc_id = %s") if doc_id is not None else sql.SQL("")
        statement = sql.SQL('SELECT {} FROM {}{} ORDER BY doc_id COLLATE "C", start').format(
            sql.SQL(TABLE_COLUMNS), self._table("tables"), where
        )
        rows = self._rows(statement, (doc_id,) if doc_id is not None else None)
        return [table_from_row(row) for row in rows]

    def _has_table(self, table: str) -> bool:
        """Whether this build has `table` (builds made before it was added have not)."""
        if table not in self._tables_present:
            name = f'"{self.build_id}"."{table}"'
            found = self._rows(sql.SQL("SELECT to_regclass(%s)"), (name,))
            self._tables_present[table] = found[0][0] is not None
        return self._tables_present[table]

    def _records(
        self,
        table: str,
        record_type: type,
        *,
        source: sql.Composable | None = None,
        extra: tuple[sql.Composable, list[object]] | None = None,
        **conditions: Any,
    ) -> list[Any]:
        """`source`: a subquery read instead of the table (with its columns and `ordinal`);
        `extra`: one more condition and its parameters."""
        names = [f.name for f in fields(record_type)]
        clauses = []
        params: list[object] = []
        for column, value in conditions.items():
            if value is None:
                continue
            clauses.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(column)))
            params.append([value] if isinstance(value, str) else list(value))
        if extra is not None:
            clauses.append(extra[0])
            params.extend(extra[1])
        where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("")
        statement = sql.SQL(
            'SELECT {} FROM {}{} ORDER BY doc_id COLLATE "C", start, ordinal'
        ).format(
            sql.SQL(", ").join(map(sql.Identifier, names)), source or self._table(table), where
        )
        return [
            record_type(**dict(zip(names, map(shared, row), strict=True)))
            for row in self._rows(statement, params)
        ]

    def document_counts(self) -> dict[str, dict[str, int]]:
        if self._counts is None:
            counts: dict[str, dict[str, int]] = {}
            for kind, table in (("passages", "passages"), ("figures", "figures")) + (
                ("references", "refs"),
            ):
                rows = self._rows(
                    sql.SQL("SELECT doc_id, count(*) FROM {} GROUP BY doc_id").format(
                        self._table(table)
                    )
                )
                counts[kind] = {doc_id: int(n) for doc_id, n in rows}
            self._counts = counts
        return self._counts

    def name_forms(self) -> dict[str, str]:
        rows = self._rows(sql.SQL("SELECT folded, form FROM {}").format(self._table("names")))
        return dict(rows)


def without_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: a looked-up value with one (hostile input; stored text
    never has one) gets U+FFFD instead, so it is searched for and simply not found."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return type(value)(without_nul(v) for v in value)
    if isinstance(value, dict):
        return {k: without_nul(v) for k, v in value.items()}
    return value
