"""How the document viewer cuts a cleaned text into runs: an anchor where each section starts and a
highlight over the cited span, so the template only loops and the text stays escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TextRun:
    text: str
    start: int
    anchor: str | None  # id of the section anchor placed just before this run
    cited: bool
    first_cited: bool  # carries id="cited", the target of a citation link


@dataclass(frozen=True)
class ContentsEntry:
    heading: str
    anchor: str
    depth: int  # 0 for a top-level section


def section_anchor(start: int) -> str:
    """Anchors name the offset, so a link stays valid whatever a heading says."""
    return f"section-{start}"


def cited_span(text_length: int, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The span to highlight, clamped to the text; None when the request names no usable span."""
    if start is None or end is None:
        return None
    start, end = max(0, min(start, text_length)), max(0, min(end, text_length))
    return (start, end) if start < end else None


def text_runs(
    text: str, section_starts: Sequence[int], cited: tuple[int, int] | None = None
) -> list[TextRun]:
    anchors = {s for s in section_starts if 0 <= s < len(text)}
    cuts = sorted({0, len(text), *anchors, *(cited or ())})
    runs: list[TextRun] = []
    seen_cited = False
    for start, end in zip(cuts, cuts[1:], strict=False):
        is_cited = cited is not None and cited[0] <= start and end <= cited[1]
        runs.append(
            TextRun(
                text=text[start:end],
                start=start,
                anchor=section_anchor(start) if start in anchors else None,
                cited=is_cited,
                first_cited=is_cited and not seen_cited,
            )
        )
        seen_cited = seen_cited or is_cited
    return runs


def contents(sections: Sequence[tuple[str, str, int]]) -> list[ContentsEntry]:
    """(heading, path, start) triples to a table of contents; depth counts the path's parents."""
    return [
        ContentsEntry(heading=heading, anchor=section_anchor(start), depth=path.count("›"))
        for heading, path, start in sections
    ]
