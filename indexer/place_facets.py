"""Places as facets of a search: which documents a question's lexical list ranks, which of the
places it names leave its words, and how well a document's place fits the question.

A place named in dozens of documents outweighs, as a word, the indicator asked about (every
letterhead of the province then outranks the answer), so the places a question names select
documents instead of matching words. A district is finer than its province's documents: its name
stays a word, and its province's own documents are ranked with its own, since a provincial
report's tables give each district's row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from indexer.models import Document
from indexer.scope import QueryScope, place_fit, places_of
from indexer.tokens import fold


class PlaceFacets:
    """The documents of each place of a corpus, built once."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._of_place: dict[str, list[str]] = {}  # folded province or district → doc ids
        # folded province → its documents above district level
        self._province_own: dict[str, list[str]] = {}
        self._placeless: list[str] = []  # national texts
        self._province_of_district: dict[str, str] = {}
        for document in documents:
            attributes = document.attributes
            places = places_of(document)
            for place in places:
                self._of_place.setdefault(place, []).append(document.doc_id)
            if not places:
                self._placeless.append(document.doc_id)
            if attributes.province and attributes.district:
                self._province_of_district[fold(attributes.district)] = fold(attributes.province)
            elif attributes.province:
                self._province_own.setdefault(fold(attributes.province), []).append(document.doc_id)

    def lexical_documents(
        self, scope: QueryScope, doc_ids: Sequence[str] | None
    ) -> list[str] | None:
        """The documents the lexical list ranks (within `doc_ids` when given): when the question
        names corpus places, theirs, the national texts and, for a district, its province's own
        documents; otherwise `doc_ids` as they are."""
        if not scope.places:
            return None if doc_ids is None else list(doc_ids)
        chosen = set(self._placeless)
        for place in scope.places:
            key = fold(place)
            chosen.update(self._of_place.get(key, ()))
            if key in self._province_of_district:
                chosen.update(self._province_own.get(self._province_of_district[key], ()))
        if doc_ids is not None:
            chosen.intersection_update(doc_ids)
        return sorted(chosen)

    def cut_from_words(self, scope: QueryScope) -> tuple[str, ...]:
        """The places the lexical query leaves out: every place named but a district, whose
        name is what tells its row in its province's tables from the other districts'."""
        return tuple(p for p in scope.named_places if fold(p) not in self._province_of_district)

    def fit(self, scope: QueryScope, document: Document) -> float:
        """`place_fit`, except that a district's document neither fits nor misses a question
        about its province (0.5, as for a question naming no place): it is of the province, but
        its figures do not answer for the province."""
        fit = place_fit(scope, places_of(document))
        district = document.attributes.district
        if fit == 1.0 and district and fold(district) not in {fold(p) for p in scope.places}:
            return 0.5
        return fit
