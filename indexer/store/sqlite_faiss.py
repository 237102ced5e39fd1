"""The embedded store: SQLite (documents, passages, FTS5 bm25, figures, references, tables) + a
FAISS file.

Needs no server. One build is one folder; readers open it read-only.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from indexer.figure_index import FigureIndexBuilder
from indexer.manifest import sha256_file
from indexer.models import Document, Figure, FigureContext, Passage, Reference, Table
from indexer.store.base import LexicalQuery
from indexer.store.ranking import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
)
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
from indexer.store.tantivy_lexical import (
    LEXICAL_FOLDER,
    lexical_files,
    lexical_top_k,
    write_lexical_index,
)
from indexer.tokens import LexicalFields

DATABASE_FILE = "index.sqlite"
VECTORS_FILE = "vectors.faiss"
# Exact search loses nothing and is fast enough below this size (a few ms at 100k passages);
# above it, HNSW. (At 100k with stand-in vectors planted-fact R@5 was 0.95 either way.)
EXACT_SEARCH_LIMIT = 50_000
# Ids bound to one statement at most (SQLite allows 32,766 variables).
MAX_BOUND_IDS = 10_000
MAX_BOUND_PAIRS = 4_000  # (document, position) pairs or spans, with their documents

SCHEMA = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, content_hash TEXT NOT NULL,
    text TEXT NOT NULL, attributes TEXT NOT NULL
);
CREATE TABLE passages (
    rowid INTEGER PRIMARY KEY, passage_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, kind TEXT NOT NULL, section TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, context TEXT NOT NULL
);
CREATE INDEX passages_doc ON passages(doc_id, ordinal);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    syllables, words, folded, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE TABLE names (folded TEXT PRIMARY KEY, form TEXT NOT NULL, count INTEGER NOT NULL);
CREATE TABLE "tables" (
    doc_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, title TEXT,
    headers TEXT NOT NULL, column_kinds TEXT NOT NULL, "rows" TEXT NOT NULL
);
CREATE INDEX tables_doc ON "tables"(doc_id, start);
CREATE TABLE figure_index (
    field TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, numbers BLOB NOT NULL,
    PRIMARY KEY (field, key)
);
"""


def _record_table(name: str, record_type: type) -> str:
    columns = ", ".join(f'"{f.name}"' for f in fields(record_type))
    return f"CREATE TABLE {name} ({columns});\nCREATE INDEX {name}_doc ON {name}(doc_id);"


