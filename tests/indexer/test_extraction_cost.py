"""Extraction stays linear on hostile input: a flattened table written as one 100 KB line of
numbers, codes or fractions indexes in seconds (a generous, benchmark-style bound; the same
lines took minutes when each number rescanned its line)."""

from __future__ import annotations

import time

import pytest

from indexer.figures import extract_figures
from indexer.structure import structure

BOUND_SECONDS = 30


@pytest.mark.parametrize("piece", ["9.9% ", "25- ", "1/ ", "(1) ", "a) 3 ca; "])
def test_a_100_kb_line_of_one_repeated_piece_is_extracted_in_seconds(piece):
    text = "Kết quả thực hiện năm 2023\n" + piece * (100_000 // len(piece)) + "\n"
    started = time.perf_counter()
    figures = extract_figures(text, structure("hostile", text).passages)
    assert time.perf_counter() - started < BOUND_SECONDS
    assert all(text[f.start : f.end] == f.raw for f in figures)


def test_a_document_over_its_extraction_budget_keeps_its_passages_without_figures(
    monkeypatch, caplog
):
    from indexer import build
    from indexer.models import SourceFile

    monkeypatch.setattr(build, "EXTRACTION_SECONDS", 0.0)
    text = "Kết quả thực hiện năm 2023\n- Tổng số lần khám bệnh: 1.721.470 lượt\n"
    processed = build.process(SourceFile("d", "d.txt", text, "h"))
    assert processed.passages and processed.figures == ()
    assert "figure extraction took over" in caplog.text
