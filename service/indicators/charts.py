"""An indicator drawn on the server as SVG: its values over the years, one colour per place,
targets dashed and results solid. matplotlib's SVG backend, imported on first use; the figure is
built without pyplot (no global state, safe across request threads); fonts become paths, so the
picture needs nothing else to render and no script or stylesheet of ours."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

from service.indicators.catalog import Observation
from service.indicators.grouping import Indicator
from service.indicators.table import TableRow

Language = Literal["vi", "en"]
SERIES_WORDS = {
    "vi": {"target": "kế hoạch", "result": "kết quả", "year": "Năm"},
    "en": {"target": "target", "result": "result", "year": "Year"},
}
WIDTH_INCHES = 5.2  # drawn at 100% of its box: the numbers stay legible on a 390 px phone
HEIGHT_INCHES = 4.0
FONT_SIZE = 12


def chart_points(
    indicator: Indicator, rows: Sequence[TableRow]
) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(place, "target" | "result") → (year, value) points in year order; values in another
    unit than the indicator's, or with no year, are left out (baselines are measured values,
    drawn with the results)."""
    series: dict[tuple[str, str], dict[int, float]] = {}
    for row in rows:
        if row.year is None:
            continue
        for kind, found in (("target", row.targets), ("result", row.results + row.baselines)):
            usable = [f for f in found if _in_unit(f, indicator)]
            if usable:
                series.setdefault((row.place, kind), {})[row.year] = usable[0].record.figure.value
    return {key: sorted(points.items()) for key, points in series.items()}


def _in_unit(found: Observation, indicator: Indicator) -> bool:
    return (found.record.figure.unit or indicator.unit) == indicator.unit


def indicator_svg(indicator: Indicator, rows: Sequence[TableRow], language: Language) -> bytes:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    words = SERIES_WORDS[language]
    points = chart_points(indicator, rows)
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    places = sorted({place for place, _ in points})
    palette = [f"C{index % 10}" for index in range(len(places))]
    years: set[int] = set()
    for place, colour in zip(places, palette, strict=True):
        for kind, style, marker in (("result", "-", "o"), ("target", "--", "s")):
            series = points.get((place, kind))
            if not series:
                continue
            xs = [year for year, _ in series]
            years.update(xs)
            axes.plot(
                xs,
                [value for _, value in series],
                linestyle=style,
                marker=marker,
                color=colour,
                linewidth=2,
                markersize=7,
                label=f"{place} – {words[kind]}",
            )
    axes.set_xticks(sorted(years))
    axes.tick_params(labelsize=FONT_SIZE)
    axes.set_xlabel(words["year"], fontsize=FONT_SIZE)
    if indicator.unit:
        axes.set_ylabel(indicator.unit, fontsize=FONT_SIZE)
    axes.grid(True, alpha=0.3)
    if points:
        figure.legend(loc="outside lower center", ncols=2, fontsize=FONT_SIZE - 1, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
