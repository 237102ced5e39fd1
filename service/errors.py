"""The API's error codes: every JSON error carries a stable `code` next to its readable `detail`,
so a page can show its own words in its own language instead of the server's English text.
This module is the one place the codes are defined."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"  # malformed or invalid input (422, 400, 405)
    QUESTION_EMPTY = "question_empty"
    QUESTION_TOO_LONG = "question_too_long"  # with `length` and `limit`
    NOT_FOUND = "not_found"
    BODY_TOO_LARGE = "body_too_large"  # with `limit` (bytes)
    RATE_LIMITED = "rate_limited"  # per minute; Retry-After says when
    DAILY_LIMIT = "daily_limit"  # per day; Retry-After says when
    TIMEOUT = "timeout"  # over the time budget (HEALTHQA_REQUEST_SECONDS)
    UNAUTHORIZED = "unauthorized"  # a token is needed, or the one sent is wrong
    FORBIDDEN = "forbidden"  # switched off on this service
    CONFLICT = "conflict"
    UNSUPPORTED_FILE = "unsupported_file"
    INTERNAL = "internal_error"


# What an error means when the code raising it named no code of its own.
BY_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.BAD_REQUEST,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_FILE,
    422: ErrorCode.BAD_REQUEST,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.TIMEOUT,  # the only 503 the service gives is the time budget's
}


def code_for_status(status: int) -> ErrorCode:
    if status in BY_STATUS:
        return BY_STATUS[status]
    return ErrorCode.INTERNAL if status >= 500 else ErrorCode.BAD_REQUEST


class ApiError(HTTPException):
    """An HTTP error with its code and, in `extra`, the numbers a page may show in its own words
    (`{"length": 2999, "limit": 2000}`)."""

    def __init__(
        self,
        status_code: int,
        code: ErrorCode,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: int | str,
    ) -> None:
        super().__init__(status_code, detail, headers=headers)
        self.code = code
        self.extra = extra


def error_body(code: ErrorCode, detail: Any, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": str(code), **extra}


def error_response(error: HTTPException) -> JSONResponse:
    """The JSON body of an HTTP error: `detail`, `code`, and any extra numbers."""
    code = getattr(error, "code", None) or code_for_status(error.status_code)
    extra = getattr(error, "extra", {})
    return JSONResponse(
        error_body(code, error.detail, **extra),
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )
