"""Scoring rules of the shared dev set: relevance by normalised evidence containment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from statistics import mean

WHITESPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """NFC, lower-case, no `_`, no whitespace."""
    return WHITESPACE.sub("", unicodedata.normalize("NFC", text).lower().replace("_", ""))


def is_relevant(passage_text: str, evidence: Sequence[str]) -> bool:
    haystack = norm(passage_text)
    return any(norm(e) in haystack for e in evidence if e.strip())


def first_relevant_rank(texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    for rank, text in enumerate(texts, start=1):
        if is_relevant(text, evidence):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    return mean(1.0 if r is not None and r <= k else 0.0 for r in ranks) if ranks else 0.0


def mrr_at(ranks: Sequence[int | None], k: int = 10) -> float:
    return mean(1.0 / r if r is not None and r <= k else 0.0 for r in ranks) if ranks else 0.0


def figure_matches(value: float | None, expected: float, tolerance: float = 1e-6) -> bool:
    if value is None:
        return False
    return abs(value - expected) <= tolerance * max(abs(expected), 1e-12)
