"""Documents already processed, kept between builds: a rebuild after one document was added or
changed cleans, structures, extracts and segments only that document; the others come back from
here as they were (keyed by file, content, sidecar, chunking and the pipeline version, a hash of
the processing code and data files)."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.manifest import pipeline_version

PROCESSED_CACHE_FILE = "processed-cache.sqlite"


def processed_key(
    source: str, fingerprint: str, doc_id: str, chunking: str, version: str | None = None
) -> str:
    """The cache key of one document as processed by this pipeline (`version`, by default the
    hash of the pipeline's code and data: `manifest.pipeline_version`)."""
    version = version or pipeline_version()
    text = "\x1f".join((version, chunking, source, fingerprint, doc_id))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ProcessedCache:
    """One SQLite file in the index folder, written only by the builder (which holds the build
    lock); its pickles are our own dataclasses, never data from elsewhere."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS processed (key TEXT PRIMARY KEY, payload BLOB NOT NULL)"
        )

    def get(self, key: str) -> Any | None:
        row = self._db.execute("SELECT payload FROM processed WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])  # noqa: S301 - written by this builder, see class doc
        except Exception:  # written by an older version of the classes: process again
            return None

    def put(self, key: str, value: object) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO processed VALUES (?, ?)",
            (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)),
        )
        self._db.commit()

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget documents no longer in the corpus (or in an older version)."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM kept")
        self._db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", [(k,) for k in keys])
        self._db.execute("DELETE FROM processed WHERE key NOT IN (SELECT key FROM kept)")
        self._db.commit()

    def close(self) -> None:
        self._db.close()
