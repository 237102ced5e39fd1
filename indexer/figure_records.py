"""Figure records: each extracted figure with the context an official needs to know what it
measures — its row label and the list item it hangs from, its own clause, its line, the table's
column header and title, the section path and the document's identity.

What takes reading the document around a figure (its indicator with the item it hangs from, its
clause, the abbreviations its record names) is worked out at index time and stored with the index
as a `FigureContext`, in both stores; a reader puts each record together from its stored figure,
context, passage and document. Records are what figure questions are ranked against (row +
header linearisation, as table-QA systems retrieve cells with their headers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from sys import intern

from indexer.abbreviations import expansions
from indexer.models import Document, Figure, FigureContext, Passage
from indexer.store.stored_documents import DocumentPassage

# A list item or table sub-row: "- Số lượt tiêm", "+ Tuyến xã", "* Tư vấn tiền hôn nhân:".
ITEM = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\(\d{1,2}\))\s*")
# A line that opens with its topic then a colon, words following: "- Bệnh X: số ca là …; tỷ lệ
# mắc là …". The topic names what every figure on the line is about; when a number follows
# the colon directly ("Tổng số lượt khám: 1.234"), the words before it are that figure's label.
LINE_TOPIC = re.compile(r"^\s*(?:[-+•*–]\s*)?(?P<topic>[^\W\d_][^:\d;.]{2,80}?)\s*:\s*(?=[^\W\d_])")
MAX_TOPIC_WORDS = 8
MAX_HEADING_WORDS = 12
# Where the words after a figure stop naming it: a comma, a semicolon or a full stop that is not
# a thousands separator (after "03 ca tử vong, " the next figure's label begins).
# A full stop ends a sentence only where no letter or digit follows it: "CT.Scaner" and "1.000"
# are one word each.
CLAUSE_END = re.compile(r"[;,(]|\.(?!\w)")
SENTENCE_END = re.compile(r";|\.(?!\w)")
DIGIT = re.compile(r"\d")
# A parenthesis without a figure in it; one opened right before a figure; one closed after it.
PARENTHESIS = re.compile(r"\s*\([^()\d]*\)")
OPENING = re.compile(r"\s*\(\s*")
CLOSING = re.compile(r"\s*\)")
# What parts two clauses of a line: a comma, a semicolon or a full stop (CLAUSE_END's, less
# the opening parenthesis: a parenthesis is skipped whole).
SEPARATOR = re.compile(r"[,;]|\.(?!\w)")
# A numbered heading's number ("1. ", "2.3. "): not part of the lead-in's words.
HEADING_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s+")
# How far back a list item's lead-in ("Kết quả … cụ thể:") may stand.
MAX_LEAD_IN_LINES = 40
LEAD_IN_CHARS = 160
# A parent line's words before its colon stand for it up to this length (as a line topic's do).
MAX_LEAD_TOPIC_CHARS = 80
# A colon line this short after an item opens the item's sub-items ("Trong đó:"), not a new list.
MAX_CONTINUATION_WORDS = 3


@dataclass(frozen=True, slots=True)
class FigureRecord:
    """One figure and the words that say what it is, by field (nearest first)."""

    figure: Figure
    passage: Passage
    document: Document
    indicator: str  # the label, prefixed by the list item or row group it belongs to
    # the figure's own clause: words since the previous figure on its line, and the words after
    # it up to the next figure or the clause's end ("có 03 ca tử vong" names its figure after it)
    local: str
    line: str  # the whole line (sentence or table row) it is written in
    context: str  # column header, section path, document type and title

    @property
    def text(self) -> str:
        """Everything a record says, for display and for embedding."""
        return " | ".join(part for part in (self.indicator, self.line, self.context) if part)


def figure_contexts(
    document: Document, passages: Iterable[Passage], figures: Iterable[Figure]
) -> list[FigureContext]:
    """What names each of one document's figures that lies inside one of its passages, in
    document order: worked out once, at index time, and stored with the index."""
    ordered_passages = sorted(passages, key=lambda p: (p.start, -p.end))
    ordered = sorted(figures, key=lambda f: f.start)
    contexts = []
    for position, figure in enumerate(ordered):
        passage = _containing(ordered_passages, figure)
        if passage is None:
            continue
        contexts.append(
            _context(figure, passage, document, _clause(document.text, ordered, position))
        )
    return contexts


@dataclass(frozen=True)
class _Clause:
    """Where a figure's own words lie: before it from `before_start` to `before_end`, after it
    from `after_start` up to the clause's end, never past `after_limit`."""

    before_start: int
    before_end: int
    after_start: int
    after_limit: int


