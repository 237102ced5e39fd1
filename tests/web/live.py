"""A live server and Debian's Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

from eval.live_server import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing_message() -> str:
    return (
        f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with "
        "`apt-get install chromium` (`make test` does, when run as root), never with "
        "`playwright install`."
    )


served = serve_in_thread  # the bench's uvicorn-in-a-thread, shared
