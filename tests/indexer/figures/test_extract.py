"""The walk over a whole document: every figure is written exactly where it says, inside its
passage, in document order; and the seeds give the figures a question would ask for."""

from __future__ import annotations

import pytest

from indexer.figures import extract_figures
from indexer.structure import structure
from tests.indexer.figures.examples import SEED_PREFIXES, seed, written


def test_a_figure_outside_every_passage_is_not_kept() -> None:
    assert extract_figures("- Tỷ lệ bao phủ BHYT 95%.\n", []) == []


def test_targets_written_as_numbered_headings_are_figures() -> None:
    text = (
        "I. MỤC TIÊU\n"
        "1. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\n"
        "2. 100% trạm y tế xã đạt chuẩn quốc gia về y tế."
    )
    figures = extract_figures(text, structure("d", text).passages)
    assert "bảo hiểm y tế" in written(figures, "95%").label
    assert "trạm y tế xã đạt chuẩn" in written(figures, "100%").label


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_every_seed_figure_is_written_where_it_says_inside_its_passage(prefix: str) -> None:
    text, passages, figures = seed(prefix)
    by_id = {passage.passage_id: passage for passage in passages}
    assert figures
    for figure in figures:
        assert text[figure.start : figure.end] == figure.raw
        passage = by_id[figure.passage_id]
        assert passage.start <= figure.start < figure.end <= passage.end
        assert figure.doc_id == prefix
        assert figure.label


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_figures_come_in_document_order(prefix: str) -> None:
    _, _, figures = seed(prefix)
    starts = [figure.start for figure in figures]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize(
    ("prefix", "raw", "value", "label_words"),
    [
        ("000", "2,1", 2.1, "Bác sĩ/vạn dân"),
        ("000", "5.400", 5400, "Số BN nội trú"),
        ("000", "12.000", 12000, "siêu âm"),
        ("000", "146.940", 146940, "Tổng số XN"),
        ("001", "95%", 95, "Tỷ lệ bảo hiểm y tế toàn dân"),
        ("001", "17,1%", 17.1, "suy dinh dưỡng thể thấp còi"),
        ("002", "19,93", 19.93, "suy dinh dưỡng"),
        ("002", "68,5", 68.5, "Tuổi thọ trung bình"),
        ("003", "95%", 95, "bảo hiểm y tế"),
        ("004", "1.803 ca", 1803, "Tay chân miệng"),
        ("004", "1.721.470", 1721470, "Tổng số lần khám"),
        ("004", "15.762", 15762, "Tổng số phẫu thuật"),
        ("004", "51.511/49.759 người", 51511, "BPTT hiện đại"),
        ("004", "71 Trạm y tế", 71, "Trạm y tế"),
        ("004", "2.224.422", 2224422, "liều vắc xin"),
        ("004", "93,8%", 93.8, "đạt chuẩn"),
        ("004", "55,4%", 55.4, "mổ lấy thai"),
        ("004", "16.096.205.221 đồng", 16096205221, "Tiền thuốc ngoại"),
    ],
)
def test_seed_figures_a_question_would_ask_for(
    prefix: str, raw: str, value: float, label_words: str
) -> None:
    _, _, figures = seed(prefix)
    figure = written(list(figures), raw)
    assert figure.value == pytest.approx(value)
    assert label_words.lower() in figure.label.lower()
