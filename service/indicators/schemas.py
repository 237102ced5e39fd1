"""The indicator table and an indicator's detail on the wire (GET /api/indicators…)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from service.indicators.catalog import Observation
from service.indicators.export import viewer_path
from service.indicators.grouping import Indicator
from service.indicators.plan_actual import PlanCheck
from service.indicators.table import TableRow


class ValueOut(BaseModel):
    kind: str | None
    value: float
    value_high: float | None
    comparator: str | None
    unit: str | None
    written: str  # as the document writes it
    display: str  # as the table shows it: as written, with its unit when the writing has none
    doc_id: str
    document_title: str | None
    section: str
    start: int  # the value in the document's cleaned text
    end: int
    url: str  # the viewer at the line it is written in, highlighted

    @staticmethod
    def of(found: Observation) -> ValueOut:
        figure = found.record.figure
        return ValueOut(
            kind=figure.kind,
            value=figure.value,
            value_high=figure.value_high,
            comparator=figure.comparator,
            unit=figure.unit,
            written=figure.raw,
            display=displayed(figure.raw, figure.unit),
            doc_id=figure.doc_id,
            document_title=found.record.document.attributes.title,
            section=found.record.passage.section_label,
            start=figure.start,
            end=figure.end,
            url=viewer_path(found),
        )


def displayed(written: str, unit: str | None) -> str:
    """ "90" with "%" → "90 %"; "40,2 giường" stays; "<6" with "‰" → "<6 ‰"."""
    if not unit or unit in written:
        return written
    return f"{written} {unit}"


class PlanCheckOut(BaseModel):
    target: ValueOut
    result: ValueOut
    met: bool | None  # None: target and result in different units
    share_of_plan: float | None  # the result as % of a plain target

    @staticmethod
    def of(check: PlanCheck) -> PlanCheckOut:
        share = check.share_of_plan
        return PlanCheckOut(
            target=ValueOut.of(check.target),
            result=ValueOut.of(check.result),
            met=check.met,
            share_of_plan=None if share is None else round(share, 2),
        )


class RowOut(BaseModel):
    indicator_id: str
    indicator: str
    unit: str | None
    direction: Literal["higher", "lower"] | None
    place: str
    level: Literal["province", "district", "facility"]
    place_today: str | None  # the province of today a former unit lies in
    year: int | None
    targets: list[ValueOut]
    results: list[ValueOut]
    baselines: list[ValueOut]
    checks: list[PlanCheckOut]

    @staticmethod
    def of(row: TableRow) -> RowOut:
        return RowOut(
            indicator_id=row.indicator.indicator_id,
            indicator=row.indicator.name,
            unit=row.indicator.unit,
            direction=row.indicator.direction,
            place=row.place,
            level=row.level,
            place_today=row.place_today,
            year=row.year,
            targets=[ValueOut.of(f) for f in row.targets],
            results=[ValueOut.of(f) for f in row.results],
            baselines=[ValueOut.of(f) for f in row.baselines],
            checks=[PlanCheckOut.of(check) for check in row.checks],
        )


class CandidateOut(BaseModel):
    indicator_id: str
    name: str
    similarity: float


class EvidenceOut(BaseModel):
    """Why these figures are one indicator."""

    labels: list[str]  # the names merged
    shared_words: list[str]  # content words every name has
    cohesion: float  # the lowest similarity between two of its names
    # when this name was left ungrouped: the two indicators it is as like as each other
    ungrouped_between: list[CandidateOut]

    @staticmethod
    def of(indicator: Indicator) -> EvidenceOut:
        return EvidenceOut(
            labels=list(indicator.labels),
            shared_words=list(indicator.shared_words),
            cohesion=indicator.cohesion,
            ungrouped_between=[
                CandidateOut(indicator_id=c.indicator_id, name=c.name, similarity=c.similarity)
                for c in indicator.ungrouped_between
            ],
        )


class IndicatorSummary(BaseModel):
    indicator_id: str
    name: str
    unit: str | None
    direction: Literal["higher", "lower"] | None
    places: list[str]
    years: list[int]
    url: str


class IndicatorTable(BaseModel):
    indicators: list[IndicatorSummary]  # those the rows are about
    rows: list[RowOut]


class IndicatorDetail(IndicatorSummary):
    evidence: EvidenceOut
    chart_url: str
    rows: list[RowOut]
