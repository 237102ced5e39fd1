"""`healthqa bench`: latency in-process and over HTTP, index build times, build throughput per
worker count, embedding throughput per backend and peak memory, gathered into one result."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
from fastapi.testclient import TestClient

from eval.build_scaling import WORKER_COUNTS, BuildScaling, measure_build_scaling
from eval.build_timing import BuildTimes, time_builds
from eval.latency import LatencyStats, bench_endpoints, endpoint_calls
from eval.live_server import serve_in_thread
from eval.memory import peak_rss_mb, python_heap_peak
from eval.served_process import served_subprocess
from eval.throughput import EmbeddingThroughput, measure_throughput, sample_texts
from service.app import create_app
from service.engine import Engine, embedder_factory, make_embedder, model_id_for
from service.settings import Settings


@dataclass(frozen=True)
class Machine:
    """Where the numbers were taken; OpenMP's wait policy is recorded because an actively
    spinning OpenMP pool (torch arrives with underthesea) makes in-process latency several
    times worse on a small machine, and numbers taken with and without it do not compare."""

    cpus: int | None
    platform: str
    python: str
    omp_wait_policy: str | None
    omp_num_threads: str | None


def this_machine() -> Machine:
    return Machine(
        cpus=os.cpu_count(),
        platform=platform.platform(),
        python=platform.python_version(),
        omp_wait_policy=os.environ.get("OMP_WAIT_POLICY"),
        omp_num_threads=os.environ.get("OMP_NUM_THREADS"),
    )


@dataclass(frozen=True)
class MemoryUse:
    peak_rss_mb: float  # the whole bench process at its peak (builds and models included)
    search_heap_mb: float  # Python heap peak over one pass of /api/search (tracemalloc)


# Where the HTTP server runs: "process" is `healthqa serve` in a process of its own, as it is
# deployed; "thread" is uvicorn in a thread of the bench's own process, sharing its interpreter
# (and its GIL) with the timing client, which adds its own wait to every request.
HttpServer = Literal["process", "thread"]
HTTP_SERVERS: dict[HttpServer, str] = {
    "process": "healthqa serve in a process of its own",
    "thread": "uvicorn in a thread of the bench process",
}


@dataclass(frozen=True)
class BenchResult:
    index: str
    passages: int
    questions: int
    in_process: tuple[LatencyStats, ...]
    http_server: str  # HTTP_SERVERS' words for where the HTTP numbers were taken
    http: tuple[LatencyStats, ...]
    builds: BuildTimes | None
    build_workers: BuildScaling | None  # cold builds with 1, 2 … workers, and the projection
    throughput: tuple[EmbeddingThroughput, ...]
    memory: MemoryUse
    machine: Machine


def run_bench(
    settings: Settings,
    engine: Engine,
    questions: Sequence[str],
    *,
    rounds: int = 3,
    http_requests: int = 60,
    http_server: HttpServer = "process",
    build_corpus: Path | None = None,
    backends: Sequence[str] = (),
    throughput_passages: int = 64,
    worker_counts: Sequence[int] = WORKER_COUNTS,
    on_step: Callable[[str], None] | None = None,
) -> BenchResult:
    def step(message: str) -> None:
        if on_step:
            on_step(message)

    app = create_app(settings, engine)
    step(f"in-process latency: {rounds} rounds over {len(questions)} questions")
    with TestClient(app) as client:
        in_process = bench_endpoints(client, questions, rounds=rounds)
        search = endpoint_calls(client)["/api/search"]
        _, search_heap = python_heap_peak(lambda: [search(q) for q in questions])
    step(
        f"over-HTTP latency: {HTTP_SERVERS[http_server]} on 127.0.0.1, "
        f"{http_requests} requests per endpoint"
    )
    with served(http_server, settings, engine) as base_url:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            http = bench_endpoints(client, questions, requests=http_requests)
    builds = None
    build_workers = None
    if build_corpus is not None:
        step(f"index build times on {build_corpus} (cold: no cache)")
        builds = time_builds(
            build_corpus, lambda: make_embedder(settings), model_id=model_id_for(settings)
        )
        if worker_counts:
            build_workers = measure_build_scaling(
                build_corpus,
                embedder_factory(settings),
                model_id=model_id_for(settings),
                worker_counts=worker_counts,
                on_step=step,
            )
    throughput = []
    texts = sample_texts(engine.index.store, throughput_passages)
    for backend in backends:
        step(f"embedding throughput: {backend}, {len(texts)} passages")
        throughput.append(measure_throughput(backend, texts))
    return BenchResult(
        index=engine.index.where,
        passages=engine.index.store.passage_count(),
        questions=len(questions),
        in_process=tuple(in_process),
        http_server=HTTP_SERVERS[http_server],
        http=tuple(http),
        builds=builds,
        build_workers=build_workers,
        throughput=tuple(throughput),
        memory=MemoryUse(peak_rss_mb=peak_rss_mb(), search_heap_mb=search_heap),
        machine=this_machine(),
    )


@contextmanager
def served(server: HttpServer, settings: Settings, engine: Engine) -> Iterator[str]:
    """The base URL of a server over the bench's index; the process one is started with the same
    index and store, and the rest of its settings from the same environment and .env file."""
    if server == "thread":
        with serve_in_thread(create_app(settings, engine)) as base_url:
            yield base_url
        return
    with tempfile.TemporaryDirectory(prefix="healthqa-bench-") as scratch:
        log = Path(scratch) / "server.log"
        with served_subprocess(settings.index_dir, log, store=settings.store) as base_url:
            yield base_url
