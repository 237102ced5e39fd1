"""What one service process holds: resident memory after loading the engine over an index, and
after answering questions through it, measured in a fresh process of its own (so nothing a
benchmark did before, such as building the index, is counted)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from service.settings import Settings


@dataclass(frozen=True)
class ServiceMemory:
    passages: int
    load_seconds: float
    loaded_mib: float  # resident after loading
    questions: int
    answered_mib: float  # resident after answering them
    peak_mib: float  # the process's high-water mark
    answer_seconds: float


def measure_service_memory(settings: Settings, questions: list[str]) -> ServiceMemory:
    """Load the engine over `settings`' index in a fresh process and ask it `questions`."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_measure, settings, questions).result()


def _measure(settings: Settings, questions: list[str]) -> ServiceMemory:
    from service.engine import load_engine

    started = time.perf_counter()
    engine = load_engine(settings)
    load_seconds = time.perf_counter() - started
    loaded = _resident()
    started = time.perf_counter()
    for question in questions:
        engine.answerer.ask(question)
    answer_seconds = time.perf_counter() - started
    answered = _resident()
    passages = engine.index.store.passage_count()
    engine.close()
    return ServiceMemory(
        passages=passages,
        load_seconds=round(load_seconds, 1),
        loaded_mib=loaded["VmRSS"],
        questions=len(questions),
        answered_mib=answered["VmRSS"],
        peak_mib=answered["VmHWM"],
        answer_seconds=round(answer_seconds, 1),
    )


def _resident() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MiB (Linux); the peak from getrusage elsewhere."""
    status = Path("/proc/self/status")
    if not status.exists():
        from eval.memory import peak_rss_mb

        peak = peak_rss_mb()
        return {"VmRSS": peak, "VmHWM": peak}
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    return {key: round(int(fields[key].split()[0]) / 1024, 1) for key in ("VmRSS", "VmHWM")}
