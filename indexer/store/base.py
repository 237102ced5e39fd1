"""The narrow interface retrieval and answering read an index through."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from indexer.manifest import Manifest
from indexer.models import Document, Figure, FigureContext, Passage, Reference, Table
from indexer.tokens import LexicalFields


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
        self,
        *,
        doc_id: str | None = None,
        passage_ids: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
    ) -> list[Figure]: ...

    def figure_contexts(
        self, *, doc_id: str | None = None, doc_ids: Sequence[str] | None = None
    ) -> list[FigureContext] | None:
        """What names each figure (index time, indexer/figure_records.py), in document order;
        None from a build made before contexts were stored. `doc_ids`: those of any of these
        documents."""

    def figure_contexts_at(
        self, positions: Sequence[tuple[str, int]]
    ) -> list[FigureContext] | None:
        """The contexts at these (document, position) places, a position counting from 0 in the
        document's order of `figure_contexts`; in document order, None as there."""

    def figures_at(self, spans: Sequence[tuple[str, int, int]]) -> list[Figure]:
        """The figures at these (document, start, end) spans, in document order."""

    def figure_index_counts(self, field: str) -> dict[str, int] | None:
        """How many records each key of one field of the figure candidate index holds
        (indexer/figure_index.py); None from a build made before the index was stored."""

    def figure_index_rows(
        self, field: str, keys: Sequence[str] | None = None
    ) -> dict[str, bytes] | None:
        """The record numbers (int32 arrays) of these keys of one field, or of every key; keys
        the field lacks are left out; None from a build made before the index was stored."""

    def references(
        self, *, doc_id: str | None = None, code: str | None = None
    ) -> list[Reference]: ...

    def tables(self, *, doc_id: str | None = None) -> list[Table]:
        """The tables put back together at index time, in document order (by document, then
        offset); none from a build made before tables were stored."""

    def name_forms(self) -> dict[str, str]: ...

    def document_counts(self) -> dict[str, dict[str, int]]: ...

    def close(self) -> None: ...


class IndexWriter(Protocol):
    """Fills one new build; nothing of it is visible to readers until it is published."""

    def add_document(
        self,
        document: Document,
        passages: Sequence[Passage],
        lexical: Sequence[LexicalFields],
        figures: Sequence[Figure],
        references: Sequence[Reference],
        tables: Sequence[Table] = (),
        contexts: Sequence[FigureContext] = (),
    ) -> None: ...

    def add_names(self, forms: dict[str, tuple[str, int]]) -> None: ...

    def finish(self, vectors: np.ndarray) -> None:
        """Write the vectors (one row per passage, in insertion order) and make the build whole."""

    def checksums(self) -> dict[str, str]:
        """What the manifest records to detect later damage (file → sha256); may be empty."""


@dataclass(frozen=True)
class OpenIndex:
    """The build one reader answers from, opened and checked."""

    build_id: str  # changes with every published build
    where: str  # for people: the folder or the database schema
    manifest: Manifest
    store: IndexStore
    directory: Path | None = None  # the build folder, for the embedded store


Writer = TypeVar("Writer", bound=IndexWriter)


class IndexLocation(Protocol[Writer]):
    """Where builds live and which one is current: a folder with a `current` link, or a
    PostgreSQL database. Builds are published atomically; readers see the old or the new. A
    location publishes and discards only builds its own writer made (`Writer`)."""

    def describe(self) -> str: ...

    def where(self, build_id: str) -> str:
        """For people: the build folder, or the database and the build's schema."""

    def build_directory(self, build_id: str) -> Path | None:
        """The folder holding the build's files; None when the build lives in a database."""

    def lock(self) -> AbstractContextManager[None]:
        """Held for a whole build: one builder at a time, across processes (and machines)."""

    def current_build(self) -> str | None: ...

    def current_manifest(self) -> Manifest | None:
        """The current build's manifest; None when there is no current build. A manifest that
        cannot be read raises `IndexCorruptError` (naming `healthqa index --rebuild`)."""

    def new_writer(self, dimension: int) -> Writer: ...

    def publish(self, writer: Writer, manifest: Manifest) -> str:
        """Make the finished build current (atomically), drop old ones; returns its build id."""

    def discard(self, writer: Writer) -> None: ...

    def open(self, model_id: str, *, verify: bool = True) -> OpenIndex: ...

    def size_bytes(self) -> int:
        """Space the current build takes (files or tables and their indexes)."""
