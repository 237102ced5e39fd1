"""Fitting the figure ranker: a conditional logit learns which evidence picks the right record,
and the abstention threshold is the best sweep over observed confidences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from eval.dataset import EvalItem, ExpectedFigure
from eval.fit_ranker import (
    Example,
    _best,
    best_threshold,
    cross_validate,
    fit,
    year_counterfactuals,
)
from service.qa.figure_ranker import FEATURES


def example(item_id: str, fold: str, right_feature: int, answerable: bool = True) -> Example:
    """Three candidates; the right one is the only one strong on `right_feature`."""
    features = np.zeros((3, len(FEATURES)))
    features[:, FEATURES.index("retrieval")] = [0.2, 0.9, 0.5]  # noise that favours a wrong one
    labels = np.zeros(3, dtype=int)
    if answerable:
        features[0, right_feature] = 1.0
        labels[0] = 1
    item = EvalItem(
        item_id=item_id,
        question="q",
        turns=("q",),
        evidence=("e",) if answerable else (),
        answer=ExpectedFigure(1.0, None) if answerable else None,
        answerable=answerable,
    )
    return Example(item, fold, features, labels, figure_intent=True)


def test_the_fitted_weights_follow_the_evidence_that_picks_the_right_record():
    indicator = FEATURES.index("indicator")
    examples = [example(f"q{i}", f"d{i % 5}", indicator) for i in range(20)]
    model = fit(examples)
    assert model.weights[indicator] > model.weights[FEATURES.index("retrieval")]


def test_unanswerable_questions_raise_the_threshold_above_their_confidence():
    indicator = FEATURES.index("indicator")
    examples = [example(f"q{i}", f"d{i % 5}", indicator) for i in range(20)]
    examples += [example(f"u{i}", f"d{i % 5}", indicator, answerable=False) for i in range(5)]
    model = fit(examples)
    assert best_threshold(model, examples) == model.threshold
    unanswerable = [e for e in examples if not e.item.answerable]
    scores = unanswerable[0].features @ np.array(model.weights)
    order = np.argsort(-scores)
    confidence = model.confidence(unanswerable[0].features[order[0]], float(scores[order[1]]))
    assert confidence < model.threshold


def test_the_runner_up_is_the_best_candidate_giving_another_figure():
    indicator = FEATURES.index("indicator")
    model = fit([example(f"q{i}", f"d{i % 5}", indicator) for i in range(20)])
    # the best figure read twice (a table row and its prose), and another figure
    agreeing = replace(example("a", "d0", indicator), values=np.array([5.0, 7.0, 5.0]))
    scores = agreeing.features @ np.array(model.weights)
    assert scores[0] > scores[2] > scores[1]
    _, runner_up, _ = _best(model, agreeing)
    assert runner_up == float(scores[1])


def test_cross_validation_scores_each_document_on_weights_fitted_without_it():
    indicator = FEATURES.index("indicator")
    examples = [example(f"q{i}", f"d{i % 5}", indicator) for i in range(20)]
    report = cross_validate(examples)
    assert [f.fold for f in report.folds] == ["d0", "d1", "d2", "d3", "d4"]
    assert all(f.figure_accuracy == 1.0 for f in report.folds)


def test_year_counterfactuals_ask_an_uncovered_year_and_are_unanswerable():
    asked = EvalItem(
        item_id="a",
        question="Số ca mắc năm 2023 của tỉnh?",
        turns=("Số ca mắc năm 2023 của tỉnh?",),
        evidence=("e",),
        answer=ExpectedFigure(5.0, None),
        answerable=True,
    )
    since = replace(
        asked, item_id="s", question="Cases since July 2021?", turns=("Cases since July 2021?",)
    )
    no_year = replace(asked, item_id="n", question="Số ca mắc?", turns=("Số ca mắc?",))

    made = year_counterfactuals([asked, since, no_year], 2019)

    assert [m.item_id for m in made] == ["a~2019"]
    assert made[0].question == "Số ca mắc năm 2019 của tỉnh?"
    assert made[0].answer is None and not made[0].answerable


def test_the_pooled_held_out_score_counts_every_held_out_item_once():
    indicator = FEATURES.index("indicator")
    examples = [example(f"q{i}", f"d{i % 5}", indicator) for i in range(20)]
    examples += [example("u0", "d0", indicator, answerable=False)]
    report = cross_validate(examples)
    pooled = report.pooled
    assert pooled.items == 21 == sum(f.items for f in report.folds)
    assert pooled.figure_items == 20
    held_out_right = sum(f.answerability * f.items for f in report.folds)
    assert pooled.answerability == held_out_right / 21
