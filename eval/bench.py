"""Latency of /api/search and /api/ask over the dev questions, warm, measured in-process."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import mean, quantiles

from fastapi.testclient import TestClient

from eval.dataset import EvalItem


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


def bench_endpoints(
    client: TestClient, items: Sequence[EvalItem], *, rounds: int = 3
) -> list[LatencyStats]:
    """Warm up once per question, then time `rounds` passes over all dev questions."""
    questions = [item.question for item in items]

    def search(question: str) -> None:
        client.get("/api/search", params={"q": question, "k": 10}).raise_for_status()

    def ask(question: str) -> None:
        client.post("/api/ask", json={"question": question}).raise_for_status()

    results = []
    for endpoint, call in (("/api/search", search), ("/api/ask", ask)):
        for question in questions:
            call(question)  # warm caches and lazily loaded models
        durations: list[float] = []
        for _ in range(rounds):
            for question in questions:
                durations.append(timed(call, question))
        results.append(summarize(endpoint, durations))
    return results
