"""Every retrieval and answer metric against values computed by hand."""

from __future__ import annotations

import math

import pytest

from eval.answers import AnswerOutcome
from eval.answers import score as answer_score
from eval.dataset import EvalItem, ExpectedFigure
from eval.groups import by_document, by_language
from eval.judge import ReturnedPassage
from eval.metrics import (
    average_precision_at,
    ndcg_at,
    precision_at,
    precision_recall,
    summarize_ranks,
)
from eval.retrieval import RetrievalOutcome
from eval.retrieval import score as retrieval_score

# Relevant at ranks 2 and 4 of five returned; the index holds three relevant passages.
RELEVANCE = (False, True, False, True, False)


def item(item_id="q", question="Tỷ lệ BHYT?", answerable=True, docs=(), value=None):
    return EvalItem(
        item_id=item_id,
        question=question,
        turns=(question,),
        evidence=("e",) if answerable else (),
        answer=ExpectedFigure(value, None) if value is not None else None,
        answerable=answerable,
        docs=tuple(docs),
    )


def outcome(relevance, relevant_total=None, **kwargs):
    returned = tuple(
        ReturnedPassage(f"p{i}", "d", "d.txt", "", "text") for i in range(len(relevance))
    )
    return RetrievalOutcome(item(**kwargs), returned, tuple(relevance), relevant_total)


def test_precision_at_k_counts_relevant_passages_over_k():
    assert precision_at(RELEVANCE, 1) == 0.0
    assert precision_at(RELEVANCE, 5) == pytest.approx(2 / 5)
    assert precision_at(RELEVANCE, 10) == pytest.approx(2 / 10)  # missing places are misses


def test_average_precision_divides_by_the_relevant_passages_the_index_holds():
    # (P@2 + P@4) / min(10, 3) = (1/2 + 2/4) / 3
    assert average_precision_at(RELEVANCE, 10, relevant_total=3) == pytest.approx(1 / 3)
    # unknown total: the two relevant ones retrieved stand in for it
    assert average_precision_at(RELEVANCE, 10) == pytest.approx(0.5)
    assert average_precision_at((True,), 10, relevant_total=1) == 1.0
    assert average_precision_at((False, False), 10, relevant_total=2) == 0.0


def test_ndcg_is_binary_dcg_over_the_ideal_ranking():
    dcg = 1 / math.log2(3) + 1 / math.log2(5)  # ranks 2 and 4
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)  # three relevant at ranks 1-3
    assert ndcg_at(RELEVANCE, 10, relevant_total=3) == pytest.approx(dcg / ideal)
    assert ndcg_at(RELEVANCE, 10, relevant_total=3) == pytest.approx(0.49819, abs=1e-5)
    assert ndcg_at((True, False), 10, relevant_total=1) == 1.0
    assert ndcg_at((False,) * 10, 10, relevant_total=4) == 0.0


def test_first_relevant_rank_summary_counts_only_questions_found_in_the_top_k():
    summary = summarize_ranks([1, 3, None, 12, 2], k=10)
    assert summary.mean == pytest.approx(2.0)
    assert summary.median == 2.0
    assert summary.found_rate == pytest.approx(3 / 5)
    assert summarize_ranks([None], k=10).mean is None


def test_precision_and_recall_of_a_yes_no_decision():
    predicted = [True, True, False, False]
    actual = [True, False, True, False]
    assert precision_recall(predicted, actual) == (0.5, 0.5)
    assert precision_recall([False, False], [True, False]) == (None, 0.0)
    assert precision_recall([True], [False]) == (0.0, None)


def test_retrieval_scores_average_the_per_question_metrics():
    outcomes = [
        outcome(RELEVANCE, relevant_total=3),  # first relevant at 2
        outcome((True, False, False), relevant_total=1),  # at 1
        outcome((False,) * 10, relevant_total=2),  # missed
    ]
    s = retrieval_score("all", outcomes)
    assert s.questions == 3
    assert (s.r1, s.r5, s.r10) == pytest.approx((1 / 3, 2 / 3, 2 / 3))
    assert s.mrr10 == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert s.p1 == pytest.approx(1 / 3)
    assert s.p5 == pytest.approx((2 / 5 + 1 / 5 + 0) / 3)
    assert s.map10 == pytest.approx((1 / 3 + 1 + 0) / 3)
    assert s.ndcg10 == pytest.approx((0.498194 + 1 + 0) / 3, abs=1e-5)
    assert (s.rank_mean, s.rank_median, s.found_rate) == pytest.approx((1.5, 1.5, 2 / 3))


def answer(item_, answered, value=None, citation=None):
    return AnswerOutcome(item_, answered, value, citation, "")


def test_abstention_precision_and_recall_take_abstaining_as_the_positive_class():
    outcomes = [
        answer(item("u1", answerable=False), answered=False),  # right abstention
        answer(item("u2", answerable=False), answered=True),  # should have abstained
        answer(item("a1", value=95), answered=False),  # abstained on an answerable one
        answer(item("a2", value=95), answered=True, value=95, citation="e"),
        answer(item("a3", value=95), answered=True, value=90, citation="x"),
    ]
    s = answer_score("all", outcomes)
    assert s.abstained == 2
    assert s.abstention_precision == pytest.approx(1 / 2)  # u1 of {u1, a1}
    assert s.abstention_recall == pytest.approx(1 / 2)  # u1 of {u1, u2}
    assert s.figure_accuracy == pytest.approx(1 / 3)  # a2 of a1, a2, a3
    assert s.citation_accuracy == pytest.approx(1 / 3)
    assert s.abstention_accuracy == pytest.approx(3 / 5)  # u1, a2 and a3 chose right


def test_outcomes_are_grouped_by_language_and_by_every_document_an_item_names():
    outcomes = [
        outcome((True,), question="Tỷ lệ BHYT?", docs=("a.txt",)),
        outcome((True,), question="ty le bhyt cua long an?", docs=("a.txt", "b.txt")),
        outcome((True,), question="what is the coverage target?"),
    ]
    languages = {name: len(group) for name, group in by_language(outcomes)}
    assert languages == {"all": 3, "vi": 1, "vi-unaccented": 1, "en": 1}
    documents = {name: len(group) for name, group in by_document(outcomes)}
    assert documents == {"a.txt": 2, "b.txt": 1, "(none)": 1}
