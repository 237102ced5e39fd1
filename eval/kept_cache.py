"""Embedding caches kept between throw-away indexes (ablation, public sets, scale runs).

A fresh index folder is seeded with the vectors of kept caches before it is built, so only new
passages are embedded, and what its build embedded is merged back into the kept cache after.
Both are the indexer's own cache files (`embedding-cache.sqlite`, keyed by model and content).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

from indexer.build import CACHE_FILE, BuildReport, Chunking, build_index
from indexer.embed.base import Embedder
from indexer.embed.cache import EmbeddingCache

DEFAULT_CACHE_DIR = Path("var/bench-cache")
KEPT_CACHE_FILE = "embedding-cache.sqlite"


def build_throwaway_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    seeds: Sequence[Path] = (),
    keep_into: Path | None = None,
    chunking: Chunking = "structure",
    progress: bool = False,
    store: str | None = None,
    workers: int = 1,
    worker_embedder: Callable[[], Embedder] | None = None,
) -> BuildReport:
    """Build an index that only an evaluation reads: its cache is seeded from `seeds` first and
    what it embedded is merged into `keep_into` after, even when the build is cut short. With
    `store` (a postgresql:// URL) the index goes into that database; the cache stays here.
    With `workers` > 1 and a `worker_embedder` factory (it must pickle, as `build_index` says),
    documents are processed and passages embedded in that many processes, each making its own
    embedder, the same as `embedder`; otherwise everything runs here, with `embedder`."""
    seed_index_cache(index_dir, [*seeds, *([keep_into] if keep_into else [])])
    try:
        return build_index(
            corpus_dir,
            index_dir,
            worker_embedder if worker_embedder is not None else lambda: embedder,
            model_id=embedder.model_id,
            chunking=chunking,
            force=True,
            progress=progress,
            store=store,
            workers=workers if worker_embedder is not None else 1,
        )
    finally:
        if keep_into is not None:
            keep_index_cache(index_dir, keep_into)


def seed_index_cache(index_dir: Path, sources: Sequence[Path]) -> int:
    """Copy the first existing source into `index_dir`'s cache and merge the others in; returns
    how many vectors the seeded cache holds."""
    index_dir.mkdir(parents=True, exist_ok=True)
    target = index_dir / CACHE_FILE
    existing = [path for path in sources if path.is_file()]
    if not existing:
        return 0
    if not target.exists():
        shutil.copyfile(existing[0], target)
        existing = existing[1:]
    for source in existing:
        merge_cache(source, target)
    return _count(target)


def keep_index_cache(index_dir: Path, kept: Path) -> int:
    """Merge what `index_dir`'s cache holds into the kept cache; returns the kept cache's size."""
    source = index_dir / CACHE_FILE
    if source.is_file():
        merge_cache(source, kept)
    return _count(kept) if kept.exists() else 0


def merge_cache(source: Path, target: Path) -> None:
    """Insert every vector of `source` that `target` lacks (creating `target` if needed)."""
    EmbeddingCache(target).close()  # creates the file and table the indexer expects
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("ATTACH DATABASE ? AS other", (str(source),))
        with connection:
            connection.execute(
                "INSERT OR IGNORE INTO main.embeddings SELECT model_id, key, vector "
                "FROM other.embeddings"
            )
        connection.execute("DETACH DATABASE other")


def _count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM embeddings").fetchone()[0])
