"""The report folder of a benchmark: `bench.md` with `bench.json` (and, with several scale
sizes, `latency_vs_size.png`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from eval.bench import BenchResult
from eval.build_scaling import RUN_COLUMNS, BuildScaling, run_cells
from eval.lexical_paths import PATH_COLUMNS, path_cells
from eval.payload import bench_payload
from eval.plots import latency_by_size
from eval.report import table
from eval.scale import ScaleResult


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
            f"HTTP: {result.http_server}.",
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
        if result.build_workers:
            lines += build_workers_markdown(result.build_workers)
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
                    "vectors",
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
                        "stand-in" if s.stand_in_vectors else "model",
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
        for s in scale:
            if s.lexical_paths:
                lines += [
                    f"### Lexical top 50 at {s.indexed_passages} passages",
                    "",
                    table(PATH_COLUMNS, [path_cells(path) for path in s.lexical_paths]),
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


def build_workers_markdown(scaling: BuildScaling) -> list[str]:
    """Cold builds per worker count (measured), then the 1M-passage projection (labelled so)."""
    measured = table(RUN_COLUMNS, [run_cells(r) for r in scaling.runs])
    projected = table(
        ("cores", "passages", "passages/s (projected)", "hours (projected)"),
        [[p.cores, p.passages, p.passages_per_second, p.hours] for p in scaling.projections],
    )
    return [
        "## Build throughput per worker count",
        "",
        f"Cold builds of `{scaling.corpus}` (empty caches), each in a fresh process allowed as "
        "many cores as it has workers (measured):",
        "",
        measured,
        "",
        f"Parallel efficiency with the most workers, wall clock: processing "
        f"{scaling.process_efficiency}, embedding {scaling.embed_efficiency}; CPU time: "
        f"{scaling.cpu_efficiency}. Projected 1M-passage build ({scaling.basis}):",
        "",
        projected,
        "",
    ]
