"""Fitting the figure ranker and its abstention threshold on an evaluation set, with
cross-validation over documents: fit on the items of four seed documents, test on the fifth.

The weights are a conditional logit over each question's candidates (a figure record that passes
the question's facets; the right ones are those whose value is the expected answer): they
maximise the softmax probability of the right records, with an L2 penalty. The confidence is a
logistic regression of "the first record is right" on its score and its margin over the runner-up.
The threshold is the SQuAD 2.0 best-threshold sweep: answering an answerable item scores 1 when
its first figure is right (or it has no expected figure), abstaining scores 1 on unanswerable
items, all else 0.

Unanswerable questions are few in any hand-written set, so the calibration and the threshold also
learn from year counterfactuals: each answerable figure question that names a year, asked again
for a year no figure record and no document covers (so the corpus cannot answer it). They train
only; every reported score is over the set's own items.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression

from eval.dataset import EvalItem
from eval.metrics import figure_matches
from indexer.scope import YEAR, asked_years
from service.qa.answer import Answerer
from service.qa.figure_ranker import (
    CALIBRATION_INPUTS,
    FEATURES,
    MODEL_FILE,
    RankerModel,
    calibration_inputs,
)
from service.qa.followup import Turn

FIGURE_INTENTS = ("figure", "plan_vs_actual", "comparison")
L2 = 0.1
# What the candidates are collected with: the fit needs every record's features, not an order,
# so it never depends on (or fails on) the weights stored from an earlier fit.
UNFITTED = RankerModel((0.0,) * len(FEATURES), (0.0,) * (CALIBRATION_INPUTS + 1), 0.0)


@dataclass(frozen=True)
class Example:
    """One evaluation item's figure candidates, as the ranker sees them."""

    item: EvalItem
    fold: str
    features: np.ndarray  # candidates × features
    labels: np.ndarray  # 1 where the candidate's value is the expected answer
    figure_intent: bool
    out_of_scope: np.ndarray | None = None  # records the facets rule out × features
    counterfactual: bool = False  # made up for training (see year_counterfactuals), never scored
    # the candidates' figure values: the runner-up is the best candidate giving another one
    values: np.ndarray | None = None


@dataclass(frozen=True)
class FoldScores:
    fold: str
    items: int
    figure_accuracy: float | None  # first figure right, over items with an expected figure
    answerability: float  # answered iff answerable
    threshold: float
    figure_items: int = 0  # items with an expected figure


@dataclass(frozen=True)
class FitReport:
    model: RankerModel
    in_sample: FoldScores
    folds: tuple[FoldScores, ...]  # each scored on the document held out

    @property
    def pooled(self) -> FoldScores:
        """Every held-out item scored by the model fitted without its document, together."""
        items = sum(f.items for f in self.folds)
        figures = sum(f.figure_items for f in self.folds)
        return FoldScores(
            fold="held out (pooled)",
            items=items,
            figure_accuracy=sum((f.figure_accuracy or 0.0) * f.figure_items for f in self.folds)
            / figures
            if figures
            else None,
            answerability=sum(f.answerability * f.items for f in self.folds) / items
            if items
            else 0.0,
            threshold=float("nan"),
            figure_items=figures,
        )


def uncovered_year(answerer: Answerer) -> int:
    """The latest year before every year the corpus speaks of: no record and no document's
    period has it."""
    covered = {r.figure.year for r in answerer.records if r.figure.year is not None}
    for document in answerer.documents.values():
        covered.update(document.attributes.plan_years)
    year = min(covered, default=2000) - 1
    while year in covered:
        year -= 1
    return year


def year_counterfactuals(items: Sequence[EvalItem], year: int) -> list[EvalItem]:
    """Answerable figure questions asked for `year` instead of the year they name: unanswerable
    by construction when no record or document covers `year`."""
    made = []
    for item in items:
        if item.answer is None or len(item.turns) > 1:
            continue
        asked = asked_years(item.question)
        if not asked:
            continue  # only a period's start ("since 2021"): not a year the answer is for
        question = YEAR.sub(partial(_swap_year, asked=set(asked), year=year), item.question)
        made.append(
            replace(
                item,
                item_id=f"{item.item_id}~{year}",
                question=question,
                turns=(question,),
                answer=None,
                answerable=False,
                must_mention=(),
                trap=None,
            )
        )
    return made


