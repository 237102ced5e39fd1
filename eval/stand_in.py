"""Stand-in vectors for the scale benchmark: filler passages get a cheap deterministic unit vector
(a seeded hash of their text) instead of the model's, so a 100k or 1M synthetic corpus can be
indexed in minutes rather than hours; the passages that hold planted facts, and every question,
still go through the real model.

Stand-in vectors carry no meaning: they are near-orthogonal to every real question, so dense
search finds the planted passages more easily than it would among real vectors. What a run
with them measures is the cost of the stores (lexical search, the vector index, memory, size)
at that size, not the model's recall among look-alike passages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.embed.base import Embedder, normalise_rows


def stand_in_vector(text: str, dimension: int) -> np.ndarray:
    """The same unit vector for the same text, every run and on every machine."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(dimension).astype(np.float32)
    return vector / np.linalg.norm(vector)


class StandInEmbedder:
    """Embeds with the real model only the passages `is_real` picks; the others get
    `stand_in_vector`. Questions always use the real model."""

    def __init__(self, embedder: Embedder, is_real: Callable[[str], bool]) -> None:
        self.inner = embedder
        self.backend = embedder.backend
        self.model_id = embedder.model_id  # the index must open with the real query embedder
        self.dimension = embedder.dimension
        self._is_real = is_real
        self.real_passages = 0
        self.stand_in_passages = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        real = [i for i, text in enumerate(texts) if self._is_real(text)]
        if real:
            vectors[real] = normalise_rows(self.inner.embed_passages([texts[i] for i in real]))
        chosen = set(real)
        for i, text in enumerate(texts):
            if i not in chosen:
                vectors[i] = stand_in_vector(text, self.dimension)
        self.real_passages += len(real)
        self.stand_in_passages += len(texts) - len(real)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


@dataclass(frozen=True)
class ContainingAny:
    """A passage text is real when it holds one of the planted facts' evidence strings (a class,
    not a closure, so that a build's worker processes can be sent it)."""

    needles: tuple[str, ...]

    def __call__(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)


def containing_any(evidence: Sequence[str]) -> ContainingAny:
    return ContainingAny(tuple(dict.fromkeys(evidence)))


@dataclass(frozen=True)
class StandInFactory:
    """A `StandInEmbedder` around a fresh real embedder, made when called: what each of a
    build's worker processes calls (`real` must pickle too: `service.engine.embedder_factory`)."""

    real: Callable[[], Embedder]
    is_real: ContainingAny

    def __call__(self) -> StandInEmbedder:
        return StandInEmbedder(self.real(), self.is_real)
