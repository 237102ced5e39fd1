"""Any sentence-transformers model, by hub name (already in the local cache) or local path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.deadline import check_deadline
from indexer.embed.base import normalise_rows

# sentence-transformers truncates to the model's max_seq_length (one window); the tokenizer still
# reads the whole text first, so a query is cut to this many characters before it.
QUERY_CHARS_PER_TOKEN = 4


class EmbedderLoadError(RuntimeError):
    """The model cannot be loaded offline; the message says where it was looked for."""


class SentenceTransformerEmbedder:
    backend = "sentence-transformers"

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        batch_size: int = 32,
    ) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as error:  # the hub client raises several types when offline
            raise EmbedderLoadError(
                f"cannot load sentence-transformers model {model!r} offline: give a local "
                f"folder or a model already in the Hugging Face cache ({error})"
            ) from error
        # e5-family models were trained with these prefixes; others without.
        expects_e5_prefixes = "e5" in Path(model).name.lower()
        self._query_prefix = (
            query_prefix if query_prefix is not None else ("query: " if expects_e5_prefixes else "")
        )
        self._passage_prefix = (
            passage_prefix
            if passage_prefix is not None
            else ("passage: " if expects_e5_prefixes else "")
        )
        self._batch_size = batch_size
        self.model_id = stable_model_id(model)
        self.dimension = int(self._model.get_embedding_dimension())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            [self._passage_prefix + text for text in texts],
            batch_size=self._batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return normalise_rows(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        check_deadline()  # abandoned requests stop before the costliest step
        limit = QUERY_CHARS_PER_TOKEN * int(self._model.max_seq_length or 512)
        vector = self._model.encode((self._query_prefix + text)[:limit], convert_to_numpy=True)
        return normalise_rows(vector)


def stable_model_id(model: str) -> str:
    """A hub name as given; a local folder by its last two path parts (same on every machine)."""
    path = Path(model)
    name = "/".join(path.resolve().parts[-2:]) if path.exists() else model
    return f"sentence-transformers/{name}"
