"""The loaded index, embedder and retriever one process answers from, built from settings."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.embed.base import Embedder
from indexer.embed.factory import create_embedder, expected_model_id
from indexer.glossary import load_glossary
from indexer.reader import OpenIndex, open_index
from indexer.search import FusionWeights, Retriever, SearchMode
from service.answer import Answerer
from service.settings import Settings


@dataclass
class Engine:
    index: OpenIndex
    embedder: Embedder
    retriever: Retriever
    answerer: Answerer
    default_mode: SearchMode = "hybrid"

    def close(self) -> None:
        self.index.store.close()


def model_id_for(settings: Settings) -> str:
    return expected_model_id(settings.embedder, settings.embedding_model)


def make_embedder(settings: Settings) -> Embedder:
    return create_embedder(settings.embedder, settings.embedding_model)


def load_engine(settings: Settings, embedder: Embedder | None = None) -> Engine:
    index = open_index(
        settings.index_dir, model_id_for(settings), verify_checksums=settings.verify_checksums
    )
    embedder = embedder or make_embedder(settings)
    retriever = Retriever(
        index.store,
        embedder,
        load_glossary(),
        weights=FusionWeights(lexical=settings.lexical_weight, dense=settings.dense_weight),
        fusion=settings.fusion,
    )
    return Engine(
        index=index,
        embedder=embedder,
        retriever=retriever,
        answerer=Answerer(retriever, index.store),
        default_mode=settings.search_mode,
    )
