"""The 2025 reorganisation of administrative units: which unit of today a former province or
district belongs to, the former units a province of today absorbed, and the note that says so.

Read from `indexer/data/admin_units_2025.tsv` (sources in `admin_units_2025.SOURCES.md`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast, get_args

from indexer.attributes import load_provinces
from indexer.tokens import fold

HISTORY_FILE = Path(__file__).parent / "data" / "admin_units_2025.tsv"
COLUMNS = (
    "old_unit",
    "old_kind",
    "level",
    "old_province",
    "new_unit",
    "new_kind",
    "change",
    "effective",
    "source",
)

Level = Literal["province", "district"]
ChangeType = Literal["merged", "unchanged", "renamed", "abolished"]
Language = Literal["vi", "en"]

# How English names a unit's kind: "Long An province", "Cần Thơ city", "Cần Đước district".
ENGLISH_KINDS = {
    "tỉnh": "province",
    "thành phố": "city",
    "huyện": "district",
    "thị xã": "town",
    "quận": "urban district",
}
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class HistoryFileError(ValueError):
    """A row of the history file that cannot be read as a change."""


@dataclass(frozen=True)
class Change:
    """What became of one former unit."""

    old_unit: str  # as provinces.txt spells it: "Long An", "Cần Đước"
    old_kind: str  # "tỉnh", "thành phố", "huyện", "thị xã"
    level: Level
    old_province: str | None  # a district's province
    new_unit: str  # the province-level unit of today its area belongs to
    new_kind: str  # "tỉnh" or "thành phố"
    change: ChangeType
    effective: date
    source: str

    @property
    def moved(self) -> bool:
        """Whether the unit as written is no longer a unit of today."""
        return self.change != "unchanged"


@lru_cache(maxsize=1)
def history() -> tuple[Change, ...]:
    """Every row of the history file, in its order."""
    changes = []
    rows = (
        line.split("\t")
        for line in HISTORY_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    header = next(rows)
    if tuple(header) != COLUMNS:
        raise HistoryFileError(f"{HISTORY_FILE} must have the columns {', '.join(COLUMNS)}")
    for number, row in enumerate(rows, start=2):
        changes.append(_change(row, number))
    return tuple(changes)


def _change(row: list[str], number: int) -> Change:
    if len(row) != len(COLUMNS):
        raise HistoryFileError(
            f"{HISTORY_FILE} data row {number}: {len(row)} columns, {len(COLUMNS)} expected"
        )
    values = dict(zip(COLUMNS, (value.strip() for value in row), strict=True))
    if values["level"] not in get_args(Level) or values["change"] not in get_args(ChangeType):
        raise HistoryFileError(
            f"{HISTORY_FILE} data row {number}: level must be one of {get_args(Level)} and "
            f"change one of {get_args(ChangeType)}, got {values['level']!r}, {values['change']!r}"
        )
    return Change(
        old_unit=values["old_unit"],
        old_kind=values["old_kind"],
        level=cast(Level, values["level"]),
        old_province=values["old_province"] or None,
        new_unit=values["new_unit"],
        new_kind=values["new_kind"],
        change=cast(ChangeType, values["change"]),
        effective=date.fromisoformat(values["effective"]),
        source=values["source"],
    )


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    """Folded name or alias of a province → its name in the history file (aliases as
    provinces.txt lists them: "Hoà Bình", "TP.HCM", "Huế")."""
    names = {fold(province.name): province.name for province in load_provinces()}
    for province in load_provinces():
        for alias in province.aliases:
            names.setdefault(fold(alias), province.name)
    return names


@lru_cache(maxsize=1)
def _by_province() -> dict[str, Change]:
    return {fold(c.old_unit): c for c in history() if c.level == "province"}


@lru_cache(maxsize=1)
def _by_district() -> dict[str, tuple[Change, ...]]:
    found: dict[str, list[Change]] = {}
    for change in history():
        if change.level == "district":
            found.setdefault(fold(change.old_unit), []).append(change)
    return {key: tuple(changes) for key, changes in found.items()}


def successor(name: str, province: str | None = None) -> Change | None:
    """What became of the unit called `name` (accents and case aside): the province of that name
    or alias, else the district of that name (of `province` when given). None for a name the
    history does not hold, and for a district name that several units share when `province`
    does not tell them apart ("Châu Thành")."""
    key = fold(name.strip())
    if province is None:
        found = _by_province().get(_province_key(name))
        if found is not None:
            return found
        candidates = _by_district().get(key, ())
    else:
        wanted = _province_key(province)
        candidates = tuple(
            c for c in _by_district().get(key, ()) if _province_key(c.old_province or "") == wanted
        )
    if candidates and len({(fold(c.new_unit), c.old_kind) for c in candidates}) == 1:
        return candidates[0]
    return None


def _province_key(name: str) -> str:
    """A province's name or alias, folded to the key of its row."""
    folded = fold(name.strip())
    return fold(_canonical_names().get(folded, folded))