def _clause(text: str, ordered: Sequence[Figure], position: int) -> _Clause:
    """A figure's clause runs from the previous figure on its line to the next one, except that
    a parenthesis after a figure is that figure's ("90% (kể cả hợp đồng), 60% …": the words in
    it qualify 90%, not 60%), and a figure restated in parentheses ("60% (12/20) xã có nữ hộ
    sinh") is one quantity written twice: both take the words before the first and after the
    second."""
    figure = ordered[position]
    before_start = _previous_end_on_line(text, ordered, position)
    before_end = figure.start
    if position > 0 and _restates(text, ordered[position - 1], figure):
        before_start = _previous_end_on_line(text, ordered, position - 1)
        before_end = ordered[position - 1].start
    if before_start > line_span(text, figure.start)[0]:  # after a figure on the same line
        before_start = _after_parenthesis(text, before_start, before_end)
        # a comma, semicolon or full stop parts the two clauses: the words after it are this
        # figure's ("40 xã đã kết nối, 15 xã gửi dữ liệu": "xã gửi dữ liệu" is 15's, not "đã
        # kết nối"); the words before it are the previous figure's, whose clause ends at it
        # (CLAUSE_END). Without one, the words between them are both figures'.
        before_start = _past_last_separator(text, before_start, before_end)
    after_start = figure.end
    after_limit = _next_start_on_line(text, ordered, position)
    if position + 1 < len(ordered) and _restates(text, figure, ordered[position + 1]):
        after_start = ordered[position + 1].end
        after_limit = _next_start_on_line(text, ordered, position + 1)
    closing = CLOSING.match(text, after_start, after_limit)
    if closing:  # the figure, or its restatement, stands in parentheses
        after_start = closing.end()
    return _Clause(before_start, before_end, after_start, after_limit)


def _past_last_separator(text: str, start: int, end: int) -> int:
    """Just past the last comma, semicolon or full stop of text[start:end] outside parentheses
    (`start` when there is none)."""
    past = start
    depth = 0
    for at in range(start, end):
        character = text[at]
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and SEPARATOR.match(text, at, end):
            past = at + 1
    return past


def _restates(text: str, figure: Figure, following: Figure) -> bool:
    """Whether `following` stands alone in parentheses right after `figure`: "60% (12/20)", not
    "12 đợt (8 đợt định kỳ, …)", whose parenthesis names a part."""
    return (
        following.start >= figure.end
        and OPENING.fullmatch(text, figure.end, following.start) is not None
        and CLOSING.match(text, following.end) is not None
    )


def _after_parenthesis(text: str, start: int, end: int) -> int:
    """`start`, or past the parenthesis that opens text[start:end] (the previous figure's)."""
    found = PARENTHESIS.match(text, start, end)
    return found.end() if found else start


def assemble_records(
    documents: Iterable[Document],
    passages: Iterable[Passage],
    figures: Iterable[Figure],
    contexts: Iterable[FigureContext],
) -> list[FigureRecord]:
    """The records of stored figures and their stored contexts, in the contexts' order; a
    context whose figure, passage or document is not there is skipped."""
    documents_by_id = {d.doc_id: d for d in documents}
    # each passage once, its text read from its document when shown, not held by every record
    passages_by_id = {
        p.passage_id: DocumentPassage(p, documents_by_id[p.doc_id])
        for p in passages
        if p.doc_id in documents_by_id
    }
    figures_by_key: dict[tuple[str, int, int], list[Figure]] = {}
    for figure in figures:
        figures_by_key.setdefault((figure.doc_id, figure.start, figure.end), []).append(figure)
    records = []
    for context in contexts:
        same_span = figures_by_key.get((context.doc_id, context.start, context.end))
        document = documents_by_id.get(context.doc_id)
        passage = passages_by_id.get(context.passage_id)
        if not same_span or document is None or passage is None:
            continue
        # figures sharing a span (never seen, but not ruled out) pair with contexts in order
        figure = same_span.pop(0)
        records.append(_record(figure, passage, document, context))
    return records


def build_records(
    documents: Iterable[Document], passages: Iterable[Passage], figures: Iterable[Figure]
) -> list[FigureRecord]:
    """Records worked out from scratch, in document order: what index time stores, put
    together the way a reader of the index puts it together."""
    documents = list(documents)
    passages = list(passages)
    figures = list(figures)
    passages_by_document: dict[str, list[Passage]] = {}
    for passage in passages:
        passages_by_document.setdefault(passage.doc_id, []).append(passage)
    figures_by_document: dict[str, list[Figure]] = {}
    for figure in figures:
        figures_by_document.setdefault(figure.doc_id, []).append(figure)
    documents_by_id = {d.doc_id: d for d in documents}
    contexts = [
        context
        for doc_id, doc_figures in figures_by_document.items()
        if doc_id in documents_by_id
        for context in figure_contexts(
            documents_by_id[doc_id], passages_by_document.get(doc_id, []), doc_figures
        )
    ]
    return assemble_records(documents, passages, figures, contexts)


