"""Answer metrics over an evaluation set through POST /api/ask, by the rules of the shared dev
set: figure accuracy, first-citation relevance, answerability (answered when answerable,
abstained with no figure when not; abstention precision and recall with "abstained" as the
positive class), must_mention recall, plan-vs-actual and cross-document correctness and the
scope-trap rate, with follow-ups replayed as history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

import httpx

from eval.dataset import EvalItem
from eval.groups import by_document, by_kind, by_language
from eval.metrics import figure_matches, is_relevant, must_mention_recall, precision_recall

PLAN_VS_ACTUAL = "plan-vs-actual"
CROSS_DOCUMENT = "cross-document"


@dataclass(frozen=True)
class AnswerOutcome:
    item: EvalItem
    answerable: bool  # what the product said
    first_value: float | None
    first_citation: str | None
    answer: str
    citations: tuple[str, ...] = ()  # every citation's text, in order
    figures: int = 0  # how many figures came back
    confidence: float = 1.0  # the product's confidence in its answer (1.0 when it gives none)

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
    def cited_texts(self) -> tuple[str, ...]:
        if self.citations:
            return self.citations
        return (self.first_citation,) if self.first_citation is not None else ()

    @property
    def must_mention_recall(self) -> float | None:
        """Share of the item's `must_mention` strings in the answer text and its citations."""
        return must_mention_recall(self.item.must_mention, (self.answer, *self.cited_texts))

    @property
    def mentions_everything(self) -> bool:
        recall = self.must_mention_recall
        return recall is None or recall == 1.0

    @property
    def plan_vs_actual_correct(self) -> bool | None:
        """The first figure is the result and the plan is mentioned too."""
        if self.item.kind != PLAN_VS_ACTUAL:
            return None
        return self.figure_correct is True and self.mentions_everything

    @property
    def cross_document_correct(self) -> bool | None:
        """Both sides' figures are mentioned."""
        if self.item.kind != CROSS_DOCUMENT:
            return None
        return self.mentions_everything

    @property
    def trap_taken(self) -> bool | None:
        """The first figure is the tempting wrong one of a scope-trap item."""
        if self.item.trap is None:
            return None
        return figure_matches(self.first_value, self.item.trap.value)

    @property
    def correct(self) -> bool:
        return (
            self.figure_correct is not False
            and self.citation_relevant is not False
            and self.abstention_correct
            and self.mentions_everything
        )

    @property
    def abstained(self) -> bool:
        return not self.answerable

    @property
    def abstention_correct(self) -> bool:
        """Answerability right: answered when answerable, abstained with no figure when not."""
        if self.item.answerable:
            return self.answerable
        return not self.answerable and self.figures == 0 and self.first_value is None


@dataclass(frozen=True)
class AnswerScores:
    group: str
    questions: int
    figure_accuracy: float | None
    figure_questions: int
    citation_accuracy: float | None
    answerability_right: float  # answered when answerable, abstained with no figure when not
    unanswerable_abstained: int
    unanswerable: int
    abstained: int  # questions the product declined, answerable or not
    abstention_precision: float | None  # of the abstentions, the share on unanswerable questions
    abstention_recall: float | None  # of the unanswerable questions, the share abstained on
    must_mention_recall: float | None  # averaged over the items with `must_mention`
    must_mention_questions: int
    plan_vs_actual_accuracy: float | None
    plan_vs_actual_questions: int
    cross_document_accuracy: float | None
    cross_document_questions: int
    trap_rate: float | None  # share of scope-trap items answered with the trap's figure
    trap_questions: int


@dataclass(frozen=True)
class AnswerReport:
    scores: tuple[AnswerScores, ...]  # "all", then per language
    kinds: tuple[AnswerScores, ...]  # per kind of question ("untyped" for items without one)
    documents: tuple[AnswerScores, ...]  # per document named in the items' `docs`
    outcomes: tuple[AnswerOutcome, ...] = field(repr=False)

    def group(self, name: str) -> AnswerScores | None:
        return next((s for s in self.scores if s.group == name), None)

    def kind(self, name: str) -> AnswerScores | None:
        return next((s for s in self.kinds if s.group == name), None)

    @property
    def answerability_right(self) -> float:
        overall = self.group("all")
        return overall.answerability_right if overall else 0.0


def ask_item(client: httpx.Client, item: EvalItem) -> AnswerOutcome:
    """Each earlier turn is asked first and sent back as history (the user's turn and the
    assistant's answer text), the last turn as the question."""
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
    confidence = body.get("confidence")
    return AnswerOutcome(
        item=item,
        answerable=bool(body.get("answerable")),
        first_value=figures[0]["value"] if figures else None,
        first_citation=citations[0]["text"] if citations else None,
        answer=body.get("answer", ""),
        citations=tuple(citation["text"] for citation in citations),
        figures=len(figures),
        confidence=1.0 if confidence is None else float(confidence),
    )


def _rate(values: Sequence[bool | None]) -> float | None:
    known = [v for v in values if v is not None]
    return mean(1.0 if v else 0.0 for v in known) if known else None


def _count(values: Sequence[object | None]) -> int:
    return sum(1 for v in values if v is not None)


def score(group: str, outcomes: Sequence[AnswerOutcome]) -> AnswerScores:
    unanswerable = [o for o in outcomes if not o.item.answerable]
    precision, recall = precision_recall(
        [o.abstained for o in outcomes], [not o.item.answerable for o in outcomes]
    )
    mentions = [o.must_mention_recall for o in outcomes]
    known_mentions = [m for m in mentions if m is not None]
    plan_vs_actual = [o.plan_vs_actual_correct for o in outcomes]
    cross_document = [o.cross_document_correct for o in outcomes]
    traps = [o.trap_taken for o in outcomes]
    return AnswerScores(
        group=group,
        questions=len(outcomes),
        figure_accuracy=_rate([o.figure_correct for o in outcomes]),
        figure_questions=sum(1 for o in outcomes if o.item.answer is not None),
        citation_accuracy=_rate([o.citation_relevant for o in outcomes]),
        answerability_right=(
            mean(1.0 if o.abstention_correct else 0.0 for o in outcomes) if outcomes else 0.0
        ),
        unanswerable_abstained=sum(1 for o in unanswerable if o.abstention_correct),
        unanswerable=len(unanswerable),
        abstained=sum(1 for o in outcomes if o.abstained),
        abstention_precision=precision,
        abstention_recall=recall,
        must_mention_recall=mean(known_mentions) if known_mentions else None,
        must_mention_questions=len(known_mentions),
        plan_vs_actual_accuracy=_rate(plan_vs_actual),
        plan_vs_actual_questions=_count(plan_vs_actual),
        cross_document_accuracy=_rate(cross_document),
        cross_document_questions=_count(cross_document),
        trap_rate=_rate(traps),
        trap_questions=_count(traps),
    )


def summarize(outcomes: Sequence[AnswerOutcome]) -> AnswerReport:
    """Scores overall, per language, per kind and per document."""
    return AnswerReport(
        scores=tuple(score(name, group) for name, group in by_language(outcomes)),
        kinds=tuple(score(name, group) for name, group in by_kind(outcomes)),
        documents=tuple(score(name, group) for name, group in by_document(outcomes)),
        outcomes=tuple(outcomes),
    )


def evaluate_answers(client: httpx.Client, items: Sequence[EvalItem]) -> AnswerReport:
    return summarize([ask_item(client, item) for item in items])
