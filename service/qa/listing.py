"""The items that answer a "which ones" question: the sub-sections of a section whose heading
names what is asked for, an enumeration written inline in a sentence that names it, the list items
of the passage that answers, or the sub-sections of the section it belongs to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.models import Passage
from indexer.tokens import fold, syllables

# A list item or a numbered sub-heading: "- Bệnh dại …", "a) …", "3.2. Củng cố …".
ITEM = re.compile(r"^\s*(?:[-+•*–]\s*|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}(?:\.\d{1,2})*\.?\s+)")
MIN_ITEMS = 3
# A heading names what a question lists when it has at least this many of the listed phrase's
# words, and at least half of them: a bare head noun ("những nhiệm vụ nào") is asked of a
# sentence's enumeration as often as of a section.
MIN_HEADING_WORDS = 3
NUMBERED_LINE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
MAX_ITEMS = 12
MAX_ITEM_CHARS = 200

# What a Vietnamese "which ones" question asks for: the noun phrase between the last "những"/"các"
# and "nào" ("những bệnh nào", "các hoạt động chính nào", "những nhóm nhiệm vụ, giải pháp nào"),
# on folded text.
ASKED_FOR = re.compile(r"\b(?:nhung|cac)\s+((?:(?!(?:nhung|cac)\b)\w+[\s,]+){0,7}?\w+)\s+nao\b")
HEAD_SYLLABLES = (
    2  # a Vietnamese noun phrase leads with its head ("hoạt động" of "hoạt động chính")
)
# A sentence for enumeration purposes ends at a full stop that is not inside a number, or at a
# blank line; semicolons separate its items.
LONG_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d)|\n(?!\s*\n))+")
# Where an inline enumeration begins after the noun it lists: "… hai nhóm việc là A và B",
# "… những việc sau: (1) A; (2) B", "… gồm A, B".
ENUMERATION_CUE = re.compile(r"^[^;:]{0,40}?(?::|\bla\b|\bgom\b|\bnhu\b|\bbao gom\b)")
# … or in parentheses after the clause that names it: "8 cơ sở triển khai thanh toán điện tử
# (A, B, C)".
PARENTHESISED = re.compile(r"^[^;:()]{0,120}?\(([^()]*)\)")
ITEM_SEPARATOR = re.compile(r"\s*(?:(?<!\d),|,(?!\d)|\bvà\b)\s*")  # "2,5" is a number
ITEM_NUMBER = re.compile(r"^\s*\(\d{1,2}\)\s*|^\s*\d{1,2}[.)]\s+")
MIN_INLINE_ITEMS = 2
# A short word introducing the rest of a list inside an item: "các: TTYT huyện A" → "TTYT huyện A".
LEAD_WORD = re.compile(r"^\w{1,6}:\s+")


def asked_for(question: str) -> tuple[str, ...]:
    """The head syllables (folded) of what a "which ones" question lists, () when it names none."""
    return asked_phrase(question)[:HEAD_SYLLABLES]


def asked_phrase(question: str) -> tuple[str, ...]:
    """Every syllable (folded) of the noun phrase a "which ones" question lists."""
    match = ASKED_FOR.search(fold(question))
    return tuple(syllables(match.group(1))) if match else ()


def section_items(
    question: str, document_passages: Sequence[Passage]
) -> tuple[list[str], list[Passage], tuple[str, ...]] | None:
    """(the headings of its sub-sections, a passage of each, its path) of the section whose
    heading names most of what the question lists ("3. Giải pháp phát triển nhân lực y tế" for
    "những giải pháp phát triển nhân lực nào"), the heading sharing most of its words first.
    None when no heading with enough sub-sections names it."""
    wanted = set(asked_phrase(question))
    if len(wanted) < MIN_HEADING_WORDS:
        return None  # "những nhiệm vụ nào" names no section: it is asked of a sentence's list
    best: tuple[int, dict[str, Passage], tuple[str, ...]] | None = None
    for parent, under in _sub_sections(document_passages).items():
        shared = len(wanted & set(syllables(fold(parent[-1]))))
        if shared < max(MIN_HEADING_WORDS, len(wanted) / 2):
            continue
        under = {**_unsplit_sub_headings(parent, under, document_passages), **under}
        if len(under) >= MIN_ITEMS and (best is None or shared > best[0]):
            best = (shared, under, parent)
    if best is None:
        return None
    _, under, parent = best
    items = [ITEM.sub("", title).strip(" ,;")[:MAX_ITEM_CHARS] for title in under]
    return items[:MAX_ITEMS], list(under.values())[:MAX_ITEMS], parent


def _sub_sections(
    document_passages: Sequence[Passage],
) -> dict[tuple[str, ...], dict[str, Passage]]:
    """Section path → the headings of the sections right under it, in document order, each with
    its first passage."""
    children: dict[tuple[str, ...], dict[str, Passage]] = {}
    for passage in document_passages:
        for depth in range(1, len(passage.section)):
            parent = passage.section[:depth]
            children.setdefault(parent, {}).setdefault(passage.section[depth], passage)
    return children


def _unsplit_sub_headings(
    parent: tuple[str, ...], under: dict[str, Passage], document_passages: Sequence[Passage]
) -> dict[str, Passage]:
    """Sub-headings that stayed in the parent's own passages, numbered as its sub-sections are
    ("2.1." beside "2.2.", "2.3."): a heading wrapped over two lines by the PDF ends its first
    line with a comma, which reads as a list item, not a heading."""
    numbers = {_numbering(title) for title in under} - {None}
    if len(numbers) != 1:
        return {}
    (depth,) = numbers
    found: dict[str, Passage] = {}
    for passage in document_passages:
        if passage.section != parent:
            continue
        for line in passage.text.split("\n"):
            if _numbering(line) == depth and line.strip() not in under:
                found.setdefault(line.strip(), passage)
    return found


def _numbering(line: str) -> int | None:
    """How many numbers a numbered heading's number has ("2.1." has 2), None when unnumbered."""
    match = NUMBERED_LINE.match(line)
    return match.group(1).count(".") + 1 if match else None


