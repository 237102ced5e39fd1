"""The items that answer a "which ones" question: the list items of the passage that answers, or
the sub-sections of the section it belongs to."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.models import Passage

# A list item or a numbered sub-heading: "- Bệnh dại …", "a) …", "3.2. Củng cố …".
ITEM = re.compile(r"^\s*(?:[-+•*–]\s*|[a-zđ]\)\s*|\(\d{1,2}\)\s*|\d{1,2}(?:\.\d{1,2})*\.?\s+)")
MIN_ITEMS = 3
MAX_ITEMS = 12
MAX_ITEM_CHARS = 200


def list_items(
    top: Passage, document_passages: Sequence[Passage]
) -> tuple[list[str], list[Passage]]:
    """(items, the passages they were read from). The answering passage's own items when it has
    enough, else the headings of the sub-sections under the deepest section of its path that has
    enough of them."""
    own = _items(top.text)
    if len(own) >= MIN_ITEMS:
        return own[:MAX_ITEMS], [top]
    for depth in range(len(top.section), 0, -1):
        parent = top.section[:depth]
        children: dict[str, Passage] = {}
        for passage in document_passages:
            if len(passage.section) > depth and passage.section[:depth] == parent:
                children.setdefault(passage.section[depth], passage)
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
