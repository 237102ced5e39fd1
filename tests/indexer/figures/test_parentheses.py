"""Parentheses in running text: a figure inside them refers back to the one before, so how deep a
position is, and where its parenthesis opened, decide its label."""

from __future__ import annotations

from indexer.figures.parentheses import opening_paren, paren_state

LINE = "Tổng số: 1.721.470 (tuyến tỉnh: 193.929 (trong đó 12), tuyến huyện). Sau (mở. Không"


def test_depth_and_innermost_opening_at_a_position() -> None:
    assert paren_state(LINE, LINE.index("1.721")) == (0, None)
    assert paren_state(LINE, LINE.index("193")) == (1, LINE.index("(tuyến"))
    assert paren_state(LINE, LINE.index("12)")) == (2, LINE.index("(trong"))
    assert paren_state(LINE, LINE.index("tuyến huyện")) == (1, LINE.index("(tuyến"))


def test_a_parenthesis_left_open_ends_with_its_sentence() -> None:
    assert paren_state(LINE, LINE.index("Không")) == (0, None)


def test_a_closing_parenthesis_finds_the_one_it_answers() -> None:
    assert opening_paren(LINE, 0, LINE.index("), tuyến")) == LINE.index("(trong")
    assert opening_paren(LINE, 0, LINE.index("). Sau")) == LINE.index("(tuyến")


def test_an_opening_parenthesis_before_the_floor_is_not_found() -> None:
    assert opening_paren(LINE, LINE.index("193"), LINE.index("). Sau")) is None
