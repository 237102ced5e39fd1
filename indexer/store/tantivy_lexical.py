"""Lexical candidates from a tantivy index beside the FTS5 table, ranked exactly by FTS5's bm25().

FTS5 finds its top k by scoring every row any query phrase matches: at 100k passages a question
whose phrases include "tỷ lệ" or "năm" scores most of the corpus (the retriever's top 50 took
p50 ~160 ms / p95 ~600-840 ms with the pruning of fts5_top_k.py). tantivy keeps the same three
token fields in an inverted index and names k + EXTRA candidates from the phrases that weigh
something; those candidates are then scored as the full FTS5 query scores them
(`Fts5TopK.exact_top_k`), so their scores and order are FTS5's (p50 ~35 ms / p95 ~55-90 ms).
Each phrase is boosted to carry FTS5's idf, but tantivy still normalises a field by that field's
length, where FTS5 uses the row's total length, and applies the field weight outside the
saturation: a row FTS5 ranks in its top k could rank below tantivy's k + EXTRA and be missed.
Unlike fts5_top_k.py the result is not proven exact; `healthqa bench --scale` measures how often
it is the full query's (every planted and dev question at 100k, top 10 and top 50).
The PostgreSQL store takes its candidates from the same index (`TantivyCandidates`), stored in
the build's schema (postgres_tantivy.py), and ranks them from the passages' tsvectors.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import tantivy

from indexer.store.fts5_top_k import (
    COLUMNS,
    EXTRA,
    IDF_FLOOR,
    Fts5TopK,
    Phrase,
    idf,
    query_phrases,
    tokens,
)
from indexer.store.ranking import FIELD_WEIGHTS

LEXICAL_FOLDER = "lexical.tantivy"
ROWID = "rowid"  # the passage's FTS5 rowid, a fast field
# tantivy only pays off where FTS5 scores many rows per question. Lexical top 50 over the 231
# scale-run questions, p50 / p95 ms, FTS5's full query against tantivy's candidates rescored:
# 2k passages 7.8 / 17.1 against 9.5 / 18.5; 5k 18.5 / 42.3 against 10.2 / 19.8; 10k 38.7 / 83.0
# against 11.7 / 22.0 (same top 50 at each size). Below it the FTS5 path alone answers, so small
# corpora (the seed's 407 passages, every dev-set number) rank exactly as the full query does.
CANDIDATES_FROM_ROWS = 4_000
# memory the single indexing thread may fill before it writes a segment
WRITER_HEAP_BYTES = 256_000_000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field(ROWID, indexed=True, fast=True)
    for column in COLUMNS:
        # text goes in as FTS5's tokens joined by spaces (`fts5_top_k.tokens`), so a phrase
        # matches the same rows in both indexes and their row counts agree
        builder.add_text_field(column, tokenizer_name="whitespace", index_option="position")
    return builder.build()


class LexicalIndexWriter:
    """Writes (rowid, syllables, words, folded) rows, the text the FTS5 table holds, into a new
    tantivy folder one at a time, so a builder streams them instead of holding them."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=False)
        self.folder = folder
        self.written = 0
        index = tantivy.Index(_schema(), path=str(folder))
        # one indexing thread, one heap: what the index adds to the build's memory stays bounded
        self._writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)

    def add(self, rowid: int, syllables: str, words: str, folded: str) -> None:
        document = tantivy.Document()
        document.add_unsigned(ROWID, rowid)
        for column, text in zip(COLUMNS, (syllables, words, folded), strict=True):
            document.add_text(column, " ".join(tokens(text or "")))
        self._writer.add_document(document)
        self.written += 1

    def finish(self) -> int:
        """Commit and wait for merges; returns how many rows were written."""
        self._writer.commit()
        self._writer.wait_merging_threads()
        return self.written


def write_lexical_index(folder: Path, rows: Iterable[tuple[int, str, str, str]]) -> int:
    """Index (rowid, syllables, words, folded) rows into a new folder; returns how many rows
    were written."""
    writer = LexicalIndexWriter(folder)
    for row in rows:
        writer.add(*row)
    return writer.finish()


