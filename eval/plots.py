"""PNG figures of evaluation and benchmark results (matplotlib, Agg backend: no display)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.retrieval import CURVE_DEPTHS, DEPTH, RetrievalReport

MISS_ROW = DEPTH + 1  # where a question whose evidence never came back is drawn


class PlottingUnavailableError(RuntimeError):
    pass


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise PlottingUnavailableError(
            "plots need matplotlib: `pip install matplotlib` (it is a development dependency)"
        ) from error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def recall_curves(path: Path, curves: Sequence[tuple[str, Sequence[float]]], title: str) -> None:
    """R@k for k = 1..10, one line per mode or variant."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name, values in curves:
        axes.plot(CURVE_DEPTHS, values, marker="o", label=name)
    axes.set(xlabel="k", ylabel="R@k (hit rate)", title=title, ylim=(0, 1.02))
    axes.set_xticks(CURVE_DEPTHS)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def rank_plot(path: Path, reports: Sequence[RetrievalReport]) -> None:
    """The first relevant rank of every question, per mode; misses drawn on a row of their own."""
    plt = _pyplot()
    ids = [o.item.item_id for o in reports[0].outcomes] if reports else []
    figure, axes = plt.subplots(figsize=(max(7, 0.28 * len(ids)), 4.5))
    spread = 0.6 / max(len(reports), 1)
    for number, report in enumerate(reports):
        ranks = {o.item.item_id: o.rank for o in report.outcomes}
        xs = [i + (number - (len(reports) - 1) / 2) * spread for i in range(len(ids))]
        ys = [ranks.get(item_id) or MISS_ROW for item_id in ids]
        axes.scatter(xs, ys, s=22, label=report.mode)
    axes.set_yticks([*range(1, DEPTH + 1), MISS_ROW], [*map(str, range(1, DEPTH + 1)), "miss"])
    axes.invert_yaxis()
    axes.set_xticks(range(len(ids)), ids, rotation=90, fontsize=7)
    axes.set(xlabel="question", ylabel="first relevant rank", title="rank of the first relevant")
    axes.grid(alpha=0.3, axis="y")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def latency_by_size(
    path: Path, sizes: Sequence[int], series: Sequence[tuple[str, Sequence[float]]]
) -> None:
    """Query latency (ms) against corpus size (passages), log-scaled x."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for name, values in series:
        axes.plot(sizes, values, marker="o", label=name)
    axes.set_xscale("log")
    axes.set(xlabel="passages in the index", ylabel="ms per /api/search", title="latency vs size")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
