"""What the table and prose readers hand back before a figure is placed in its passage: a draft
figure, and the caller's defaults for what a document does not say."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.figures.numbers import FoundNumber
from indexer.models import FigureKind


@dataclass(frozen=True)
class Draft:
    """A figure with everything but its passage."""

    number: FoundNumber
    label: str
    kind: FigureKind | None
    year: int | None
    scope: str | None


@dataclass(frozen=True)
class Defaults:
    """What the caller knows of the whole document: its place, its one plan year, the kind its
    type implies; a figure takes them when neither its words nor its section say otherwise."""

    scope: str | None
    year: int | None
    kind: FigureKind | None
