"""Request-scoped access to the long-lived engine created in the app's lifespan, and to the
feedback store."""

from __future__ import annotations

from fastapi import Request

from service.engine import Engine
from service.feedback import FeedbackStore


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store
