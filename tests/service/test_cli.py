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
        ["index", "--corpus", str(seed_settings.corpus_dir), "--index-dir", str(seed_settings.index_dir), "--quiet"],
        env=env(seed_settings),
    )
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_search_prints_ranked_passages(seed_settings):
    result = runner.invoke(app, ["search", "tổng số siêu âm Cần Đước", "--k", "3"], env=env(seed_settings))
    assert result.exit_code == 0, result.output
    assert "1." in result.output and "siêu âm" in result.output


def test_ask_prints_the_answer_and_its_sources(seed_settings):
    result = runner.invoke(app, ["ask", "Tỷ lệ mổ lấy thai ở Hậu Giang năm 2023?"], env=env(seed_settings))
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
    result = runner.invoke(app, ["search", "bhyt"], env={"HEALTHQA_INDEX_DIR": str(tmp_path), "COLUMNS": "200"})
    assert result.exit_code == 2 and "healthqa index" in " ".join(result.output.split())
    result = runner.invoke(app, ["eval", "--set", str(tmp_path / "missing.jsonl")], env=env(seed_settings))
    assert result.exit_code == 2
