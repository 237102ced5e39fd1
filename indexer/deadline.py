"""A cooperative time limit for work done on behalf of one request (or one document): code that
may run long calls `check_deadline()` between steps, and past the limit — or once the caller has
given up — it raises `DeadlineExceeded`, so abandoned work stops instead of holding a core."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class DeadlineExceeded(TimeoutError):
    """The work ran past its time budget or was abandoned by its caller."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self._abandoned = threading.Event()

    def abandon(self) -> None:
        """The caller stopped waiting: the work stops at its next check."""
        self._abandoned.set()

    @property
    def expired(self) -> bool:
        return self._abandoned.is_set() or time.monotonic() >= self.expires_at

    def check(self) -> None:
        if self.expired:
            raise DeadlineExceeded(f"over the time budget of {self.seconds:g} s")


_current: ContextVar[Deadline | None] = ContextVar("healthqa_deadline", default=None)


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Make `deadline` the one `check_deadline()` sees in this thread (or task) until exit."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def check_deadline() -> None:
    """Raise `DeadlineExceeded` when the work in progress is over its budget; no-op outside one."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()
