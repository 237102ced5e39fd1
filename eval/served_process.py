"""`healthqa serve` in a process of its own on 127.0.0.1 and a free port: what the load script
drives, so that the clients do not share the server's interpreter."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HEALTH = "/healthz"
SERVER_START_SECONDS = 180.0  # loading the models on a small, busy machine takes a while
SERVER_STOP_SECONDS = 30.0


class LoadServerError(RuntimeError):
    pass


def free_loopback_port() -> int:
    # The port is free when asked; another process could take it before the server binds, in
    # which case the server fails to start and says so.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthqa_command() -> str:
    beside_python = Path(sys.executable).parent / "healthqa"
    found = str(beside_python) if beside_python.exists() else shutil.which("healthqa")
    if found is None:
        raise LoadServerError("the `healthqa` command is not installed: run `make setup`")
    return found


@contextmanager
def served_subprocess(
    index_dir: Path, log_path: Path, *, store: str | None = None
) -> Iterator[str]:
    """`healthqa serve` on 127.0.0.1 and a free port, in its own process so the clients do not
    share its interpreter; yields the base URL once /healthz answers, stops it when done."""
    port = free_loopback_port()
    command = [
        healthqa_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--index-dir",
        str(index_dir),
        *(["--store", store] if store else []),
    ]
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        # the server's access log goes to a file: a pipe nobody reads would fill and block it
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(url, process, log_path)
            yield url
        finally:
            stop(process)


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LoadServerError(
                f"`healthqa serve` exited with code {process.returncode} before answering; "
                f"its log ({log_path}) ends:\n{log_tail(log_path)}"
            )
        try:
            if httpx.get(url + HEALTH, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise LoadServerError(
        f"`healthqa serve` did not answer {HEALTH} within {SERVER_START_SECONDS:g} s"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first, so uvicorn finishes its requests and runs the lifespan shutdown."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def log_tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
