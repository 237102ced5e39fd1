"""Index build time: cold (fresh folder, empty embedding cache), warm (nothing changed) and a
forced rebuild whose vectors all come from the cache; plus the size of the index on disk."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eval.throughput import TimedEmbedder
from indexer.build import build_index
from indexer.embed.base import Embedder
from indexer.store.folder import folder_bytes


@dataclass(frozen=True)
class BuildTimes:
    corpus: str
    documents: int
    passages: int
    cold_seconds: float  # includes creating the embedder, as `healthqa index` on a fresh machine
    cold_embed_seconds: float  # the part of it spent embedding
    warm_seconds: float  # the up-to-date check when nothing changed
    cached_rebuild_seconds: float  # everything re-processed, every vector from the cache
    index_mb: float


def folder_mb(folder: Path) -> float:
    return round(folder_bytes(folder) / 2**20, 2)


def time_builds(
    corpus_dir: Path,
    embedder_factory: Callable[[], Embedder],
    *,
    model_id: str,
    work_dir: Path | None = None,
) -> BuildTimes:
    timed: list[TimedEmbedder] = []

    def factory() -> Embedder:
        timed.append(TimedEmbedder(embedder_factory()))
        return timed[-1]

    with tempfile.TemporaryDirectory(prefix="healthqa-build-", dir=work_dir) as temporary:
        index_dir = Path(temporary) / "index"
        cold = build_index(corpus_dir, index_dir, factory, model_id=model_id, progress=False)
        started = time.perf_counter()
        warm = build_index(corpus_dir, index_dir, factory, model_id=model_id, progress=False)
        warm_seconds = time.perf_counter() - started
        assert warm.status == "up-to-date", "an unchanged corpus must not be rebuilt"
        rebuilt = build_index(
            corpus_dir, index_dir, factory, model_id=model_id, force=True, progress=False
        )
        return BuildTimes(
            corpus=str(corpus_dir),
            documents=cold.documents,
            passages=cold.passages,
            cold_seconds=round(cold.seconds, 2),
            cold_embed_seconds=round(timed[0].seconds, 2),
            warm_seconds=round(warm_seconds, 3),
            cached_rebuild_seconds=round(rebuilt.seconds, 2),
            index_mb=folder_mb(cold.directory),
        )
