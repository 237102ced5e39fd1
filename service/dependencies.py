"""Request-scoped access to the long-lived engine created in the app's lifespan, and to the
feedback store."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from service.engine import Engine
from service.feedback import FeedbackStore


def get_engine(request: Request) -> Iterator[Engine]:
    """The current engine, held for the whole request even if a rebuild swaps in a new one."""
    with request.app.state.engines.lease() as engine:
        yield engine


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store
