"""Peak memory: the process's resident high-water mark, and Python's own heap peak over a call.

`ru_maxrss` never goes down, so it is the peak of everything the process did so far; the scale
benchmark therefore runs each size in a child process of its own.
"""

from __future__ import annotations

import resource
import sys
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def python_heap_peak(call: Callable[[], Result]) -> tuple[Result, float]:
    """Run `call` under tracemalloc; returns its result and the peak Python heap in MiB.

    Only allocations made through Python's allocators count (numpy arrays do; FAISS and the
    embedding engine's C buffers do not), and tracing slows Python code about threefold, so it
    is used on a short pass, never on a timed one.
    """
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not already:
            tracemalloc.stop()
    return result, round(peak / (1024 * 1024), 1)
