"""Evaluation, benchmark and load reports printed as tables on the terminal: what
`healthqa eval`, `bench` and `load` show (the markdown versions are in eval/report*.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from eval.ablation import AblationRow
from eval.answers import AnswerReport, AnswerScores
from eval.bench import BenchResult
from eval.build_scaling import RUN_COLUMNS, BuildScaling, run_cells
from eval.crossval import CrossValidation
from eval.fit_ranker import FitReport
from eval.lexical_paths import PATH_COLUMNS, path_cells
from eval.load import LoadReport
from eval.misses import common_misses, misses_at
from eval.report import threshold_text
from eval.retrieval import RetrievalReport
from eval.scale import ScaleResult
from eval.service_memory import ServiceMemory
from service.qa.figure_ranker import FEATURES

if TYPE_CHECKING:
    from eval.public import PublicResult

console = Console()


def print_eval(
    dataset_name: str,
    reports: Sequence[RetrievalReport],
    answers: AnswerReport,
    crossval: CrossValidation | None,
    ablation: Sequence[AblationRow],
    miss_k: int,
) -> None:
    """What `healthqa eval` shows: retrieval overall and broken down, the answers, the
    cross-validated threshold and the ablation when they were asked for, then the misses."""
    print_retrieval(reports, dataset_name)
    print_breakdown(reports)
    print_answers(answers)
    if crossval:
        print_crossval(crossval)
    if ablation:
        print_ablation(ablation)
    print_misses(reports, miss_k)


def print_public(result: PublicResult, dataset_name: str) -> None:
    """What `healthqa eval --public` shows: the throw-away index it built, then retrieval."""
    console.print(
        f"{result.questions} questions over {result.contexts} contexts → "
        f"{result.passages} passages (built in {result.build_seconds:.1f} s, "
        f"{result.embedded} embedded)"
    )
    print_retrieval(result.reports, dataset_name)


def print_retrieval(reports: Sequence[RetrievalReport], dataset_name: str) -> None:
    """Two narrow tables (hit-based, then graded), so each fits an 80-column terminal."""
    hits = Table(title=f"retrieval on {dataset_name} (GET /api/search, top 10)")
    for column in ("mode", "group", "n", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10"):
        hits.add_column(column)
    graded = Table(title="precision, MAP and the first relevant rank")
    for column in ("mode", "group", "P@1", "P@5", "P@10", "MAP@10", "rank mean/median", "found@10"):
        graded.add_column(column)
    for report in reports:
        for s in report.scores:
            hits.add_row(
                report.mode,
                s.group,
                str(s.questions),
                *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.ndcg10)),
            )
            ranks = "–" if s.rank_mean is None else f"{s.rank_mean:.2f} / {s.rank_median:g}"
            graded.add_row(
                report.mode,
                s.group,
                *(f"{v:.3f}" for v in (s.p1, s.p5, s.p10, s.map10)),
                ranks,
                f"{s.found_rate:.3f}",
            )
    console.print(hits)
    console.print(graded)


def print_breakdown(reports: Sequence[RetrievalReport]) -> None:
    """Retrieval per kind of question, then per document."""
    for title, label, rows_of in (
        ("retrieval per kind", "kind", lambda r: r.kinds),
        ("retrieval per document", "document", lambda r: r.documents),
    ):
        table = Table(title=title)
        for column in ("mode", label, "n", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10"):
            table.add_column(column)
        for report in reports:
            for s in rows_of(report):
                table.add_row(
                    report.mode,
                    s.group,
                    str(s.questions),
                    *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.ndcg10)),
                )
        console.print(table)


def rate(value: float | None, count: int | None = None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if count is None else f"{value:.3f} ({count})"


def print_answers(report: AnswerReport) -> None:
    table = Table(title="answers (POST /api/ask); abstention P/R: positive = abstained")
    columns = ("group", "n", "figure acc.", "1st citation", "answ. right", "abst. P", "abst. R")
    for column in columns:
        table.add_column(column)
    for s in (*report.scores, *report.kinds, *report.documents):
        table.add_row(
            s.group,
            str(s.questions),
            rate(s.figure_accuracy, s.figure_questions),
            rate(s.citation_accuracy),
            f"{s.answerability_right:.3f}",
            rate(s.abstention_precision),
            rate(s.abstention_recall),
        )
    console.print(table)
    print_rules((*report.scores, *report.kinds))
    console.print(
        f"answerability right: {report.answerability_right:.3f} "
        f"(answered when answerable, abstained with no figure when not; "
        f"{len(report.outcomes)} questions)",
        highlight=False,
    )
    for outcome in report.outcomes:
        if not outcome.correct:
            expected = outcome.item.answer.value if outcome.item.answer else None
            recall = outcome.must_mention_recall
            mentioned = "" if recall is None else f", must_mention {recall:.2f}"
            console.print(
                f"[yellow]answer miss[/yellow] {outcome.item.item_id} ({outcome.item.kind}): "
                f"expected {expected}, got {outcome.first_value}{mentioned} — "
                f"{outcome.item.question}",
                highlight=False,
            )


def print_rules(scores: Sequence[AnswerScores]) -> None:
    """The rules that apply to some kinds only, with the number of items each is over."""
    table = Table(title="must_mention, plan-vs-actual, cross-document and scope traps")
    for column in ("group", "n", "must_mention", "plan-vs-actual", "cross-doc.", "trap rate"):
        table.add_column(column)
    for s in scores:
        table.add_row(
            s.group,
            str(s.questions),
            rate(s.must_mention_recall, s.must_mention_questions),
            rate(s.plan_vs_actual_accuracy, s.plan_vs_actual_questions),
            rate(s.cross_document_accuracy, s.cross_document_questions),
            rate(s.trap_rate, s.trap_questions),
        )
    console.print(table)


def print_crossval(result: CrossValidation) -> None:
    table = Table(title="abstention threshold cross-validated over documents (fit on the others)")
    for column in (
        "held out",
        "threshold",
        "train/test n",
        "answ. in-sample",
        "answ. held-out",
        "fig. in-sample",
        "fig. held-out",
    ):
        table.add_column(column)
    for fold in result.folds:
        table.add_row(
            fold.document,
            threshold_text(fold.threshold),
            f"{fold.train_questions}/{fold.test_questions}",
            rate(fold.train_answerability),
            rate(fold.test_answerability),
            rate(fold.train_figure_accuracy),
            rate(fold.test_figure_accuracy),
        )
    table.add_row(
        "all (pooled)",
        threshold_text(result.threshold),
        f"–/{result.held_out_questions}",
        rate(result.in_sample_answerability),
        rate(result.held_out_answerability),
        rate(result.in_sample_figure_accuracy),
        rate(result.held_out_figure_accuracy),
    )
    console.print(table)


def print_fit(report: FitReport) -> None:
    table = Table(
        title="figure ranker: weights fitted on four documents' questions, scored on the fifth"
    )
    for column in ("scored on", "n", "threshold", "figure accuracy", "answerability"):
        table.add_column(column)
    for fold in (*report.folds, report.pooled, report.in_sample):
        name = "all (in-sample)" if fold is report.in_sample else fold.fold
        table.add_row(
            name,
            str(fold.items),
            "–" if math.isnan(fold.threshold) else threshold_text(fold.threshold),
            rate(fold.figure_accuracy),
            rate(fold.answerability),
        )
    console.print(table)
    weights = ", ".join(
        f"{name} {weight:+.2f}" for name, weight in zip(FEATURES, report.model.weights, strict=True)
    )
    console.print(f"weights: {weights}", highlight=False)


def print_ablation(rows: Sequence[AblationRow]) -> None:
    table = Table(title="ablation (GET /api/search, top 10, all questions)")
    for column in (
        "variant",
        "passages",
        "R@1",
        "R@5",
        "R@10",
        "MRR@10",
        "MAP@10",
        "nDCG@10",
    ):
        table.add_column(column)
    for row in rows:
        s = row.overall
        table.add_row(
            row.variant,
            str(row.passages),
            *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.map10, s.ndcg10)),
        )
    console.print(table)
    for row in rows:
        console.print(f"  {row.variant}: {row.description}", highlight=False)


def print_misses(reports: Sequence[RetrievalReport], k: int) -> None:
    for report in reports:
        for outcome in misses_at(report, k):
            console.print(
                f"[yellow]{report.mode} miss@{k}[/yellow] {outcome.item.item_id} "
                f"(rank {outcome.rank}): {outcome.item.question}",
                highlight=False,
            )
    if len(reports) > 1:
        shared = common_misses(reports, k)
        console.print(f"missed at {k} by every mode: {', '.join(shared) or 'none'}")


def print_bench(result: BenchResult, rounds: int) -> None:
    table = Table(
        title=f"warm latency in ms ({result.passages} passages, {result.questions} questions)"
    )
    for column in ("transport", "endpoint", "requests", "mean", "p50", "p95", "p99", "max"):
        table.add_column(column)
    for transport, stats in ((f"in-process ×{rounds}", result.in_process), ("HTTP", result.http)):
        for s in stats:
            table.add_row(
                transport,
                s.endpoint,
                str(s.requests),
                *(f"{v:.0f}" for v in (s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms)),
            )
    console.print(table)
    console.print(f"HTTP: {result.http_server}", highlight=False)
    if result.builds:
        b = result.builds
        console.print(
            f"index build of {b.corpus} ({b.documents} documents, {b.passages} passages): "
            f"cold {b.cold_seconds:.1f} s (embedding {b.cold_embed_seconds:.1f} s), "
            f"warm {b.warm_seconds:.3f} s (unchanged), rebuild from cache "
            f"{b.cached_rebuild_seconds:.1f} s; {b.index_mb} MiB on disk"
        )
    if result.build_workers:
        print_build_workers(result.build_workers)
    for t in result.throughput:
        if t.skipped:
            console.print(f"embedding {t.backend}: skipped ({t.skipped})")
        else:
            console.print(
                f"embedding {t.backend} ({t.model_id}): {t.passages_per_second} passages/s "
                f"over {t.passages} passages (model load {t.load_seconds} s)"
            )
    console.print(
        f"peak memory: {result.memory.peak_rss_mb} MiB resident; Python heap over one search "
        f"pass {result.memory.search_heap_mb} MiB"
    )
    m = result.machine
    console.print(
        f"machine: {m.cpus} CPUs, {m.platform}, OMP_WAIT_POLICY={m.omp_wait_policy or 'unset'}",
        highlight=False,
    )


def print_build_workers(scaling: BuildScaling) -> None:
    measured = Table(title=f"cold builds of {scaling.corpus} per worker count (measured)")
    for column in RUN_COLUMNS:
        measured.add_column(column)
    for r in scaling.runs:
        measured.add_row(*run_cells(r))
    console.print(measured)
    console.print(
        f"parallel efficiency, wall clock: processing {scaling.process_efficiency}, embedding "
        f"{scaling.embed_efficiency}; CPU time: {scaling.cpu_efficiency}",
        highlight=False,
    )
    for p in scaling.projections:
        console.print(
            f"projected 1M-passage build on {p.cores} cores: {p.hours} h "
            f"({p.passages_per_second} passages/s)",
            highlight=False,
        )
    console.print(f"({scaling.basis})", style="dim", highlight=False)


def print_service_memory(result: ServiceMemory) -> None:
    table = Table(title="one service process (a fresh one, over the index)")
    for column in (
        "passages",
        "load s",
        "resident after loading MiB",
        "questions",
        "resident after them MiB",
        "peak MiB",
        "answering s",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        str(result.passages),
        f"{result.load_seconds:.1f}",
        f"{result.loaded_mib:.0f}",
        str(result.questions),
        f"{result.answered_mib:.0f}",
        f"{result.peak_mib:.0f}",
        f"{result.answer_seconds:.1f}",
    )
    console.print(table)


def print_scale(results: Sequence[ScaleResult]) -> None:
    build = Table(title="scale: building a synthetic corpus")
    for column in (
        "passages",
        "docs",
        "vectors",
        "build s",
        "embedded",
        "passages/s",
        "MiB",
        "peak RSS MiB",
    ):
        build.add_column(column)
    search = Table(title="scale: searching it for the planted facts")
    for column in ("passages", "planted", "p50 ms", "p95 ms", "R@5", "R@10", "MRR@10"):
        search.add_column(column)
    for s in results:
        rate = s.embed_passages_per_second
        build.add_row(
            str(s.indexed_passages),
            str(s.documents),
            "stand-in" if s.stand_in_vectors else "model",
            f"{s.build_seconds:.1f}",
            str(s.embedded),
            "–" if rate is None else f"{rate}",
            f"{s.index_mb}",
            f"{s.peak_rss_mb}",
        )
        search.add_row(
            str(s.indexed_passages),
            str(s.planted),
            f"{s.query_p50_ms:.1f}",
            f"{s.query_p95_ms:.1f}",
            *("–" if v is None else f"{v:.3f}" for v in (s.recall5, s.recall10, s.mrr10)),
        )
    console.print(build)
    console.print(search)
    for s in results:
        if s.lexical_paths:
            lexical = Table(title=f"scale: lexical top 50 at {s.indexed_passages} passages")
            for column in PATH_COLUMNS:
                lexical.add_column(column)
            for path in s.lexical_paths:
                lexical.add_row(*path_cells(path))
            console.print(lexical)
    if any(s.stand_in_vectors for s in results):
        console.print(
            "stand-in: filler passages have seeded hash vectors, not the model's; planted facts "
            "and questions use the model, so recall there is not the model's among look-alikes",
            style="dim",
        )


def print_load(report: LoadReport) -> None:
    plan = report.plan
    table = Table(
        title=f"{plan.clients} clients × {plan.seconds:g} s against {plan.url} "
        f"({report.requests} requests, {report.elapsed_seconds} s)"
    )
    for column in ("endpoint", "requests", "errors", "req/s", "mean", "p50", "p95", "p99", "max"):
        table.add_column(column)
    rows = [(e.latency, e.errors, e.requests_per_second) for e in report.endpoints]
    if report.overall is not None:
        rows.append((report.overall, report.error_total, report.requests_per_second))
    for s, errors, rate in rows:
        table.add_row(
            s.endpoint,
            str(s.requests),
            str(errors),
            f"{rate}",
            *(f"{v:.0f}" for v in (s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms)),
        )
    console.print(table)
    console.print("latency in ms, at the client, failed requests included", style="dim")
    for error in report.errors:
        console.print(f"[red]{error.kind}[/red] × {error.count}", highlight=False)
    verdict = "[green]target met[/green]" if report.target_met else "[red]target missed[/red]"
    console.print(
        f"{verdict}: {report.error_total} errors (target 0); throughput "
        f"{report.requests_per_second} requests/s",
        highlight=False,
    )
    console.print(f"rate limit: {report.rate_limit}", highlight=False, style="dim")
