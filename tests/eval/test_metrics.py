"""Every retrieval and answer metric against values computed by hand."""

from __future__ import annotations

import math

import pytest

from eval.answers import AnswerOutcome, summarize
from eval.answers import score as answer_score
from eval.dataset import EvalItem, ExpectedFigure, Trap
from eval.groups import by_document, by_kind, by_language
from eval.judge import ReturnedPassage
from eval.metrics import (
    average_precision_at,
    mention_forms,
    must_mention_recall,
    ndcg_at,
    precision_at,
    precision_recall,
    summarize_ranks,
)
from eval.retrieval import RetrievalOutcome
from eval.retrieval import score as retrieval_score

# Relevant at ranks 2 and 4 of five returned; the index holds three relevant passages.
RELEVANCE = (False, True, False, True, False)


def item(
    item_id="q",
    question="Tỷ lệ BHYT?",
    answerable=True,
    docs=(),
    value=None,
    kind="untyped",
    must_mention=(),
    trap=None,
):
    return EvalItem(
        item_id=item_id,
        question=question,
        turns=(question,),
        evidence=("e",) if answerable else (),
        answer=ExpectedFigure(value, None) if value is not None else None,
        answerable=answerable,
        docs=tuple(docs),
        kind=kind,
        must_mention=tuple(must_mention),
        trap=Trap(trap) if trap is not None else None,
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
    assert s.answerability_right == pytest.approx(3 / 5)  # u1, a2 and a3 chose right


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


# The dev set's rules for some kinds (../shared/eval/README.md)


def test_mention_forms_swap_dots_and_commas_only_in_strings_with_digits():
    assert mention_forms("51.511") == ("51.511", "51,511")
    assert mention_forms("9,45") == ("9,45", "9.45")
    assert mention_forms("Ban Tuyên giáo, Tỉnh ủy") == ("bantuyêngiáo,tỉnhủy",)
    assert mention_forms("≤ 5") == ("≤5",)


def test_must_mention_recall_searches_the_answer_and_every_citation():
    texts = ["Kết quả: 51,511 lượt", "đạt 95.39% kế hoạch", "Ủy_ban  nhân dân tỉnh Hậu Giang"]
    assert must_mention_recall(["51.511", "95,39%"], texts) == 1.0
    assert must_mention_recall(["Ủy ban nhân dân tỉnh Hậu Giang", "12/10/2023"], texts) == 0.5
    assert must_mention_recall(["1.803"], ["1803 ca"]) == 0.0  # the thousands dot is kept
    assert must_mention_recall([], texts) is None


def answered(item_, value=None, answer="", citations=(), figures=None, confidence=1.0):
    return AnswerOutcome(
        item_,
        True,
        value,
        citations[0] if citations else None,
        answer,
        citations=tuple(citations),
        figures=(1 if value is not None else 0) if figures is None else figures,
        confidence=confidence,
    )


def test_plan_vs_actual_needs_the_result_first_and_the_plan_mentioned():
    question = dict(kind="plan-vs-actual", value=51511, must_mention=("51.511", "95,39%"))
    right = answered(item("p1", **question), 51511, "Thực hiện 51.511 lượt", ["đạt 95,39% KH"])
    plan_missing = answered(item("p2", **question), 51511, "Thực hiện 51.511 lượt")
    plan_first = answered(item("p3", **question), 54000, "51.511 lượt, 95,39% kế hoạch")
    assert right.plan_vs_actual_correct is True
    assert plan_missing.plan_vs_actual_correct is False
    assert plan_missing.must_mention_recall == 0.5
    assert plan_first.plan_vs_actual_correct is False
    assert answered(item("f", value=1)).plan_vs_actual_correct is None  # another kind
    s = answer_score("all", [right, plan_missing, plan_first])
    assert (s.plan_vs_actual_accuracy, s.plan_vs_actual_questions) == (pytest.approx(1 / 3), 3)
    assert s.must_mention_recall == pytest.approx((1 + 0.5 + 1) / 3)
    assert s.must_mention_questions == 3


def test_cross_document_needs_both_figures_mentioned():
    question = dict(kind="cross-document", must_mention=("5.400", "75.709"))
    both = answered(item("c1", **question), 5400, "Cần Đước 5.400; Hậu Giang 75.709")
    one = answered(item("c2", **question), 5400, "Cần Đước 5.400")
    assert (both.cross_document_correct, one.cross_document_correct) == (True, False)
    s = answer_score("all", [both, one])
    assert (s.cross_document_accuracy, s.cross_document_questions) == (0.5, 2)


def test_trap_rate_counts_first_figures_equal_to_the_trap():
    question = dict(kind="scope-trap", value=89.095, trap=73.877)
    fell = answered(item("t1", **question), 73.877)
    right = answered(item("t2", **question), 89.095)
    declined = AnswerOutcome(item("t3", **question), False, None, None, "")
    s = answer_score("scope-trap", [fell, right, declined])
    assert (s.trap_rate, s.trap_questions) == (pytest.approx(1 / 3), 3)
    assert s.figure_accuracy == pytest.approx(1 / 3)
    assert s.must_mention_recall is None and s.plan_vs_actual_accuracy is None


def test_an_unanswerable_item_is_right_only_when_declined_with_no_figure():
    unanswerable = item("u", answerable=False, kind="unanswerable")
    declined = AnswerOutcome(unanswerable, False, None, None, "Không tìm thấy")
    declined_with_figure = AnswerOutcome(unanswerable, False, None, None, "", figures=1)
    assert declined.abstention_correct and not declined_with_figure.abstention_correct
    assert not answered(unanswerable, 5).abstention_correct


def test_reports_group_every_metric_by_kind_with_untyped_first():
    outcomes = [
        answered(item("a", kind="figure", value=1), 1),
        answered(item("b", value=2), 3),
        answered(item("c", kind="scope-trap", value=1, trap=2), 2),
        answered(item("d", kind="figure", value=4), 4),
    ]
    assert [(name, len(group)) for name, group in by_kind(outcomes)] == [
        ("untyped", 1),
        ("figure", 2),
        ("scope-trap", 1),
    ]
    report = summarize(outcomes)
    assert report.kind("figure").figure_accuracy == 1.0
    assert report.kind("untyped").figure_accuracy == 0.0
    assert report.kind("scope-trap").trap_rate == 1.0
    assert report.group("all").figure_accuracy == pytest.approx(2 / 4)
    assert report.answerability_right == 1.0
