"""Where and when a question is about: places (from the corpus and a national gazetteer, a
province of today standing for the former units it absorbed) and years, and how well a passage
or figure's own place and years fit them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexer.admin_history import successor
from indexer.models import Document
from indexer.tokens import fold

# A year stands alone: not inside a number ("2.034,5"), a date ("18/03/2022") or a range's end,
# but a comma or full stop may follow it ("Năm 2021, …").
# A year, not part of a code or a number ("12/2025", "103-105"); the end of a period
# ("2025-2030") is a year too.
YEAR = re.compile(
    r"(?:(?<![\d/-])|(?<=\d{4}-))(?<!\d[.,])(19[5-9]\d|20\d\d|21\d\d)(?![\d/]|[.,]\d)"
)
# "huyện Thạnh Phú", "tỉnh Kon Tum": an administrative word then a capitalised name.
NAMED_PLACE = re.compile(
    r"\b(?:tỉnh|huyện|thị xã|thành phố|quận|province|district)\s+"
    r"((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})",
    re.IGNORECASE,
)
NAME_AFTER_PREPOSITION = re.compile(
    r"\b(?:of|in|for|at|của|ở|tại)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})"
)


@dataclass(frozen=True)
class QueryScope:
    places: tuple[str, ...]  # corpus places named in the question, canonical spelling
    unknown_places: tuple[str, ...]  # places named but absent from the corpus
    years: tuple[int, ...]
    # (unit of today the question names, former corpus unit it absorbed): "Tây Ninh" asked is
    # searched as "Long An", and the answer must say whose figures it gives
    resolved: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.places or self.unknown_places or self.years)

    @property
    def asked_places(self) -> tuple[str, ...]:
        """The places as the question names them: corpus places, and units of today in place of
        the former units they were resolved to."""
        through_history = {former for _, former in self.resolved}
        named = [place for place in self.places if place not in through_history]
        return tuple(dict.fromkeys([*named, *(asked for asked, _ in self.resolved)]))

    @property
    def named_places(self) -> tuple[str, ...]:
        """Every place whose name the question's words stand for: what it searches and what it
        names (so "Tây Ninh" is a place, not words of the indicator asked for)."""
        return tuple(dict.fromkeys([*self.places, *self.asked_places]))


# Words opening a period that runs on ("since July 2021", "kể từ năm 2021"): its first year says
# when counting began, not which year is asked about.
PERIOD_START = re.compile(r"\b(?:since|kể từ|từ)\b[^\d.?!;]{0,40}$", re.IGNORECASE)
PERIOD_START_REACH = 48


def years_in(text: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(y) for y in YEAR.findall(text)))


def asked_years(question: str) -> tuple[int, ...]:
    """The years a question asks about: every year it names except one that opens a period
    running on ("how many cases since July 2021?" asks about the latest figures)."""
    years = []
    for match in YEAR.finditer(question):
        before = question[max(0, match.start() - PERIOD_START_REACH) : match.start()]
        if PERIOD_START.search(before):
            continue
        years.append(int(match.group(1)))
    return tuple(dict.fromkeys(years))


@lru_cache(maxsize=1)
def national_places() -> dict[str, str]:
    """Folded name or alias → canonical name, for every province of the country."""
    from indexer.attributes import load_provinces

    return {
        fold(form): province.name
        for province in load_provinces()
        for form in (province.name, *province.aliases)
    }


def _contains(folded_text: str, folded_name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(folded_name)}(?!\w)", folded_text) is not None


class Gazetteer:
    """Places the corpus is about, and every province of the country."""

    def __init__(self, documents: Iterable[Document]) -> None:
        corpus: dict[str, str] = {}
        provinces: set[str] = set()
        for document in documents:
            for place in (document.attributes.province, document.attributes.district):
                if place:
                    corpus[fold(place)] = place
            if document.attributes.province:
                provinces.add(document.attributes.province)
        self.corpus_places = corpus
        self.national = national_places()
        # Officials shorten multi-word place names to their initials ("HG", "LA"); an initialism
        # two corpus places share names neither.
        initials: dict[str, list[str]] = {}
        for name in corpus.values():
            words = name.split()
            if len(words) > 1:
                initials.setdefault("".join(fold(w)[0] for w in words).upper(), []).append(name)
        self.initialisms = {key: names[0] for key, names in initials.items() if len(names) == 1}
        self.absorbed = _absorbed(provinces, self.national)

    def scope(self, question: str) -> QueryScope:
        folded = fold(question)
        found = [name for key, name in self.corpus_places.items() if _contains(folded, key)]
        found += [
            name
            for key, name in self.initialisms.items()
            if re.search(rf"(?<![\w/-]){key}(?![\w/-])", question)
        ]
        # A province of today that is no corpus place but absorbed some (Tây Ninh, since 2025
        # holding the former Long An) stands for them; one that absorbed none stays unknown.
        resolved = [
            pair
            for key, name in self.national.items()
            if name in self.absorbed and key not in self.corpus_places and _contains(folded, key)
            for pair in self.absorbed[name]
        ]
        through_history = {self.national.get(fold(asked), asked) for asked, _ in resolved}
        unknown = [
            name
            for key, name in self.national.items()
            if key not in self.corpus_places
            and name not in through_history
            and _contains(folded, key)
        ]
        for match in (*NAMED_PLACE.finditer(question), *NAME_AFTER_PREPOSITION.finditer(question)):
            name = match.group(1)
            key = fold(name)
            known = any(_contains(key, k) or _contains(k, key) for k in self.corpus_places)
            if (
                not known
                and key in self.national
                and self.national[key] not in through_history
                and name not in unknown
            ):
                unknown.append(self.national[key])
        found += [former for _, former in resolved]
        return QueryScope(
            places=tuple(dict.fromkeys(found)),
            unknown_places=tuple(dict.fromkeys(unknown)),
            years=asked_years(question),
            resolved=tuple(dict.fromkeys(resolved)),
        )


def _absorbed(
    provinces: Iterable[str], national: dict[str, str]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Gazetteer name of a province of today → (its name today, former corpus province) for each
    corpus province it absorbed in the 2025 reorganisation."""
    absorbed: dict[str, list[tuple[str, str]]] = {}
    for province in sorted(provinces):
        change = successor(province)
        if change is None or change.level != "province" or fold(change.new_unit) == fold(province):
            continue
        today = national.get(fold(change.new_unit), change.new_unit)
        absorbed.setdefault(today, []).append((change.new_unit, province))
    return {today: tuple(pairs) for today, pairs in absorbed.items()}


def places_of(document: Document) -> set[str]:
    """The folded province and district a document is about."""
    attributes = document.attributes
    return {fold(p) for p in (attributes.province, attributes.district) if p}


def place_fit(scope: QueryScope, document_places: set[str], text: str = "") -> float:
    """1 when the document (or the text) is about a named place, 0 when it is about another,
    0.5 when the question names no place."""
    if not scope.places:
        return 0.5
    folded_text = fold(text)
    for place in scope.places:
        key = fold(place)
        if key in document_places or (folded_text and _contains(folded_text, key)):
            return 1.0
    return 0.0


def year_fit(scope: QueryScope, years: Sequence[int]) -> float:
    """1 when one of the passage's years is asked for, 0 when it names only others, 0.5 else."""
    if not scope.years or not years:
        return 0.5
    return 1.0 if any(year in scope.years for year in years) else 0.0
