"""How much of what a client sends the service reads: a question, each history turn and a resolved
follow-up are cut to a bounded number of characters and tokens before any analysis, and what an
error message echoes back is cut short."""

from __future__ import annotations

import re

# Refused above these at the HTTP edge (422): nobody types more into a question box.
MAX_QUESTION_CHARS = 2000
MAX_SEARCH_CHARS = 1000
MAX_TURN_CHARS = 20_000  # a history turn may carry a whole earlier answer
MAX_TURNS = 20

# Read at most this much of a question (or a resolved follow-up) and of each history turn: real
# questions are a sentence or two; every analysis step (names, glossary, phrases, segmentation,
# the embedding) costs at least linear time in what it is given.
MAX_ANALYSED_CHARS = 600
MAX_ANALYSED_TOKENS = 96  # words and punctuation marks
MAX_TURN_ANALYSED_CHARS = 600
MAX_TURN_ANALYSED_TOKENS = 96
MAX_ECHOED_CHARS = 80

TOKEN = re.compile(r"\w+|[^\w\s]")


def bounded(text: str, *, max_chars: int, max_tokens: int) -> str:
    """`text` cut to at most `max_chars` characters and `max_tokens` tokens (a word or a
    punctuation mark), at a token boundary; unchanged when it is within both."""
    clipped = text[:max_chars]
    count = 0
    for match in TOKEN.finditer(clipped):
        count += 1
        if count > max_tokens:
            return clipped[: match.start()].rstrip()
    if len(clipped) < len(text):
        # do not keep half a word at the cut
        cut = clipped.rstrip()
        last_space = cut.rfind(" ")
        if last_space > max_chars // 2 and not text[len(clipped)].isspace():
            cut = cut[:last_space]
        return cut.rstrip()
    return clipped


def bound_question(text: str) -> str:
    """What the answer layer analyses of a question or of a follow-up resolved from history."""
    return bounded(text, max_chars=MAX_ANALYSED_CHARS, max_tokens=MAX_ANALYSED_TOKENS)


def bound_turn(text: str) -> str:
    """What is read of one history turn (the follow-up resolver borrows from the last one)."""
    return bounded(text, max_chars=MAX_TURN_ANALYSED_CHARS, max_tokens=MAX_TURN_ANALYSED_TOKENS)


def echoed(text: str, limit: int = MAX_ECHOED_CHARS) -> str:
    """A client's value as an error message may repeat it: short, printable, encodable."""
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in text[: limit + 1])
    shown = shown.encode("utf-8", "replace").decode("utf-8")
    return shown if len(shown) <= limit else shown[:limit] + "…"
