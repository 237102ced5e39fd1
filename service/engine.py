"""The loaded index, embedder and retriever one process answers from, built from settings, and
the holder that swaps in a rebuilt one while requests go on."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from indexer.embed.base import Embedder
from indexer.embed.factory import create_embedder, expected_model_id
from indexer.glossary import load_glossary
from indexer.reader import OpenIndex, open_index
from indexer.search import FusionWeights, Retriever, SearchMode
from service.qa.answer import Answerer
from service.qa.figure_ranker import RankerModel
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


def embedder_factory(settings: Settings) -> Callable[[], Embedder]:
    """The settings' embedder, made when called: a factory build workers can each call in their
    own process (it pickles, unlike a lambda over the settings)."""
    return partial(create_embedder, settings.embedder, settings.embedding_model)


def load_engine(
    settings: Settings, embedder: Embedder | None = None, ranker_model: RankerModel | None = None
) -> Engine:
    """`ranker_model`: figure-ranker weights to use instead of the fitted ones in the service's
    data (fitting starts from neutral weights, whatever the stored file holds)."""
    index = open_index(
        settings.index_dir,
        model_id_for(settings),
        verify_checksums=settings.verify_checksums,
        store=settings.store,
    )
    embedder = embedder or make_embedder(settings)
    retriever = Retriever(
        index.store,
        embedder,
        load_glossary(),
        weights=FusionWeights(
            lexical=settings.lexical_weight,
            dense=settings.dense_weight,
            dense_min_spread=settings.dense_min_spread,
        ),
        fusion=settings.fusion,
    )
    return Engine(
        index=index,
        embedder=embedder,
        retriever=retriever,
        answerer=Answerer(retriever, index.store, ranker_model),
        default_mode=settings.search_mode,
    )


class EngineHolder:
    """The engine requests answer from, replaced whole after a rebuild. A request keeps the engine
    it started with; a replaced engine this holder owns is closed when its last request ends. An
    engine handed in from outside (tests share one) is never closed here."""

    def __init__(self, engine: Engine, *, owned: bool) -> None:
        self._lock = threading.Lock()
        self._current = engine
        self._owned: set[int] = {id(engine)} if owned else set()
        self._in_use: Counter[int] = Counter()
        self._retired: dict[int, Engine] = {}

    @property
    def current(self) -> Engine:
        return self._current

    @contextmanager
    def lease(self) -> Iterator[Engine]:
        with self._lock:
            engine = self._current
            self._in_use[id(engine)] += 1
        try:
            yield engine
        finally:
            with self._lock:
                self._in_use[id(engine)] -= 1
                idle = self._in_use[id(engine)] <= 0
                if idle:
                    del self._in_use[id(engine)]
                closing = idle and self._retired.pop(id(engine), None) is not None
            if closing:
                engine.close()

    def swap(self, engine: Engine) -> Engine:
        """Make `engine` (owned from now on) current; returns the one it replaced."""
        with self._lock:
            old = self._current
            self._current = engine
            self._owned.add(id(engine))
            closing = False
            if id(old) in self._owned and old is not engine:
                self._owned.discard(id(old))
                closing = self._in_use[id(old)] <= 0
                if not closing:
                    self._retired[id(old)] = old
        if closing:
            old.close()
        return old

    def close(self) -> None:
        with self._lock:
            engines = list(self._retired.values())
            if id(self._current) in self._owned:
                engines.append(self._current)
            self._retired.clear()
        for engine in engines:
            engine.close()
