"""Quoted spans: whole sentences, never a number cut at its thousands dot or decimal comma."""

from __future__ import annotations

import re

from indexer.models import Passage
from indexer.tokens import fold, syllables

# A sentence ends at . ; ! ? or a line break — but a dot or comma between digits ("25.000",
# "48.907.312.640", "23,6") is part of a number.
SENTENCE = re.compile(r"(?:[^.;!?\n]|(?<=\d)[.,](?=\d))+[.;!?]?")
# A list marker opening a line is not part of the sentence: "- ", "+ ", "a) ".
MARKER = re.compile(r"^(?:[-+•*–]|[a-zđ]\))\s+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of `text`, stripped of surrounding spaces."""
    spans = []
    for match in SENTENCE.finditer(text):
        chunk = match.group(0)
        stripped = chunk.strip()
        marker = MARKER.match(stripped)
        lead = len(chunk) - len(chunk.lstrip()) + (marker.end() if marker else 0)
        stripped = stripped[marker.end() :] if marker else stripped
        if not stripped:
            continue
        start = match.start() + lead
        spans.append((start, start + len(stripped)))
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` holding [start, end), widened to the whole span if it crosses one."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = line_end if line_end >= 0 else len(text)
    best = (line_start, line_end)
    for s, e in sentences(text[line_start:line_end]):
        s, e = line_start + s, line_start + e
        if s <= start and end <= e:
            return s, e
        if s <= start < e:
            best = (s, max(e, end))
    return best


def best_sentence(passage: Passage, question: str) -> tuple[int, int]:
    """The passage sentence sharing most words with the question, as document offsets. The
    heading a passage opens with names its topic; the answer is in the sentences under it."""
    wanted = set(syllables(fold(question)))
    best, best_overlap = (passage.start, passage.end), -1
    spans = sentences(passage.text)
    heading_end = _heading_end(passage)
    spans = [span for span in spans if span[0] >= heading_end] or spans
    for start, end in spans:
        overlap = len(wanted & set(syllables(fold(passage.text[start:end]))))
        if overlap > best_overlap:
            best, best_overlap = (passage.start + start, passage.start + end), overlap
    return best


def _heading_end(passage: Passage) -> int:
    """Where the passage's opening line ends when that line is its own section heading ("2.2.
    Tầm nhìn đến năm 2045"), else 0."""
    if not passage.section:
        return 0
    heading = passage.section[-1].rstrip("…").strip()
    line_end = passage.text.find("\n")
    first_line = passage.text[: line_end if line_end >= 0 else len(passage.text)].strip()
    return line_end if heading and line_end >= 0 and first_line.startswith(heading) else 0
