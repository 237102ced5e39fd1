"""Load runs (`healthqa load`, `make load`): concurrent clients asking a served instance for a
fixed time, and the summary of what came back (throughput, latency percentiles, errors by kind).
The report files are written by eval/report_load.py."""

from __future__ import annotations

import asyncio
import ipaddress
import math
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
from tqdm import tqdm

from eval.latency import LatencyStats, summarize
from eval.served_process import HEALTH

ASK = "/api/ask"
SEARCH = "/api/search"
Endpoint = Literal["/api/ask", "/api/search"]
SEARCH_K = 10  # what the web chat asks for


class LoadError(RuntimeError):
    """The load test cannot start: no server, no index, a remote URL without consent."""


@dataclass(frozen=True)
class RequestResult:
    endpoint: Endpoint
    seconds: float
    status: int | None  # None when no response came back
    error: str | None  # the error's kind ("HTTP 500", "timeout", …); None for a 2xx


@dataclass(frozen=True)
class LoadPlan:
    url: str
    clients: int
    seconds: float
    ask_share: float  # of requests that are POST /api/ask; the rest GET /api/search
    questions: int
    timeout_seconds: float


@dataclass(frozen=True)
class Host:
    """The load generator's machine: on a small one, client and server share the cores, and a
    high load average before the run means the numbers measured the neighbours too."""

    cpus: int | None
    load_average_1m: float | None


@dataclass(frozen=True)
class EndpointLoad:
    latency: LatencyStats  # over every request, failed ones included: a timeout is slow too
    errors: int
    requests_per_second: float


@dataclass(frozen=True)
class ErrorCount:
    kind: str
    count: int


@dataclass(frozen=True)
class LoadReport:
    plan: LoadPlan
    server: str  # who started the server the numbers came from
    host: Host
    elapsed_seconds: float  # first request sent to last response in
    requests: int
    requests_per_second: float
    overall: LatencyStats | None
    endpoints: tuple[EndpointLoad, ...]
    errors: tuple[ErrorCount, ...]
    error_total: int
    target_met: bool  # the target is zero errors
    rate_limit: str


# --- what to send --------------------------------------------------------------------------------


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs on this machine: localhost, 127.0.0.0/8 or ::1."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    if parsed.scheme not in ("http", "https"):
        return False
    host = parsed.host
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def asks_at(request: int, ask_share: float) -> bool:
    """Whether request number `request` is an /api/ask: spread evenly, so any run of n requests
    holds round(n × share) asks give or take one, without randomness."""
    return math.floor((request + 1) * ask_share) > math.floor(request * ask_share)


def error_kind(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, httpx.ConnectError):
        return "connect error"
    if isinstance(error, httpx.NetworkError):
        return "connection dropped"
    if isinstance(error, httpx.RemoteProtocolError):
        return "protocol error"
    return type(error).__name__


# --- sending it ----------------------------------------------------------------------------------


async def send(http: httpx.AsyncClient, endpoint: Endpoint, question: str) -> RequestResult:
    started = time.perf_counter()
    try:
        if endpoint == ASK:
            response = await http.post(ASK, json={"question": question})
        else:
            response = await http.get(SEARCH, params={"q": question, "k": SEARCH_K})
    except httpx.HTTPError as error:
        return RequestResult(endpoint, time.perf_counter() - started, None, error_kind(error))
    seconds = time.perf_counter() - started
    failed = None if response.is_success else f"HTTP {response.status_code}"
    return RequestResult(endpoint, seconds, response.status_code, failed)


async def check_server(http: httpx.AsyncClient, question: str) -> None:
    """One health check and one request per endpoint before the clock starts: a wrong URL is
    one clear message, not thousands of connect errors, and lazy loading is not timed."""
    try:
        health = await http.get(HEALTH)
    except httpx.HTTPError as error:
        raise LoadError(f"no server at {http.base_url} ({error_kind(error)}: {error})") from error
    if health.status_code != 200:
        raise LoadError(
            f"GET {http.base_url}{HEALTH} answered HTTP {health.status_code}: is it healthqa, "
            "with an index loaded?"
        )
    for endpoint in (ASK, SEARCH):
        warm = await send(http, endpoint, question)
        if warm.error:
            raise LoadError(f"the warm-up {endpoint} failed before the load started: {warm.error}")


async def client(
    http: httpx.AsyncClient,
    number: int,
    questions: Sequence[str],
    ask_share: float,
    deadline: float,
    results: list[RequestResult],
) -> None:
    request = number  # each client starts at its own question and its own place in the mix
    while time.monotonic() < deadline:
        endpoint: Endpoint = ASK if asks_at(request, ask_share) else SEARCH
        results.append(await send(http, endpoint, questions[request % len(questions)]))
        request += 1