def predecessors(new_unit: str) -> tuple[str, ...]:
    """The former provinces whose area makes up a province of today, in the file's order."""
    wanted = {fold(new_unit.strip()), _province_key(new_unit)}
    return tuple(
        c.old_unit for c in history() if c.level == "province" and fold(c.new_unit) in wanted
    )


def new_units() -> tuple[str, ...]:
    """The province-level units of today."""
    return tuple(dict.fromkeys(c.new_unit for c in history() if c.level == "province"))


def current_unit(province: str | None, district: str | None = None) -> Change | None:
    """The change that puts a place as a document writes it (its province, and district when it
    names one) into today's units; None when the place is unknown to the history or unchanged."""
    if district and province and (change := successor(district, province)):
        return change
    if province and (change := successor(province)) and change.moved:
        return change
    return None


def belongs_today(unit: str, province: str | None, district: str | None = None) -> bool:
    """Whether a place as a document writes it lies in the province-level `unit` of today
    (a name or alias: "Tây Ninh" holds what was tỉnh Long An and huyện Cần Đước)."""
    change = current_unit(province, district)
    return change is not None and _province_key(change.new_unit) == _province_key(unit)


def note(change: Change, language: Language = "vi") -> str:
    """The former unit and what it is part of today: "tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh
    từ 01/07/2025)", "former Long An province (part of Tây Ninh province since 1 July 2025)"."""
    if language == "en":
        return _english_note(change)
    if not change.moved:
        return f"{change.old_kind} {change.old_unit}"
    former = f"{change.old_kind} {change.old_unit} cũ"
    if (parent := _moved_province(change)) is not None:
        former += f", {parent.old_kind} {parent.old_unit} cũ"
    now = f"{change.new_kind} {change.new_unit}"
    since = change.effective.strftime("%d/%m/%Y")
    if change.change == "renamed":
        return f"{former} (nay là {now} từ {since})"
    if change.level == "province" and fold(change.new_unit) == fold(change.old_unit):
        now += " mới"  # a merged unit that kept this unit's name is larger than it was
    return f"{former} (nay thuộc {now} từ {since})"


def _english_note(change: Change) -> str:
    if not change.moved:
        return f"{change.old_unit} {_english_kind(change.old_kind)}"
    former = f"former {change.old_unit} {_english_kind(change.old_kind)}"
    if (parent := _moved_province(change)) is not None:
        former += f", former {parent.old_unit} {_english_kind(parent.old_kind)}"
    now = f"{change.new_unit} {_english_kind(change.new_kind)}"
    day = change.effective
    since = f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    if change.change == "renamed":
        return f"{former} ({now} since {since})"
    if change.level == "province" and fold(change.new_unit) == fold(change.old_unit):
        now = f"the new {now}"
    return f"{former} (part of {now} since {since})"


def _english_kind(kind: str) -> str:
    return ENGLISH_KINDS.get(kind, kind)


def _moved_province(change: Change) -> Change | None:
    """A district's province, when that province too is no longer a unit of today."""
    if change.level != "district" or change.old_province is None:
        return None
    parent = successor(change.old_province)
    return parent if parent is not None and parent.moved else None
