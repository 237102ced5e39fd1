"""The scale bench's side-by-side of the lexical top 50: the full FTS5 query, the pruned FTS5
query and tantivy candidates, each timed and compared with the full query's ranking."""

from __future__ import annotations

import shutil

import pytest

from eval.lexical_paths import compare_lexical_paths, path_cells
from eval.report_bench import bench_markdown
from eval.scale import ScaleResult
from indexer.store.base import LexicalQuery
from indexer.store.tantivy_lexical import LEXICAL_FOLDER
from tests.indexer.test_tantivy_lexical import QUESTIONS, write_synthetic_build

PATHS = ["FTS5, full query", "FTS5, pruned (fts5_top_k)", "tantivy candidates, FTS5 scores"]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lexical-paths") / "build"
    write_synthetic_build(directory)
    return directory


def test_each_path_is_timed_and_compared_with_the_full_query(build):
    results = compare_lexical_paths(build, [*QUESTIONS[:12], LexicalQuery()])
    assert [r.path for r in results] == PATHS
    assert all(r.questions == 12 for r in results)  # an empty query is not asked
    assert all(r.same_top10 == r.same_top_k == r.overlap10 == 1.0 for r in results)
    assert all(r.first_p95_ms >= r.first_p50_ms > 0 for r in results)
    assert all(r.again_p95_ms >= r.again_p50_ms > 0 for r in results)


def test_a_build_without_tantivy_compares_the_fts5_paths_alone(build, tmp_path):
    shutil.copytree(build, tmp_path / "build")
    shutil.rmtree(tmp_path / "build" / LEXICAL_FOLDER)
    results = compare_lexical_paths(tmp_path / "build", QUESTIONS[:3])
    assert [r.path for r in results] == PATHS[:2]


def test_no_question_gives_no_comparison(build):
    assert compare_lexical_paths(build, [LexicalQuery()]) == []


def test_the_bench_report_shows_one_row_per_path(build):
    results = compare_lexical_paths(build, QUESTIONS[:3])
    scale = ScaleResult(
        passages=3000,
        indexed_passages=3000,
        documents=20,
        planted=3,
        build_seconds=1.0,
        embedded=0,
        embed_seconds=0.0,
        embed_passages_per_second=None,
        index_mb=1.0,
        queries=3,
        query_p50_ms=1.0,
        query_p95_ms=2.0,
        recall5=1.0,
        recall10=1.0,
        mrr10=1.0,
        peak_rss_mb=100.0,
        lexical_paths=tuple(results),
    )
    markdown = bench_markdown(None, [scale])
    assert "### Lexical top 50 at 3000 passages" in markdown
    for result in results:
        assert "| " + " | ".join(path_cells(result)) + " |" in markdown
