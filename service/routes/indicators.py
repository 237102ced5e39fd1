"""Indicators: GET /api/indicators (the table of indicators × place × year, filtered), its CSV
and XLSX export, GET /api/indicators/{id} (one indicator with the evidence of its grouping and
plan against actual), its chart as SVG, and the /indicators pages that show the same."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Literal, get_args
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from indexer.admin_history import current_unit
from service.dependencies import get_engine
from service.engine import Engine
from service.errors import ApiError, ErrorCode
from service.indicators.catalog import (
    LEVELS,
    IndicatorCatalog,
    Level,
    catalog_for,
    ready_catalog,
)
from service.indicators.charts import indicator_svg
from service.indicators.export import to_csv, to_xlsx
from service.indicators.grouping import Indicator
from service.indicators.schemas import (
    EvidenceOut,
    IndicatorDetail,
    IndicatorSummary,
    IndicatorTable,
    RowOut,
)
from service.indicators.table import IndicatorFilters, TableRow, selected, table_rows
from service.qa.answer import Answer
from service.routes.pages import not_found_page, page_language, parse_int, render
from service.schemas import AskResponse

router = APIRouter()
EngineDependency = Annotated[Engine, Depends(get_engine)]
Kind = Literal["target", "result", "baseline"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILTER_CHARS = 200


def catalog(engine: Engine) -> IndicatorCatalog:
    answerer = engine.answerer
    return catalog_for(answerer, answerer.records)


def indicator_url(indicator_id: str) -> str:
    return f"/indicators/{quote(indicator_id, safe='')}"


def chart_url(indicator_id: str, filters: IndicatorFilters) -> str:
    query = {k: v for k, v in (("place", filters.place), ("level", filters.level)) if v}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"/api/indicators/{quote(indicator_id, safe='')}/chart.svg{suffix}"


def filters_from(
    place: str | None,
    level: str | None,
    year: int | None,
    kind: str | None,
    document: str | None,
    q: str | None,
    indicator: str | None = None,
) -> IndicatorFilters:
    """Empty means "any" (a form sends "" for it); anything else is taken as asked."""
    return IndicatorFilters(
        place=(place or "").strip()[:MAX_FILTER_CHARS] or None,
        level=level if level in LEVELS else None,  # type: ignore[arg-type]
        year=year,
        kind=kind if kind in get_args(Kind) else None,
        document=document or None,
        q=(q or "").strip()[:MAX_FILTER_CHARS] or None,
        indicator=indicator,
    )


def rows_for(engine: Engine, filters: IndicatorFilters) -> list[TableRow]:
    return table_rows(selected(catalog(engine), filters, engine.retriever.glossary))


def summaries(rows: list[TableRow]) -> list[IndicatorSummary]:
    found: dict[str, tuple[Indicator, set[str], set[int]]] = {}
    for row in rows:
        _, places, years = found.setdefault(
            row.indicator.indicator_id, (row.indicator, set(), set())
        )
        places.add(row.place)
        if row.year is not None:
            years.add(row.year)
    return [summary(indicator, places, years) for indicator, places, years in found.values()]


def summary(indicator: Indicator, places: set[str], years: set[int]) -> IndicatorSummary:
    return IndicatorSummary(
        indicator_id=indicator.indicator_id,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        places=sorted(places),
        years=sorted(years),
        url=indicator_url(indicator.indicator_id),
    )


def with_indicator_links(response: AskResponse, answer: Answer, engine: Engine) -> AskResponse:
    """Each figure of a figure answer with the page of its indicator ("see this indicator across
    places and years"); figures come in the answer's order. A large corpus's answers carry no
    links until its indicators have been asked for (catalog.GROUPED_WHEN_ANSWERING_UP_TO)."""
    answerer = engine.answerer
    found = ready_catalog(answerer, answerer.records) if answer.figures else None
    if found is None:
        return response
    grouping = found.grouping
    linked = []
    for out, answered in zip(response.figures, answer.figures, strict=True):
        figure = answered.figure
        indicator = grouping.indicator_for((figure.doc_id, figure.start, figure.end))
        url = indicator_url(indicator.indicator_id) if indicator is not None else None
        linked.append(out.model_copy(update={"indicator_url": url}))
    return response.model_copy(update={"figures": linked})


def find_indicator(engine: Engine, indicator_id: str) -> Indicator:
    indicator = catalog(engine).grouping.get(indicator_id)
    if indicator is None:
        raise ApiError(
            404, ErrorCode.NOT_FOUND, f"no indicator {indicator_id!r}: see /api/indicators"
        )
    return indicator


def detail(engine: Engine, indicator: Indicator, filters: IndicatorFilters) -> IndicatorDetail:
    rows = rows_for(engine, filters)
    places = {row.place for row in rows}
    years = {row.year for row in rows if row.year is not None}
    return IndicatorDetail(
        **summary(indicator, places, years).model_dump(),
        evidence=EvidenceOut.of(indicator),
        chart_url=chart_url(indicator.indicator_id, filters),
        rows=[RowOut.of(row) for row in rows],
    )


def table_filters(
    place: str | None = None,
    level: Level | None = None,
    year: int | None = None,
    kind: Kind | None = None,
    document: str | None = None,
    q: str | None = None,
    indicator: str | None = None,
) -> IndicatorFilters:
    return filters_from(place, level, year, kind, document, q, indicator)


TableFilters = Annotated[IndicatorFilters, Depends(table_filters)]


@router.get("/api/indicators", response_model=IndicatorTable)
def list_indicators(engine: EngineDependency, filters: TableFilters) -> IndicatorTable:
    rows = rows_for(engine, filters)
    return IndicatorTable(indicators=summaries(rows), rows=[RowOut.of(row) for row in rows])


def _export_name(filters: IndicatorFilters, extension: str) -> str:
    """The download's file name: ASCII only, as a header must be (ids are ASCII slugs; anything
    else sent as one is dropped)."""
    slug = re.sub(r"[^a-z0-9-]", "", (filters.indicator or "").lower())[:MAX_FILTER_CHARS]
    return f"chi-tieu{'-' + slug if slug else ''}.{extension}"


EXPORTS: dict[str, tuple[Callable[[list[TableRow], str], bytes], str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, XLSX_MEDIA_TYPE),
}


@router.get("/api/indicators/export.{extension}", response_class=Response)
def export_table(
    extension: Literal["csv", "xlsx"],
    request: Request,
    engine: EngineDependency,
    filters: TableFilters,
) -> Response:
    """The current table as CSV or XLSX, each line with its document, section and source span."""
    write, media_type = EXPORTS[extension]
    body = write(rows_for(engine, filters), str(request.base_url).rstrip("/"))
    name = _export_name(filters, extension)
    return Response(
        body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/api/indicators/{indicator_id}", response_model=IndicatorDetail)
def get_indicator(
    indicator_id: str, engine: EngineDependency, filters: TableFilters
) -> IndicatorDetail:
    indicator = find_indicator(engine, indicator_id)
    return detail(engine, indicator, replace(filters, q=None, indicator=indicator_id))


@router.get("/api/indicators/{indicator_id}/chart.svg", response_class=Response)
def indicator_chart(
    indicator_id: str,
    engine: EngineDependency,
    place: str | None = None,
    level: Level | None = None,
    lang: str | None = None,
) -> Response:
    indicator = find_indicator(engine, indicator_id)
    filters = filters_from(place, level, None, None, None, None, indicator_id)
    svg = indicator_svg(indicator, rows_for(engine, filters), page_language(lang))
    return Response(svg, media_type="image/svg+xml")


# pages


@dataclass(frozen=True)
class IndicatorFilterOptions:
    places: list[str]
    levels: tuple[Level, ...]
    years: list[int]
    kinds: tuple[str, ...]
    documents: list[tuple[str, str]]  # (doc_id, title)


def filter_options(found: IndicatorCatalog) -> IndicatorFilterOptions:
    places: set[str] = set()
    years: set[int] = set()
    documents: dict[str, str] = {}
    for observation in found.observations:
        if observation.level != "facility":
            places.add(observation.place)
        places.update(p for p in (observation.province, observation.district) if p)
        change = current_unit(observation.province, observation.district)
        if change is not None:
            places.add(change.new_unit)  # choosing today's province lists its former units
        if observation.year is not None:
            years.add(observation.year)
        document = observation.record.document
        documents[document.doc_id] = document.attributes.title or document.source
    return IndicatorFilterOptions(
        places=sorted(places),
        levels=LEVELS,
        years=sorted(years),
        kinds=get_args(Kind),
        documents=sorted(documents.items(), key=lambda item: item[1].casefold()),
    )


def export_query(request: Request) -> str:
    """The page's filters, as its export links carry them (the language aside)."""
    kept = {k: v for k, v in request.query_params.items() if k != "lang" and v}
    return urlencode(kept)