def _swap_year(match: re.Match[str], *, asked: set[int], year: int) -> str:
    return str(year) if int(match.group(0)) in asked else match.group(0)


def collect(
    answerer: Answerer, items: Sequence[EvalItem], *, counterfactuals: bool = True
) -> list[Example]:
    """Every item's candidates, then (when `counterfactuals`) those of its year counterfactual,
    in the item's fold."""
    examples = _collect(answerer, items)
    if counterfactuals:
        folds = {e.item.item_id: e.fold for e in examples}
        made = year_counterfactuals(items, uncovered_year(answerer))
        for example in _collect(answerer, made):
            original = example.item.item_id.split("~")[0]
            examples.append(replace(example, fold=folds[original], counterfactual=True))
    return examples


def _collect(answerer: Answerer, items: Sequence[EvalItem]) -> list[Example]:
    examples = []
    spare = 0
    documents = sorted({item.docs[0] for item in items if item.docs})
    for item in items:
        history: list[Turn] = []
        for turn in item.turns[:-1]:
            earlier = answerer.ask(turn, history)
            history += [Turn("user", turn), Turn("assistant", earlier.text)]
        asked = answerer.ask(item.question, history)
        ranking = answerer.rank_figures(item.question, history, limit=None, keep_excluded=True)
        ranked = ranking.records
        features = np.array([r.features for r in ranked]).reshape(-1, len(FEATURES))
        expected = item.answer.value if item.answer else None
        labels = np.array(
            [
                1 if expected is not None and figure_matches(r.record.figure.value, expected) else 0
                for r in ranked
            ]
        )
        if item.docs:
            fold = item.docs[0]
        else:  # items naming no seed document are spread over the folds, in file order
            fold = documents[spare % len(documents)] if documents else "all"
            spare += 1
        figure_intent = asked.intent in FIGURE_INTENTS
        excluded = [r.features for r in ranking.excluded]
        out_of_scope = np.array(excluded) if excluded else None
        values = np.array([r.record.figure.value for r in ranked])
        examples.append(
            Example(item, fold, features, labels, figure_intent, out_of_scope, values=values)
        )
    return examples


def fit(examples: Sequence[Example]) -> RankerModel:
    weights = _conditional_logit([e for e in examples if e.figure_intent and e.labels.any()])
    calibration = _calibrate(weights, examples)
    unthresholded = RankerModel(weights, calibration, 0.0)
    return RankerModel(weights, calibration, best_threshold(unthresholded, examples))


def _conditional_logit(examples: Sequence[Example]) -> tuple[float, ...]:
    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total = L2 * float(w @ w)
        gradient = 2 * L2 * w
        for example in examples:
            scores = example.features @ w
            softmax = np.exp(scores - logsumexp(scores))
            right = example.labels == 1
            right_mass = softmax[right].sum()
            total -= float(np.log(right_mass + 1e-12))
            # d/dw −log Σ_right p = E_p[x] − E_{p | right}[x]
            gradient += softmax @ example.features - (softmax[right] @ example.features[right]) / (
                right_mass + 1e-12
            )
        return total, gradient

    start = np.zeros(len(FEATURES))
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return tuple(float(w) for w in result.x)


def _calibrate(weights: Sequence[float], examples: Sequence[Example]) -> tuple[float, ...]:
    rows, labels = [], []
    model = RankerModel(tuple(weights), (0.0,) * (CALIBRATION_INPUTS + 1), 0.0)
    for example in examples:
        if not example.figure_intent or not len(example.labels):
            continue
        best, runner_up, right = _best(model, example)
        rows.append(
            calibration_inputs(best.score, runner_up, best.features, _excluded(model, example))
        )
        labels.append(int(example.item.answerable and right))
    if len(set(labels)) < 2:
        return (1.0, 1.0) + (0.0,) * (CALIBRATION_INPUTS - 1)
    regression = LogisticRegression(max_iter=2000).fit(np.array(rows), np.array(labels))
    return (*(float(w) for w in regression.coef_[0]), float(regression.intercept_[0]))


