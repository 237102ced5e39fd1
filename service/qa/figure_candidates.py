"""Which figure records a question's ranking scores: on a small corpus all of them, on a large
one the records that can compete (retrieve, then rank).

Scoring a record takes its fields cut into syllable sets, which cost tens of kilobytes a record:
held for every record of a national corpus they outgrow a service process, and scored for every
record of a province they take seconds. So records are kept in an inverted index (syllable key →
record numbers, a few bytes a record) and the facets the ranker filters on (document, place,
year) as arrays; a question's candidates are the records of its retrieved passages, the records
in scope that share the most IDF weight with its terms, and the best-matching records the facets
rule out (their lead tells the ranker that the documents hold the figure for another place or
year). Below `SCORE_ALL_UP_TO` records every record is a candidate, so the ranking is exact.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.figure_records import FigureRecord
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


class CandidateIndex:
    """Record numbers by syllable key and by facet, for records given once, in order."""

    def __init__(self, keyed: Iterable[tuple[FigureRecord, frozenset[str]]]) -> None:
        """`keyed`: every record, in number order, with its syllable keys; walked once."""
        postings: dict[str, list[int]] = {}
        document_numbers: dict[str, int] = {}
        self._documents: list[_DocumentFacets] = []
        documents: list[int] = []
        years: list[int] = []
        scopes: dict[str, list[int]] = {}
        by_passage: dict[str, list[int]] = {}
        for number, (record, keys) in enumerate(keyed):
            for key in keys:
                postings.setdefault(key, []).append(number)
            doc_id = record.document.doc_id
            if doc_id not in document_numbers:
                document_numbers[doc_id] = len(self._documents)
                self._documents.append(_DocumentFacets.of(record))
            documents.append(document_numbers[doc_id])
            years.append(-1 if record.figure.year is None else record.figure.year)
            scope = fold(record.figure.scope or "")
            if scope:
                scopes.setdefault(scope, []).append(number)
            by_passage.setdefault(record.passage.passage_id, []).append(number)
        self.size = len(documents)
        self._postings = _arrays(postings)
        self._document_of = np.asarray(documents, dtype=np.int32)
        self._years = np.asarray(years, dtype=np.int32)
        self._scopes = _arrays(scopes)
        self._by_passage = _arrays(by_passage)

    def frequency(self, key: str) -> int:
        """How many records hold the key in any field."""
        found = self._postings.get(key)
        return 0 if found is None else len(found)

    def keys(self) -> Iterable[str]:
        return self._postings.keys()

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
        for key, weight in weighted_keys:
            found = self._postings.get(key)
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
        for passage_id in passage_ids:
            found = self._by_passage.get(passage_id)
            if found is not None:
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
    def of(cls, record: FigureRecord) -> _DocumentFacets:
        attributes = record.document.attributes
        return cls(
            record.document.doc_id,
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


def _arrays(lists: dict[str, list[int]]) -> dict[str, np.ndarray]:
    return {key: np.asarray(found, dtype=np.int32) for key, found in lists.items()}