@router.get("/indicators", response_class=HTMLResponse, include_in_schema=False)
def indicators_page(
    request: Request,
    engine: EngineDependency,
    place: str | None = None,
    level: str | None = None,
    year: str | None = None,
    kind: str | None = None,
    document: str | None = None,
    q: str | None = None,
) -> HTMLResponse:
    filters = filters_from(place, level, parse_int(year), kind, document, q)
    rows = rows_for(engine, filters)
    return render(
        request,
        "indicators.html",
        {
            "active": "indicators",
            "filters": filters,
            "options": filter_options(catalog(engine)),
            "rows": [RowOut.of(row) for row in rows],
            "indicator_count": len({row.indicator.indicator_id for row in rows}),
            "filtered": any(
                (
                    filters.place,
                    filters.level,
                    filters.year,
                    filters.kind,
                    filters.document,
                    filters.q,
                )
            ),
            "export_query": export_query(request),
        },
    )


@router.get("/indicators/{indicator_id}", response_class=HTMLResponse, include_in_schema=False)
def indicator_page(
    request: Request,
    indicator_id: str,
    engine: EngineDependency,
    place: str | None = None,
    level: str | None = None,
) -> HTMLResponse:
    try:
        indicator = find_indicator(engine, indicator_id)
    except ApiError:
        return not_found_page(request)
    filters = filters_from(place, level, None, None, None, None, indicator_id)
    found = detail(engine, indicator, filters)
    lang = page_language(request.query_params.get("lang"))
    return render(
        request,
        "indicator.html",
        {
            "active": "indicators",
            "indicator": found,
            "chart_src": found.chart_url
            + ("&" if "?" in found.chart_url else "?")
            + f"lang={lang}",
            "checks": [(row, check) for row in found.rows for check in row.checks],
            "export_query": urlencode(
                {"indicator": indicator_id, **({"place": filters.place} if filters.place else {})}
            ),
        },
    )
