"""The abstention threshold chosen by cross-validation over documents.

An answer is shown when the product answered and its confidence is at least the threshold;
below it the answer is withheld (abstained, no figure). The threshold is SQuAD 2.0's best
threshold (`best_f1_thresh` of its evaluation script): swept over the confidences observed on
the training items, keeping the one that maximises answerability right. Each seed document in
turn is held out (an item belongs to the fold of its first `docs` entry; items naming no document
train every fold and test none), the threshold is fitted on the other documents' items, and the
in-sample and held-out answerability and figure accuracy are reported side by side: a threshold
that only works in-sample is a tuned constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eval.answers import AnswerOutcome

# None stands for a threshold above every confidence: every answer withheld.
Threshold = float | None


def shown(outcome: AnswerOutcome, threshold: Threshold) -> bool:
    return outcome.answerable and threshold is not None and outcome.confidence >= threshold


def answerability_right_at(outcome: AnswerOutcome, threshold: Threshold) -> bool:
    if shown(outcome, threshold):
        return outcome.item.answerable
    if outcome.answerable:  # withheld by the threshold: an abstention with no figure
        return not outcome.item.answerable
    return outcome.abstention_correct  # the product abstained itself


def figure_correct_at(outcome: AnswerOutcome, threshold: Threshold) -> bool | None:
    if outcome.item.answer is None:
        return None
    return shown(outcome, threshold) and outcome.figure_correct is True


def answerability_at(outcomes: Sequence[AnswerOutcome], threshold: Threshold) -> float | None:
    if not outcomes:
        return None
    return sum(answerability_right_at(o, threshold) for o in outcomes) / len(outcomes)


def figure_accuracy_at(outcomes: Sequence[AnswerOutcome], threshold: Threshold) -> float | None:
    judged = [figure_correct_at(o, threshold) for o in outcomes]
    known = [j for j in judged if j is not None]
    return sum(known) / len(known) if known else None


def best_threshold(outcomes: Sequence[AnswerOutcome]) -> Threshold:
    """The threshold maximising answerability right over `outcomes`. Candidates are the observed
    confidences of the answered outcomes, and None (withhold everything); as in SQuAD 2.0's
    sweep, from withholding everything towards showing everything, a candidate replaces the best
    only when it is strictly better, so ties keep the more cautious threshold."""
    candidates: list[Threshold] = [None]
    candidates += sorted({o.confidence for o in outcomes if o.answerable}, reverse=True)
    best: Threshold = None
    best_right = -1
    for threshold in candidates:
        right = sum(answerability_right_at(o, threshold) for o in outcomes)
        if right > best_right:
            best, best_right = threshold, right
    return best


@dataclass(frozen=True)
class FoldResult:
    document: str  # the held-out document
    threshold: Threshold  # fitted on the other documents' items
    train_questions: int
    test_questions: int
    train_answerability: float | None
    test_answerability: float | None
    train_figure_accuracy: float | None
    test_figure_accuracy: float | None


@dataclass(frozen=True)
class CrossValidation:
    folds: tuple[FoldResult, ...]
    threshold: Threshold  # fitted on every item: the in-sample threshold
    in_sample_answerability: float | None
    in_sample_figure_accuracy: float | None
    held_out_answerability: float | None  # each tested item judged by its own fold's threshold
    held_out_figure_accuracy: float | None
    held_out_questions: int


def cross_validate(outcomes: Sequence[AnswerOutcome]) -> CrossValidation:
    documents = sorted({o.item.fold for o in outcomes if o.item.fold is not None})
    folds = []
    held_out: list[tuple[AnswerOutcome, Threshold]] = []
    for document in documents:
        train = [o for o in outcomes if o.item.fold != document]
        test = [o for o in outcomes if o.item.fold == document]
        threshold = best_threshold(train)
        held_out += [(o, threshold) for o in test]
        folds.append(
            FoldResult(
                document=document,
                threshold=threshold,
                train_questions=len(train),
                test_questions=len(test),
                train_answerability=answerability_at(train, threshold),
                test_answerability=answerability_at(test, threshold),
                train_figure_accuracy=figure_accuracy_at(train, threshold),
                test_figure_accuracy=figure_accuracy_at(test, threshold),
            )
        )
    overall = best_threshold(outcomes)
    figures = [figure_correct_at(o, t) for o, t in held_out]
    judged = [f for f in figures if f is not None]
    return CrossValidation(
        folds=tuple(folds),
        threshold=overall,
        in_sample_answerability=answerability_at(outcomes, overall),
        in_sample_figure_accuracy=figure_accuracy_at(outcomes, overall),
        held_out_answerability=(
            sum(answerability_right_at(o, t) for o, t in held_out) / len(held_out)
            if held_out
            else None
        ),
        held_out_figure_accuracy=sum(judged) / len(judged) if judged else None,
        held_out_questions=len(held_out),
    )
