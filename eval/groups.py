"""How per-question outcomes are split for reporting: by language, by kind of question and by
source document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from eval.dataset import UNTYPED, EvalItem

LANGUAGES = ("vi", "vi-unaccented", "en")
ALL = "all"
NO_DOCUMENT = "(none)"
# The dev set's kinds (../shared/eval/README.md) in the order its README lists them; a kind not
# listed here is reported after them, alphabetically.
KINDS = (
    UNTYPED,
    "figure",
    "abbreviation-colloquial",
    "english",
    "plan-vs-actual",
    "list",
    "cross-document",
    "signer-date-issuer",
    "scope-trap",
    "follow-up",
    "unanswerable",
)


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


def by_kind(outcomes: Sequence[Outcome]) -> list[tuple[str, list[Outcome]]]:
    """One group per kind that occurs (`untyped` for items without one), in the README's order."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.item.kind, []).append(outcome)
    known = [name for name in KINDS if name in groups]
    return [(name, groups[name]) for name in known + sorted(set(groups) - set(KINDS))]
