"""Connections to a PostgreSQL database whose `healthqa` schema is migrated on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from indexer.manifest import IndexMissingError
from indexer.store.postgres_schema import migrate


def connect(url: str, **options: Any) -> psycopg.Connection:
    try:
        return psycopg.connect(url, **options)
    except psycopg.OperationalError as error:
        raise IndexMissingError(f"cannot reach the database {redacted(url)}: {error}") from error


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    where = info.get("host", "localhost")
    return f"postgresql://{info.get('user', '')}@{where}/{info.get('dbname', '')}"


class Database:
    """One database; each `connection()` is a new autocommit connection, the schema migrated
    before the first is handed out."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._migrated = False

    def describe(self) -> str:
        return redacted(self.url)

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        with connect(self.url, autocommit=True) as connection:
            if not self._migrated:
                migrate(connection)
                self._migrated = True
            yield connection
