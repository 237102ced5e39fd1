"""The abstention threshold's best-threshold sweep and the document folds, on synthetic
outcomes."""

from __future__ import annotations

import pytest

from eval.answers import AnswerOutcome
from eval.crossval import (
    answerability_at,
    best_threshold,
    cross_validate,
    figure_accuracy_at,
)
from eval.dataset import EvalItem, ExpectedFigure


def outcome(doc, *, answerable=True, said=True, confidence=1.0, right=True, docs=None):
    """An item about `doc` (None: no document) the product answered (`said`) with `confidence`;
    answerable items carry a figure the product got `right` or not."""
    item = EvalItem(
        item_id=f"{doc}-{confidence}-{answerable}",
        question="q",
        turns=("q",),
        evidence=("e",) if answerable else (),
        answer=ExpectedFigure(10.0, None) if answerable else None,
        answerable=answerable,
        docs=tuple(docs if docs is not None else ([doc] if doc else [])),
    )
    value = (10.0 if right else 11.0) if said else None
    return AnswerOutcome(item, said, value, None, "", figures=int(said), confidence=confidence)


def test_the_sweep_keeps_the_threshold_that_separates_right_from_wrong_answers():
    outcomes = [
        outcome("a", confidence=0.9),
        outcome("a", confidence=0.8),
        outcome("a", answerable=False, confidence=0.3),  # answered, should not have been
        outcome("a", answerable=False, confidence=0.2),
    ]
    assert best_threshold(outcomes) == 0.8
    assert answerability_at(outcomes, 0.8) == 1.0
    assert answerability_at(outcomes, 0.2) == 0.5  # everything shown
    assert answerability_at(outcomes, None) == 0.5  # everything withheld


def test_ties_keep_the_more_cautious_threshold():
    outcomes = [
        outcome("a", confidence=0.9),
        outcome("a", answerable=False, confidence=0.5),
        outcome("a", confidence=0.1),
    ]
    # 0.9 and 0.1 both get two of three right; SQuAD's sweep keeps the first best, from the top
    assert best_threshold(outcomes) == 0.9


def test_withholding_everything_wins_when_every_answer_is_unwanted():
    outcomes = [outcome("a", answerable=False, confidence=c) for c in (0.9, 0.4)]
    assert best_threshold(outcomes) is None
    assert answerability_at(outcomes, None) == 1.0


def test_answers_without_confidence_keep_the_products_own_decisions():
    outcomes = [outcome("a"), outcome("a", said=False), outcome("a", answerable=False, said=False)]
    assert best_threshold(outcomes) == 1.0
    assert answerability_at(outcomes, 1.0) == pytest.approx(2 / 3)


def test_figure_accuracy_counts_withheld_answers_as_misses():
    outcomes = [
        outcome("a", confidence=0.9),
        outcome("a", confidence=0.4),
        outcome("a", right=False),
    ]
    assert figure_accuracy_at(outcomes, 0.0) == pytest.approx(2 / 3)
    assert figure_accuracy_at(outcomes, 0.5) == pytest.approx(1 / 3)


def test_each_document_is_held_out_once_and_fitted_on_the_others():
    outcomes = [
        # on a and b, answers above 0.5 are right; unanswerable ones sit below
        outcome("a", confidence=0.9),
        outcome("a", answerable=False, confidence=0.3),
        outcome("b", confidence=0.7),
        outcome("b", answerable=False, confidence=0.2),
        # c's right answer has a low confidence: the others' threshold withholds it
        outcome("c", confidence=0.35),
        # no document: trains every fold, tests none
        outcome(None, answerable=False, said=False),
    ]
    result = cross_validate(outcomes)
    assert [fold.document for fold in result.folds] == ["a", "b", "c"]
    by_document = {fold.document: fold for fold in result.folds}
    c = by_document["c"]
    assert (c.train_questions, c.test_questions) == (5, 1)
    assert c.threshold == 0.7  # the strictest threshold that is perfect on a and b
    assert c.train_answerability == 1.0
    assert c.test_answerability == 0.0 and c.test_figure_accuracy == 0.0
    assert by_document["a"].test_answerability == 1.0
    assert result.held_out_questions == 5
    assert result.threshold == 0.35  # in-sample, c's answer is kept too
    assert result.in_sample_answerability == 1.0
    assert result.held_out_answerability == pytest.approx(4 / 5)
    assert result.in_sample_figure_accuracy == 1.0
    assert result.held_out_figure_accuracy == pytest.approx(2 / 3)


def test_an_items_fold_is_its_first_document():
    two = outcome("x", docs=["b", "a"])
    assert two.item.fold == "b"
    assert outcome(None).item.fold is None
