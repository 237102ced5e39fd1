"""Embeddings cached by (model, content hash): an unchanged passage is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from indexer.embed.base import Embedder
from indexer.embed.workers import EmbeddingWorkers, vectors_in_order

ProgressCallback = Callable[[int], None]


def content_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            "model_id TEXT NOT NULL, key TEXT NOT NULL, vector BLOB NOT NULL, "
            "PRIMARY KEY (model_id, key))"
        )

    def get(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self._db.execute(
                f"SELECT key, vector FROM embeddings WHERE model_id = ? AND key IN ({marks})",
                [model_id, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model_id: str, items: dict[str, np.ndarray]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
            [(model_id, key, np.asarray(v, np.float32).tobytes()) for key, v in items.items()],
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    *,
    batch_size: int = 32,
    on_progress: ProgressCallback | None = None,
    workers: EmbeddingWorkers | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts` in order, and how many had to be computed (by `workers` processes
    when given, else here by `embedder`)."""
    keys = [content_key(text) for text in texts]
    known = cache.get(embedder.model_id, keys)
    missing = [i for i, key in enumerate(keys) if key not in known]
    if on_progress and len(keys) - len(missing):
        on_progress(len(keys) - len(missing))
    batches = [missing[start : start + batch_size] for start in range(0, len(missing), batch_size)]
    with vectors_in_order(
        embedder, [[texts[i] for i in batch] for batch in batches], workers
    ) as results:
        for batch, vectors in zip(batches, results, strict=True):
            computed = {keys[i]: vector for i, vector in zip(batch, vectors, strict=True)}
            cache.put(embedder.model_id, computed)  # committed per batch: a crash keeps the work
            known.update(computed)
            if on_progress:
                on_progress(len(batch))
    matrix = np.stack([known[key] for key in keys]) if keys else np.zeros((0, embedder.dimension))
    return matrix.astype(np.float32), len(missing)
