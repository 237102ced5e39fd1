"""Who may change the corpus and who may read what officials asked: bearer tokens from settings
guard every write endpoint (the admin token) and the feedback read-out (admin or reviewer)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import code_for_status, error_body

if TYPE_CHECKING:
    from pydantic import SecretStr

    from service.settings import Settings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

WRITES_DISABLED = (
    "writes are disabled on this service: set HEALTHQA_ADMIN_TOKEN to a long random string and "
    "restart it, then send `Authorization: Bearer <token>`"
)


FEEDBACK_READS_DISABLED = (
    "reading feedback is disabled on this service: set HEALTHQA_REVIEWER_TOKEN (or "
    "HEALTHQA_ADMIN_TOKEN) and send `Authorization: Bearer <token>`"
)


def _configured(token: SecretStr | None) -> str | None:
    return (token.get_secret_value() or None) if token is not None else None


def writes_enabled(settings: Settings) -> bool:
    """No token configured, or an empty one, switches writes off."""
    return _configured(settings.admin_token) is not None


def _presented(authorization: str, expected: list[str]) -> bool:
    """Whether the header carries one of the expected tokens (each compared in constant time)."""
    scheme, _, given = authorization.partition(" ")
    presented = given.strip().encode("utf-8", "surrogateescape")
    matches = [hmac.compare_digest(presented, token.encode("utf-8")) for token in expected]
    return scheme.lower() == "bearer" and any(matches)


def admin_refusal(settings: Settings, authorization: str) -> HTTPException | None:
    """Why a write with this Authorization header is refused: 403 when no token is configured,
    401 when the header's token is missing or wrong; None when it may go ahead."""
    admin = _configured(settings.admin_token)
    if admin is None:
        return HTTPException(403, WRITES_DISABLED)
    if not _presented(authorization, [admin]):
        return HTTPException(
            401,
            "a valid admin token is needed: send `Authorization: Bearer <HEALTHQA_ADMIN_TOKEN>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


def reviewer_refusal(settings: Settings, authorization: str) -> HTTPException | None:
    """Why reading feedback with this Authorization header is refused (the admin or the
    reviewer token opens it); None when it may go ahead."""
    tokens = [
        token
        for token in (_configured(settings.admin_token), _configured(settings.reviewer_token))
        if token is not None
    ]
    if not tokens:
        return HTTPException(403, FEEDBACK_READS_DISABLED)
    if not _presented(authorization, tokens):
        return HTTPException(
            401,
            "feedback holds what officials asked: send `Authorization: Bearer "
            "<HEALTHQA_REVIEWER_TOKEN>` (or the admin token)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


def require_admin(request: Request) -> None:
    refusal = admin_refusal(request.app.state.settings, request.headers.get("authorization", ""))
    if refusal is not None:
        raise refusal


def require_reviewer(request: Request) -> None:
    settings = request.app.state.settings
    refusal = reviewer_refusal(settings, request.headers.get("authorization", ""))
    if refusal is not None:
        raise refusal


class WriteGuard:
    """Refuses an unauthorised write before its body is read: FastAPI parses a multipart upload
    before running the route's dependencies, so `require_admin` alone would read 25 MB first."""

    def __init__(self, app: ASGIApp, *, settings: Settings, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.settings = settings
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in WRITE_METHODS
            and scope["path"].startswith(self.prefixes)
        ):
            refusal = admin_refusal(self.settings, Headers(scope=scope).get("authorization", ""))
            if refusal is not None:
                response = JSONResponse(
                    error_body(code_for_status(refusal.status_code), refusal.detail),
                    status_code=refusal.status_code,
                    headers=refusal.headers,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
