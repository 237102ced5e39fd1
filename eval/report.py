"""Report folders: `report.md` of an evaluation with its PNG figures and miss CSVs, and
`bench.md` of a benchmark with `bench.json`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from eval.ablation import AblationRow
from eval.answers import AnswerReport, AnswerScores
from eval.bench import BenchResult
from eval.misses import write_common_misses_csv, write_misses_csv
from eval.payload import bench_payload
from eval.plots import latency_by_size, rank_plot, recall_curves
from eval.retrieval import RetrievalReport, RetrievalScores
from eval.scale import ScaleResult

EVIDENCE_RULE = (
    "a passage is relevant when it contains an evidence string (NFC, lower-case, no `_`, "
    "no whitespace)"
)
GOLD_DOCUMENT_RULE = "a passage is relevant when it comes from a gold context's document"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{round(value, 3):g}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


RETRIEVAL_HEADERS = (
    "n",
    "R@1",
    "R@5",
    "R@10",
    "P@5",
    "MRR@10",
    "MAP@10",
    "nDCG@10",
    "rank mean",
    "rank median",
    "found@10",
)


def retrieval_cells(s: RetrievalScores) -> list[object]:
    return [
        s.questions,
        s.r1,
        s.r5,
        s.r10,
        s.p5,
        s.mrr10,
        s.map10,
        s.ndcg10,
        None if s.rank_mean is None else round(s.rank_mean, 2),
        s.rank_median,
        s.found_rate,
    ]


ANSWER_HEADERS = (
    "group",
    "n",
    "figure acc.",
    "figures",
    "first citation",
    "abstention acc.",
    "abstention P",
    "abstention R",
    "abstained",
)


def answer_cells(s: AnswerScores) -> list[object]:
    return [
        s.group,
        s.questions,
        s.figure_accuracy,
        s.figure_questions,
        s.citation_accuracy,
        s.abstention_accuracy,
        s.abstention_precision,
        s.abstention_recall,
        f"{s.unanswerable_abstained}/{s.unanswerable} unanswerable, {s.abstained} in all",
    ]


def ablation_table(rows: Sequence[AblationRow]) -> str:
    return table(
        ("variant", "what changes", "passages", *RETRIEVAL_HEADERS),
        [[r.variant, r.description, r.passages, *retrieval_cells(r.overall)] for r in rows],
    )


def write_eval_report(
    directory: Path,
    *,
    dataset: str,
    index: str,
    reports: Sequence[RetrievalReport],
    answers: AnswerReport | None,
    ablation: Sequence[AblationRow] = (),
    miss_k: int = 5,
    relevance: str = EVIDENCE_RULE,
) -> Path:
    """report.md, recall_at_k.png, ranks.png, misses-<mode>.csv, misses-common.csv (and
    ablation_recall_at_k.png with an ablation); returns the markdown's path."""
    directory.mkdir(parents=True, exist_ok=True)
    recall_curves(
        directory / "recall_at_k.png",
        [(r.mode, r.recall_curve()) for r in reports],
        "R@k by mode",
    )
    rank_plot(directory / "ranks.png", reports)
    lines = [
        "# Retrieval and answer evaluation",
        "",
        f"- dataset: `{dataset}`",
        f"- index: `{index}`",
        f"- run: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- relevance: {relevance}; metrics over the top 10 of GET /api/search",
        "",
        "## Retrieval",
        "",
        table(
            ("mode", "group", *RETRIEVAL_HEADERS),
            [[r.mode, s.group, *retrieval_cells(s)] for r in reports for s in r.scores],
        ),
        "",
        "![R@k by mode](recall_at_k.png)",
        "",
        "![rank of the first relevant passage per question](ranks.png)",
        "",
    ]
    if any(r.documents for r in reports):
        lines += [
            "### Per document",
            "",
            table(
                ("mode", "document", *RETRIEVAL_HEADERS),
                [[r.mode, s.group, *retrieval_cells(s)] for r in reports for s in r.documents],
            ),
            "",
        ]
    if answers:
        lines += [
            "## Answers (POST /api/ask)",
            "",
            table(ANSWER_HEADERS, [answer_cells(s) for s in answers.scores]),
            "",
            "### Per document",
            "",
            table(ANSWER_HEADERS, [answer_cells(s) for s in answers.documents]),
            "",
        ]
        wrong = [o for o in answers.outcomes if not o.correct]
        if wrong:
            lines += ["Wrong answers:", ""]
            for outcome in wrong:
                expected = outcome.item.answer.value if outcome.item.answer else None
                lines.append(
                    f"- `{outcome.item.item_id}` expected {expected}, got {outcome.first_value}"
                    f" (answerable: {outcome.answerable}): {outcome.item.question}"
                )
            lines.append("")
    if ablation:
        recall_curves(
            directory / "ablation_recall_at_k.png",
            [(row.variant, row.report.recall_curve()) for row in ablation],
            "R@k by ablation variant",
        )
        lines += [
            "## Ablation",
            "",
            ablation_table(ablation),
            "",
            "![R@k by ablation variant](ablation_recall_at_k.png)",
            "",
        ]
    lines += [f"## Misses at {miss_k}", ""]
    for report in reports:
        name = f"misses-{report.mode}.csv"
        count = write_misses_csv(directory / name, report, miss_k)
        lines.append(f"- {report.mode}: {count} questions, [{name}]({name})")
    shared = write_common_misses_csv(directory / "misses-common.csv", reports, miss_k)
    modes = ", ".join(r.mode for r in reports)
    lines += [
        f"- missed by every mode ({modes}): {shared} questions, "
        "[misses-common.csv](misses-common.csv)",
        "",
    ]
    path = directory / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bench_markdown(result: BenchResult | None, scale: Sequence[ScaleResult] = ()) -> str:
    lines = ["# Benchmarks", "", f"- run: {datetime.now(UTC).isoformat(timespec='seconds')}", ""]
    if result:
        latency_headers = (
            "transport",
            "endpoint",
            "requests",
            "mean ms",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
        )
        latency_rows = [
            [transport, s.endpoint, s.requests, s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms]
            for transport, stats in (("in-process", result.in_process), ("HTTP", result.http))
            for s in stats
        ]
        m = result.machine
        lines += [
            f"Index `{result.index}`: {result.passages} passages; {result.questions} questions.",
            f"Machine: {m.cpus} CPUs, {m.platform}, Python {m.python}, "
            f"OMP_WAIT_POLICY={m.omp_wait_policy or 'unset'}, "
            f"OMP_NUM_THREADS={m.omp_num_threads or 'unset'}.",
            "",
            "## Latency (warm)",
            "",
            table(latency_headers, latency_rows),
            "",
        ]
        if result.builds:
            b = result.builds
            lines += [
                "## Index build",
                "",
                table(
                    (
                        "corpus",
                        "documents",
                        "passages",
                        "cold s",
                        "of which embedding s",
                        "warm (unchanged) s",
                        "rebuild from cache s",
                        "index MiB",
                    ),
                    [
                        [
                            b.corpus,
                            b.documents,
                            b.passages,
                            b.cold_seconds,
                            b.cold_embed_seconds,
                            b.warm_seconds,
                            b.cached_rebuild_seconds,
                            b.index_mb,
                        ]
                    ],
                ),
                "",
            ]
        if result.throughput:
            lines += [
                "## Embedding throughput",
                "",
                table(
                    ("backend", "model", "passages", "load s", "embed s", "passages/s", "note"),
                    [
                        [
                            t.backend,
                            t.model_id,
                            t.passages,
                            t.load_seconds,
                            t.seconds,
                            t.passages_per_second,
                            t.skipped or "",
                        ]
                        for t in result.throughput
                    ],
                ),
                "",
            ]
        lines += [
            "## Memory",
            "",
            f"- peak resident memory of the bench process: {result.memory.peak_rss_mb} MiB",
            f"- Python heap peak over one /api/search pass: {result.memory.search_heap_mb} MiB",
            "",
        ]
    if scale:
        lines += [
            "## Scale (synthetic corpus, planted facts)",
            "",
            table(
                (
                    "passages",
                    "indexed",
                    "documents",
                    "planted",
                    "build s",
                    "embedded",
                    "embed s",
                    "passages/s",
                    "index MiB",
                    "p50 ms",
                    "p95 ms",
                    "R@5",
                    "R@10",
                    "MRR@10",
                    "peak RSS MiB",
                ),
                [
                    [
                        s.passages,
                        s.indexed_passages,
                        s.documents,
                        s.planted,
                        s.build_seconds,
                        s.embedded,
                        s.embed_seconds,
                        s.embed_passages_per_second,
                        s.index_mb,
                        s.query_p50_ms,
                        s.query_p95_ms,
                        s.recall5,
                        s.recall10,
                        s.mrr10,
                        s.peak_rss_mb,
                    ]
                    for s in scale
                ],
            ),
            "",
        ]
        if len(scale) > 1:
            lines += ["![latency vs corpus size](latency_vs_size.png)", ""]
    return "\n".join(lines)


def write_bench_report(
    directory: Path, result: BenchResult | None, scale: Sequence[ScaleResult] = ()
) -> Path:
    """bench.json, bench.md and, with several sizes, latency_vs_size.png."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bench.json").write_text(
        json.dumps(bench_payload(result, scale), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    if len(scale) > 1:
        ordered = sorted(scale, key=lambda s: s.indexed_passages)
        latency_by_size(
            directory / "latency_vs_size.png",
            [s.indexed_passages for s in ordered],
            [
                ("p50", [s.query_p50_ms for s in ordered]),
                ("p95", [s.query_p95_ms for s in ordered]),
            ],
        )
    path = directory / "bench.md"
    path.write_text(bench_markdown(result, scale), encoding="utf-8")
    return path
