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
# files are stored in parts of this size: a bytea value is capped at 1 GB, and a part is what
# the builder and a reader hold in memory at once
PART_BYTES = 64 * 2**20


def files_table(schema: str) -> sql.Composed:
    return sql.SQL(
        "CREATE TABLE {}.{} (name text NOT NULL, part integer NOT NULL, content bytea NOT NULL, "
        "PRIMARY KEY (name, part))"
    ).format(sql.Identifier(schema), sql.Identifier(FILES_TABLE))


def store_files(connection: psycopg.Connection, schema: str, folder: Path) -> int:
    """Copy a written tantivy folder's files into the build's table; returns the bytes stored."""
    stored = 0
    table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(FILES_TABLE))
    with connection.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
        for path in lexical_files(folder):
            with path.open("rb") as file:
                part = 0
                while content := file.read(PART_BYTES):
                    copy.write_row((path.name, part, content))
                    stored += len(content)
                    part += 1
            if part == 0:  # an empty file is still part of the index
                copy.write_row((path.name, 0, b""))
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
        parts = rows(sql.SQL("SELECT name, part FROM {} ORDER BY name, part").format(table), None)
    except psycopg.errors.UndefinedTable:
        return None  # a build made before the files were stored: the GIN index alone ranks
    if not parts:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{schema}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    statement = sql.SQL("SELECT content FROM {} WHERE name = %s AND part = %s").format(table)
    for name, part in parts:  # one part a statement: a segment is hundreds of MB at 1M passages
        (content,) = rows(statement, (name, part))[0]
        with (partial / name).open("ab") as file:
            file.write(content)
    try:
        partial.rename(folder)
    except OSError:  # another process renamed its copy first: the same files
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def remove_other_builds(cache: Path, keep: Collection[str]) -> None:
    """Drop the unpacked folders of builds the database no longer holds, and what a process
    that died while unpacking one of them left (`.<build>.<pid>.partial`)."""
    if not cache.is_dir():
        return
    for path in cache.iterdir():
        build = path.name.removeprefix(".").split(".")[0]
        if path.is_dir() and build not in keep:
            shutil.rmtree(path, ignore_errors=True)