class SqliteFaissWriter:
    """Writes one build folder; `finish` makes it complete."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=False)
        self.directory = directory
        self._db = sqlite3.connect(directory / DATABASE_FILE)
        self._db.executescript(
            SCHEMA
            + _record_table("figures", Figure)
            + _record_table("figure_contexts", FigureContext)
            + _record_table("refs", Reference)
        )
        self._next_rowid = 1
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
        self._db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", document_values(document))
        for passage, terms in zip(passages, lexical, strict=True):
            rowid = self._next_rowid
            self._next_rowid += 1
            self._db.execute(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (rowid, *passage_values(passage)),
            )
            self._db.execute(
                "INSERT INTO passages_fts(rowid, syllables, words, folded) VALUES (?, ?, ?, ?)",
                (rowid, terms.syllables, terms.words, terms.folded),
            )
        self._insert_records("figures", Figure, figures)
        self._insert_records("figure_contexts", FigureContext, contexts)
        self._figure_index.add(document, passages, figures, contexts)
        self._insert_records("refs", Reference, references)
        self._db.executemany(
            f'INSERT INTO "tables" ({TABLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [table_values(table) for table in tables],
        )

    def _insert_records(self, table: str, record_type: type, records: Sequence[Any]) -> None:
        names = [f.name for f in fields(record_type)]
        placeholders = ", ".join("?" for _ in names)
        self._db.executemany(
            f"INSERT INTO {table} VALUES ({placeholders})",
            [tuple(getattr(record, name) for name in names) for record in records],
        )

    def add_names(self, forms: dict[str, tuple[str, int]]) -> None:
        self._db.executemany(
            "INSERT INTO names VALUES (?, ?, ?)",
            [(folded, form, count) for folded, (form, count) in forms.items()],
        )

    def finish(self, vectors: np.ndarray) -> None:
        """Write the vectors (one row per passage, in insertion order) and commit."""
        import faiss

        if len(vectors) != self._next_rowid - 1:
            raise ValueError(f"{len(vectors)} vectors for {self._next_rowid - 1} passages")
        dimension = vectors.shape[1] if vectors.ndim == 2 and len(vectors) else 1
        if len(vectors) > EXACT_SEARCH_LIMIT:
            index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        else:
            index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(self.directory / VECTORS_FILE))
        self._db.executemany(
            "INSERT INTO figure_index VALUES (?, ?, ?, ?)",
            ((r.field, r.key, r.count, r.numbers) for r in self._figure_index.rows()),
        )
        self._db.commit()
        # the lexical candidates of a large corpus (tantivy_lexical.py), from the text FTS5 holds
        write_lexical_index(
            self.directory / LEXICAL_FOLDER,
            self._db.execute("SELECT rowid, syllables, words, folded FROM passages_fts"),
        )
        self._db.execute("PRAGMA optimize")
        self._db.close()

    def checksums(self) -> dict[str, str]:
        files = [DATABASE_FILE, VECTORS_FILE]
        files += [
            path.relative_to(self.directory).as_posix()
            for path in lexical_files(self.directory / LEXICAL_FOLDER)
        ]
        return {name: sha256_file(self.directory / name) for name in files}


class SqliteFaissStore:
    """Read side of one build folder. Safe to share between request threads."""

    def __init__(self, directory: Path) -> None:
        import faiss

        self.directory = directory
        uri = f"file:{(directory / DATABASE_FILE).as_posix()}?mode=ro"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._vectors = faiss.read_index(str(directory / VECTORS_FILE))
        if isinstance(self._vectors, faiss.IndexHNSWFlat):
            self._vectors.hnsw.efSearch = HNSW_EF_SEARCH
        self._lexical = lexical_top_k(directory, "passages_fts")
        self._documents: dict[str, Document] | None = None
        self._texts = TextCache(self._text)
        self._counts: dict[str, dict[str, int]] | None = None
        # a build made before tables were stored still answers (with no tables) while the
        # service indexes the corpus again
        self._has_tables = self._has_table("tables")
        self._has_contexts = self._has_table("figure_contexts")
        self._has_figure_index = self._has_table("figure_index")

    def _has_table(self, name: str) -> bool:
        found = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self._db.execute(found, (name,)).fetchone() is not None

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            yield self._db.cursor()

    def close(self) -> None:
        self._db.close()

    # documents and passages

    def documents(self) -> list[Document]:
        """Every document, its text read when first needed (`StoredDocument`)."""
        if self._documents is None:
            with self._cursor() as cursor:
                rows = cursor.execute(
                    "SELECT doc_id, source, content_hash, attributes FROM documents ORDER BY source"
                ).fetchall()
            self._documents = {row[0]: stored_document_from_row(row, self._texts) for row in rows}
        return list(self._documents.values())

    def _text(self, doc_id: str) -> str:
        with self._cursor() as cursor:
            found = cursor.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,))
            row = found.fetchone()
        if row is None:
            raise KeyError(doc_id)
        return str(row[0])

    def document(self, doc_id: str) -> Document | None:
        self.documents()
        assert self._documents is not None
        return self._documents.get(doc_id)

    def passage_count(self) -> int:
        with self._cursor() as cursor:
            return int(cursor.execute("SELECT count(*) FROM passages").fetchone()[0])

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        by_id: dict[str, Passage] = {}
        with self._cursor() as cursor:
            for first in range(0, len(passage_ids), MAX_BOUND_IDS):
                chunk = list(passage_ids[first : first + MAX_BOUND_IDS])
                marks = ", ".join("?" for _ in chunk)
                rows = cursor.execute(
                    f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE passage_id IN ({marks})", chunk
                ).fetchall()
                by_id.update((row[0], passage_from_row(row)) for row in rows)
        return [by_id[pid] for pid in passage_ids if pid in by_id]

    def passages_of(self, doc_id: str) -> list[Passage]:
        with self._cursor() as cursor:
            rows = cursor.execute(
                f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ordinal",
                (doc_id,),
            ).fetchall()
        return [passage_from_row(row) for row in rows]

    # retrieval

    def lexical_search(
        self, query: LexicalQuery, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        if query.empty or doc_ids == []:
            return []
        fields = (query.syllables, query.words, query.folded)
        with self._cursor() as cursor:
            allowed = None
            if doc_ids is not None:
                marks = ", ".join("?" for _ in doc_ids)
                allowed = {
                    rowid
                    for (rowid,) in cursor.execute(
                        f"SELECT rowid FROM passages WHERE doc_id IN ({marks})", list(doc_ids)
                    )
                }
            return _with_passage_ids(cursor, self._lexical.search(cursor, fields, k, allowed))

    def dense_search(
        self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        import faiss

        if self._vectors.ntotal == 0 or doc_ids == []:
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        params = None
        if doc_ids is not None:
            marks = ", ".join("?" for _ in doc_ids)
            with self._cursor() as cursor:
                rowids = [
                    r[0]
                    for r in cursor.execute(
                        f"SELECT rowid FROM passages WHERE doc_id IN ({marks})", list(doc_ids)
                    )
                ]
            selector = faiss.IDSelectorBatch(np.asarray([r - 1 for r in rowids], dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)
        scores, positions = self._vectors.search(query, min(k, self._vectors.ntotal), params=params)
        found = [
            (int(p) + 1, float(s)) for p, s in zip(positions[0], scores[0], strict=True) if p >= 0
        ]
        with self._cursor() as cursor:
            return _with_passage_ids(cursor, found)

    # extracted facts

    def figures(
        self,
        *,
        doc_id: str | None = None,
        passage_ids: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> list[Figure]:
        where, params = _where(doc_id=one_or_any(doc_id, doc_ids), passage_id=passage_ids)
        return self._records("figures", Figure, where, params)

    def figure_contexts(
        self, *, doc_id: str | None = None, doc_ids: Sequence[str] | None = None
    ) -> list[FigureContext] | None:
        if not self._has_contexts:
            return None
        where, params = _where(doc_id=one_or_any(doc_id, doc_ids))
        return self._records("figure_contexts", FigureContext, where, params)

    def figure_contexts_at(
        self, positions: Sequence[tuple[str, int]]
    ) -> list[FigureContext] | None:
        if not self._has_contexts:
            return None
        found = []
        for first in range(0, len(positions), MAX_BOUND_PAIRS):
            chunk = positions[first : first + MAX_BOUND_PAIRS]
            where, params = _where(doc_id=sorted({doc_id for doc_id, _ in chunk}))
            numbered = (
                "(SELECT *, rowid AS stored, row_number() OVER (PARTITION BY doc_id ORDER BY "
                f"start, rowid) - 1 AS position FROM figure_contexts{where})"
            )
            pairs = ", ".join("(?, ?)" for _ in chunk)
            found += self._records(
                numbered,
                FigureContext,
                f" WHERE (doc_id, position) IN (VALUES {pairs})",
                [*params, *(value for pair in chunk for value in pair)],
                order="doc_id, start, stored",
            )
        return found

    def figures_at(self, spans: Sequence[tuple[str, int, int]]) -> list[Figure]:
        found = []
        for first in range(0, len(spans), MAX_BOUND_PAIRS):
            chunk = spans[first : first + MAX_BOUND_PAIRS]
            where, params = _where(doc_id=sorted({doc_id for doc_id, _, _ in chunk}))
            triples = ", ".join("(?, ?, ?)" for _ in chunk)
            found += self._records(
                "figures",
                Figure,
                f'{where} AND (doc_id, start, "end") IN (VALUES {triples})',
                [*params, *(value for span in chunk for value in span)],
            )
        return found

    def figure_index_counts(self, field: str) -> dict[str, int] | None:
        if not self._has_figure_index:
            return None
        with self._cursor() as cursor:
            statement = "SELECT key, count FROM figure_index WHERE field = ?"
            return dict(cursor.execute(statement, (field,)).fetchall())

    def figure_index_rows(
        self, field: str, keys: Sequence[str] | None = None
    ) -> dict[str, bytes] | None:
        if not self._has_figure_index:
            return None
        statement = "SELECT key, numbers FROM figure_index WHERE field = ?"
        if keys is None:
            with self._cursor() as cursor:
                return dict(cursor.execute(statement, (field,)).fetchall())
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        for first in range(0, len(wanted), MAX_BOUND_IDS):
            chunk = wanted[first : first + MAX_BOUND_IDS]
            marks = ", ".join("?" for _ in chunk)
            with self._cursor() as cursor:
                rows = cursor.execute(f"{statement} AND key IN ({marks})", (field, *chunk))
                found.update(rows.fetchall())
        return found

    def references(self, *, doc_id: str | None = None, code: str | None = None) -> list[Reference]:
        where, params = _where(doc_id=doc_id, code=[code] if code else None)
        return self._records("refs", Reference, where, params)

    def tables(self, *, doc_id: str | None = None) -> list[Table]:
        if not self._has_tables:
            return []
        where, params = _where(doc_id=doc_id)
        with self._cursor() as cursor:
            rows = cursor.execute(
                f'SELECT {TABLE_COLUMNS} FROM "tables"{where} ORDER BY doc_id, start', params
            ).fetchall()
        return [table_from_row(row) for row in rows]

    def _records(
        self,
        table: str,
        record_type: type,
        where: str,
        params: list[object],
        order: str = "doc_id, start, rowid",
    ) -> list:
        names = [f.name for f in fields(record_type)]
        columns = ", ".join(f'"{n}"' for n in names)
        with self._cursor() as cursor:
            rows = cursor.execute(
                f"SELECT {columns} FROM {table}{where} ORDER BY {order}", params
            ).fetchall()
        # SQLite has no boolean type: flags come back as 0/1 and are turned back into bools.
        flags = [f.name for f in fields(record_type) if f.type in ("bool", bool)]
        records = []
        for row in rows:
            values = dict(zip(names, map(shared, row), strict=True))
            values.update({name: bool(values[name]) for name in flags})
            records.append(record_type(**values))
        return records

    def document_counts(self) -> dict[str, dict[str, int]]:
        """Passages, figures and references per document."""
        if self._counts is None:
            counts: dict[str, dict[str, int]] = {}
            with self._cursor() as cursor:
                for kind, table in (
                    ("passages", "passages"),
                    ("figures", "figures"),
                    ("references", "refs"),
                ):
                    rows = cursor.execute(f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id")
                    counts[kind] = dict(rows.fetchall())
            self._counts = counts
        return self._counts

    def name_forms(self) -> dict[str, str]:
        with self._cursor() as cursor:
            return dict(cursor.execute("SELECT folded, form FROM names").fetchall())


def _where(**conditions: Sequence[str] | str | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for column, value in conditions.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str) else list(value)
        clauses.append(f'"{column}" IN ({", ".join("?" for _ in values)})')
        params.extend(values)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _with_passage_ids(
    cursor: sqlite3.Cursor, found: Sequence[tuple[int, float]]
) -> list[tuple[str, float]]:
    """(rowid, score) pairs as (passage id, score), in the same order."""
    if not found:
        return []
    marks = ", ".join("?" for _ in found)
    ids = dict(
        cursor.execute(
            f"SELECT rowid, passage_id FROM passages WHERE rowid IN ({marks})",
            [rowid for rowid, _ in found],
        ).fetchall()
    )
    return [(ids[rowid], score) for rowid, score in found if rowid in ids]
