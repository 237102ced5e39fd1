"""Build throughput per worker count: cold builds of a corpus with N worker processes, each build
in a fresh process allowed N cores (as on an N-core machine with the default settings), and the
1M-passage build time projected from them for machines with more cores.

The projection is made from CPU time, not wall-clock time: on a machine other jobs share, a
second core is not free, and wall-clock speed-up measures them as much as the build. CPU
seconds per passage with one worker say how fast one core builds; the CPU time N workers spend
on the same corpus says what parallelism costs (each worker loads its own models)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.build import build_index
from indexer.embed.base import Embedder

WORKER_COUNTS = (1, 2)
PROJECTED_CORES = (2, 8, 16)
PROJECTED_PASSAGES = 1_000_000
PROJECTION_BASIS = (
    "projection, not a measurement: passages per CPU-second with one worker × cores × the CPU "
    "efficiency measured with the most workers (at most 1), cores assumed free of other work"
)


@dataclass(frozen=True)
class WorkerRun:
    """One cold build (fresh folder, empty caches) with `workers` processes on as many cores."""

    workers: int
    cores: int | None  # cores the build was allowed (None: could not be limited here)
    documents: int
    passages: int
    seconds: float  # the whole build, worker start-up and model loading included
    process_seconds: float
    embed_seconds: float
    passages_per_second: float  # of the whole build
    cpu_seconds: float  # user + system time of the build and its workers
    passages_per_cpu_second: float
    processed_per_second: float  # passages processed per second of processing
    embedded_per_second: float  # passages embedded per second of embedding


RUN_COLUMNS = (
    "workers",
    "cores",
    "passages",
    "build s",
    "processing s",
    "embedding s",
    "passages/s",
    "embedded/s",
    "CPU s",
)


def run_cells(run: WorkerRun) -> list[str]:
    """A run as the reports show it, in RUN_COLUMNS order."""
    return [
        str(run.workers),
        str(run.cores or "–"),
        str(run.passages),
        f"{run.seconds:.1f}",
        f"{run.process_seconds:.1f}",
        f"{run.embed_seconds:.1f}",
        f"{run.passages_per_second}",
        f"{run.embedded_per_second}",
        f"{run.cpu_seconds:.1f}",
    ]


@dataclass(frozen=True)
class BuildProjection:
    cores: int
    passages: int
    passages_per_second: float
    seconds: float
    hours: float


@dataclass(frozen=True)
class BuildScaling:
    corpus: str
    runs: tuple[WorkerRun, ...]
    # each stage's wall-clock rate with the most workers over workers × its rate with one
    process_efficiency: float | None
    embed_efficiency: float | None
    # CPU seconds with one worker over CPU seconds with the most (the cost of parallelism)
    cpu_efficiency: float | None
    projections: tuple[BuildProjection, ...]
    basis: str = PROJECTION_BASIS


def measure_build_scaling(
    corpus_dir: Path,
    embedder_factory: Callable[[], Embedder],
    *,
    model_id: str,
    worker_counts: Sequence[int] = WORKER_COUNTS,
    cores: Sequence[int] = PROJECTED_CORES,
    on_step: Callable[[str], None] | None = None,
) -> BuildScaling:
    """A cold build per worker count, each in its own process (`embedder_factory` must pickle)."""
    runs = []
    for workers in worker_counts:
        if on_step:
            on_step(f"cold build of {corpus_dir} with {workers} worker(s)")
        runs.append(cold_build_isolated(corpus_dir, embedder_factory, model_id, workers))
    return scaling_from(str(corpus_dir), runs, cores)


def cold_build_isolated(
    corpus_dir: Path, embedder_factory: Callable[[], Embedder], model_id: str, workers: int
) -> WorkerRun:
    """One cold build in a fresh process, so that no model, thread pool or cache of this one is
    reused and the process can be held to `workers` cores."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(cold_build, corpus_dir, embedder_factory, model_id, workers).result()


def cold_build(
    corpus_dir: Path, embedder_factory: Callable[[], Embedder], model_id: str, workers: int
) -> WorkerRun:
    """Held to `workers` cores where the system allows (before any thread pool starts: OpenMP
    sizes its pool by them, and the build's workers inherit them), a build into a throw-away
    folder."""
    cores = allow_cores(workers)
    cpu_before = _cpu_seconds()
    with tempfile.TemporaryDirectory(prefix="healthqa-workers-") as temporary:
        report = build_index(
            corpus_dir,
            Path(temporary) / "index",
            embedder_factory,
            model_id=model_id,
            progress=False,
            workers=workers,
        )
    cpu_seconds = _cpu_seconds() - cpu_before  # the build's workers have all exited by now
    return WorkerRun(
        workers=workers,
        cores=cores,
        documents=report.documents,
        passages=report.passages,
        seconds=round(report.seconds, 2),
        process_seconds=round(report.process_seconds, 2),
        embed_seconds=round(report.embed_seconds, 2),
        passages_per_second=_rate(report.passages, report.seconds),
        cpu_seconds=round(cpu_seconds, 2),
        passages_per_cpu_second=_rate(report.passages, cpu_seconds),
        processed_per_second=_rate(report.passages, report.process_seconds),
        embedded_per_second=_rate(report.embedded, report.embed_seconds),
    )


def allow_cores(count: int) -> int | None:
    """Limit this process (and the processes it starts) to `count` of the cores it may use."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    if count < len(allowed):
        os.sched_setaffinity(0, allowed[:count])
    return min(count, len(allowed))


def scaling_from(
    corpus: str, runs: Sequence[WorkerRun], cores: Sequence[int] = PROJECTED_CORES
) -> BuildScaling:
    """The efficiencies and the projection from measured runs (one of them with one worker)."""
    single = next((run for run in runs if run.workers == 1), None)
    widest = max(runs, key=lambda run: run.workers, default=None)
    if single is None or widest is None:
        return BuildScaling(corpus, tuple(runs), None, None, None, ())
    process_efficiency = _efficiency(
        single.processed_per_second, widest.processed_per_second, widest.workers
    )
    embed_efficiency = _efficiency(
        single.embedded_per_second, widest.embedded_per_second, widest.workers
    )
    cpu_efficiency = (
        single.cpu_seconds / widest.cpu_seconds * widest.passages / single.passages
        if widest.cpu_seconds and single.passages
        else 1.0
    )
    projections = []
    for count in cores:
        rate = single.passages_per_cpu_second * count * min(cpu_efficiency, 1.0)
        if not rate:
            continue
        seconds = PROJECTED_PASSAGES / rate
        projections.append(
            BuildProjection(
                cores=count,
                passages=PROJECTED_PASSAGES,
                passages_per_second=round(rate, 1),
                seconds=round(seconds),
                hours=round(seconds / 3600, 2),
            )
        )
    return BuildScaling(
        corpus,
        tuple(runs),
        round(process_efficiency, 3),
        round(embed_efficiency, 3),
        round(cpu_efficiency, 3),
        tuple(projections),
    )


def _efficiency(single_rate: float, widest_rate: float, workers: int) -> float:
    """How much of `workers` times the one-worker rate the widest run reached."""
    if workers == 1 or not single_rate:
        return 1.0
    return widest_rate / (workers * single_rate)


def _rate(passages: int, seconds: float) -> float:
    return round(passages / seconds, 2) if passages and seconds else 0.0


def _cpu_seconds() -> float:
    """User + system CPU time of this process and of its children that have exited."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
