"""GET /api/jobs/{job_id}: how a background index rebuild is going."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from service.jobs import JobRunner
from service.limits import echoed
from service.schemas import JobOut

router = APIRouter()


@router.get("/api/jobs/{job_id}", response_model=JobOut)
def job_status(job_id: str, request: Request) -> JobOut:
    jobs: JobRunner = request.app.state.jobs
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job with id {echoed(job_id)!r}")
    return JobOut(
        job_id=job.job_id,
        description=job.description,
        state=job.state,
        reason=job.reason,
        message=job.message,
        result=job.result,
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )
