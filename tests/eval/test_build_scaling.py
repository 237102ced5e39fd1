"""Build throughput per worker count: what is measured, and how the 1M-passage build time on
more cores is projected from it (a projection, labelled so)."""

from __future__ import annotations

import pytest

from eval.build_scaling import PROJECTED_PASSAGES, WorkerRun, scaling_from


def run(
    workers: int,
    *,
    processed_per_second: float = 100.0,
    embedded_per_second: float = 10.0,
    cpu_seconds: float = 100.0,
) -> WorkerRun:
    return WorkerRun(
        workers=workers,
        cores=workers,
        documents=5,
        passages=400,
        seconds=10.0,
        process_seconds=4.0,
        embed_seconds=6.0,
        passages_per_second=40.0,
        cpu_seconds=cpu_seconds,
        passages_per_cpu_second=400 / cpu_seconds,
        processed_per_second=processed_per_second,
        embedded_per_second=embedded_per_second,
    )


def test_efficiency_is_the_rate_with_n_workers_over_n_times_the_rate_with_one():
    scaling = scaling_from(
        "corpus",
        [run(1), run(2, processed_per_second=150.0, embedded_per_second=18.0)],
    )
    assert scaling.process_efficiency == pytest.approx(0.75)
    assert scaling.embed_efficiency == pytest.approx(0.9)


def test_cpu_efficiency_is_the_cpu_time_of_one_worker_over_that_of_n():
    scaling = scaling_from("corpus", [run(1, cpu_seconds=100.0), run(2, cpu_seconds=125.0)])
    assert scaling.cpu_efficiency == pytest.approx(0.8)


def test_the_projection_is_cores_times_the_one_worker_rate_per_cpu_second_times_efficiency():
    scaling = scaling_from(
        "corpus", [run(1, cpu_seconds=100.0), run(2, cpu_seconds=125.0)], cores=(2, 16)
    )
    two, sixteen = scaling.projections
    assert two.cores == 2
    assert two.passages_per_second == pytest.approx(4.0 * 2 * 0.8)
    assert two.seconds == pytest.approx(PROJECTED_PASSAGES / (4.0 * 2 * 0.8), abs=1)
    assert sixteen.seconds == pytest.approx(two.seconds / 8, abs=1)
    assert sixteen.hours == pytest.approx(sixteen.seconds / 3600, abs=0.01)
    assert "projection" in scaling.basis


def test_workers_that_cost_less_cpu_than_one_are_not_projected_beyond_linear():
    scaling = scaling_from("corpus", [run(1, cpu_seconds=100.0), run(2, cpu_seconds=90.0)], (8,))
    assert scaling.cpu_efficiency > 1
    (eight,) = scaling.projections
    assert eight.passages_per_second == pytest.approx(4.0 * 8)


def test_nothing_is_projected_without_a_one_worker_run():
    scaling = scaling_from("corpus", [run(2)])
    assert scaling.projections == () and scaling.cpu_efficiency is None
