"""Cutting a document's text into runs for the viewer: section anchors and the cited span."""

from __future__ import annotations

from service.document_view import cited_span, contents, text_runs

TEXT = "I. Mục tiêu\n1. Tỷ lệ BHYT: 95%.\nII. Tổ chức thực hiện\n"
GOAL, FIRST, ORGANISATION = 0, 12, 33


def test_runs_join_back_into_the_text():
    runs = text_runs(TEXT, [GOAL, FIRST, ORGANISATION], (27, 30))
    assert "".join(run.text for run in runs) == TEXT


def test_each_section_start_gets_one_anchor_named_by_its_offset():
    runs = text_runs(TEXT, [GOAL, FIRST, FIRST, ORGANISATION])
    assert [run.anchor for run in runs] == ["section-0", "section-12", "section-33"]


def test_the_cited_span_is_marked_and_the_first_piece_is_the_target():
    runs = text_runs(TEXT, [GOAL, FIRST, ORGANISATION], (27, 30))
    cited = [run for run in runs if run.cited]
    assert [run.text for run in cited] == ["95%"]
    assert cited[0].first_cited


def test_a_span_over_a_section_start_is_cut_there_with_one_target():
    runs = text_runs(TEXT, [GOAL, FIRST, ORGANISATION], (27, 40))
    cited = [run for run in runs if run.cited]
    assert "".join(run.text for run in cited) == TEXT[27:40]
    assert [run.first_cited for run in cited] == [True, False]
    assert cited[1].anchor == "section-33"


def test_no_span_marks_nothing():
    assert not any(run.cited for run in text_runs(TEXT, [GOAL]))


def test_cited_span_is_clamped_and_refuses_empty_or_missing_spans():
    assert cited_span(10, 2, 5) == (2, 5)
    assert cited_span(10, 8, 500) == (8, 10)
    assert cited_span(10, -3, 2) == (0, 2)
    assert cited_span(10, 5, 5) is None
    assert cited_span(10, 6, 2) is None
    assert cited_span(10, None, 5) is None
    assert cited_span(10, 20, 30) is None


def test_contents_depth_follows_the_section_path():
    entries = contents(
        [("I. Mục tiêu", "I. Mục tiêu", 0), ("1. BHYT", "I. Mục tiêu › 1. BHYT", 12)]
    )
    assert [(e.anchor, e.depth) for e in entries] == [("section-0", 0), ("section-12", 1)]
