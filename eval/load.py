"""`python -m eval.load` (`make load`): concurrent clients asking a served instance for a fixed
time, and the report of what came back (throughput, latency percentiles, errors by kind)."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import math
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import httpx
import typer
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from eval.latency import LatencyStats, summarize
from eval.served_process import HEALTH, LoadServerError, served_subprocess

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


def load_markdown(report: LoadReport) -> str:
    plan = report.plan
    ask_percent = round(plan.ask_share * 100)
    lines = [
        "# Load test",
        "",
        f"{plan.clients} concurrent clients for {plan.seconds:g} s against {plan.url} "
        f"({report.server}): {ask_percent}% POST /api/ask, {100 - ask_percent}% GET /api/search "
        f"(k={SEARCH_K}), cycling through {plan.questions} questions; "
        f"{plan.timeout_seconds:g} s timeout per request.",
        "",
        f"**{'Target met' if report.target_met else 'Target missed'}** (0 errors): "
        f"{report.error_total} errors in {report.requests} requests, "
        f"{report.requests_per_second} requests/s over {report.elapsed_seconds} s.",
        "",
        "| endpoint | requests | errors | req/s | mean ms | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(e.latency, e.errors, e.requests_per_second) for e in report.endpoints]
    if report.overall is not None:
        rows.append((report.overall, report.error_total, report.requests_per_second))
    for s, errors, rate in rows:
        lines.append(
            f"| {s.endpoint} | {s.requests} | {errors} | {rate} | {s.mean_ms:.0f} | "
            f"{s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} | {s.max_ms:.0f} |"
        )
    by_kind = ", ".join(f"{e.kind} × {e.count}" for e in report.errors) or "none"
    lines += ["", f"Errors by kind: {by_kind}.", ""]
    lines += [f"Rate limit: {report.rate_limit}", ""]
    host = report.host
    lines += [
        f"Machine: {host.cpus} CPUs shared by the clients and the server; 1-minute load average "
        f"{host.load_average_1m} when the run started. Latency is measured at the client, from "
        "sending the request to the whole response, failed requests included.",
        "",
        f"Command: `python -m eval.load --clients {plan.clients} --seconds {plan.seconds:g} "
        f"--mix {plan.ask_share:g}`",
        "",
    ]
    return "\n".join(lines)


def write_load_report(directory: Path, report: LoadReport) -> Path:
    """load.json and load.md; returns the path of load.md."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "load.json").write_text(
        json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    path = directory / "load.md"
    path.write_text(load_markdown(report), encoding="utf-8")
    return path


# --- a server of our own -------------------------------------------------------------------------


# --- the command line ----------------------------------------------------------------------------

app = typer.Typer(help=__doc__, add_completion=False)
console = Console()
progress_console = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=2)


@app.command()
def load(
    url: Annotated[
        str | None,
        typer.Option(
            help="a served instance, e.g. http://127.0.0.1:8000 (default: start `healthqa serve` "
            "on a free loopback port over the index)"
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="allow a --url that is not this machine"),
    ] = False,
    clients: Annotated[int, typer.Option(min=1, max=1000, help="concurrent clients")] = 50,
    seconds: Annotated[float, typer.Option(min=1, max=3600, help="how long to send")] = 60,
    dataset: Annotated[
        Path | None, typer.Option("--set", help="JSONL questions (default: the dev set)")
    ] = None,
    mix: Annotated[
        float,
        typer.Option(min=0, max=1, help="share of POST /api/ask; the rest is GET /api/search"),
    ] = 0.8,
    timeout: Annotated[float, typer.Option(min=0.1, help="seconds per request")] = 30,
    out: Annotated[
        Path | None, typer.Option("--out", help="write load.json and load.md to this folder")
    ] = None,
    index_dir: Annotated[
        Path | None, typer.Option("--index-dir", help="the index the started server serves")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Concurrent clients against a served instance for a fixed time: throughput, p50/p95/p99
    latency per endpoint and errors by kind. Exits 1 unless there were 0 errors."""
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset

    if url is not None and not is_loopback_url(url) and not allow_remote:
        raise fail(
            f"{url} is not this machine: a load test against someone else's server is not a "
            "default; add --allow-remote if it is yours"
        )
    try:
        questions = [item.question for item in load_dataset(dataset or DEFAULT_SET)]
    except (DatasetError, OSError) as error:
        raise fail(str(error)) from error
    plan = LoadPlan(
        url=url or "",
        clients=clients,
        seconds=seconds,
        ask_share=mix,
        questions=len(questions),
        timeout_seconds=timeout,
    )
    host = this_host()  # before our server starts: what else is keeping the machine busy
    try:
        if url is not None:
            report = measure(plan, questions, server="given with --url", host=host, quiet=quiet)
        else:
            served_index = index_dir or index_dir_from_settings()
            ensure_index(served_index)
            log_path = (out or Path("var/load")) / "server.log"
            progress_console.print(
                f"starting `healthqa serve` over {served_index} (log: {log_path})…",
                highlight=False,
            )
            with served_subprocess(served_index, log_path) as served_url:
                report = measure(
                    dataclasses.replace(plan, url=served_url),
                    questions,
                    server="started by the script: healthqa serve",
                    host=host,
                    quiet=quiet,
                )
    except (LoadError, LoadServerError) as error:
        raise fail(str(error)) from error
    print_load(report)
    if out is not None:
        progress_console.print(f"report: {write_load_report(out, report)}", highlight=False)
    if not report.target_met:
        raise typer.Exit(code=1)


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


def index_dir_from_settings() -> Path:
    from service.settings import Settings

    return Settings().index_dir


def ensure_index(index_dir: Path) -> None:
    """The server started here serves what settings name: the embedded index in `index_dir`, or
    the PostgreSQL database of HEALTHQA_STORE."""
    from indexer.store.locations import location_for
    from service.settings import Settings

    location = location_for(index_dir, Settings().store)
    if location.current_build() is None:
        raise LoadError(
            f"no index in {location.describe()} to serve: run `make index` (or `healthqa index`) "
            "first, or give --url of a running server"
        )


def print_load(report: LoadReport) -> None:
    plan = report.plan
    table = Table(
        title=f"{plan.clients} clients × {plan.seconds:g} s against {plan.url} "
        f"({report.requests} requests, {report.elapsed_seconds} s)"
    )
    for column in ("endpoint", "requests", "errors", "req/s", "mean", "p50", "p95", "p99", "max"):
        table.add_column(column)
    rows = [(e.latency, e.errors, e.requests_per_second) for e in report.endpoints]
    if report.overall is not None:
        rows.append((report.overall, report.error_total, report.requests_per_second))
    for s, errors, rate in rows:
        table.add_row(
            s.endpoint,
            str(s.requests),
            str(errors),
            f"{rate}",
            *(f"{v:.0f}" for v in (s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms)),
        )
    console.print(table)
    console.print("latency in ms, at the client, failed requests included", style="dim")
    for error in report.errors:
        console.print(f"[red]{error.kind}[/red] × {error.count}", highlight=False)
    verdict = "[green]target met[/green]" if report.target_met else "[red]target missed[/red]"
    console.print(
        f"{verdict}: {report.error_total} errors (target 0); throughput "
        f"{report.requests_per_second} requests/s",
        highlight=False,
    )
    console.print(f"rate limit: {report.rate_limit}", highlight=False, style="dim")


if __name__ == "__main__":
    app()
