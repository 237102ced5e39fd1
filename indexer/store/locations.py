"""Which store an index lives in, chosen by one setting: nothing (the embedded SQLite + FAISS
folder) or a postgresql:// URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer.store.base import IndexLocation
from indexer.store.folder import FolderLocation

DATABASE_SCHEMES = ("postgresql://", "postgres://")


class StoreUrlError(ValueError):
    pass


def is_database_url(store: str | None) -> bool:
    return bool(store) and store.startswith(DATABASE_SCHEMES)


def location_for(index_dir: Path, store: str | None) -> IndexLocation[Any]:
    if not store:
        return FolderLocation(index_dir)
    if not is_database_url(store):
        raise StoreUrlError(
            f"store {store!r} is not a postgresql:// URL; leave it unset for the embedded store"
        )
    from indexer.store.postgres import PostgresLocation

    return PostgresLocation(store, index_dir)
