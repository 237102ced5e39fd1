"""Which figure records a question's ranking scores: on a small corpus all of them, on a large
one the records that can compete (retrieve, then rank).

Scoring a record takes its fields cut into syllable sets, which cost tens of kilobytes a record:
held for every record of a national corpus they outgrow a service process, and scored for every
record of a province they take seconds. So records are found through an inverted index (syllable
key → record numbers, passage → record numbers), built with the index and stored in it
(indexer/figure_index.py), read a question's keys at a time; the facets the ranker filters on
(document, place, year) are held as arrays, a few bytes a record. A question's candidates are
the records of its retrieved passages, the records in scope that share the most IDF weight with
its terms, and the best-matching records the facets rule out (their lead tells the ranker that
the documents hold the figure for another place or year). Below `SCORE_ALL_UP_TO` records every
record is a candidate, so the ranking is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from indexer.figure_index import (
    DOCUMENT,
    NO_YEAR,
    PASSAGE,
    SCOPE,
    TERM,
    YEAR,
    decoded,
    document_layout,
)
from indexer.figure_records import FigureRecord
from indexer.models import Document
from indexer.store.base import IndexStore
from indexer.tokens import fold

# Up to this many records the ranker scores every record (a provincial corpus: the seeds hold
# 470). Above it, the best IN_SCOPE records by shared term weight are scored, and the best
# OUT_OF_SCOPE of those the question's place or year rules out.
SCORE_ALL_UP_TO = 2_000
IN_SCOPE = 400
OUT_OF_SCOPE = 100


@dataclass(frozen=True)
class Facets:
    """What a question restricts records to (folded places, years, documents)."""

    places: frozenset[str]
    years: frozenset[int]
    doc_ids: Collection[str] | None = None


Postings = Callable[[Sequence[str]], Mapping[str, np.ndarray]]


class CandidateIndex:
    """Record numbers by syllable key, by passage and by facet. The postings are read when a
    question needs them: from the store's candidate index (indexer/figure_index.py), or from
    dictionaries built by walking every record once (a build made before the index was
    stored); the facets (a record's document and year, a few bytes a record) are held."""

    def __init__(
        self,
        *,
        counts: Mapping[str, int],
        postings: Postings,
        by_passage: Postings,
        documents: Sequence[_DocumentFacets],
        document_of: np.ndarray,
        years: np.ndarray,
        scopes: Mapping[str, np.ndarray],
    ) -> None:
        self._counts = counts
        self._postings = postings
        self._by_passage = by_passage
        self._documents = list(documents)
        self._document_of = document_of
        self._years = years
        self._scopes = scopes
        self.size = len(document_of)

    @classmethod
    def of_records(cls, keyed: Iterable[tuple[FigureRecord, frozenset[str]]]) -> CandidateIndex:
        """`keyed`: every record, in number order, with its syllable keys; walked once."""
        postings: dict[str, list[int]] = {}
        document_numbers: dict[str, int] = {}
        facets: list[_DocumentFacets] = []
        documents: list[int] = []
        years: list[int] = []
        scopes: dict[str, list[int]] = {}
        by_passage: dict[str, list[int]] = {}
        for number, (record, keys) in enumerate(keyed):
            for key in keys:
                postings.setdefault(key, []).append(number)
            doc_id = record.document.doc_id
            if doc_id not in document_numbers:
                document_numbers[doc_id] = len(facets)
                facets.append(_DocumentFacets.of(record.document))
            documents.append(document_numbers[doc_id])
            years.append(NO_YEAR if record.figure.year is None else record.figure.year)
            scope = fold(record.figure.scope or "")
            if scope:
                scopes.setdefault(scope, []).append(number)
            by_passage.setdefault(record.passage.passage_id, []).append(number)
        held = _arrays(postings)
        in_passages = _arrays(by_passage)
        return cls(
            counts={key: len(found) for key, found in held.items()},
            postings=partial(_looked_up, held),
            by_passage=partial(_looked_up, in_passages),
            documents=facets,
            document_of=np.asarray(documents, dtype=np.int32),
            years=np.asarray(years, dtype=np.int32),
            scopes=_arrays(scopes),
        )

    @classmethod
    def of_store(
        cls, store: IndexStore, documents: Mapping[str, Document]
    ) -> CandidateIndex | None:
        """The build's stored candidate index; None for a build made before it was stored."""
        counts = store.figure_index_counts(TERM)
        layout_rows = store.figure_index_rows(DOCUMENT)
        if counts is None or layout_rows is None:
            return None
        layout = document_layout(layout_rows)
        year_rows = store.figure_index_rows(YEAR) or {}
        scope_rows = store.figure_index_rows(SCOPE) or {}
        return cls(
            counts=counts,
            postings=partial(_stored, store, TERM),
            by_passage=partial(_stored, store, PASSAGE),
            documents=[_DocumentFacets.of(documents[doc_id]) for doc_id in layout],
            document_of=np.repeat(
                np.arange(len(layout), dtype=np.int32), [d.count for d in layout.values()]
            ),
            years=decoded(year_rows.get("", b"")),
            scopes={scope: decoded(numbers) for scope, numbers in scope_rows.items()},
        )

    def frequency(self, key: str) -> int:
        """How many records hold the key in any field."""
        return self._counts.get(key, 0)

    def keys(self) -> Iterable[str]:
        return self._counts.keys()

    def candidates(
        self,
        weighted_keys: Sequence[tuple[str, float]],
        facets: Facets,
        passage_ids: Iterable[str],
        *,
        other_facets: Sequence[Facets] = (),
    ) -> np.ndarray:
        """Record numbers to score, ascending (the order a full scan would visit them in).
        `weighted_keys`: the question's syllable keys with their IDF; `other_facets`: the other
        sides of a comparison, whose records count as in scope too."""
        if self.size <= SCORE_ALL_UP_TO:
            return self.everything(facets)
        shared = np.zeros(self.size, dtype=np.float64)
        postings = self._postings([key for key, _ in weighted_keys])
        for key, weight in weighted_keys:
            found = postings.get(key)
            if found is not None:
                shared[found] += weight
        usable = self._allowed_documents(facets.doc_ids)[self._document_of]
        in_scope = self._in_scope(facets)
        for other in other_facets:
            in_scope |= self._in_scope(other)
        chosen = [
            _best(shared, usable & in_scope, IN_SCOPE),
            _best(shared, usable & ~in_scope, OUT_OF_SCOPE),
        ]
        for found in self._by_passage(list(dict.fromkeys(passage_ids))).values():
            chosen.append(found[usable[found]])
        return np.unique(np.concatenate(chosen))

    def everything(self, facets: Facets) -> np.ndarray:
        """Every record of the allowed documents, ascending."""
        return np.flatnonzero(self._allowed_documents(facets.doc_ids)[self._document_of])

    def _allowed_documents(self, doc_ids: Collection[str] | None) -> np.ndarray:
        if doc_ids is None:
            return np.ones(len(self._documents), dtype=bool)
        return np.array([d.doc_id in doc_ids for d in self._documents], dtype=bool)

    def _in_scope(self, facets: Facets) -> np.ndarray:
        """The ranker's facets over every record at once: a record of another place (the
        document's, or a place its own scope names) or of another stated year is out; a
        district's record does not answer a question about its province."""
        if facets.places:
            named = np.array([bool(d.places & facets.places) for d in self._documents], dtype=bool)
            excluded = np.array(
                [d.district_level and d.district not in facets.places for d in self._documents],
                dtype=bool,
            )
            place = named[self._document_of]
            for scope, numbers in self._scopes.items():
                if any(p in scope for p in facets.places):
                    place[numbers] = True
            place &= ~excluded[self._document_of]
        else:
            place = np.ones(self.size, dtype=bool)
        if facets.years:
            years = np.fromiter(facets.years, dtype=np.int32)
            place &= (self._years < 0) | np.isin(self._years, years)
        return place


@dataclass(frozen=True)
class _DocumentFacets:
    doc_id: str
    places: frozenset[str]  # folded province and district
    district_level: bool
    district: str  # folded, "" when none

    @classmethod
    def of(cls, document: Document) -> _DocumentFacets:
        attributes = document.attributes
        return cls(
            document.doc_id,
            frozenset(fold(p) for p in (attributes.province, attributes.district) if p),
            attributes.district is not None,
            fold(attributes.district or ""),
        )


def _best(shared: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
    """The `count` masked records sharing the most weight (all of them when fewer)."""
    numbers = np.flatnonzero(mask)
    if len(numbers) <= count:
        return numbers
    top = np.argpartition(-shared[numbers], count - 1)[:count]
    return numbers[top]


def _looked_up(held: Mapping[str, np.ndarray], keys: Sequence[str]) -> dict[str, np.ndarray]:
    return {key: held[key] for key in keys if key in held}


def _stored(store: IndexStore, field: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    if not keys:
        return {}
    return {
        key: decoded(numbers)
        for key, numbers in (store.figure_index_rows(field, keys) or {}).items()
    }


def _arrays(lists: dict[str, list[int]]) -> dict[str, np.ndarray]:
    return {key: np.asarray(found, dtype=np.int32) for key, found in lists.items()}