def lexical_files(folder: Path) -> list[Path]:
    """The files of a written index, for the build's checksums: its data, not the empty lock
    files tantivy leaves beside it."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".lock"))


class TantivyCandidates:
    """A read-only tantivy index of a build's lexical fields: how many rows each phrase matches,
    and the best rows of a question's phrases weighed as FTS5 weighs them. Both stores rank the
    candidates exactly afterwards. Safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        self._index = tantivy.Index.open(str(folder))
        self._searcher = self._index.searcher()
        self._schema = self._index.schema
        self._weights: dict[tuple[int, tuple[str, ...]], tuple[int, float]] = {}
        self._lock = threading.Lock()

    @property
    def rows(self) -> int:
        return self._searcher.num_docs

    def matching(self, phrase: Phrase) -> int:
        """Rows the phrase matches: its FTS5 row count (both indexes hold the same tokens)."""
        return self._weighed(phrase)[0]

    def candidates(
        self, phrases: Sequence[Phrase], limit: int, allowed: Collection[int] | None = None
    ) -> list[int]:
        """Rowids of tantivy's best `limit` rows for a boolean "should" of the phrases, each
        weighed as FTS5 weighs it (`_weighed`). A phrase in half of the rows or more weighs
        IDF_FLOOR there: it can only part rows the other phrases tie, yet it is what costs most
        to read (tantivy scores every row a phrase matches: block-max WAND skips only single
        terms), so it is asked only when the other phrases match fewer than `limit` rows."""
        if limit <= 0 or (allowed is not None and not allowed):
            return []
        rare, common = [], []
        for phrase in phrases:
            query = self._phrase_query(phrase)
            count, boost = self._weighed(phrase)
            if query is None or boost <= 0.0:
                continue
            clause = (tantivy.Occur.Should, tantivy.Query.boost_query(query, boost))
            is_common = idf(self._searcher.num_docs, count) == IDF_FLOOR
            (common if is_common else rare).append(clause)
        hits = self._search(rare, limit, allowed) if rare else []
        if len(hits) < limit and common:
            hits = self._search(rare + common, limit, allowed)
        return self._searcher.fast_field_values(ROWID, [address for _, address in hits])

    def _search(
        self,
        clauses: list[tuple[tantivy.Occur, tantivy.Query]],
        limit: int,
        allowed: Collection[int] | None,
    ) -> list[tuple[float, tantivy.DocAddress]]:
        query = tantivy.Query.boolean_query(clauses)
        if allowed is not None:
            # a filter: scores nothing, so the rows allowed rank as they would among all rows
            restriction = tantivy.Query.term_set_query(self._schema, ROWID, sorted(allowed))
            query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, query),
                    (tantivy.Occur.Must, tantivy.Query.const_score_query(restriction, 0.0)),
                ]
            )
        return self._searcher.search(query, limit=limit, count=False).hits

    def _phrase_query(self, phrase: Phrase) -> tantivy.Query | None:
        field = COLUMNS[phrase.column]
        if not phrase.tokens:
            return None  # FTS5 matches no row with an empty phrase
        if len(phrase.tokens) == 1:
            return tantivy.Query.term_query(self._schema, field, phrase.tokens[0])
        return tantivy.Query.phrase_query(self._schema, field, list(phrase.tokens))

    def _weighed(self, phrase: Phrase) -> tuple[int, float]:
        """Rows the phrase matches (its FTS5 row count: both indexes hold the same tokens), and
        the boost that gives it FTS5's weight in tantivy: the field's weight × FTS5's idf of the
        phrase ÷ the idf tantivy gives it (the sum of its terms'). A common phrase made of rare
        words then ranks as FTS5 ranks it. Worked out once per phrase and kept (the index is
        read-only)."""
        key = (phrase.column, phrase.tokens)
        if key not in self._weights:
            query = self._phrase_query(phrase)
            rows = self._searcher.num_docs
            field = COLUMNS[phrase.column]
            frequencies = [self._searcher.doc_freq(field, token) for token in phrase.tokens]
            if query is None:
                count = 0
            elif len(frequencies) == 1:  # a word's rows are its document frequency (no deletes)
                count = frequencies[0]
            else:  # a phrase's rows are counted from its positions
                count = int(self._searcher.search(query, limit=1).count)
            term_idf = sum(
                math.log(1.0 + (rows - found + 0.5) / (found + 0.5)) for found in frequencies
            )
            boost = FIELD_WEIGHTS[phrase.column] * idf(rows, count) / term_idf if count else 0.0
            with self._lock:
                self._weights[key] = (count, boost)
        return self._weights[key]


class TantivyTopK:
    """Top-k BM25 over the FTS5 table `exact` reads, its candidates from a tantivy index once the
    table holds `from_rows` rows. Answers as `Fts5TopK.search` does; safe to share between
    threads."""

    def __init__(self, folder: Path, exact: Fts5TopK, *, from_rows: int) -> None:
        self.source = TantivyCandidates(folder)
        self.exact = exact
        self.from_rows = from_rows

    def search(
        self,
        cursor: sqlite3.Cursor,
        fields: Sequence[Sequence[str]],
        k: int,
        allowed: Collection[int] | None = None,
    ) -> list[tuple[int, float]]:
        """(rowid, score) best first, scores as bm25() gives them negated; `allowed` restricts
        the rows, not the statistics."""
        if self.source.rows < self.from_rows:
            return self.exact.search(cursor, fields, k, allowed)
        phrases = query_phrases(fields)
        if not phrases or k <= 0:
            return []
        candidates = self.source.candidates(phrases, k + EXTRA, allowed)
        matching = [self.source.matching(phrase) for phrase in phrases]
        return self.exact.exact_top_k(cursor, candidates, phrases, matching, k)

    def candidates(
        self, phrases: Sequence[Phrase], limit: int, allowed: Collection[int] | None = None
    ) -> list[int]:
        return self.source.candidates(phrases, limit, allowed)


def lexical_top_k(directory: Path, table: str = "passages_fts") -> Fts5TopK | TantivyTopK:
    """The lexical top k of a build folder: tantivy candidates where the build wrote them,
    FTS5 alone for a build made before they were written."""
    exact = Fts5TopK(table)
    folder = directory / LEXICAL_FOLDER
    if not folder.is_dir():
        return exact
    return TantivyTopK(folder, exact, from_rows=CANDIDATES_FROM_ROWS)
