"""Background jobs (index rebuilds after an upload or a deletion): one worker thread runs them
in order; each job has an id, a state, a progress message and a result or an error."""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

JobState = Literal["queued", "running", "done", "failed"]
# A job's work: takes a callback to report progress, returns a short result (or raises).
JobWork = Callable[[Callable[[str], None]], dict[str, object]]
KEEP_JOBS = 200
log = logging.getLogger("healthqa.jobs")


@dataclass
class Job:
    job_id: str
    description: str
    state: JobState = "queued"
    message: str = "waiting for earlier jobs"
    result: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def wait(self, timeout: float | None = None) -> bool:
        """True once the job is done or failed."""
        return self.done.wait(timeout)


class JobRunner:
    """A queue and one daemon worker thread; `close()` finishes the running job and stops."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Job, JobWork] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="healthqa-jobs", daemon=True)
        self._worker.start()

    def submit(self, description: str, work: JobWork) -> Job:
        job = Job(job_id=uuid.uuid4().hex, description=description)
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > KEEP_JOBS:
                oldest = next(iter(self._jobs.values()))
                if not oldest.done.is_set():
                    break
                self._jobs.popitem(last=False)
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self, timeout: float | None = 60) -> None:
        self._queue.put(None)
        self._worker.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, work = item

            def report(message: str, job: Job = job) -> None:
                job.message = message

            job.state = "running"
            job.message = "started"
            try:
                job.result = work(report)
                job.state = "done"
                job.message = "finished"
            except Exception as error:  # a failed job is reported, the worker goes on
                log.exception("job %s (%s) failed", job.job_id, job.description)
                job.error = str(error) or type(error).__name__
                job.state = "failed"
                job.message = "failed"
            job.finished_at = _now()
            job.done.set()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
