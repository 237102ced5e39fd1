"""Warm latency of /api/search and /api/ask: percentiles over timed requests, through any
httpx-style client (a TestClient in-process, or an httpx.Client against a live server)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import cycle, islice
from statistics import mean, quantiles

import httpx

ENDPOINTS = ("/api/search", "/api/ask")


@dataclass(frozen=True)
class LatencyStats:
    endpoint: str
    requests: int
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def summarize(endpoint: str, seconds: Sequence[float]) -> LatencyStats:
    millis = sorted(s * 1000 for s in seconds)
    cuts = quantiles(millis, n=100, method="inclusive") if len(millis) > 1 else millis * 99
    return LatencyStats(
        endpoint=endpoint,
        requests=len(millis),
        mean_ms=round(mean(millis), 2),
        p50_ms=round(cuts[49], 2),
        p95_ms=round(cuts[94], 2),
        p99_ms=round(cuts[98], 2),
        max_ms=round(millis[-1], 2),
    )


def timed(call: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    call(question)
    return time.perf_counter() - started


def endpoint_calls(client: httpx.Client) -> dict[str, Callable[[str], None]]:
    def search(question: str) -> None:
        client.get("/api/search", params={"q": question, "k": 10}).raise_for_status()

    def ask(question: str) -> None:
        client.post("/api/ask", json={"question": question}).raise_for_status()

    return {"/api/search": search, "/api/ask": ask}


def bench_endpoints(
    client: httpx.Client,
    questions: Sequence[str],
    *,
    rounds: int = 3,
    requests: int | None = None,
    endpoints: Sequence[str] = ENDPOINTS,
) -> list[LatencyStats]:
    """Warm up once per question, then time `rounds` passes over the questions (or exactly
    `requests` requests per endpoint, cycling through the questions, when given)."""
    calls = endpoint_calls(client)
    results = []
    for endpoint in endpoints:
        call = calls[endpoint]
        for question in questions:
            call(question)  # warm caches and lazily loaded models
        count = requests if requests is not None else rounds * len(questions)
        durations = [timed(call, question) for question in islice(cycle(questions), count)]
        results.append(summarize(endpoint, durations))
    return results
