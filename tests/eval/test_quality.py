"""Quality floors on the seed corpus: a regression in retrieval or answers fails CI.

The floors are those set by the issues that introduced each feature.
"""

from __future__ import annotations

import pytest

from eval.answers import evaluate_answers
from eval.dataset import DEFAULT_SET, load_dataset
from eval.retrieval import evaluate_retrieval


@pytest.fixture(scope="module")
def dev_items():
    return load_dataset(DEFAULT_SET)


@pytest.fixture(scope="module")
def hybrid(client, dev_items):
    return evaluate_retrieval(client, dev_items, mode="hybrid")


@pytest.fixture(scope="module")
def answers(client, dev_items):
    return evaluate_answers(client, dev_items)


def test_hybrid_retrieval_meets_the_recall_floors(hybrid):
    assert hybrid.group("all").r5 >= 0.95
    assert hybrid.group("en").r5 >= 0.90
    assert hybrid.group("all").mrr10 >= 0.80


def test_figures_and_first_citations_meet_the_floors(answers):
    assert answers.group("all").figure_accuracy >= 0.90
    assert answers.group("all").citation_accuracy >= 0.90


def test_every_unanswerable_question_is_abstained_and_every_answerable_one_answered(answers):
    overall = answers.group("all")
    assert overall.unanswerable_abstained == overall.unanswerable
    assert overall.abstention_accuracy == 1.0


def test_the_follow_up_is_answered_right(answers):
    follow_ups = [o for o in answers.outcomes if len(o.item.turns) > 1]
    assert follow_ups and all(o.correct for o in follow_ups)
