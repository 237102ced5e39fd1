"""A corpus's figure records as a service process reads them: from the store when a question needs
them, through a cache bounded in records, never held whole for a large corpus.

Records are numbered in the order the build added their documents, then in their document's
order of stored contexts: the numbering of the candidate index stored with the build
(indexer/figure_index.py). A build made before that index was stored numbers them in the order
of the documents handed in, fixed by the first walk over every record (which builds the
ranker's candidate index then). A corpus whose records fit the cache (a province's: the
seeds hold 471) is read once and kept; a national one is read per question, only the records the
question's candidates are, by their (document, position), in one round of three statements.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

import numpy as np

from indexer.figure_index import DOCUMENT, DocumentRecords, document_layout
from indexer.figure_records import FigureRecord, assemble_records, build_records
from indexer.models import Document, FigureContext
from indexer.store.base import IndexStore

# The records kept read between questions (a national corpus holds 10⁵–10⁶).
CACHED_RECORDS = 20_000
# What one round of statements reads when the shelf is walked whole: documents the first time
# (to number their records), records after.
DOCUMENTS_PER_READ = 64
RECORDS_PER_READ = 2_048


class RecordShelf(Sequence[FigureRecord]):
    """Every figure record of `documents`, by number, read from `store` when asked for."""

    def __init__(
        self,
        store: IndexStore,
        documents: Mapping[str, Document],
        *,
        cached_records: int | None = None,
    ) -> None:
        self._store = store
        self._documents = documents
        self._limit = CACHED_RECORDS if cached_records is None else cached_records
        self._cache: OrderedDict[int, FigureRecord] = OrderedDict()
        self._lock = threading.Lock()  # requests share the shelf across threads
        # where each document's records start: the build's numbering where it stored one
        # (indexer/figure_index.py), else known once the shelf has been walked whole
        self._known_starts: np.ndarray | None = None
        self._doc_ids = list(documents)
        stored = store.figure_index_rows(DOCUMENT)
        # the build's numbering of its documents' records, None for a build made before
        self.layout: dict[str, DocumentRecords] | None = None
        if stored is not None:
            self.layout = layout = document_layout(stored)
            self._doc_ids = [*layout, *(d for d in documents if d not in layout)]
            counts = [layout[d].count if d in layout else 0 for d in self._doc_ids]
            self._known_starts = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        self._position = {doc_id: n for n, doc_id in enumerate(self._doc_ids)}
        # documents read whole, never record by record: a record's number there is not its
        # context's position (a build without stored contexts, or a context left without its
        # figure or passage)
        self._whole: set[str] = set()

    @property
    def _starts(self) -> np.ndarray:
        if self._known_starts is None:
            for _ in self:  # the first walk numbers the records
                pass
        assert self._known_starts is not None
        return self._known_starts

    def __len__(self) -> int:
        return int(self._starts[-1])

    def __getitem__(self, number: int) -> FigureRecord:  # type: ignore[override]
        if not -len(self) <= number < len(self):
            raise IndexError(f"record {number} of {len(self)}")
        number %= len(self)
        return self._held([number])[number]

    def __iter__(self) -> Iterator[FigureRecord]:
        """Every record in number order, read a few documents' worth at a time."""
        if self._known_starts is None:
            yield from self._first_walk()
            return
        for first in range(0, len(self), RECORDS_PER_READ):
            numbers = range(first, min(first + RECORDS_PER_READ, len(self)))
            held = self._held(numbers)
            yield from (held[n] for n in numbers)

    def _first_walk(self) -> Iterator[FigureRecord]:
        """Every record, whole documents at a time, numbered as they come (those that fit the
        cache kept); walked to its end, it fixes where each document's records start."""
        counts = []
        ids = iter(self._doc_ids)
        while batch := list(islice(ids, DOCUMENTS_PER_READ)):
            read = self._read_documents(batch)
            in_order = [record for doc_id in batch for record in read[doc_id]]
            self._keep(enumerate(in_order, start=sum(counts)))
            counts += [len(read[doc_id]) for doc_id in batch]
            yield from in_order
        self._known_starts = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))

    def prefetch(self, numbers: Iterable[int]) -> None:
        """Read the records the cache lacks among these, in one round."""
        self._held(int(n) for n in numbers)

    def of_document(self, doc_id: str) -> list[FigureRecord]:
        """The document's records in order ([] for a document with none, or not indexed)."""
        numbers = self.numbers_of(doc_id)
        held = self._held(numbers)
        return [held[n] for n in numbers]

    def numbers_of(self, doc_id: str) -> range:
        """The numbers of the document's records."""
        position = self._position.get(doc_id)
        if position is None:
            return range(0)
        return range(int(self._starts[position]), int(self._starts[position + 1]))

    def _held(self, numbers: Iterable[int]) -> dict[int, FigureRecord]:
        """These records: those the cache holds, the rest read in one round and kept, the least
        recently used dropped beyond the cache's size (never the ones just asked for)."""
        wanted = list(dict.fromkeys(numbers))
        held: dict[int, FigureRecord] = {}
        with self._lock:
            for number in wanted:
                found = self._cache.get(number)
                if found is not None:
                    self._cache.move_to_end(number)
                    held[number] = found
        missing = [n for n in wanted if n not in held]
        if missing:
            read = self._read_numbers(missing)
            held.update(read)
            self._keep(read.items(), protect=len(held))
        return held

    def _keep(self, records: Iterable[tuple[int, FigureRecord]], protect: int = 0) -> None:
        with self._lock:
            for number, record in records:
                self._cache[number] = record
                self._cache.move_to_end(number)
            while len(self._cache) > max(self._limit, protect):
                self._cache.popitem(last=False)

    def _read_numbers(self, numbers: Sequence[int]) -> dict[int, FigureRecord]:
        """Records by number: by their context's position, or their whole document's."""
        starts = self._starts
        documents = np.searchsorted(starts, np.asarray(numbers, dtype=np.int64), side="right") - 1
        by_document: dict[str, list[int]] = {}
        for number, document in zip(numbers, documents.tolist(), strict=True):
            by_document.setdefault(self._doc_ids[document], []).append(number)
        found: dict[int, FigureRecord] = {}
        whole = [doc_id for doc_id in by_document if doc_id in self._whole]
        for doc_id, records in self._read_documents(whole).items():
            first = int(starts[self._position[doc_id]])
            found.update((first + n, record) for n, record in enumerate(records))
        placed = {d: sorted(ns) for d, ns in by_document.items() if d not in self._whole}
        if placed:
            positions = [
                (doc_id, n - int(starts[self._position[doc_id]]))
                for doc_id, wanted in placed.items()
                for n in wanted
            ]
            records: dict[str, list[FigureRecord]] = {d: [] for d in placed}
            # placed documents have stored contexts (those without are read whole)
            contexts = self._store.figure_contexts_at(positions) or []
            for record in self._assemble(list(placed), contexts):
                records[record.document.doc_id].append(record)
            for doc_id, wanted in placed.items():
                found.update(zip(wanted, records[doc_id], strict=True))
        return found

    def _assemble(
        self, doc_ids: Sequence[str], contexts: Sequence[FigureContext]
    ) -> list[FigureRecord]:
        """The records of these contexts, read from the store."""
        figures = self._store.figures_at([(c.doc_id, c.start, c.end) for c in contexts])
        holding = self._store.passages(list(dict.fromkeys(c.passage_id for c in contexts)))
        documents = [self._documents[d] for d in doc_ids]
        return assemble_records(documents, holding, figures, contexts)

    def _read_documents(self, doc_ids: Sequence[str]) -> dict[str, list[FigureRecord]]:
        """Whole documents' records, in one round; notes the documents whose records cannot be
        read by their contexts' positions."""
        by_document: dict[str, list[FigureRecord]] = {d: [] for d in doc_ids}
        if not doc_ids:
            return by_document
        contexts = self._store.figure_contexts(doc_ids=doc_ids)
        if contexts is None:  # a build made before contexts were stored, while it is re-indexed
            documents = [self._documents[d] for d in doc_ids]
            passages = [p for doc_id in doc_ids for p in self._store.passages_of(doc_id)]
            figures = self._store.figures(doc_ids=doc_ids)
            records = build_records(documents, passages, figures)
            self._whole.update(doc_ids)
        else:
            records = self._assemble(doc_ids, contexts)
        for record in records:
            by_document[record.document.doc_id].append(record)
        if contexts is not None:
            stated: dict[str, int] = {}
            for context in contexts:
                stated[context.doc_id] = stated.get(context.doc_id, 0) + 1
            self._whole.update(d for d in doc_ids if stated.get(d, 0) != len(by_document[d]))
        return by_document
