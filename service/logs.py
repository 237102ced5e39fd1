"""Logging as the service promises it: our JSON access log (request ids, no question text unless
HEALTHQA_LOG_QUESTIONS) on stderr, and uvicorn's own access log, which writes every query string,
silenced."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

HANDLER_NAME = "healthqa-console"


class ServiceFormatter(logging.Formatter):
    """Access lines as the JSON they are (one object a line); everything else with its time,
    level and logger."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "healthqa.access":
            return record.getMessage()
        return super().format(record)


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged, not when the handler was made:
    a process that swaps stderr (a CLI runner, a daemon redirecting it) never gets lines written
    to a closed stream."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(stream: TextIO | None = None) -> logging.Handler:
    """Idempotent; run at start-up, after the server configured its own loggers."""
    service = logging.getLogger("healthqa")
    if service.level == logging.NOTSET:
        service.setLevel(logging.INFO)
    handler = next((h for h in service.handlers if h.get_name() == HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(stream) if stream is not None else CurrentStderrHandler()
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(ServiceFormatter())
        service.addHandler(handler)
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
    uvicorn_access.disabled = True
    return handler
