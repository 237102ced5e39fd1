"""The tantivy candidates of a PostgreSQL build, kept in the build's own schema.

The GIN index finds a phrase's passages, but ranking them means reading every passage the
question's common phrases match ("tỷ lệ", "năm": most of a large corpus): at 100k passages a
lexical search took seconds. So the builder also writes the tantivy index the embedded store
uses (tantivy_lexical.py) and stores its files in the build's `lexical_files` table: the build
stays one schema, published and dropped in one transaction with the rest. A service process
unpacks the files once per machine into a folder named for the build under its index folder
(the first process writes, the others find it there) and asks tantivy for candidates; the
passages' tsvectors in PostgreSQL then rank them with the exact BM25 (postgres_lexical.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from indexer.store.tantivy_lexical import lexical_files

FILES_TABLE = "lexical_files"
CACHE_FOLDER = "postgres-lexical"  # under a process's index folder: one folder per build


def files_table(schema: str) -> sql.Composed:
    return sql.SQL("CREATE TABLE {}.{} (name text PRIMARY KEY, content bytea NOT NULL)").format(
        sql.Identifier(schema), sql.Identifier(FILES_TABLE)
    )


def store_files(connection: psycopg.Connection, schema: str, folder: Path) -> int:
    """Copy a written tantivy folder's files into the build's table; returns the bytes stored."""
    stored = 0
    table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(FILES_TABLE))
    with connection.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
        for path in lexical_files(folder):
            content = path.read_bytes()
            copy.write_row((path.name, content))
            stored += len(content)
    return stored


def unpacked(
    rows: Callable[[sql.Composable, Any], list[tuple[Any, ...]]], schema: str, cache: Path
) -> Path | None:
    """The build's tantivy folder on this machine, unpacked from the database on first use, or
    None for a build stored without one. Written beside the final folder and renamed into place,
    so a process never opens a half-written folder, whichever process unpacks first."""
    folder = cache / schema
    if folder.is_dir():
        return folder
    table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(FILES_TABLE))
    try:
        names = [name for (name,) in rows(sql.SQL("SELECT name FROM {}").format(table), None)]
    except psycopg.errors.UndefinedTable:
        return None  # a build made before the files were stored: the GIN index alone ranks
    if not names:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{schema}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    for name in names:  # one file a statement: a segment can be hundreds of MB at 1M passages
        statement = sql.SQL("SELECT content FROM {} WHERE name = %s").format(table)
        (content,) = rows(statement, (name,))[0]
        (partial / name).write_bytes(content)
    try:
        partial.rename(folder)
    except OSError:  # another process renamed its copy first: the same files
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def remove_other_builds(cache: Path, keep: Collection[str]) -> None:
    """Drop the unpacked folders of builds the database no longer holds."""
    if not cache.is_dir():
        return
    for path in cache.iterdir():
        if path.is_dir() and not path.name.startswith(".") and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
