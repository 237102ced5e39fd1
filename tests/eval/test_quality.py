"""Quality floors on the seed corpus: a regression in retrieval or answers fails CI.

Retrieval floors are those set when retrieval was built, over the original 31 dev items (kind
`untyped`). Answer floors cover the whole dev set (131 items) overall and per kind, a little
under what the fitted figure ranker reaches (`healthqa eval`; numbers in the README), so that a
gain on one kind cannot hide a loss on another.
"""

from __future__ import annotations

import pytest

from eval.answers import evaluate_answers
from eval.dataset import DEFAULT_SET, UNTYPED, load_dataset
from eval.retrieval import evaluate_retrieval

# kind → lowest first-figure accuracy accepted: one item under the measured number (English is
# 10 of 11 now, 9 of 11 with some refits: one item's confidence lies near the threshold)
FIGURE_FLOORS = {
    "untyped": 0.90,
    "figure": 0.85,
    "abbreviation-colloquial": 0.90,
    "english": 0.80,
    "plan-vs-actual": 0.85,
    "scope-trap": 0.85,
    "follow-up": 0.80,
}


@pytest.fixture(scope="module")
def all_items():
    items = load_dataset(DEFAULT_SET)
    assert len(items) == 131
    return items


@pytest.fixture(scope="module")
def hybrid(client, all_items):
    return evaluate_retrieval(client, [i for i in all_items if i.kind == UNTYPED], mode="hybrid")


@pytest.fixture(scope="module")
def answers(client, all_items):
    return evaluate_answers(client, all_items)


@pytest.fixture(scope="module")
def hybrid_all(client, all_items):
    return evaluate_retrieval(client, list(all_items), mode="hybrid")


def test_retrieval_over_every_kind_meets_the_issue_bars(hybrid_all):
    # R@5 >= 0.95 overall and >= 0.90 in English over all 131 items (118 with evidence)
    assert hybrid_all.group("all").r5 >= 0.95
    assert hybrid_all.group("en").r5 >= 0.90
    assert hybrid_all.group("all").mrr10 >= 0.87


def test_hybrid_retrieval_meets_the_recall_floors(hybrid):
    assert hybrid.group("all").r5 >= 0.95
    assert hybrid.group("en").r5 >= 0.90
    assert hybrid.group("all").mrr10 >= 0.80


def test_first_figures_meet_the_floor_of_every_kind(answers):
    assert answers.group("all").figure_accuracy >= 0.96
    for kind, floor in FIGURE_FLOORS.items():
        assert answers.kind(kind).figure_accuracy >= floor, kind


def test_answerability_is_right_and_scope_traps_are_not_taken(answers):
    assert answers.group("all").answerability_right >= 0.99
    assert answers.kind("untyped").answerability_right >= 0.95
    assert answers.kind("unanswerable").answerability_right == 1.0  # every one abstained
    assert answers.kind("scope-trap").trap_rate <= 0.1


def test_lists_comparisons_and_documents_mention_what_they_must(answers):
    assert answers.group("all").must_mention_recall >= 0.95
    assert answers.kind("list").must_mention_recall >= 0.9
    assert answers.kind("signer-date-issuer").must_mention_recall >= 0.9
    assert answers.kind("cross-document").cross_document_accuracy >= 0.8
    assert answers.kind("plan-vs-actual").plan_vs_actual_accuracy >= 0.85


def test_first_citations_support_the_original_questions(answers):
    assert answers.kind("untyped").citation_accuracy >= 0.90
