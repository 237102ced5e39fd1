"""The FastAPI application factory: `create_app(settings)`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.auth import WriteGuard
from service.engine import Engine, EngineHolder, load_engine
from service.feedback import open_feedback_store
from service.hardening import BodySizeLimit, RateLimit, RequestLog, SecurityHeaders
from service.jobs import JobRunner
from service.routes import ask, documents, feedback, health, jobs, pages, search, uploads
from service.settings import Settings
from service.watch import IndexWatcher


def readable_errors(error: RequestValidationError) -> str:
    """One sentence per problem: `k: must be at most 50`."""
    messages = []
    for item in error.errors():
        where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "body"))
        messages.append(f"{where or 'request'}: {item.get('msg', 'invalid')}")
    return "; ".join(messages)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # An engine passed in belongs to the caller; one loaded here (or swapped in after a
        # rebuild) belongs to the holder and is closed by it.
        app.state.engines = EngineHolder(engine or load_engine(settings), owned=engine is None)
        app.state.jobs = JobRunner()
        watcher = None
        if engine is None and settings.watch_index_seconds > 0:
            watcher = IndexWatcher(settings, app.state.engines).start()
        yield
        if watcher is not None:
            watcher.stop()
        app.state.jobs.close()
        app.state.engines.close()

    app = FastAPI(title="healthqa", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.feedback_store = open_feedback_store(settings)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={"detail": readable_errors(error), "errors": jsonable_encoder(error.errors())},
        )

    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(uploads.router)
    app.include_router(jobs.router)
    app.include_router(feedback.router)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, pages.html_not_found)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    harden(app, settings)
    return app


def harden(app: FastAPI, settings: Settings) -> None:
    """Middleware, innermost first: rate limit, body limit, the admin token on writes (checked
    before any body is read), CORS (only if configured), security headers, request ids and
    access logs."""
    app.add_middleware(
        RateLimit,
        paths=("/api/ask",),
        per_minute=settings.ask_rate_per_minute,
        exempt=settings.rate_limit_exempt,
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        # an upload is the file plus its multipart framing and a few metadata fields
        per_path={"/api/documents": settings.max_upload_bytes + 64_000},
    )
    app.add_middleware(WriteGuard, settings=settings, prefixes=("/api/documents",))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog, log_questions=settings.log_questions)
