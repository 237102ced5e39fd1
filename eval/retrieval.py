"""Retrieval metrics over an evaluation set, asked through GET /api/search like any client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from eval.dataset import EvalItem
from eval.groups import by_document, by_kind, by_language
from eval.judge import EvidenceJudge, Judge, ReturnedPassage
from eval.metrics import (
    average_precision_at,
    mrr_at,
    ndcg_at,
    precision_at,
    recall_at,
    summarize_ranks,
)
from indexer.store.base import IndexStore

DEPTH = 10  # every metric is computed on the top 10 the API returns
CURVE_DEPTHS = tuple(range(1, DEPTH + 1))


@dataclass(frozen=True)
class RetrievalOutcome:
    item: EvalItem
    returned: tuple[ReturnedPassage, ...]  # best first
    relevance: tuple[bool, ...]  # one per returned passage
    relevant_total: int | None  # relevant passages in the whole index, when the judge knows

    @property
    def rank(self) -> int | None:
        """Rank of the first relevant passage, None when none was returned."""
        return next((rank for rank, hit in enumerate(self.relevance, 1) if hit), None)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(passage.text for passage in self.returned)


@dataclass(frozen=True)
class RetrievalScores:
    group: str
    questions: int
    r1: float  # R@k is HitRate@k: a relevant passage in the top k
    r5: float
    r10: float
    p1: float
    p5: float
    p10: float
    mrr10: float
    map10: float
    ndcg10: float
    rank_mean: float | None  # first relevant rank, over the questions where it is in the top 10
    rank_median: float | None
    found_rate: float


@dataclass(frozen=True)
class RetrievalReport:
    mode: str
    scores: tuple[RetrievalScores, ...]  # "all", then per language
    documents: tuple[RetrievalScores, ...]  # per document named in the items' `docs`
    outcomes: tuple[RetrievalOutcome, ...] = field(repr=False)
    kinds: tuple[RetrievalScores, ...] = ()  # per kind of question (answerable kinds only)

    def group(self, name: str) -> RetrievalScores | None:
        return next((s for s in self.scores if s.group == name), None)

    def recall_curve(self) -> list[float]:
        """R@k for k = 1..10 over all questions."""
        ranks = [o.rank for o in self.outcomes]
        return [recall_at(ranks, k) for k in CURVE_DEPTHS]


def search_outcome(
    client: httpx.Client, item: EvalItem, mode: str, judge: Judge, k: int = DEPTH
) -> RetrievalOutcome:
    response = client.get("/api/search", params={"q": item.question, "k": k, "mode": mode})
    response.raise_for_status()
    returned = tuple(
        ReturnedPassage(
            passage_id=result["passage_id"],
            doc_id=result["doc_id"],
            source=result["source"],
            section=result["section"],
            text=result["text"],
        )
        for result in response.json()["results"]
    )
    return RetrievalOutcome(
        item=item,
        returned=returned,
        relevance=tuple(judge.relevant(item, passage) for passage in returned),
        relevant_total=judge.relevant_total(item),
    )


def score(group: str, outcomes: Sequence[RetrievalOutcome]) -> RetrievalScores:
    ranks = [o.rank for o in outcomes]
    ranked = summarize_ranks(ranks, DEPTH)

    def average(values: Sequence[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return RetrievalScores(
        group=group,
        questions=len(outcomes),
        r1=recall_at(ranks, 1),
        r5=recall_at(ranks, 5),
        r10=recall_at(ranks, 10),
        p1=average([precision_at(o.relevance, 1) for o in outcomes]),
        p5=average([precision_at(o.relevance, 5) for o in outcomes]),
        p10=average([precision_at(o.relevance, 10) for o in outcomes]),
        mrr10=mrr_at(ranks, 10),
        map10=average([average_precision_at(o.relevance, 10, o.relevant_total) for o in outcomes]),
        ndcg10=average([ndcg_at(o.relevance, 10, o.relevant_total) for o in outcomes]),
        rank_mean=ranked.mean,
        rank_median=ranked.median,
        found_rate=ranked.found_rate,
    )


def evaluate_retrieval(
    client: httpx.Client,
    items: Sequence[EvalItem],
    *,
    mode: str = "hybrid",
    judge: Judge | None = None,
    store: IndexStore | None = None,
    per_document: bool = True,
) -> RetrievalReport:
    """Ask every answerable question through the API and score the top 10 it returns.

    Without a judge, the README's evidence rule is used; given the `store` the app serves, it
    also counts the relevant passages of the whole index (the denominator of MAP and nDCG).
    """
    judge = judge or EvidenceJudge(store)
    outcomes = [search_outcome(client, item, mode, judge) for item in items if item.answerable]
    return RetrievalReport(
        mode=mode,
        scores=tuple(score(name, group) for name, group in by_language(outcomes)),
        documents=(
            tuple(score(name, group) for name, group in by_document(outcomes))
            if per_document
            else ()
        ),
        outcomes=tuple(outcomes),
        kinds=tuple(score(name, group) for name, group in by_kind(outcomes)),
    )
