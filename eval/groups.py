"""How per-question outcomes are split for reporting: by language and by source document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from eval.dataset import EvalItem

LANGUAGES = ("vi", "vi-unaccented", "en")
ALL = "all"
NO_DOCUMENT = "(none)"


class HasItem(Protocol):
    @property
    def item(self) -> EvalItem: ...


Outcome = TypeVar("Outcome", bound=HasItem)


def by_language(outcomes: Sequence[Outcome]) -> list[tuple[str, list[Outcome]]]:
    """("all", every outcome), then each language that occurs, in a fixed order."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.item.language, []).append(outcome)
    return [(ALL, list(outcomes))] + [(name, groups[name]) for name in LANGUAGES if name in groups]


def by_document(outcomes: Sequence[Outcome]) -> list[tuple[str, list[Outcome]]]:
    """One group per document named in the items' `docs` (an item may count in several)."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        for name in outcome.item.docs or (NO_DOCUMENT,):
            groups.setdefault(name, []).append(outcome)
    return sorted(groups.items())
