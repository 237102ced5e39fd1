"""How uvicorn runs the app: no `server` banner, no access log of its own (ours leaves the question
out) and X-Forwarded-For believed only from configured proxies."""

from __future__ import annotations

from typing import Any

from service.settings import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run(app, **uvicorn_options(settings))`."""
    return {
        "host": settings.host,
        "port": settings.port,
        "server_header": False,
        "access_log": False,
        # uvicorn would otherwise take the client address from X-Forwarded-For whenever the
        # peer is 127.0.0.1; the rate limits resolve it themselves, from trusted_proxies only.
        "proxy_headers": False,
    }


def serve(settings: Settings) -> None:
    import uvicorn

    from service.app import create_app

    uvicorn.run(create_app(settings), **uvicorn_options(settings))
