"""The indicators of one loaded index: every figure record as an observation of its indicator at
a place (province, district or facility, with the province of today it lies in) and a year.
Built once per engine, on first use."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from indexer.admin_history import current_unit, successor
from indexer.figure_records import FigureRecord
from indexer.models import FigureKind
from indexer.tokens import fold
from service.indicators.grouping import Grouping, Indicator, group_records

Level = Literal["province", "district", "facility"]
LEVELS: tuple[Level, ...] = ("province", "district", "facility")


@dataclass(frozen=True)
class Observation:
    """One figure as a value of its indicator."""

    indicator: Indicator
    record: FigureRecord
    place: str  # as written: the figure's own scope, else the document's place
    level: Level
    province: str | None  # the document's
    district: str | None
    place_today: str | None  # the province of today, when the place as written is no longer one
    year: int | None
    kind: FigureKind | None


@dataclass(frozen=True)
class IndicatorCatalog:
    grouping: Grouping
    observations: tuple[Observation, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.grouping.indicators


def build_catalog(records: Sequence[FigureRecord]) -> IndicatorCatalog:
    grouping = group_records(records)
    observations = []
    for record in records:
        indicator = grouping.indicator_of(record)
        if indicator is not None:
            observations.append(observation(indicator, record))
    return IndicatorCatalog(grouping, tuple(observations))


def observation(indicator: Indicator, record: FigureRecord) -> Observation:
    attributes = record.document.attributes
    province, district = attributes.province, attributes.district
    scope = (record.figure.scope or "").strip()
    place = scope or attributes.place or ""
    level = level_of(place, province, district)
    change = current_unit(province, district if level != "province" else None)
    return Observation(
        indicator=indicator,
        record=record,
        place=place,
        level=level,
        province=province,
        district=district,
        place_today=change.new_unit if change is not None and change.moved else None,
        year=record.figure.year,
        kind=record.figure.kind,
    )


def level_of(place: str, province: str | None, district: str | None) -> Level:
    """A province or district by name (the document's own, or one the history of administrative
    units knows); anything else — a health centre, a hospital, the commune stations — is a
    facility."""
    key = fold(place)
    if province and key == fold(province):
        return "province"
    if district and key == fold(district):
        return "district"
    known = successor(place, province) or successor(place)
    if known is not None:
        return "district" if known.level == "district" else "province"
    return "facility"


# A corpus with more figure records than this is grouped into indicators only when its indicators
# are asked for (/indicators), never on the way to an answer: grouping every record of the 100k-
# passage scale corpus (119k records) took 29 s and 370 MiB, which the first figure answer of
# every service process would wait for and every process would then hold. Up to it (a
# province's corpus: the seeds hold 471) answers link their figures' indicators at once.
GROUPED_WHEN_ANSWERING_UP_TO = 20_000

_catalogs: weakref.WeakKeyDictionary[object, IndicatorCatalog] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def catalog_for(owner: object, records: Sequence[FigureRecord]) -> IndicatorCatalog:
    """The catalog of `owner`'s records (an engine's answerer), built on first use and dropped
    with the owner when a rebuilt index replaces it."""
    with _lock:
        found = _catalogs.get(owner)
        if found is None:
            found = build_catalog(records)
            _catalogs[owner] = found
        return found


def ready_catalog(owner: object, records: Sequence[FigureRecord]) -> IndicatorCatalog | None:
    """The catalog for an answer's links: the one built, else one built now for a corpus small
    enough to group on the way (`GROUPED_WHEN_ANSWERING_UP_TO`); None for a large corpus whose
    indicators nobody has asked for yet."""
    with _lock:
        found = _catalogs.get(owner)
    if found is not None or len(records) > GROUPED_WHEN_ANSWERING_UP_TO:
        return found
    return catalog_for(owner, records)
