"""Where and when a question is about: places (from the corpus and a national gazetteer) and
years, and how well a passage or figure's own place and years fit them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from indexer.models import Document
from indexer.tokens import fold

# A year stands alone: not inside a number ("2.034,5"), a date ("18/03/2022") or a range's end,
# but a comma or full stop may follow it ("Năm 2021, …").
YEAR = re.compile(r"(?<![\d/-])(?<!\d[.,])(19[5-9]\d|20\d\d|21\d\d)(?![\d/]|[.,]\d)")
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

    @property
    def empty(self) -> bool:
        return not (self.places or self.unknown_places or self.years)


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
        for document in documents:
            for place in (document.attributes.province, document.attributes.district):
                if place:
                    corpus[fold(place)] = place
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

    def scope(self, question: str) -> QueryScope:
        folded = fold(question)
        found = [name for key, name in self.corpus_places.items() if _contains(folded, key)]
        found += [
            name
            for key, name in self.initialisms.items()
            if re.search(rf"(?<![\w/-]){key}(?![\w/-])", question)
        ]
        unknown = [
            name
            for key, name in self.national.items()
            if key not in self.corpus_places and _contains(folded, key)
        ]
        for match in (*NAMED_PLACE.finditer(question), *NAME_AFTER_PREPOSITION.finditer(question)):
            name = match.group(1)
            key = fold(name)
            known = any(_contains(key, k) or _contains(k, key) for k in self.corpus_places)
            if not known and key in self.national and name not in unknown:
                unknown.append(self.national[key])
        return QueryScope(
            places=tuple(dict.fromkeys(found)),
            unknown_places=tuple(dict.fromkeys(unknown)),
            years=asked_years(question),
        )

    def places_of(self, document: Document) -> set[str]:
        return {fold(p) for p in (document.attributes.province, document.attributes.district) if p}


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
