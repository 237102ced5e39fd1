"""Lexical search in PostgreSQL that ranks like the embedded store's FTS5 bm25.

PostgreSQL has no Vietnamese text search configuration, and its `simple` parser would split the
underthesea words ("bảo_hiểm") the indexer already made. So the tsvector is written directly: the
three lexical fields' tokens (cut the way FTS5's unicode61 tokenizer cuts them) with positions and
a weight label per field (A syllables, B words, C accent-folded). A query term is a phrase
(`'bao':A <-> 'phủ':A`) restricted to its field's label. Ranking is Okapi BM25 as FTS5 computes it
(k1 1.2, b 0.75, idf floored at 1e-6, field weights 1 / 1 / 0.6). PostgreSQL does not count how
often a phrase occurs in a row, so one statement ranks the matching passages as if each phrase
occurred once and returns the best `PRESELECT` of them with their tsvectors; the exact BM25, with
phrase frequencies counted from the positions, then orders those. On a large corpus the candidates
come from tantivy instead (postgres_tantivy.py) and `rows_statement` fetches their tsvectors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import sql

from indexer.store.base import LexicalQuery
from indexer.store.ranking import FIELD_WEIGHTS, K1, B
from indexer.tokens import LexicalFields

TOKEN = re.compile(r"\w+")
FIELD_LABELS = ("A", "B", "C")  # syllables, words, folded
MAX_POSITION = 16_383  # PostgreSQL's limit; later positions are kept at it
PRESELECT = 200  # passages ranked exactly per query


MAX_LEXEME_BYTES = 2046  # PostgreSQL refuses longer words in a tsvector or tsquery


def tokens(text: str) -> list[str]:
    """Lower-cased runs of letters, digits and '_' — FTS5 unicode61 with tokenchars '_' — less
    any too long for PostgreSQL (no document or question has a real word that long)."""
    return [t for t in TOKEN.findall(text.lower()) if len(t.encode("utf-8")) <= MAX_LEXEME_BYTES]


def _quoted(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: LexicalFields) -> tuple[str, int]:
    """The passage's tsvector in PostgreSQL's text form, and its length in tokens."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, label in zip(
        (fields.syllables, fields.words, fields.folded), FIELD_LABELS, strict=True
    ):
        for token in tokens(text):
            position += 1
            positions.setdefault(token, []).append(f"{min(position, MAX_POSITION)}{label}")
    literal = " ".join(f"{_quoted(token)}:{','.join(at)}" for token, at in positions.items())
    return literal, position


@dataclass(frozen=True)
class Phrase:
    tsquery: str  # e.g. 'bao':A <-> 'phủ':A
    weight: float
    tokens: tuple[str, ...]
    label: str


def phrases(query: LexicalQuery) -> list[Phrase]:
    found: list[Phrase] = []
    for terms, label, weight in zip(
        (query.syllables, query.words, query.folded), FIELD_LABELS, FIELD_WEIGHTS, strict=True
    ):
        seen: set[str] = set()
        for term in terms:
            parts = tokens(term)
            if not parts:
                continue
            tsquery = " <-> ".join(f"{_quoted(part)}:{label}" for part in parts)
            if tsquery not in seen:
                seen.add(tsquery)
                found.append(Phrase(tsquery, weight, tuple(parts), label))
    return found


def frequency_statement(schema: str, found: Sequence[Phrase]) -> tuple[sql.Composed, dict]:
    """How many passages of the build each phrase matches (its document frequency, as FTS5
    counts it): `(i, n)` rows, i counting from 1, phrases matching nothing left out."""
    s = sql.Identifier(schema)
    matches = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {i} AS i FROM {s}.passages WHERE lex @@ {q}::tsquery").format(
            i=sql.Literal(i), s=s, q=sql.Placeholder(f"q{i}")
        )
        for i in range(1, len(found) + 1)
    )
    statement = sql.SQL("SELECT i, count(*) FROM ({matches}) m GROUP BY i").format(matches=matches)
    return statement, {f"q{i}": p.tsquery for i, p in enumerate(found, start=1)}


