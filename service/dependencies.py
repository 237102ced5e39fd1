"""Request-scoped access to the long-lived engine created in the app's lifespan."""

from __future__ import annotations

from fastapi import Request

from service.engine import Engine


def get_engine(request: Request) -> Engine:
    return request.app.state.engine
