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
from itertools import groupby

import numpy as np

from indexer.figure_index import (
    DOCUMENT,
    PASSAGE,
    SCOPE,
    TERM,
    YEAR,
    DocumentRecords,
    FigureIndexBuilder,
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
# (field, keys or None for all) → {key: stored numbers}, None where no index was stored
Rows = Callable[[str, Sequence[str] | None], Mapping[str, bytes] | None]


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
    def of_records(cls, records: Iterable[FigureRecord]) -> CandidateIndex:
        """Built by walking every record once, in number order (a document's records together):
        for a build made before the index was stored, keyed as the build keys them."""
        builder = FigureIndexBuilder()
        documents: dict[str, Document] = {}
        for doc_id, in_document in groupby(records, key=lambda r: r.document.doc_id):
            held = list(in_document)
            documents[doc_id] = held[0].document
            builder.add_records(doc_id, held)
        table = builder.table()
        layout = document_layout(table.get(DOCUMENT, {}))
        return cls._of_rows(
            counts={key: len(numbers) // 4 for key, numbers in table.get(TERM, {}).items()},
            rows=partial(_looked_up, table),
            layout=layout,
            documents=documents,
        )

    @classmethod
    def of_store(
        cls,
        store: IndexStore,
        documents: Mapping[str, Document],
        layout: Mapping[str, DocumentRecords] | None = None,
    ) -> CandidateIndex | None:
        """The build's stored candidate index; None for a build made before it was stored.
        `layout`: the stored document layout where the caller has read it already."""
        counts = store.figure_index_counts(TERM)
        if counts is None:
            return None
        if layout is None:
            layout_rows = store.figure_index_rows(DOCUMENT)
            if layout_rows is None:
                return None
            layout = document_layout(layout_rows)
        return cls._of_rows(
            counts=counts, rows=store.figure_index_rows, layout=layout, documents=documents
        )

    @classmethod
    def _of_rows(
        cls,
        *,
        counts: Mapping[str, int],
        rows: Rows,
        layout: Mapping[str, DocumentRecords],
        documents: Mapping[str, Document],
    ) -> CandidateIndex:
        """The index over stored rows: key counts, layout, years and places held; term and
        passage postings read per question."""
        years = rows(YEAR, None) or {}
        scopes = rows(SCOPE, None) or {}
        return cls(
            counts=counts,
            postings=partial(_decoded_rows, rows, TERM),
            by_passage=partial(_decoded_rows, rows, PASSAGE),
            documents=[_DocumentFacets.of(documents[doc_id]) for doc_id in layout],
            document_of=np.repeat(
                np.arange(len(layout), dtype=np.int32), [d.count for d in layout.values()]
            ),
            years=decoded(years.get("", b"")),
            scopes={scope: decoded(numbers) for scope, numbers in scopes.items()},
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


def _looked_up(
    table: Mapping[str, Mapping[str, bytes]], field: str, keys: Sequence[str] | None
) -> dict[str, bytes]:
    held = table.get(field, {})
    if keys is None:
        return dict(held)
    return {key: held[key] for key in keys if key in held}


def _decoded_rows(rows: Rows, field: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    if not keys:
        return {}
    return {key: decoded(numbers) for key, numbers in (rows(field, keys) or {}).items()}
