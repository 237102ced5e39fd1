"""Follow-up questions: "Còn huyện Cần Đước thì sao?" after a Long An question keeps the
indicator and year and changes the place; "Còn tỷ lệ thấp còi thì sao?" keeps place and year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.scope import YEAR, Gazetteer
from indexer.tokens import fold

FOLLOW_UP_CUE = re.compile(
    r"^\s*(?:còn|thế còn|vậy còn|con|the con|vay con|what about|how about|and|and what about)\b"
    r"|\b(?:thì sao|thi sao|thì thế nào|thi the nao|như thế nào|nhu the nao)\s*\??\s*$",
    re.IGNORECASE,
)
FILLER = re.compile(
    r"\b(?:còn|thế|vậy|thì sao|thì thế nào|như thế nào|what about|how about|and|"
    r"tỉnh|huyện|thành phố|thị xã|province|district|của|ở|tại|of|in|for|năm|year)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


def is_follow_up(question: str) -> bool:
    return FOLLOW_UP_CUE.search(question) is not None


def resolve_follow_up(question: str, history: Sequence[Turn], gazetteer: Gazetteer) -> str:
    """The question as it would be asked on its own, borrowing from the last user turn what the
    follow-up leaves out (indicator, place, year)."""
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if previous is None or not is_follow_up(question):
        return question
    current_scope = gazetteer.scope(question)
    previous_scope = gazetteer.scope(previous)
    indicator = _indicator(question, current_scope.places)
    if not indicator:
        indicator = _indicator(previous, previous_scope.places)
    places = current_scope.places or previous_scope.places
    years = current_scope.years or previous_scope.years
    parts = [indicator]
    parts += [f"của {place}" for place in places]
    parts += [f"năm {year}" for year in years]
    return " ".join(part for part in parts if part).strip() + "?"


def _indicator(text: str, places: Sequence[str]) -> str:
    """What is measured: the text without follow-up words, places, years and punctuation."""
    remaining = text
    for place in places:
        remaining = re.sub(re.escape(place), " ", remaining, flags=re.IGNORECASE)
        folded_place = fold(place)
        words = remaining.split()
        remaining = " ".join(w for w in words if fold(w) not in folded_place.split())
    remaining = YEAR.sub(" ", remaining)
    remaining = FILLER.sub(" ", remaining)
    remaining = re.sub(r"[?!.,;:]", " ", remaining)
    return " ".join(remaining.split())
