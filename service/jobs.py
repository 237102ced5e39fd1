"""Background jobs (index rebuilds after an upload or a deletion, or at start-up when the corpus
and the index differ): one worker thread runs them in order; each job has an id, a state, a
progress message and a result or an error. Jobs are written to a small JSON file, so after a
restart a job still answers — finished, or failed because the service stopped while it waited
or ran."""

from __future__ import annotations

import json
import logging
import os
import queue
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

JobState = Literal["queued", "running", "done", "failed"]
FailureReason = Literal["error", "deleted", "interrupted"]
# A job's work: takes a callback to report progress, returns a short result (or raises).
JobWork = Callable[[Callable[[str], None]], dict[str, object]]
KEEP_JOBS = 200
log = logging.getLogger("healthqa.jobs")


class JobCancelled(RuntimeError):
    """The job's work no longer applies (its document was deleted); `reason` says why."""

    def __init__(self, message: str, reason: FailureReason = "deleted") -> None:
        super().__init__(message)
        self.reason: FailureReason = reason


@dataclass
class Job:
    job_id: str
    description: str
    state: JobState = "queued"
    message: str = "waiting for earlier jobs"
    result: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    reason: FailureReason | None = None
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def wait(self, timeout: float | None = None) -> bool:
        """True once the job is done or failed."""
        return self.done.wait(timeout)

    def record(self) -> dict[str, object]:
        """What is kept across a restart (all but the in-memory event)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "done"}


class JobRunner:
    """A queue and one daemon worker thread; `close()` finishes the running job and stops.
    With `state_file`, jobs are kept there across restarts."""

    def __init__(self, state_file: Path | None = None) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()  # one writer of the state file at a time
        self._state_file = state_file
        self._queue: queue.Queue[tuple[Job, JobWork] | None] = queue.Queue()
        self.interrupted = self._load()
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
        self._save()
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def note_resumed_by(self, jobs: list[Job], resumed_by: Job | None) -> None:
        """Tell the jobs a restart interrupted which start-up job does their work again (None:
        the index already matched the corpus)."""
        for job in jobs:
            if resumed_by is None:
                job.message = (
                    "the service stopped before this job finished; at start-up the index "
                    "already matched the corpus"
                )
            else:
                job.message = (
                    "the service stopped before this job finished; start-up indexes the "
                    f"corpus again: see /api/jobs/{resumed_by.job_id}"
                )
                job.result = {"resumed_by": resumed_by.job_id}
        self._save()

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
                self._save()

            job.state = "running"
            job.message = "started"
            self._save()
            try:
                job.result = work(report)
                job.state = "done"
                job.message = "finished"
            except JobCancelled as cancelled:
                job.error = str(cancelled)
                job.reason = cancelled.reason
                job.state = "failed"
                job.message = "deleted by an administrator"
            except Exception as error:  # a failed job is reported, the worker goes on
                log.exception("job %s (%s) failed", job.job_id, job.description)
                job.error = str(error) or type(error).__name__
                job.reason = "error"
                job.state = "failed"
                job.message = "failed"
            job.finished_at = _now()
            self._save()
            job.done.set()

    def _load(self) -> list[Job]:
        """Jobs kept by an earlier process; those it left unfinished are marked interrupted."""
        if self._state_file is None or not self._state_file.exists():
            return []
        try:
            records = json.loads(self._state_file.read_text(encoding="utf-8"))
            jobs = [Job(**record) for record in records]
        except (OSError, ValueError, TypeError) as error:
            log.warning("could not read the earlier jobs from %s: %s", self._state_file, error)
            return []
        interrupted = []
        for job in jobs:
            if job.state in ("queued", "running"):
                job.state = "failed"
                job.reason = "interrupted"
                job.error = "the service stopped before this job finished"
                job.message = job.error
                job.finished_at = job.finished_at or _now()
                interrupted.append(job)
            job.done.set()
            self._jobs[job.job_id] = job
        self._save()
        return interrupted

    def _save(self) -> None:
        if self._state_file is None:
            return
        with self._save_lock:
            self._write(self._state_file)

    def _write(self, state_file: Path) -> None:
        with self._lock:
            records = [job.record() for job in self._jobs.values()]
        try:
            state_file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=".jobs-", suffix=".part", dir=state_file.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(records, stream, ensure_ascii=False)
            os.replace(temporary, state_file)
        except OSError as error:  # job states are a convenience; the work goes on
            log.warning("could not save job states to %s: %s", state_file, error)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
