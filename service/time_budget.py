"""The time budget of one request: its work runs in a worker thread under a `Deadline`; past the
budget the request is answered 503 at once and the work is abandoned (it stops at its next
`check_deadline()`)."""

from __future__ import annotations

import concurrent.futures
import contextvars
from collections.abc import Callable
from typing import TypeVar

from fastapi import HTTPException

from indexer.deadline import Deadline, DeadlineExceeded, deadline_scope

T = TypeVar("T")


class RequestWorkers:
    """A fixed pool of threads for request work: a request that times out frees its caller at
    once, and abandoned work can occupy no more threads than the pool has."""

    def __init__(self, threads: int = 4) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="healthqa-request"
        )

    def run(self, work: Callable[[], T], *, seconds: float) -> T:
        """`work()`'s result, or 503 when it takes longer than `seconds` (waiting included)."""
        deadline = Deadline(seconds)
        context = contextvars.copy_context()

        def bounded() -> T:
            with deadline_scope(deadline):
                deadline.check()  # it may have waited for a thread past its budget
                return work()

        future = self._pool.submit(context.run, bounded)
        try:
            return future.result(timeout=seconds)
        except (concurrent.futures.TimeoutError, DeadlineExceeded):
            deadline.abandon()
            future.cancel()
            raise over_budget(seconds) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def over_budget(seconds: float) -> HTTPException:
    return HTTPException(
        503,
        f"this request took longer than {seconds:g} s and was abandoned: ask a shorter "
        "question, or try again in a moment",
        headers={"Retry-After": "5"},
    )
