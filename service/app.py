"""The FastAPI application factory: `create_app(settings)`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.build import is_current
from indexer.store.locations import location_for
from service.auth import WriteGuard
from service.engine import Engine, EngineHolder, load_engine, model_id_for
from service.errors import ErrorCode, error_body
from service.feedback import open_feedback_store
from service.hardening import BodySizeLimit, RateLimit, RequestLog, SecurityHeaders
from service.jobs import JobRunner
from service.limits import echoed
from service.logs import configure_logging
from service.pdf_pages import PdfPageFinder
from service.rebuild import rebuild_and_swap
from service.routes import (
    ask,
    documents,
    feedback,
    health,
    indicators,
    jobs,
    pages,
    search,
    uploads,
)
from service.settings import Settings
from service.time_budget import RequestWorkers
from service.uploads import UploadLimits
from service.watch import IndexWatcher

JOBS_FILE = "jobs.json"  # in the index folder: job states outlive a restart
# The API docs' pages load Swagger UI and ReDoc from a CDN and run an inline script.
API_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com; "
    "worker-src blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
log = logging.getLogger("healthqa.app")


def readable_errors(error: RequestValidationError) -> str:
    """One sentence per problem: `k: must be at most 50`."""
    return "; ".join(
        f"{item['where'] or 'request'}: {item['msg']}" for item in echoed_errors(error)
    )


def echoed_errors(error: RequestValidationError) -> list[dict[str, str]]:
    """What was wrong and where, never the value sent: it may be huge, not finite (1e999, NaN)
    or hold lone surrogates, none of which JSON can carry back."""
    errors = []
    for item in error.errors():
        where = ".".join(
            echoed(str(part)) for part in item.get("loc", ()) if part not in ("query", "body")
        )
        errors.append(
            {
                "where": where,
                "msg": echoed(str(item.get("msg", "invalid")), 300),
                "type": item.get("type", ""),
            }
        )
    return errors


def validation_problem(error: RequestValidationError) -> tuple[ErrorCode, dict[str, int]]:
    """The question's own problems have codes of their own (a too long one with its length and
    the limit, as numbers, never the text); anything else is a bad request."""
    for item in error.errors():
        if tuple(item.get("loc", ()))[-1:] != ("question",):
            continue
        if item.get("type") == "string_too_long":
            sent = item.get("input")
            extra = {"limit": int((item.get("ctx") or {}).get("max_length", 0))}
            if isinstance(sent, str):
                extra["length"] = len(sent)
            return ErrorCode.QUESTION_TOO_LONG, extra
        if item.get("type") == "string_too_short":
            return ErrorCode.QUESTION_EMPTY, {}
    return ErrorCode.BAD_REQUEST, {}


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()  # after the server set up its own loggers
        # An engine passed in belongs to the caller; one loaded here (or swapped in after a
        # rebuild) belongs to the holder and is closed by it.
        app.state.engines = EngineHolder(engine or load_engine(settings), owned=engine is None)
        app.state.jobs = JobRunner(settings.index_dir / JOBS_FILE)
        # a second lifespan over the same app (a test harness starting it again) gets its own
        # pool and gives the outer one back when it ends
        outer_workers = getattr(app.state, "request_workers", None)
        app.state.request_workers = RequestWorkers()
        watcher = None
        if engine is None:
            reconcile(settings, app.state.engines, app.state.jobs)
            if settings.watch_index_seconds > 0:
                watcher = IndexWatcher(settings, app.state.engines).start()
        yield
        if watcher is not None:
            watcher.stop()
        app.state.request_workers.close()
        if outer_workers is not None:
            app.state.request_workers = outer_workers
        app.state.jobs.close()
        app.state.engines.close()

    docs = settings.api_docs
    app = FastAPI(
        title="healthqa",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.settings = settings
    app.state.feedback_store = open_feedback_store(settings)
    # pages of original PDFs, for links to the cited page: read within an upload's limits
    upload_limits = UploadLimits.from_settings(settings)
    app.state.pdf_pages = PdfPageFinder(
        limits=upload_limits.reading, max_pages=upload_limits.max_pages
    )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        code, numbers = validation_problem(error)
        return JSONResponse(
            status_code=422,
            content=error_body(
                code, readable_errors(error), errors=echoed_errors(error), **numbers
            ),
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        # logged by the server; the client gets a code, never a traceback
        return JSONResponse(
            status_code=500,
            content=error_body(ErrorCode.INTERNAL, "internal error: try again in a moment"),
        )

    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(uploads.router)
    app.include_router(jobs.router)
    app.include_router(feedback.router)
    app.include_router(indicators.router)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, pages.html_not_found)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    harden(app, settings)
    return app


def reconcile(settings: Settings, engines: EngineHolder, runner: JobRunner) -> None:
    """A corpus that differs from the current build — an upload stored but never indexed (the
    process was killed), a file added or removed while the service was down — is indexed in
    the background; the current build answers meanwhile."""
    location = location_for(settings.index_dir, settings.store)
    try:
        if is_current(location, settings.corpus_dir, model_id_for(settings)):
            runner.note_resumed_by(runner.interrupted, None)
            return
    except Exception:  # an unreadable corpus folder: the service still answers
        log.warning("could not compare the corpus with the index", exc_info=True)
        return
    job = runner.submit(
        "index the corpus: it differs from the current build",
        lambda report: rebuild_and_swap(settings, engines, report),
    )
    runner.note_resumed_by(runner.interrupted, job)
    log.info("the corpus differs from the current build: indexing it (job %s)", job.job_id)


def harden(app: FastAPI, settings: Settings) -> None:
    """Middleware, innermost first: rate limits, body limits, the admin token on writes
    (checked before any body is read), CORS (only if configured), security headers, request
    ids and access logs."""
    limits = {
        "/api/ask": (settings.ask_rate_per_minute, settings.ask_rate_per_day, None, "questions"),
        "/api/search": (
            settings.search_rate_per_minute,
            settings.search_rate_per_day,
            None,
            "searches",
        ),
        "/api/feedback": (
            settings.feedback_rate_per_minute,
            settings.feedback_rate_per_day,
            ("POST", "PATCH"),
            "feedback",
        ),
    }
    signed_in = [
        token.get_secret_value()
        for token in (settings.admin_token, settings.reviewer_token)
        if token is not None
    ]
    for path, (per_minute, per_day, methods, what) in limits.items():
        many = "much" if what == "feedback" else "many"
        app.add_middleware(
            RateLimit,
            paths=(path,),
            per_minute=per_minute,
            per_day=per_day,
            sessions_per_address=settings.rate_limit_sessions_per_address,
            exempt=settings.rate_limit_exempt,
            trusted_proxies=settings.trusted_proxies,
            signed_in_tokens=signed_in,
            methods=methods,
            message=f"too {many} {what} from this browser or address; wait a moment and try again",
            day_message=f"too {many} {what} from this browser or address today (at most "
            f"{per_day} a day); try again tomorrow",
        )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        per_path={
            # an upload is the file plus its multipart framing and a few metadata fields
            "/api/documents": settings.max_upload_bytes + 64_000,
            "/api/feedback": settings.max_feedback_body_bytes,
        },
    )
    app.add_middleware(WriteGuard, settings=settings, prefixes=("/api/documents",))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    docs_csp = {"/docs": API_DOCS_CSP, "/redoc": API_DOCS_CSP} if settings.api_docs else {}
    app.add_middleware(SecurityHeaders, csp_by_path=docs_csp)
    app.add_middleware(RequestLog, log_questions=settings.log_questions)