async def show_progress(bar: tqdm, results: list[RequestResult], started: float) -> None:
    while True:
        await asyncio.sleep(1.0)
        bar.n = min(bar.total, round(time.monotonic() - started))
        bar.set_postfix(requests=len(results), errors=sum(1 for r in results if r.error))


async def run_load(
    url: str,
    questions: Sequence[str],
    *,
    clients: int,
    seconds: float,
    ask_share: float,
    timeout_seconds: float = 30.0,
    progress: bool = True,
) -> tuple[list[RequestResult], float]:
    """`clients` concurrent clients, each sending one request after another until `seconds`
    have passed (requests in flight then are waited for and counted). Returns every request's
    result and the seconds from the first request sent to the last response."""
    if not questions:
        raise LoadError("no questions to send")
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=timeout_seconds, limits=limits) as http:
        await check_server(http, questions[0])
        results: list[RequestResult] = []
        started = time.monotonic()
        deadline = started + seconds
        with tqdm(
            total=math.ceil(seconds),
            desc=f"{clients} clients",
            bar_format="{desc} |{bar}| {n}/{total} s{postfix}",
            disable=not progress,
        ) as bar:
            ticker = asyncio.create_task(show_progress(bar, results, started))
            try:
                await asyncio.gather(
                    *(
                        client(http, number, questions, ask_share, deadline, results)
                        for number in range(clients)
                    )
                )
            finally:
                ticker.cancel()
            elapsed = time.monotonic() - started
            bar.n = bar.total
            bar.set_postfix(requests=len(results), errors=sum(1 for r in results if r.error))
        return results, elapsed


# --- the report ----------------------------------------------------------------------------------


def rate_limit_note(url: str) -> str:
    if is_loopback_url(url):
        return (
            "POST /api/ask is rate limited per client address, but loopback addresses are exempt "
            "(settings.rate_limit_exempt: 127.0.0.1, ::1), so this run measured the service, "
            "not the limiter; an HTTP 429 here means the server's exemptions were changed."
        )
    return (
        "a remote server limits POST /api/ask per client address (settings.ask_rate_per_minute); "
        "HTTP 429 errors are the limiter working, not the service failing."
    )


def summarize_load(
    plan: LoadPlan,
    results: Sequence[RequestResult],
    elapsed_seconds: float,
    *,
    server: str,
    host: Host,
) -> LoadReport:
    elapsed = max(elapsed_seconds, 1e-9)
    endpoints = []
    for endpoint in (ASK, SEARCH):
        mine = [r for r in results if r.endpoint == endpoint]
        if mine:
            endpoints.append(
                EndpointLoad(
                    latency=summarize(endpoint, [r.seconds for r in mine]),
                    errors=sum(1 for r in mine if r.error),
                    requests_per_second=round(len(mine) / elapsed, 2),
                )
            )
    kinds = Counter(r.error for r in results if r.error)
    errors = tuple(ErrorCount(kind, count) for kind, count in kinds.most_common())
    error_total = sum(kinds.values())
    return LoadReport(
        plan=plan,
        server=server,
        host=host,
        elapsed_seconds=round(elapsed_seconds, 2),
        requests=len(results),
        requests_per_second=round(len(results) / elapsed, 2),
        overall=summarize("all", [r.seconds for r in results]) if results else None,
        endpoints=tuple(endpoints),
        errors=errors,
        error_total=error_total,
        target_met=bool(results) and error_total == 0,
        rate_limit=rate_limit_note(plan.url),
    )


def this_host() -> Host:
    try:
        load = round(os.getloadavg()[0], 2)
    except OSError:
        load = None
    return Host(cpus=os.cpu_count(), load_average_1m=load)


def measure(
    plan: LoadPlan, questions: Sequence[str], *, server: str, host: Host, quiet: bool
) -> LoadReport:
    results, elapsed = asyncio.run(
        run_load(
            plan.url,
            questions,
            clients=plan.clients,
            seconds=plan.seconds,
            ask_share=plan.ask_share,
            timeout_seconds=plan.timeout_seconds,
            progress=not quiet,
        )
    )
    return summarize_load(plan, results, elapsed, server=server, host=host)


def ensure_index(index_dir: Path, store: str | None) -> None:
    """The server started for a load run serves what settings name: the embedded index in
    `index_dir`, or the PostgreSQL database of `store`."""
    from indexer.store.locations import location_for

    location = location_for(index_dir, store)
    if location.current_build() is None:
        raise LoadError(
            f"no index in {location.describe()} to serve: run `make index` (or `healthqa index`) "
            "first, or give --url of a running server"
        )
