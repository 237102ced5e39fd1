"""Answer metrics over an evaluation set through POST /api/ask: figure accuracy, first-citation
relevance and abstention (precision and recall, the positive class being "abstained"), with
follow-ups replayed as history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

import httpx

from eval.dataset import EvalItem
from eval.groups import by_document, by_language
from eval.metrics import figure_matches, is_relevant, precision_recall


@dataclass(frozen=True)
class AnswerOutcome:
    item: EvalItem
    answerable: bool
    first_value: float | None
    first_citation: str | None
    answer: str

    @property
    def figure_correct(self) -> bool | None:
        if self.item.answer is None:
            return None
        return figure_matches(self.first_value, self.item.answer.value)

    @property
    def citation_relevant(self) -> bool | None:
        if not self.item.answerable:
            return None
        return self.first_citation is not None and is_relevant(
            self.first_citation, self.item.evidence
        )

    @property
    def correct(self) -> bool:
        return (
            self.figure_correct is not False
            and self.citation_relevant is not False
            and self.abstention_correct
        )

    @property
    def abstained(self) -> bool:
        return not self.answerable

    @property
    def abstention_correct(self) -> bool:
        if self.item.answerable:
            return self.answerable
        return not self.answerable and self.first_value is None


@dataclass(frozen=True)
class AnswerScores:
    group: str
    questions: int
    figure_accuracy: float | None
    figure_questions: int
    citation_accuracy: float | None
    abstention_accuracy: float
    unanswerable_abstained: int
    unanswerable: int
    abstained: int  # questions the product declined, answerable or not
    abstention_precision: float | None  # of the abstentions, the share on unanswerable questions
    abstention_recall: float | None  # of the unanswerable questions, the share abstained on


@dataclass(frozen=True)
class AnswerReport:
    scores: tuple[AnswerScores, ...]  # "all", then per language
    documents: tuple[AnswerScores, ...]  # per document named in the items' `docs`
    outcomes: tuple[AnswerOutcome, ...] = field(repr=False)

    def group(self, name: str) -> AnswerScores | None:
        return next((s for s in self.scores if s.group == name), None)


def ask_item(client: httpx.Client, item: EvalItem) -> AnswerOutcome:
    history: list[dict[str, str]] = []
    body: dict = {}
    for turn in item.turns:
        response = client.post("/api/ask", json={"question": turn, "history": history})
        response.raise_for_status()
        body = response.json()
        history += [
            {"role": "user", "content": turn},
            {"role": "assistant", "content": body["answer"]},
        ]
    figures = body.get("figures") or []
    citations = body.get("citations") or []
    return AnswerOutcome(
        item=item,
        answerable=bool(body.get("answerable")),
        first_value=figures[0]["value"] if figures else None,
        first_citation=citations[0]["text"] if citations else None,
        answer=body.get("answer", ""),
    )


def _rate(values: Sequence[bool | None]) -> float | None:
    known = [v for v in values if v is not None]
    return mean(1.0 if v else 0.0 for v in known) if known else None


def score(group: str, outcomes: Sequence[AnswerOutcome]) -> AnswerScores:
    unanswerable = [o for o in outcomes if not o.item.answerable]
    precision, recall = precision_recall(
        [o.abstained for o in outcomes], [not o.item.answerable for o in outcomes]
    )
    return AnswerScores(
        group=group,
        questions=len(outcomes),
        figure_accuracy=_rate([o.figure_correct for o in outcomes]),
        figure_questions=sum(1 for o in outcomes if o.item.answer is not None),
        citation_accuracy=_rate([o.citation_relevant for o in outcomes]),
        abstention_accuracy=mean(1.0 if o.abstention_correct else 0.0 for o in outcomes),
        unanswerable_abstained=sum(1 for o in unanswerable if o.abstention_correct),
        unanswerable=len(unanswerable),
        abstained=sum(1 for o in outcomes if o.abstained),
        abstention_precision=precision,
        abstention_recall=recall,
    )


def evaluate_answers(client: httpx.Client, items: Sequence[EvalItem]) -> AnswerReport:
    outcomes = [ask_item(client, item) for item in items]
    return AnswerReport(
        scores=tuple(score(name, group) for name, group in by_language(outcomes)),
        documents=tuple(score(name, group) for name, group in by_document(outcomes)),
        outcomes=tuple(outcomes),
    )
