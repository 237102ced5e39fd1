"""The PostgreSQL layout: versioned migrations of the `healthqa` schema (builds and the
current-build pointer), and the tables of one build, each build in a schema of its own."""

from __future__ import annotations

from dataclasses import dataclass, fields

import psycopg
from psycopg import sql

from indexer.models import Figure, FigureContext, Reference
from indexer.store.postgres_tantivy import files_table
from indexer.store.ranking import HNSW_EF_CONSTRUCTION, HNSW_M

CONTROL_SCHEMA = "healthqa"
# pg_advisory_lock keys: one migrator at a time, one builder at a time (across machines).
MIGRATION_LOCK = 72_410_001
BUILD_LOCK = 72_410_002


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "pgvector, builds and the current-build pointer",
        """
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE TABLE healthqa.builds (
            build_id text PRIMARY KEY,
            state text NOT NULL CHECK (state IN ('building', 'ready')),
            manifest jsonb,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE healthqa.current (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            build_id text NOT NULL REFERENCES healthqa.builds
        );
        """,
    ),
    # Version 2 created healthqa.feedback; the service owns that table now (service/feedback.py
    # creates it on first use), and the version stays so databases migrated to it still open.
    Migration(2, "officials' feedback on answers: kept by the service since", "SELECT 1"),
)


class SchemaTooNewError(RuntimeError):
    pass


def applied_version(connection: psycopg.Connection) -> int:
    """The newest migration applied (0 for a fresh database); reads only, so it works on a
    read replica too."""
    row = connection.execute(f"SELECT to_regclass('{CONTROL_SCHEMA}.migrations')").fetchone()
    if row is None or row[0] is None:
        return 0
    row = connection.execute(
        f"SELECT coalesce(max(version), 0) FROM {CONTROL_SCHEMA}.migrations"
    ).fetchone()
    return int(row[0]) if row else 0


def migrate(connection: psycopg.Connection) -> int:
    """Bring the control schema up to the newest migration; safe when several processes start
    at once, and writes nothing when the schema is already current (as on a read replica,
    whose primary was migrated). Returns the schema version."""
    newest = MIGRATIONS[-1].version
    if _checked(applied_version(connection)) == newest:
        return newest
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {CONTROL_SCHEMA}")
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {CONTROL_SCHEMA}.migrations ("
            "version integer PRIMARY KEY, description text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = _checked(applied_version(connection))  # another process may have gone first
        for migration in MIGRATIONS:
            if migration.version <= applied:
                continue
            connection.execute(migration.statements)  # type: ignore[arg-type] - our own DDL
            connection.execute(
                f"INSERT INTO {CONTROL_SCHEMA}.migrations (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
    return newest


def _checked(applied: int) -> int:
    newest = MIGRATIONS[-1].version
    if applied > newest:
        raise SchemaTooNewError(
            f"the database's healthqa schema is at version {applied}, this code knows up to "
            f"{newest}: upgrade healthqa"
        )
    return applied


def _column_type(annotation: object) -> str:
    text = str(annotation)
    if text.startswith("bool"):
        return "boolean"
    if text.startswith("float"):
        return "double precision"
    if text.startswith("int"):
        return "bigint"
    return "text"


def record_columns(record_type: type) -> list[tuple[str, str]]:
    return [(f.name, _column_type(f.type)) for f in fields(record_type)]


RECORD_TABLES: dict[str, type] = {
    "figures": Figure,
    "figure_contexts": FigureContext,
    "refs": Reference,
}


def build_tables(schema: str, dimension: int) -> list[sql.Composed]:
    """The tables one build fills (indexes come after the data is loaded)."""
    s = sql.Identifier(schema)
    statements = [
        sql.SQL("CREATE SCHEMA {}").format(s),
        sql.SQL(
            "CREATE TABLE {}.documents (doc_id text PRIMARY KEY, source text NOT NULL, "
            "content_hash text NOT NULL, text text NOT NULL, attributes jsonb NOT NULL)"
        ).format(s),
        sql.SQL(
            "CREATE TABLE {}.passages (id integer PRIMARY KEY, passage_id text NOT NULL, "
            "doc_id text NOT NULL, ordinal integer NOT NULL, kind text NOT NULL, "
            'section jsonb NOT NULL, start integer NOT NULL, "end" integer NOT NULL, '
            "text text NOT NULL, context text NOT NULL, lex tsvector NOT NULL, "
            "lex_length integer NOT NULL, embedding vector({}) NOT NULL)"
        ).format(s, sql.Literal(dimension)),
        sql.SQL(
            "CREATE TABLE {}.names (folded text PRIMARY KEY, form text NOT NULL, "
            "count integer NOT NULL)"
        ).format(s),
        # one row per table; its headers, column kinds and rows (with their cells) as JSON
        sql.SQL(
            'CREATE TABLE {}."tables" (ordinal integer PRIMARY KEY, doc_id text NOT NULL, '
            'start integer NOT NULL, "end" integer NOT NULL, title text, headers jsonb NOT NULL, '
            'column_kinds jsonb NOT NULL, "rows" jsonb NOT NULL)'
        ).format(s),
    ]
    for table, record_type in RECORD_TABLES.items():
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind))
            for name, kind in record_columns(record_type)
        )
        statements.append(
            sql.SQL("CREATE TABLE {}.{} (ordinal integer PRIMARY KEY, {})").format(
                s, sql.Identifier(table), columns
            )
        )
    # the figure records' candidate index (indexer/figure_index.py); numbers: int32 arrays
    statements.append(
        sql.SQL(
            "CREATE TABLE {}.figure_index (field text NOT NULL, key text NOT NULL, "
            "count integer NOT NULL, numbers bytea NOT NULL)"
        ).format(s)
    )
    statements.append(files_table(schema))  # the tantivy candidates (postgres_tantivy.py)
    return statements


def build_indexes(schema: str) -> list[sql.Composed]:
    s = sql.Identifier(schema)
    return [
        sql.SQL("CREATE UNIQUE INDEX ON {}.passages (passage_id)").format(s),
        sql.SQL("CREATE INDEX ON {}.passages (doc_id, ordinal)").format(s),
        sql.SQL("CREATE INDEX ON {}.passages USING gin (lex)").format(s),
        sql.SQL(
            "CREATE INDEX ON {}.passages USING hnsw (embedding vector_ip_ops) "
            "WITH (m = {}, ef_construction = {})"
        ).format(s, sql.Literal(HNSW_M), sql.Literal(HNSW_EF_CONSTRUCTION)),
        sql.SQL("CREATE INDEX ON {}.figures (doc_id)").format(s),
        sql.SQL("CREATE INDEX ON {}.figures (passage_id)").format(s),
        sql.SQL("CREATE INDEX ON {}.figure_contexts (doc_id)").format(s),
        sql.SQL("CREATE UNIQUE INDEX ON {}.figure_index (field, key)").format(s),
        sql.SQL("CREATE INDEX ON {}.refs (doc_id)").format(s),
        sql.SQL("CREATE INDEX ON {}.refs (code)").format(s),
        sql.SQL('CREATE INDEX ON {}."tables" (doc_id, start)').format(s),
        sql.SQL("ANALYZE {}.passages").format(s),
    ]
