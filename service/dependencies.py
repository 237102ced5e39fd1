"""Request-scoped access to what the app's lifespan created: the engine, the request workers, the
job runner, the settings, the feedback store and the pages of original PDFs."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from service.engine import Engine
from service.feedback import FeedbackStore
from service.jobs import JobRunner
from service.pdf_pages import PdfPageFinder
from service.settings import Settings
from service.time_budget import RequestWorkers


def get_engine(request: Request) -> Iterator[Engine]:
    """The current engine, held for the whole request even if a rebuild swaps in a new one."""
    with request.app.state.engines.lease() as engine:
        yield engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_request_workers(request: Request) -> RequestWorkers:
    return request.app.state.request_workers


def get_pdf_pages(request: Request) -> PdfPageFinder:
    return request.app.state.pdf_pages


def get_jobs(request: Request) -> JobRunner:
    return request.app.state.jobs


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store
