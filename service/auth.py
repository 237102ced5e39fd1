"""Who may change the corpus: a bearer token from settings guards every write endpoint."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

WRITES_DISABLED = (
    "writes are disabled on this service: set HEALTHQA_ADMIN_TOKEN to a long random string and "
    "restart it, then send `Authorization: Bearer <token>`"
)


def require_admin(request: Request) -> None:
    """403 when no token is configured, 401 when the request's token is missing or wrong."""
    configured = request.app.state.settings.admin_token
    expected = configured.get_secret_value() if configured is not None else ""
    if not expected:
        raise HTTPException(403, WRITES_DISABLED)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), expected.encode("utf-8")
    ):
        raise HTTPException(
            401,
            "a valid admin token is needed: send `Authorization: Bearer <HEALTHQA_ADMIN_TOKEN>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
