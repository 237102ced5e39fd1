"""The `healthqa` command line, in-process."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


def env(seed_settings):
    variables = {"HEALTHQA_INDEX_DIR": str(seed_settings.index_dir), "COLUMNS": "200"}
    if seed_settings.store:
        variables["HEALTHQA_STORE"] = seed_settings.store
    return variables


def test_index_reports_an_up_to_date_index(seed_settings):
    result = runner.invoke(
        app,
        [
            "index",
            "--corpus",
            str(seed_settings.corpus_dir),
            "--index-dir",
            str(seed_settings.index_dir),
            "--quiet",
        ],
        env=env(seed_settings),
    )
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_search_prints_ranked_passages(seed_settings):
    result = runner.invoke(
        app, ["search", "tổng số siêu âm Cần Đước", "--k", "3"], env=env(seed_settings)
    )
    assert result.exit_code == 0, result.output
    assert "1." in result.output and "siêu âm" in result.output


def test_ask_prints_the_answer_and_its_sources(seed_settings):
    result = runner.invoke(
        app, ["ask", "Tỷ lệ mổ lấy thai ở Hậu Giang năm 2023?"], env=env(seed_settings)
    )
    assert result.exit_code == 0, result.output
    assert "55,4%" in result.output and "[1]" in result.output


def test_eval_json_reports_retrieval_and_answers_per_language(seed_settings):
    result = runner.invoke(app, ["eval", "--json", "--mode", "lexical"], env=env(seed_settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    groups = {row["group"] for row in payload["retrieval"]["lexical"]}
    assert {"all", "vi", "en"} <= groups
    assert {row["group"] for row in payload["answers"]} >= {"all", "vi", "en"}


def test_bad_arguments_are_refused(seed_settings, tmp_path):
    assert runner.invoke(app, ["search", "bhyt", "--k", "0"], env=env(seed_settings)).exit_code != 0
    result = runner.invoke(app, ["search", "bhyt", "--mode", "magic"], env=env(seed_settings))
    assert result.exit_code == 2 and "unknown mode" in result.output
    result = runner.invoke(
        app, ["search", "bhyt"], env={"HEALTHQA_INDEX_DIR": str(tmp_path), "COLUMNS": "200"}
    )
    assert result.exit_code == 2 and "healthqa index" in " ".join(result.output.split())
    result = runner.invoke(
        app, ["eval", "--set", str(tmp_path / "missing.jsonl")], env=env(seed_settings)
    )
    assert result.exit_code == 2


def test_the_measuring_commands_come_from_the_eval_plugin():
    from importlib.metadata import entry_points

    from service.cli import PLUGIN_GROUP

    plugins = {entry.name: entry.value for entry in entry_points(group=PLUGIN_GROUP)}
    assert plugins == {"eval": "eval.cli:register"}
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for command in (
        "index",
        "search",
        "ask",
        "serve",
        "eval",
        "bench",
        "load",
        "synth",
        "feedback-to-eval",
    ):
        assert f" {command} " in result.output


PLAN = "UBND HUYỆN CẦN ĐƯỚC\nKẾ HOẠCH\nBảo hiểm y tế năm 2025\n1. Tỷ lệ bao phủ đạt 95%.\n"


def test_a_new_build_lists_every_document_attribute(tmp_path):
    from dataclasses import fields

    from indexer.models import DocumentAttributes

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    result = runner.invoke(
        app,
        ["index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "--quiet"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "source" in line)
    assert all(f.name in header for f in fields(DocumentAttributes))


def test_the_build_summary_gives_passages_per_second_and_the_workers_used(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    index_options = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "--quiet"]
    result = runner.invoke(app, ["index", *index_options, "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "passages/s (2 worker processes" in result.output


def test_workers_default_to_one_per_core_and_come_from_healthqa_workers(monkeypatch):
    from indexer.worker_pool import default_workers
    from service.settings import Settings

    assert Settings(_env_file=None).workers == default_workers()
    monkeypatch.setenv("HEALTHQA_WORKERS", "3")
    assert Settings(_env_file=None).workers == 3


def test_zero_workers_are_refused(tmp_path):
    result = runner.invoke(app, ["index", "--workers", "0", "--index-dir", str(tmp_path)])
    assert result.exit_code == 2 and "--workers" in result.output
    result = runner.invoke(
        app, ["index", "--index-dir", str(tmp_path)], env={"HEALTHQA_WORKERS": "0"}
    )
    assert result.exit_code == 2 and "workers" in result.output
