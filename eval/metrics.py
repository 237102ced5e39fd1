"""Scoring rules of the shared dev set (relevance by normalised evidence containment) and the
rank metrics computed from binary relevance per retrieved passage."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean, median

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
    """HitRate@k: the share of questions with a relevant passage in the top k."""
    return mean(1.0 if r is not None and r <= k else 0.0 for r in ranks) if ranks else 0.0


def mrr_at(ranks: Sequence[int | None], k: int = 10) -> float:
    return mean(1.0 / r if r is not None and r <= k else 0.0 for r in ranks) if ranks else 0.0


# Per question, from the relevance of each retrieved passage (best first). `relevant_total` is how
# many relevant passages the whole index holds; when it is unknown, the relevant ones retrieved
# stand in for it (which can only flatter AP and nDCG, never penalise them).


def precision_at(relevance: Sequence[bool], k: int) -> float:
    """Relevant passages in the top k, over k (a short list counts its missing places as misses)."""
    return sum(1 for relevant in relevance[:k] if relevant) / k


def average_precision_at(
    relevance: Sequence[bool], k: int = 10, relevant_total: int | None = None
) -> float:
    """AP@k = Σ P@i over relevant ranks i ≤ k, divided by min(k, relevant passages)."""
    found = 0
    total = 0.0
    for rank, relevant in enumerate(relevance[:k], start=1):
        if relevant:
            found += 1
            total += found / rank
    denominator = min(k, max(relevant_total or 0, found))
    return total / denominator if denominator else 0.0


def ndcg_at(relevance: Sequence[bool], k: int = 10, relevant_total: int | None = None) -> float:
    """Binary nDCG@k: Σ rel_i / log2(i + 1), over the same sum for an ideal ranking."""
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(relevance[:k], 1) if rel)
    found = sum(1 for relevant in relevance[:k] if relevant)
    ideal = min(k, max(relevant_total or 0, found))
    idcg = sum(1.0 / math.log2(rank + 1) for rank in range(1, ideal + 1))
    return dcg / idcg if idcg else 0.0


@dataclass(frozen=True)
class RankSummary:
    """Where the first relevant passage lands, over the questions where it lands at all."""

    mean: float | None
    median: float | None
    found_rate: float


def summarize_ranks(ranks: Sequence[int | None], k: int = 10) -> RankSummary:
    found = [r for r in ranks if r is not None and r <= k]
    return RankSummary(
        mean=mean(found) if found else None,
        median=float(median(found)) if found else None,
        found_rate=len(found) / len(ranks) if ranks else 0.0,
    )


def precision_recall(
    predicted: Sequence[bool], actual: Sequence[bool]
) -> tuple[float | None, float | None]:
    """(precision, recall) of a yes/no decision; None where the denominator is zero."""
    pairs = list(zip(predicted, actual, strict=True))
    true_positives = sum(1 for p, a in pairs if p and a)
    predicted_positives = sum(1 for p, _ in pairs if p)
    actual_positives = sum(1 for _, a in pairs if a)
    return (
        true_positives / predicted_positives if predicted_positives else None,
        true_positives / actual_positives if actual_positives else None,
    )


def figure_matches(value: float | None, expected: float, tolerance: float = 1e-6) -> bool:
    if value is None:
        return False
    return abs(value - expected) <= tolerance * max(abs(expected), 1e-12)


def mention_forms(mention: str) -> tuple[str, ...]:
    """`norm(mention)`, and for a string with digits also the form with every `.` and `,`
    swapped (`51.511` ↔ `51,511`, `9,45` ↔ `9.45`): numbers are written both ways."""
    normalised = norm(mention)
    if not any(character.isdigit() for character in normalised):
        return (normalised,)
    swapped = normalised.translate(str.maketrans({".": ",", ",": "."}))
    return (normalised, swapped) if swapped != normalised else (normalised,)


def must_mention_recall(mentions: Sequence[str], texts: Sequence[str]) -> float | None:
    """Share of `mentions` found (by `mention_forms`) in `norm` of the texts put together (the
    answer text and all citation texts); None when there is nothing to mention."""
    wanted = [m for m in mentions if m.strip()]
    if not wanted:
        return None
    haystack = norm(" ".join(texts))
    found = sum(1 for m in wanted if any(form in haystack for form in mention_forms(m)))
    return found / len(wanted)
