"""Parentheses in a line of running text: how many are open at a position, where the innermost
opened, and which one a closing parenthesis answers."""

from __future__ import annotations

from functools import lru_cache


def paren_state(line: str, position: int) -> tuple[int, int | None]:
    """How many parentheses are open at a position, and where the innermost one opened."""
    return _paren_states(line)[position]


@lru_cache(maxsize=16)
def _paren_states(line: str) -> tuple[tuple[int, int | None], ...]:
    """`paren_state` at every position of a line, in one pass: asked once per number, a line
    of many numbers would otherwise be rescanned from its start each time."""
    opened: list[int] = []
    states: list[tuple[int, int | None]] = []
    for index, char in enumerate(line):
        states.append((len(opened), opened[-1] if opened else None))
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            opened.pop()
        elif (
            char == "."
            and line[index + 1 : index + 2] == " "
            and line[index + 2 : index + 3].isupper()
        ):
            opened.clear()  # a parenthesis left open does not outlive its sentence
    states.append((len(opened), opened[-1] if opened else None))
    return tuple(states)


def opening_paren(text: str, floor: int, closing: int) -> int | None:
    """Where the parenthesis closing at `closing` opened, looking back no further than `floor`."""
    depth = 0
    for index in range(closing, floor - 1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return None