def best_threshold(model: RankerModel, examples: Sequence[Example]) -> float:
    """The middle of the widest-scoring interval: answering at or above any threshold in
    (c[i-1], c[j]] gives the same outcomes, for the observed confidences c[i..j] that score
    best; its middle is the farthest from both edges."""
    outcomes = [_outcome(model, e) for e in examples if e.figure_intent]
    candidates = sorted({p for p, _, _ in outcomes} | {0.0})
    scores = [
        sum(_credit(p >= threshold, right, answerable) for p, right, answerable in outcomes)
        for threshold in candidates
    ]
    best = max(scores)
    first = scores.index(best)
    last = first
    while last + 1 < len(scores) and scores[last + 1] == best:
        last += 1
    below = candidates[first - 1] if first > 0 else candidates[first]
    return (below + candidates[last]) / 2


def score(model: RankerModel, examples: Sequence[Example], fold: str) -> FoldScores:
    figure_right = []
    answerability = []
    examples = [e for e in examples if not e.counterfactual]
    for example in examples:
        probability, right, answerable = _outcome(model, example)
        answered = not example.figure_intent or probability >= model.threshold
        answerability.append(answered == answerable)
        if example.item.answer is not None:
            figure_right.append(answered and right)
    return FoldScores(
        fold=fold,
        items=len(examples),
        figure_accuracy=sum(figure_right) / len(figure_right) if figure_right else None,
        answerability=sum(answerability) / len(answerability) if answerability else 0.0,
        threshold=model.threshold,
        figure_items=len(figure_right),
    )


def cross_validate(examples: Sequence[Example]) -> FitReport:
    model = fit(examples)
    folds = []
    for fold in sorted({e.fold for e in examples}):
        train = [e for e in examples if e.fold != fold]
        test = [e for e in examples if e.fold == fold]
        folds.append(score(fit(train), test, fold))
    return FitReport(model, score(model, examples, "all"), tuple(folds))


def save(report: FitReport, source: str, path: Path = MODEL_FILE) -> None:
    model = report.model
    payload = {
        "about": (
            "Figure-ranker weights and abstention threshold, fitted by `healthqa-eval fit-ranker` "
            f"on {source}; cross-validated over documents (fit on four, test on the fifth)."
        ),
        "fitted": datetime.now(UTC).strftime("%Y-%m-%d"),
        "features": list(FEATURES),
        "weights": [round(w, 6) for w in model.weights],
        "calibration": [round(c, 6) for c in model.calibration],
        "threshold": round(model.threshold, 6),
        "in_sample": _scores(report.in_sample),
        "held_out": [_scores(f) for f in report.folds],
        "held_out_pooled": _scores(report.pooled),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _scores(scores: FoldScores) -> dict[str, object]:
    return {
        "fold": scores.fold,
        "items": scores.items,
        "figure_accuracy": None
        if scores.figure_accuracy is None
        else round(scores.figure_accuracy, 3),
        "answerability": round(scores.answerability, 3),
        "threshold": None if math.isnan(scores.threshold) else round(scores.threshold, 4),
    }


def _outcome(model: RankerModel, example: Example) -> tuple[float, bool, bool]:
    """(confidence in the best candidate, whether it is right, whether the item is answerable)."""
    if not len(example.labels):
        return 0.0, False, example.item.answerable
    best, runner_up, right = _best(model, example)
    confidence = model.confidence(best.features, runner_up, _excluded(model, example))
    return confidence, right, example.item.answerable


@dataclass(frozen=True)
class _Top:
    score: float
    features: np.ndarray


def _best(model: RankerModel, example: Example) -> tuple[_Top, float | None, bool]:
    """(the best candidate, the runner-up's score, whether the best is right)."""
    scores = example.features @ np.array(model.weights)
    order = np.argsort(-scores)
    best = int(order[0])
    others = order[1:]
    if example.values is not None:  # records agreeing with the best do not make it less certain
        others = [n for n in others if example.values[n] != example.values[best]]
    runner_up = float(scores[others[0]]) if len(others) else None
    right = example.item.answer is None or bool(example.labels[best])
    return _Top(float(scores[best]), example.features[best]), runner_up, right


def _excluded(model: RankerModel, example: Example) -> float | None:
    """The score of the best record the question's place or year rules out."""
    if example.out_of_scope is None:
        return None
    return float((example.out_of_scope @ np.array(model.weights)).max())


def _credit(answered: bool, right: bool, answerable: bool) -> int:
    if answerable:
        return int(answered and right)
    return int(not answered)
