"""The indicator table: one row per indicator, place and year with its targets, results and
baselines, filtered like a search engine's facets (place — today's province includes the former
units it absorbed —, level, year, kind, document) and by name (Vietnamese with or without
diacritics, or English through the glossary)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.admin_history import belongs_today
from indexer.glossary import Glossary, is_english
from indexer.tokens import fold, is_stopword, syllables
from service.indicators.catalog import IndicatorCatalog, Level, Observation
from service.indicators.grouping import Indicator
from service.indicators.naming import label_stopwords, written_out
from service.indicators.plan_actual import PlanCheck, pair_up


@dataclass(frozen=True)
class IndicatorFilters:
    place: str | None = None
    level: Level | None = None
    year: int | None = None
    kind: str | None = None
    document: str | None = None
    q: str | None = None
    indicator: str | None = None  # an indicator id


@dataclass(frozen=True)
class TableRow:
    indicator: Indicator
    place: str
    level: Level
    place_today: str | None
    year: int | None
    targets: tuple[Observation, ...]
    results: tuple[Observation, ...]
    baselines: tuple[Observation, ...]
    checks: tuple[PlanCheck, ...]  # plan against actual, where the row has both

    @property
    def observations(self) -> tuple[Observation, ...]:
        return self.targets + self.results + self.baselines


def selected(
    catalog: IndicatorCatalog, filters: IndicatorFilters, glossary: Glossary
) -> list[Observation]:
    matching_names = _matching_indicators(catalog.indicators, filters.q, glossary)
    return [
        found
        for found in catalog.observations
        if (filters.indicator is None or found.indicator.indicator_id == filters.indicator)
        and (matching_names is None or found.indicator.indicator_id in matching_names)
        and (filters.place is None or in_place(found, filters.place))
        and (filters.level is None or found.level == filters.level)
        and (filters.year is None or found.year == filters.year)
        and (filters.kind is None or found.kind == filters.kind)
        and (filters.document is None or found.record.document.doc_id == filters.document)
    ]


def in_place(found: Observation, place: str) -> bool:
    """The place as written, the document's province or district, or the province of today
    they lie in ("Tây Ninh" holds what tỉnh Long An and huyện Cần Đước wrote)."""
    key = fold(place.strip())
    written = (found.place, found.province, found.district, found.place_today)
    if any(name and fold(name) == key for name in written):
        return True
    return belongs_today(place, found.province, found.district)


def table_rows(observations: Iterable[Observation]) -> list[TableRow]:
    """Rows in indicator order (most places and years first), then place, then year."""
    grouped: dict[tuple[str, str, int | None], list[Observation]] = {}
    for found in observations:
        grouped.setdefault((found.indicator.indicator_id, found.place, found.year), []).append(
            found
        )
    spread: dict[str, set[tuple[str, int | None]]] = {}
    for indicator_id, place, year in grouped:
        spread.setdefault(indicator_id, set()).add((place, year))
    rows = []
    for (_, place, year), found in grouped.items():
        targets = _distinct(f for f in found if f.kind == "target")
        results = _distinct(f for f in found if f.kind == "result")
        baselines = _distinct(f for f in found if f.kind == "baseline")
        first = found[0]
        rows.append(
            TableRow(
                indicator=first.indicator,
                place=place,
                level=first.level,
                place_today=first.place_today,
                year=year,
                targets=targets,
                results=results,
                baselines=baselines,
                # paired before duplicates are dropped: a table row's own result, not the same
                # value written earlier in prose
                checks=tuple(pair_up(targets, [f for f in found if f.kind == "result"])),
            )
        )
    rows.sort(
        key=lambda row: (
            -len(spread[row.indicator.indicator_id]),
            row.indicator.name.casefold(),
            row.indicator.indicator_id,
            fold(row.place),
            row.year or 0,
        )
    )
    return rows


def _distinct(observations: Iterable[Observation]) -> tuple[Observation, ...]:
    """One observation per value: a table row repeated in a document's text counts once."""
    seen = set()
    kept = []
    for found in observations:
        figure = found.record.figure
        key = (figure.value, figure.value_high, figure.comparator, figure.unit)
        if key not in seen:
            seen.add(key)
            kept.append(found)
    return tuple(kept)


def _matching_indicators(
    indicators: Sequence[Indicator], query: str | None, glossary: Glossary
) -> set[str] | None:
    """Ids of the indicators a name search finds; None when there is no search."""
    if not query or not query.strip():
        return None
    wanted = _wanted_phrases(query, glossary)
    found = set()
    for indicator in indicators:
        names = [_folded_words(label) for label in indicator.labels]
        if any(all(_has_any(words, alternatives) for alternatives in wanted) for words in names):
            found.add(indicator.indicator_id)
    return found


def _wanted_phrases(query: str, glossary: Glossary) -> list[list[set[str]]]:
    """What a name must hold: for an English query, one of the Vietnamese renderings of each
    glossary term it names; else each content word of the query, accents aside."""
    if is_english(query):
        return [
            [_folded_words(rendering) for rendering in group]
            for group in glossary.expand_groups(query)
        ] or [[{"\0"}]]
    stop = label_stopwords()
    words = [w for w in _folded_words(query) if w not in stop and not is_stopword(w)]
    return [[{word}] for word in words] or [[_folded_words(query)]]


def _folded_words(text: str) -> set[str]:
    return set(syllables(fold(written_out(text))))


def _has_any(words: set[str], alternatives: list[set[str]]) -> bool:
    return any(alternative <= words for alternative in alternatives)