def inline_items(
    question: str, passages: Sequence[Passage]
) -> tuple[list[str], Passage, tuple[int, int]] | None:
    """(items, the passage, the sentence's document offsets) of the sentence that names what the
    question lists and enumerates it: one whose enumeration a cue opens (":", "gồm", "là", a
    parenthesis) before one split at its commas, then the one sharing most words with the
    question (the better-ranked passage on a tie)."""
    head = asked_for(question)
    if not head:
        return None
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, head)) + r"(?!\w)")
    wanted = set(syllables(fold(question)))
    best: tuple[tuple[bool, int], list[str], Passage, tuple[int, int]] | None = None
    for passage in passages:
        for match in LONG_SENTENCE.finditer(passage.text):
            sentence = match.group(0)
            folded = fold(sentence)
            found = next(
                (
                    enumeration
                    for enumeration in (
                        _enumerated(sentence, m.start(), m.end()) for m in pattern.finditer(folded)
                    )
                    if len(enumeration.items) >= MIN_INLINE_ITEMS
                ),
                None,
            )
            if found is None:
                continue
            rank = (found.cued, len(wanted & set(syllables(folded))))
            if best is None or rank > best[0]:
                start = passage.start + match.start() + (len(sentence) - len(sentence.lstrip()))
                best = (
                    rank,
                    found.items[:MAX_ITEMS],
                    passage,
                    (start, passage.start + match.end()),
                )
    return best[1:] if best is not None else None


@dataclass(frozen=True)
class _Enumeration:
    items: list[str]
    cued: bool  # a cue after the listed noun opens it, not only commas around it


def _enumerated(sentence: str, head_start: int, head_end: int) -> _Enumeration:
    """The items of the enumeration around the listed noun: the semicolon-separated clauses from
    the one naming it on; else the comma/"và" items after it (after "là", "gồm", ":"), or in
    parentheses after its clause, or, when the noun closes the list ("A, B, C và các bệnh
    khác"), before it."""
    if ";" in sentence[head_start:]:
        clause_start = sentence.rfind(";", 0, head_start) + 1
        clauses = sentence[clause_start:].split(";")
        cue = ENUMERATION_CUE.match(fold(clauses[0][head_end - clause_start :]))
        if cue:
            clauses[0] = clauses[0][head_end - clause_start + cue.end() :]
        return _Enumeration(_cleaned(clauses), cue is not None)
    after = sentence[head_end:]
    cue = ENUMERATION_CUE.match(fold(after))
    items = _cleaned(ITEM_SEPARATOR.split(after[cue.end() :])) if cue else []
    if len(items) >= MIN_INLINE_ITEMS:
        return _Enumeration(items, True)
    enclosed = PARENTHESISED.match(after)
    items = _cleaned(ITEM_SEPARATOR.split(enclosed.group(1))) if enclosed else []
    if len(items) >= MIN_INLINE_ITEMS:
        return _Enumeration(items, True)
    before = _cleaned(ITEM_SEPARATOR.split(sentence[:head_start]))
    return _Enumeration(before if len(before) > MIN_INLINE_ITEMS else [], False)


def _cleaned(parts: Sequence[str]) -> list[str]:
    items = []
    for part in parts:
        item = ITEM_NUMBER.sub("", " ".join(part.split())).strip(" .:;,()")
        item = LEAD_WORD.sub("", item)
        if len(item.split()) >= 2 or (item and item.isupper()):
            items.append(item[:MAX_ITEM_CHARS])
    return items


def list_items(
    top: Passage, document_passages: Sequence[Passage]
) -> tuple[list[str], list[Passage]]:
    """(items, the passages they were read from). The answering passage's own items when it has
    enough, else the headings of the sub-sections under the deepest section of its path that has
    enough of them."""
    own = _items(top.text)
    if len(own) >= MIN_ITEMS:
        return own[:MAX_ITEMS], [top]
    sub_sections = _sub_sections(document_passages)
    for depth in range(len(top.section), 0, -1):
        children = sub_sections.get(top.section[:depth], {})
        if len(children) >= MIN_ITEMS:
            items = [ITEM.sub("", heading).strip() for heading in children]
            return items[:MAX_ITEMS], list(children.values())
    return own, [top]


def _items(text: str) -> list[str]:
    items = []
    for line in text.split("\n"):
        if ITEM.match(line):
            item = ITEM.sub("", line).strip()
            if item:
                items.append(item[:MAX_ITEM_CHARS])
    return items
