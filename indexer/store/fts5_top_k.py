"""The lexical top k of an FTS5 table without scoring every passage the common phrases match.

FTS5's bm25() over `a OR b OR …` is a sum of one term per phrase: idf(phrase) × a saturation of
the phrase's weighted frequency in the row. Each phrase's row count and largest term are read
once and kept (the index is read-only). The commonest phrases ("tỷ lệ", "năm", "y tế", which
match most of a large corpus and weigh least) are then left out of the query as long as all of
them together could add less than the best single phrase; the query over the other phrases
ranks k + EXTRA rows; if the k-th of those beats anything the left-out phrases alone could
give, and every row they could still lift was fetched, those candidates are scored exactly,
from their text, as fts5_aux.c scores them (term by term in phrase order, so ids and scores
equal the full query's bit for bit). Otherwise the full query runs: the result is always exact.
That exact scoring of candidates (`exact_top_k`) also ranks the candidates tantivy names at
scale (tantivy_lexical.py).
"""

from __future__ import annotations

import heapq
import json
import math
import re
import sqlite3
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

from indexer.store.ranking import FIELD_WEIGHTS, K1, B

COLUMNS = ("syllables", "words", "folded")
TOKEN = re.compile(r"\w+")  # FTS5 unicode61 (letters, digits) with tokenchars '_'
IDF_FLOOR = 1e-6  # FTS5 gives a phrase in half of the rows or more this idf
AVERAGES_ROWID = 1  # FTS5 keeps its row count and per-column token totals in this data record
# relative slack on every pruning comparison, far above float rounding and far below any real
# difference between BM25 scores
SLACK = 1e-9
# a phrase in more than 1/COMMON_SHARE of the rows is bounded by idf × (k1 + 1) rather than by
# its largest term, which would take a scan of all its rows to find
COMMON_SHARE = 8
# rows fetched past k by the query without the common phrases: the candidates they could lift
EXTRA = 200
# below this many rows one full query is cheaper than reading phrase by phrase: k is then a
# large share of the rows, so few phrases can be skipped
PRUNE_FROM_ROWS = 20_000


@dataclass(frozen=True)
class Phrase:
    column: int  # index into COLUMNS
    text: str  # the query term as given
    tokens: tuple[str, ...]  # as FTS5 cuts it

    @property
    def quoted(self) -> str:
        """An FTS5 string: user text is always searched as text, never as syntax."""
        return '"' + self.text.replace('"', '""') + '"'

    @property
    def expression(self) -> str:
        return f"{COLUMNS[self.column]} : {self.quoted}"

    @cached_property
    def needle(self) -> str:
        """The tokens as they stand in a column's text padded with a space at each end."""
        return f" {' '.join(self.tokens)} "


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(text.lower()))


def query_phrases(fields: Sequence[Sequence[str]]) -> list[Phrase]:
    """The phrases of the OR query in FTS5's phrase order (field by field, duplicates dropped)."""
    found = []
    for column, terms in enumerate(fields):
        for text in dict.fromkeys(t for t in terms if t.strip()):
            found.append(Phrase(column, text, tokens(text)))
    return found


def full_expression(phrases: Sequence[Phrase]) -> str:
    """`syllables : ("a" OR "b") OR words : (…) OR …`: phrases keep their order."""
    parts = []
    for column, name in enumerate(COLUMNS):
        quoted = [p.quoted for p in phrases if p.column == column]
        if quoted:
            parts.append(f"{name} : ({' OR '.join(quoted)})")
    return " OR ".join(parts)


def idf(rows: int, matching: int) -> float:
    value = math.log((rows - matching + 0.5) / (matching + 0.5))
    return IDF_FLOOR if value <= 0.0 else value


def phrase_frequency(joined: str, phrase: Sequence[str]) -> int:
    """Occurrences of the phrase in a column's tokens joined by single spaces and padded with
    one at each end, overlapping ones too, as FTS5 counts its instances."""
    if not phrase:
        return 0
    return _occurrences(joined, f" {' '.join(phrase)} ")


def _occurrences(joined: str, needle: str) -> int:
    count = 0
    at = joined.find(needle)
    while at >= 0:
        count += 1
        at = joined.find(needle, at + 1)
    return count


def varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers, as FTS5 stores row sizes and totals."""
    values = []
    position = 0
    while position < len(blob):
        value = 0
        for byte_number in range(9):
            byte = blob[position]
            position += 1
            if byte_number == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


class Fts5TopK:
    """Top-k BM25 over one FTS5 table with columns `COLUMNS`, its document frequencies cached."""

    def __init__(self, table: str = "passages_fts", *, prune_from: int = PRUNE_FROM_ROWS) -> None:
        self.table = table
        self.prune_from = prune_from
        # phrase expression → rows it matches, largest term it adds to a row
        self._matching: dict[str, tuple[int, float]] = {}
        self._rows = 0
        self._average_length = 0.0
        self._lock = threading.Lock()

    def search(
        self,
        cursor: sqlite3.Cursor,
        fields: Sequence[Sequence[str]],
        k: int,
        allowed: Collection[int] | None = None,
    ) -> list[tuple[int, float]]:
        """(rowid, score) best first, score as bm25() gives it negated; `allowed` restricts the
        rows (a filter), not the statistics, as the full query does."""
        phrases = query_phrases(fields)
        if not phrases or k <= 0:
            return []
        rows, _ = self._statistics(cursor)
        if rows < self.prune_from:
            return self.full_search(cursor, fields, k, allowed)
        known = [self._matches(cursor, p) for p in phrases]
        matching = [n for n, _ in known]
        bounds = [best * (1 + SLACK) + SLACK for _, best in known]
        # the commonest phrases cost the most to read and add the least: left out of the query
        # while all of them together add no more than the best single phrase can
        skipped: set[int] = set()
        budget = max(bounds, default=0.0)
        for i in sorted(range(len(phrases)), key=lambda i: -matching[i]):
            if matching[i] == 0 or bounds[i] > budget:
                continue
            skipped.add(i)
            budget -= bounds[i]
        read = [p for i, p in enumerate(phrases) if i not in skipped and matching[i]]
        unread = sum(bounds[i] for i in skipped)
        if not skipped or not read:
            return self.full_search(cursor, fields, k, allowed)
        partial = self._query(cursor, full_expression(read), k + EXTRA, allowed)
        if len(partial) < k:
            return self.full_search(cursor, fields, k, allowed)
        threshold = partial[k - 1][1] * (1 - SLACK) - SLACK
        if unread >= threshold:
            return self.full_search(cursor, fields, k, allowed)  # an unread row could win
        floor = threshold - unread
        if len(partial) == k + EXTRA and partial[-1][1] >= floor:
            return self.full_search(cursor, fields, k, allowed)  # more candidates than fetched
        candidates = [rowid for rowid, score in partial if score >= floor]
        return self.exact_top_k(cursor, candidates, phrases, matching, k)

    def exact_top_k(
        self,
        cursor: sqlite3.Cursor,
        rowids: Sequence[int],
        phrases: Sequence[Phrase],
        matching: Sequence[int],
        k: int,
    ) -> list[tuple[int, float]]:
        """The best k of these rows by bm25() of the full query over `phrases` (each matching
        `matching[i]` rows of the whole table), scored as `search` scores its candidates: the
        same ids, order and scores the full query gives those rows."""
        rows, average_length = self._statistics(cursor)
        weights = [idf(rows, n) for n in matching]
        scored = self._exact(cursor, rowids, phrases, weights, average_length)
        return heapq.nsmallest(k, scored, key=lambda item: (-item[1], item[0]))

    def full_search(
        self,
        cursor: sqlite3.Cursor,
        fields: Sequence[Sequence[str]],
        k: int,
        allowed: Collection[int] | None = None,
    ) -> list[tuple[int, float]]:
        """The same top k from one FTS5 query that scores every row matching any phrase."""
        expression = full_expression(query_phrases(fields))
        return self._query(cursor, expression, k, allowed) if expression else []

    def _query(
        self,
        cursor: sqlite3.Cursor,
        expression: str,
        k: int,
        allowed: Collection[int] | None,
    ) -> list[tuple[int, float]]:
        sql = (
            f"SELECT rowid, bm25({self.table}, ?, ?, ?) AS score FROM {self.table} "
            f"WHERE {self.table} MATCH ?"
        )
        params: list[object] = [*FIELD_WEIGHTS, expression]
        if allowed is not None:
            # one parameter however many rows a filter allows (SQLite caps bound parameters);
            # `+rowid` keeps the filter out of FTS5's plan: handed to FTS5 as a rowid
            # constraint, the MATCH is evaluated again for every allowed row (273 ms instead of
            # 2 ms for a question over the 407 seed passages, all of them allowed)
            sql += " AND +rowid IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(allowed)))
        rows = cursor.execute(f"{sql} ORDER BY score, rowid LIMIT ?", [*params, k])
        return [(rowid, -score) for rowid, score in rows]  # bm25() is lower-is-better

    def _statistics(self, cursor: sqlite3.Cursor) -> tuple[int, float]:
        if not self._rows:
            row = cursor.execute(
                f"SELECT block FROM {self.table}_data WHERE id = ?", (AVERAGES_ROWID,)
            ).fetchone()
            totals = (varints(row[0]) if row and row[0] else []) or [0]  # an empty build
            with self._lock:
                self._rows = totals[0]
                self._average_length = sum(totals[1:]) / totals[0] if totals[0] else 0.0
        return self._rows, self._average_length

    def _matches(self, cursor: sqlite3.Cursor, phrase: Phrase) -> tuple[int, float]:
        """Rows the phrase matches and the largest term it adds to any row's score: the
        phrase's exact upper bound, far below idf × (k1 + 1). Read once per phrase, in SQLite
        alone, and kept."""
        expression = phrase.expression
        if expression not in self._matching:
            (count,) = cursor.execute(
                f"SELECT count(*) FROM {self.table} WHERE {self.table} MATCH ?", (expression,)
            ).fetchone()
            rows, _ = self._statistics(cursor)
            if count * COMMON_SHARE > rows:  # a common phrase: its loose bound is small anyway
                best = idf(rows, count) * (K1 + 1)
            else:
                top = cursor.execute(
                    f"SELECT bm25({self.table}, ?, ?, ?) AS term FROM {self.table} "
                    f"WHERE {self.table} MATCH ? ORDER BY term LIMIT 1",
                    (*FIELD_WEIGHTS, expression),
                ).fetchone()
                best = -top[0] if top else 0.0
            with self._lock:
                self._matching[expression] = (int(count), float(best or 0.0))
        return self._matching[expression]

    def _exact(
        self,
        cursor: sqlite3.Cursor,
        rowids: Sequence[int],
        phrases: Sequence[Phrase],
        weights: Sequence[float],
        average_length: float,
    ) -> list[tuple[int, float]]:
        """bm25() of the full query for these rows, computed as fts5_aux.c does: weighted
        phrase frequency from the row's columns, length from FTS5's own row sizes, terms added
        in phrase order (so the scores are the full query's, bit for bit)."""
        # an empty phrase matches no row (FTS5 gives it 0.0): left out once, not row by row
        terms = [(p.column, p.needle, w) for p, w in zip(phrases, weights, strict=True) if p.tokens]
        scored = []
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            texts = cursor.execute(
                f"SELECT rowid, {', '.join(COLUMNS)} FROM {self.table} WHERE rowid IN ({marks})",
                chunk,
            ).fetchall()
            sizes = dict(
                cursor.execute(
                    f"SELECT id, sz FROM {self.table}_docsize WHERE id IN ({marks})", chunk
                ).fetchall()
            )
            for rowid, *values in texts:
                # the columns hold indexer/tokens.py's lexical fields, lower-case tokens joined
                # by single spaces: padded with one space, a column holds phrases as `needle`s
                joined = [f" {text or ''} " for text in values]
                length = float(sum(varints(sizes[rowid])))
                norm = K1 * (1 - B + B * length / average_length)
                score = 0.0
                for column, needle, weight in terms:
                    # a phrase absent from the row adds exactly 0.0: skipped, the sum is the same
                    count = _occurrences(joined[column], needle)
                    if not count:
                        continue
                    frequency = 0.0
                    for _ in range(count):  # FTS5 adds the column weight once per instance
                        frequency += FIELD_WEIGHTS[column]
                    score += weight * ((frequency * (K1 + 1.0)) / (frequency + norm))
                scored.append((rowid, score))
        return scored
