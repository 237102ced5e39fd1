"""`healthqa eval`: the JSON payload, the report folder, and arguments it refuses."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from eval.misses import MISS_COLUMNS
from service.cli import app

runner = CliRunner()
SCORE_FIELDS = {
    "group",
    "questions",
    "r1",
    "r5",
    "r10",
    "p1",
    "p5",
    "p10",
    "mrr10",
    "map10",
    "ndcg10",
    "rank_mean",
    "rank_median",
    "found_rate",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def evaluated(seed_settings, cli_env, tmp_path_factory):
    """One run over a third of the original dev items (with their follow-up and unanswerable
    questions) and the first item of each kind."""
    from eval.dataset import DEFAULT_SET

    lines = [line for line in DEFAULT_SET.read_text(encoding="utf-8").splitlines() if line]
    untyped = [line for line in lines if '"kind"' not in line]
    chosen = [line for n, line in enumerate(untyped) if n % 3 == 0 or '"answerable": false' in line]
    chosen += [line for line in untyped if '"turns"' in line and line not in chosen]
    kinds: dict[str, str] = {}
    for line in lines:
        kinds.setdefault(json.loads(line).get("kind", "untyped"), line)
    chosen += [line for line in kinds.values() if line not in chosen]
    folder = tmp_path_factory.mktemp("eval-command")
    subset = folder / "subset.jsonl"
    subset.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    report = folder / "report"
    result = runner.invoke(
        app,
        [
            "eval",
            "--set",
            str(subset),
            "--mode",
            "lexical",
            "--mode",
            "hybrid",
            "--cross-validate",
            "--json",
            "--report",
            str(report),
        ],
        env=cli_env(seed_settings),
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output), report


def test_json_has_every_metric_per_mode_language_and_document(evaluated):
    payload, _ = evaluated
    assert set(payload["retrieval"]) == {"lexical", "hybrid"}
    for mode in ("lexical", "hybrid"):
        rows = payload["retrieval"][mode]
        assert [row["group"] for row in rows][0] == "all"
        assert {row["group"] for row in rows} <= {"all", "vi", "vi-unaccented", "en"}
        assert all(set(row) == SCORE_FIELDS for row in rows)
        documents = payload["retrieval_documents"][mode]
        assert documents and all(row["group"].endswith(".txt") for row in documents)
        assert len(payload["recall_curves"][mode]) == 10
        assert payload["recall_curves"][mode] == sorted(payload["recall_curves"][mode])
    overall = payload["answers"][0]
    assert overall["group"] == "all"
    assert {
        "figure_accuracy",
        "citation_accuracy",
        "abstention_precision",
        "abstention_recall",
    } <= set(overall)
    untyped = next(row for row in payload["answer_kinds"] if row["group"] == "untyped")
    # the original unanswerable items are scored in their own kind (floors: test_quality.py)
    assert untyped["unanswerable"] == 2 and 0.0 <= untyped["abstention_recall"] <= 1.0
    assert any(row["group"] == "(none)" for row in payload["answer_documents"])  # unanswerable
    assert set(payload["misses"]) == {"lexical", "hybrid"}
    assert set(payload["common_misses"]) <= set(payload["misses"]["hybrid"])
    assert payload["ablation"] is None


def test_json_reports_every_metric_per_kind(evaluated):
    payload, _ = evaluated
    kinds = [row["group"] for row in payload["answer_kinds"]]
    assert kinds[0] == "untyped" and len(kinds) == 11
    assert {"plan-vs-actual", "cross-document", "scope-trap", "unanswerable"} <= set(kinds)
    by_kind = {row["group"]: row for row in payload["answer_kinds"]}
    assert by_kind["plan-vs-actual"]["plan_vs_actual_questions"] == 1
    assert by_kind["cross-document"]["cross_document_questions"] == 1
    assert by_kind["scope-trap"]["trap_questions"] == 1
    assert by_kind["list"]["must_mention_questions"] == 1
    assert by_kind["unanswerable"]["figure_accuracy"] is None
    overall = payload["answers"][0]
    assert payload["answerability_right"] == overall["answerability_right"]
    for field in ("must_mention_recall", "plan_vs_actual_accuracy", "trap_rate"):
        assert field in overall
    retrieval_kinds = {row["group"] for row in payload["retrieval_kinds"]["hybrid"]}
    assert "figure" in retrieval_kinds and "unanswerable" not in retrieval_kinds
    folds = payload["cross_validation"]["folds"]
    assert len(folds) == 5 and all(f["document"].endswith(".txt") for f in folds)


def test_report_writes_markdown_plots_and_miss_tables(evaluated):
    payload, report = evaluated
    markdown = (report / "report.md").read_text(encoding="utf-8")
    for heading in (
        "## Retrieval",
        "### Per kind",
        "### Per document",
        "## Answers",
        "Answerability right",
        "## Abstention threshold, cross-validated over documents",
        "## Misses at 5",
    ):
        assert heading in markdown
    assert "![R@k by mode](recall_at_k.png)" in markdown
    for plot in ("recall_at_k.png", "ranks.png"):
        assert (report / plot).read_bytes()[:8] == PNG_MAGIC
    for mode in ("lexical", "hybrid"):
        with (report / f"misses-{mode}.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [row["id"] for row in rows] == payload["misses"][mode]
    with (report / "misses-common.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [*MISS_COLUMNS, "rank_lexical", "rank_hybrid"]
        assert [row["id"] for row in reader] == payload["common_misses"]


def test_unknown_modes_and_stray_qrels_are_refused(seed_settings, cli_env, tmp_path):
    result = runner.invoke(app, ["eval", "--mode", "magic"], env=cli_env(seed_settings))
    assert result.exit_code == 2 and "unknown mode" in result.output
    result = runner.invoke(
        app, ["eval", "--qrels", str(tmp_path / "q.tsv")], env=cli_env(seed_settings)
    )
    assert result.exit_code == 2 and "--public" in result.output


def test_without_the_test_extras_the_measuring_commands_say_what_to_install(monkeypatch):
    import eval.cli

    monkeypatch.setattr(eval.cli, "MEASURING_NEEDS", ("a_module_nobody_installed",))
    result = runner.invoke(app, ["eval", "--set", "any.jsonl"])
    assert result.exit_code == 2
    assert "make eval" in result.output
    assert "Traceback" not in result.output
