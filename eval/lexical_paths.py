"""The embedded store's lexical top k three ways over one build, side by side: the full FTS5 query
(scores every row a phrase matches), the pruned FTS5 query (`indexer/store/fts5_top_k.py`) and
tantivy candidates ranked exactly (`indexer/store/tantivy_lexical.py`), each asked for the
retriever's 50 candidates. For each: latency per question, asked the first time (phrase
statistics are read then and kept) and again, and how often its top 10 and top 50 are the full
query's."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

from indexer.search import CANDIDATES
from indexer.store.base import LexicalQuery
from indexer.store.fts5_top_k import Fts5TopK
from indexer.store.sqlite_faiss import DATABASE_FILE
from indexer.store.tantivy_lexical import LEXICAL_FOLDER, TantivyTopK

Fields = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
TopK = Callable[[sqlite3.Cursor, Fields, int], list[tuple[int, float]]]


@dataclass(frozen=True)
class LexicalPathResult:
    path: str
    questions: int
    first_p50_ms: float  # each question asked once, the path freshly opened
    first_p95_ms: float
    again_p50_ms: float  # the same questions asked a second time
    again_p95_ms: float
    same_top10: float  # share of questions whose top 10 (ids, order, scores) is the full query's
    same_top_k: float  # the same for the whole top k
    overlap10: float  # mean share of the full query's top 10 ids in its top 10


def _percentiles(seconds: Sequence[float]) -> tuple[float, float]:
    millis = sorted(s * 1000 for s in seconds)
    cuts = quantiles(millis, n=100, method="inclusive") if len(millis) > 1 else millis * 99
    return round(cuts[49], 2), round(cuts[94], 2)


def _timed(
    cursor: sqlite3.Cursor, top_k: TopK, fields: Fields, k: int
) -> tuple[float, list[tuple[int, float]]]:
    started = time.perf_counter()
    found = top_k(cursor, fields, k)
    return time.perf_counter() - started, found


def compare_lexical_paths(
    directory: Path, queries: Sequence[LexicalQuery], k: int = CANDIDATES
) -> list[LexicalPathResult]:
    """The three paths over the build folder `directory` (the last only where the build wrote a
    tantivy index), the full query first, as the reference. Every query is asked of each path in
    turn, in two passes, so whatever else loads the machine weighs on the paths alike."""
    questions = [(q.syllables, q.words, q.folded) for q in queries if not q.empty]
    if not questions:
        return []
    paths: list[tuple[str, TopK]] = [
        ("FTS5, full query", Fts5TopK().full_search),
        ("FTS5, pruned (fts5_top_k)", Fts5TopK(prune_from=0).search),
    ]
    if (directory / LEXICAL_FOLDER).is_dir():
        tantivy = TantivyTopK(directory / LEXICAL_FOLDER, Fts5TopK(), from_rows=0)
        paths.append(("tantivy candidates, FTS5 scores", tantivy.search))
    uri = f"file:{(directory / DATABASE_FILE).as_posix()}?mode=ro"
    first: list[list[float]] = [[] for _ in paths]
    again: list[list[float]] = [[] for _ in paths]
    found: list[list[list[tuple[int, float]]]] = [[] for _ in paths]
    with closing(sqlite3.connect(uri, uri=True)) as db:
        cursor = db.cursor()
        for fields in questions:
            for number, (_, top_k) in enumerate(paths):
                seconds, ranked = _timed(cursor, top_k, fields, k)
                first[number].append(seconds)
                found[number].append(ranked)
        for fields in questions:
            for number, (_, top_k) in enumerate(paths):
                again[number].append(_timed(cursor, top_k, fields, k)[0])
    results = []
    for number, (name, _) in enumerate(paths):
        pairs = list(zip(found[number], found[0], strict=True))
        overlap = [
            len({i for i, _ in f[:10]} & {i for i, _ in r[:10]}) / len(r[:10]) if r else 1.0
            for f, r in pairs
        ]
        results.append(
            LexicalPathResult(
                name,
                len(questions),
                *_percentiles(first[number]),
                *_percentiles(again[number]),
                same_top10=round(sum(f[:10] == r[:10] for f, r in pairs) / len(pairs), 4),
                same_top_k=round(sum(f == r for f, r in pairs) / len(pairs), 4),
                overlap10=round(sum(overlap) / len(overlap), 4),
            )
        )
    return results


PATH_COLUMNS = (
    "lexical top 50",
    "questions",
    "first p50 ms",
    "first p95 ms",
    "again p50 ms",
    "again p95 ms",
    "= full top 10",
    "= full top 50",
    "top-10 overlap",
)


def path_cells(result: LexicalPathResult) -> list[str]:
    """A path as the reports show it, in PATH_COLUMNS order."""
    return [
        result.path,
        str(result.questions),
        f"{result.first_p50_ms:.1f}",
        f"{result.first_p95_ms:.1f}",
        f"{result.again_p50_ms:.1f}",
        f"{result.again_p95_ms:.1f}",
        f"{result.same_top10:.3f}",
        f"{result.same_top_k:.3f}",
        f"{result.overlap10:.3f}",
    ]