def _context(
    figure: Figure, passage: Passage, document: Document, clause: _Clause
) -> FigureContext:
    text = document.text
    line_start, line_end = line_span(text, figure.start)
    line = text[line_start:line_end].strip()
    before = text[max(line_start, clause.before_start) : clause.before_end]
    ends = [m.end() for m in SENTENCE_END.finditer(before)]
    if ends:  # the clause starts in the figure's own sentence
        before = before[ends[-1] :]
    limit = min(line_end, clause.after_limit)
    # a parenthesis right after the figure qualifies it: its words are the figure's
    own = PARENTHESIS.match(text, clause.after_start, limit)
    from_ = own.end() if own else clause.after_start
    sentence_end = SENTENCE_END.search(text, from_, limit)
    stop = sentence_end.start() if sentence_end else limit
    # the words after the figure are its own up to its sentence's end ("trên 80% số giường,
    # ưu tiên tuyến xã."), unless a clause with another number follows ("03 ca tử vong, giảm 01
    # ca"; "12 ca, 5 ca mắc mới"): a comma before it ends this one's
    if sentence_end is None and limit < line_end:  # the next figure is in this sentence
        clause_end = CLAUSE_END.search(text, from_, limit)
    else:
        clause_end = next(
            (
                m
                for m in CLAUSE_END.finditer(text, from_, stop)
                if DIGIT.search(text, m.end(), stop)
            ),
            sentence_end,
        )
    after = text[clause.after_start : clause_end.start() if clause_end else limit]
    local = f"{before.strip()} {after.strip()}"  # the number itself is not a word of its label
    words_around = before + (after[own.end() - clause.after_start :] if own else after)
    if not any(ch.isalpha() for ch in words_around):
        # a table cell, or a figure opening its line: its clause is its label (and what its
        # parenthesis says)
        local = f"{figure.label} {own.group().strip() if own else ''}"
    lead_in = _lead_in(text, line_start) if ITEM.match(text[line_start:line_end]) else ""
    indicator = figure.label
    topic = _line_topic(line)
    if topic and topic.lower() not in indicator.lower():
        indicator = f"{topic} – {indicator}"
    if lead_in and lead_in.lower() not in indicator.lower():
        indicator = f"{lead_in} – {indicator}"
    heading = _heading_topic(passage) if not lead_in and not passage.context else ""
    if heading and heading.lower() not in indicator.lower():
        # prose under a heading ("2.1. Phòng chống sốt rét" over "Số ca mắc: 12 ca …"): the
        # heading names what its paragraph's figures are about
        indicator = f"{heading} – {indicator}"
    expanded = " ".join(expansions(f"{indicator} {line} {_setting(passage, document)}"))
    return FigureContext(
        doc_id=figure.doc_id,
        passage_id=passage.passage_id,
        start=figure.start,
        end=figure.end,
        indicator=indicator,
        local=local.strip(" ,;:-–"),
        expanded=expanded,
    )


def _record(
    figure: Figure, passage: Passage, document: Document, context: FigureContext
) -> FigureRecord:
    line_start, line_end = line_span(document.text, figure.start)
    setting = _setting(passage, document)
    return FigureRecord(
        figure=figure,
        passage=passage,
        document=document,
        indicator=context.indicator,
        local=context.local,
        # the figures of one line and one passage share these: one string each, not a copy per
        # figure (a national corpus holds millions of records)
        line=intern(document.text[line_start:line_end].strip()),
        context=intern(f"{setting} | {context.expanded}" if context.expanded else setting),
    )


def _setting(passage: Passage, document: Document) -> str:
    """The passage's column header and section path, and the document's type, title and issuer."""
    attributes = document.attributes
    identity = [attributes.doc_type, attributes.title, attributes.issuing_body]
    parts = [passage.context, " › ".join(passage.section), *identity]
    return " | ".join(part for part in parts if part)


def _heading_topic(passage: Passage) -> str:
    """The passage's own heading without its number, when short enough to name a topic."""
    if not passage.section:
        return ""
    heading = HEADING_NUMBER.sub("", passage.section[-1].strip())
    return heading if len(heading.split()) <= MAX_HEADING_WORDS else ""


def _line_topic(line: str) -> str:
    match = LINE_TOPIC.match(line)
    if match is None or len(match["topic"].split()) > MAX_TOPIC_WORDS:
        return ""
    return match["topic"].strip()


