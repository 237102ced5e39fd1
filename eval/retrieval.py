"""Retrieval metrics over an evaluation set, asked through the HTTP API like any client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from eval.dataset import EvalItem
from eval.metrics import first_relevant_rank, mrr_at, recall_at

GROUP_ORDER = ("all", "vi", "vi-unaccented", "en")


@dataclass(frozen=True)
class RetrievalOutcome:
    item: EvalItem
    rank: int | None  # of the first relevant passage in the top k, None when missed
    returned: tuple[str, ...]  # passage texts, best first


@dataclass(frozen=True)
class RetrievalScores:
    group: str
    questions: int
    r1: float
    r5: float
    r10: float
    mrr10: float


@dataclass(frozen=True)
class RetrievalReport:
    mode: str
    scores: tuple[RetrievalScores, ...]
    outcomes: tuple[RetrievalOutcome, ...] = field(repr=False)

    def group(self, name: str) -> RetrievalScores | None:
        return next((s for s in self.scores if s.group == name), None)


def search_outcome(client: TestClient, item: EvalItem, mode: str, k: int) -> RetrievalOutcome:
    response = client.get("/api/search", params={"q": item.question, "k": k, "mode": mode})
    response.raise_for_status()
    texts = tuple(result["text"] for result in response.json()["results"])
    return RetrievalOutcome(
        item=item, rank=first_relevant_rank(texts, item.evidence), returned=texts
    )


def score(group: str, outcomes: Sequence[RetrievalOutcome]) -> RetrievalScores:
    ranks = [o.rank for o in outcomes]
    return RetrievalScores(
        group=group,
        questions=len(outcomes),
        r1=recall_at(ranks, 1),
        r5=recall_at(ranks, 5),
        r10=recall_at(ranks, 10),
        mrr10=mrr_at(ranks, 10),
    )


def evaluate_retrieval(
    client: TestClient, items: Sequence[EvalItem], *, mode: str = "hybrid", k: int = 10
) -> RetrievalReport:
    outcomes = [search_outcome(client, item, mode, k) for item in items if item.answerable]
    groups = {"all": outcomes}
    for outcome in outcomes:
        groups.setdefault(outcome.item.language, []).append(outcome)
    scores = tuple(score(name, groups[name]) for name in GROUP_ORDER if name in groups)
    return RetrievalReport(mode=mode, scores=scores, outcomes=tuple(outcomes))
