"""Who may change the corpus: a bearer token from settings guards every write endpoint."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from service.settings import Settings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

WRITES_DISABLED = (
    "writes are disabled on this service: set HEALTHQA_ADMIN_TOKEN to a long random string and "
    "restart it, then send `Authorization: Bearer <token>`"
)


def writes_enabled(settings: Settings) -> bool:
    """No token configured, or an empty one, switches writes off."""
    token = settings.admin_token
    return token is not None and bool(token.get_secret_value())


def admin_refusal(settings: Settings, authorization: str) -> HTTPException | None:
    """Why a write with this Authorization header is refused: 403 when no token is configured,
    401 when the header's token is missing or wrong; None when it may go ahead."""
    if not writes_enabled(settings):
        return HTTPException(403, WRITES_DISABLED)
    assert settings.admin_token is not None
    expected = settings.admin_token.get_secret_value()
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), expected.encode("utf-8")
    ):
        return HTTPException(
            401,
            "a valid admin token is needed: send `Authorization: Bearer <HEALTHQA_ADMIN_TOKEN>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


def require_admin(request: Request) -> None:
    refusal = admin_refusal(request.app.state.settings, request.headers.get("authorization", ""))
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
                    {"detail": refusal.detail},
                    status_code=refusal.status_code,
                    headers=refusal.headers,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
