"""The narrow interface retrieval and answering read an index through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from indexer.models import Document, Figure, Passage, Reference


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some documents; empty fields do not restrict."""

    doc_id: str | None = None
    place: str | None = None
    year: int | None = None
    doc_type: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.doc_id, self.place, self.year, self.doc_type))


@dataclass(frozen=True)
class LexicalQuery:
    """Terms per lexical field; each term is matched as a phrase."""

    syllables: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    folded: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.syllables or self.words or self.folded)


class IndexStore(Protocol):
    def documents(self) -> list[Document]: ...

    def document(self, doc_id: str) -> Document | None: ...

    def passages(self, passage_ids: Sequence[str]) -> list[Passage]: ...

    def passages_of(self, doc_id: str) -> list[Passage]: ...

    def passage_count(self) -> int: ...

    def lexical_search(
        self, query: LexicalQuery, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]: ...

    def dense_search(
        self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]: ...

    def figures(
        self, *, doc_id: str | None = None, passage_ids: Sequence[str] | None = None
    ) -> list[Figure]: ...

    def references(
        self, *, doc_id: str | None = None, code: str | None = None
    ) -> list[Reference]: ...

    def name_forms(self) -> dict[str, str]: ...

    def document_counts(self) -> dict[str, dict[str, int]]: ...

    def close(self) -> None: ...