def line_span(text: str, offset: int) -> tuple[int, int]:
    """The cleaned-text line holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


def _previous_end_on_line(text: str, ordered: Sequence[Figure], position: int) -> int:
    line_start, _ = line_span(text, ordered[position].start)
    if position == 0:
        return line_start
    previous = ordered[position - 1]
    return previous.end if previous.end >= line_start else line_start


def _next_start_on_line(text: str, ordered: Sequence[Figure], position: int) -> int:
    _, line_end = line_span(text, ordered[position].start)
    if position + 1 == len(ordered):
        return line_end
    following = ordered[position + 1]
    return following.start if following.start < line_end else line_end


def _lead_in(text: str, line_start: int) -> str:
    """The line an item hangs from. Lists nest by marker, in the order the markers first appear
    ("-" items, "+" items under each): a "+" item hangs from the "-" item above it, and an item
    of the outermost marker from the line that opens the list (a sentence or heading ending in a
    colon). An item ending in a colon opens the item after it as its sub-item whatever its
    marker, and a short colon line between an item and its sub-items ("Trong đó:") is that
    item's."""
    run, opener = _list_above(text, line_start)
    line_end = line_span(text, line_start)[1]
    stack: list[tuple[str, str, bool]] = []  # (marker, line, opens), outermost list first
    for line, opens in [*run, (text[line_start:line_end], False)]:
        marker = _marker(line)
        markers = [m for m, _, _ in stack]
        if marker in markers and not (stack and stack[-1][2]):  # back to that list's level
            del stack[len(markers) - 1 - markers[::-1].index(marker) :]
        stack.append((marker, line, opens))
    parent = stack[-2][1] if len(stack) >= 2 else opener
    return _lead(parent) if parent else ""


def _list_above(text: str, line_start: int) -> tuple[list[tuple[str, bool]], str]:
    """The list's items above the line starting at `line_start`, in document order, each with
    whether it opens the line after it as its sub-item; and the line that opens the list when
    it ends in a colon ("" otherwise)."""
    run: list[tuple[str, bool]] = []  # nearest first while walking back
    continued = False  # the line below (already walked) was a "Trong đó:" of this one
    end = line_start - 1
    for _ in range(MAX_LEAD_IN_LINES):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        end = start - 1
        if not line:
            continue
        if ITEM.match(line):
            run.append((line, continued or line.endswith(":")))
            continued = False
            continue
        if _continues_item(line, _previous_line(text, start)):
            continued = True  # "- Tổng số …: 135 đồng." then "Trong đó:": still that item's
            continue
        return run[::-1], line if line.endswith(":") else ""
    return run[::-1], ""


def _continues_item(line: str, previous: str | None) -> bool:
    """A short colon line, not a heading, right after an item: the item's "Trong đó:"."""
    return (
        line.endswith(":")
        and len(line.split()) <= MAX_CONTINUATION_WORDS
        and not HEADING_NUMBER.match(line)
        and previous is not None
        and ITEM.match(previous) is not None
    )


def _previous_line(text: str, line_start: int) -> str | None:
    """The nearest non-blank line before the one starting at `line_start`, stripped."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line:
            return line
        end = start - 1
    return None


def _marker(line: str) -> str:
    """What a list line is marked with, as a nesting level: "-", "+", "a)" (any letter), "(1)"."""
    mark = ITEM.match(line)
    found = mark.group(0).strip() if mark else ""
    if found == "–":
        return "-"
    if found.endswith(")"):
        return "(n)" if found.startswith("(") else "a)"
    return found


def _lead(line: str) -> str:
    """A parent line as a label: without its marker, number and colon; a short topic before a
    colon stands for the line ("- Tổng giá trị tiền thuốc: 135.553.900.052 đồng." names "Tổng
    giá trị tiền thuốc")."""
    lead = HEADING_NUMBER.sub("", ITEM.sub("", line)).rstrip(" :")
    topic, colon, rest = lead.partition(":")
    if colon and rest.strip() and len(topic.strip()) <= MAX_LEAD_TOPIC_CHARS:
        lead = topic.strip()  # "Các dự án …: giải ngân 0,950/3,093 tỷ …" names "Các dự án …"
    return lead if len(lead) <= LEAD_IN_CHARS else lead[-LEAD_IN_CHARS:].split(" ", 1)[-1]


def _containing(ordered: Sequence[Passage], figure: Figure) -> Passage | None:
    for passage in ordered:
        if passage.start <= figure.start and figure.end <= passage.end:
            return passage
        if passage.start > figure.start:
            break
    return None