def candidates_statement(
    schema: str,
    found: Sequence[Phrase],
    essential: Sequence[int],
    frequencies: Sequence[int],
    *,
    filtered: bool,
) -> tuple[sql.Composed, dict[str, object]]:
    """One statement: the passages the `essential` phrases (indexes into `found`: the rare ones)
    match, one index scan per phrase, ranked by their BM25 sum as if each phrase occurred once,
    the best `preselect` returned with the positions of every phrase's tokens and their row id,
    so `exact_bm25` scores them on all phrases. Document frequencies are given (counted once per
    phrase and kept), so the common phrases' posting lists are never read. The caller adds `total`
    (passages), `avgdl` (mean tokens per passage), `preselect` and, when filtered, `doc_ids`."""
    s = sql.Identifier(schema)
    matches = sql.SQL(" UNION ALL ").join(
        sql.SQL(
            "SELECT {i} AS i, id, doc_id, lex_length FROM {s}.passages WHERE lex @@ {q}::tsquery"
        ).format(i=sql.Literal(i + 1), s=s, q=sql.Placeholder(f"q{i + 1}"))
        for i in essential
    )
    values = sql.SQL(", ").join(
        sql.SQL("({}, {}, {})").format(
            sql.Literal(i + 1),
            sql.Literal(found[i].weight),
            sql.Literal(float(frequencies[i])),
        )
        for i in essential
    )
    where = sql.SQL(" WHERE m.doc_id = ANY(%(doc_ids)s)") if filtered else sql.SQL("")
    statement = sql.SQL(
        "WITH m AS MATERIALIZED ({matches}), "
        "w (i, w, n) AS (VALUES {values}), "
        "best AS (SELECT m.id, sum(greatest(ln((%(total)s - w.n + 0.5) / (w.n + 0.5)), 1e-6) "
        "* w.w * {k1plus} / (w.w + {k1} * (1 - {b} + {b} * m.lex_length / %(avgdl)s))) AS score "
        "FROM m JOIN w USING (i){where} "
        "GROUP BY m.id ORDER BY score DESC, m.id LIMIT %(preselect)s) "
        "SELECT p.passage_id, p.lex_length, "
        "(SELECT coalesce(array_agg(u.lexeme || ':' || array_to_string(u.positions, ',') || ':' "
        "|| array_to_string(u.weights, '')), '{{}}') FROM unnest(p.lex) u "
        "WHERE u.lexeme = ANY(%(needed)s)), "
        "b.id FROM best b JOIN {s}.passages p USING (id) ORDER BY b.score DESC, b.id"
    ).format(
        matches=matches,
        values=values,
        where=where,
        s=s,
        k1plus=sql.Literal(K1 + 1),
        k1=sql.Literal(K1),
        b=sql.Literal(B),
    )
    params: dict[str, object] = {f"q{i + 1}": found[i].tsquery for i in essential}
    params["needed"] = needed_tokens(found)
    return statement, params


def rows_statement(schema: str) -> sql.Composed:
    """The passages with ids `%(ids)s` (candidates found elsewhere, e.g. by tantivy), with the
    positions of the `%(needed)s` tokens and their row id, for `exact_bm25`."""
    return sql.SQL(
        "SELECT p.passage_id, p.lex_length, "
        "(SELECT coalesce(array_agg(u.lexeme || ':' || array_to_string(u.positions, ',') || ':' "
        "|| array_to_string(u.weights, '')), '{{}}') FROM unnest(p.lex) u "
        "WHERE u.lexeme = ANY(%(needed)s)), p.id "
        "FROM {}.passages p WHERE p.id = ANY(%(ids)s) ORDER BY p.id"
    ).format(sql.Identifier(schema))


def needed_tokens(found: Sequence[Phrase]) -> list[str]:
    return sorted({token for p in found for token in p.tokens})


def idf(total: int, documents: float) -> float:
    return max(math.log((total - documents + 0.5) / (documents + 0.5)), 1e-6)


def positions(entries: Sequence[str]) -> dict[tuple[str, str], set[int]]:
    """(token, field label) → positions, from `lexeme:1,5,9:AAC` entries (the query's tokens
    only, as unnest(tsvector) gives them)."""
    found: dict[tuple[str, str], set[int]] = {}
    for entry in entries:
        token, numbers, labels = entry.rsplit(":", 2)
        for number, label in zip(numbers.split(","), labels, strict=True):
            found.setdefault((token, label), set()).add(int(number))
    return found


def phrase_frequency(at: dict[tuple[str, str], set[int]], phrase: Phrase) -> int:
    starts = at.get((phrase.tokens[0], phrase.label), set())
    for offset, token in enumerate(phrase.tokens[1:], start=1):
        following = at.get((token, phrase.label), set())
        starts = {p for p in starts if p + offset in following}
    return len(starts)


def exact_bm25(
    rows: Sequence[tuple[str, int, Sequence[str], Sequence[float], int]],
    found: Sequence[Phrase],
    total: int,
    average_length: float,
) -> list[tuple[str, float]]:
    """The preselected passages ordered by BM25 with real phrase frequencies, best first; equal
    scores in row id order, which is the embedded store's rowid order (passages are written in
    the same order to both), so the two stores break ties alike whatever order rows came in."""
    scored = []
    for passage_id, length, entries, frequencies, row_id in rows:
        at = positions(entries)
        norm = K1 * (1 - B + B * length / average_length)
        score = 0.0
        for phrase, documents in zip(found, frequencies, strict=True):
            tf = phrase_frequency(at, phrase)
            if tf:
                idf = max(math.log((total - documents + 0.5) / (documents + 0.5)), 1e-6)
                weighted = phrase.weight * tf
                score += idf * weighted * (K1 + 1) / (weighted + norm)
        scored.append((score, row_id, passage_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(passage_id, score) for score, _, passage_id in scored]
