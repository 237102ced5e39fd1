"""Documents as a store hands them out: what they say about themselves at once, their text when
first read.

A service process needs every document's attributes (filters, place facets, titles) but only
the text of the documents it is answering from, and a national corpus's text does not fit in
every process. A `StoredDocument` reads its text from the store the first time it is asked for
and keeps it in a cache the store shares among its documents, bounded by characters: memory holds
what recent questions were answered from, not the corpus.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from indexer.models import Document, DocumentAttributes, Passage

# About 16 MB of text (two bytes a character for Vietnamese): the seed corpus whole, or a few
# hundred documents of a national one.
TEXT_CACHE_CHARS = 8_000_000


class TextCache:
    """Document texts by id, the most recently read kept up to `max_chars` characters in all
    (the last one read is always kept). Safe to share between request threads."""

    def __init__(self, load: Callable[[str], str], max_chars: int | None = None) -> None:
        self._load = load
        self._max_chars = TEXT_CACHE_CHARS if max_chars is None else max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, doc_id: str) -> str:
        with self._lock:
            text = self._texts.get(doc_id)
            if text is not None:
                self._texts.move_to_end(doc_id)
                return text
        text = self._load(doc_id)  # outside the lock: another thread may read meanwhile
        with self._lock:
            if doc_id not in self._texts:
                self._texts[doc_id] = text
                self._chars += len(text)
            while self._chars > self._max_chars and len(self._texts) > 1:
                _, dropped = self._texts.popitem(last=False)
                self._chars -= len(dropped)
        return text

    @property
    def held_chars(self) -> int:
        return self._chars


class _TextOnDemand:
    """Equal to (and hashed like) the plain record of `_plain`'s type with the same fields,
    whether its text is read yet or not."""

    _plain: type

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self._plain):
            return NotImplemented
        return _field_values(self) == _field_values(other)

    def __hash__(self) -> int:
        return hash(_field_values(self))


class StoredDocument(_TextOnDemand, Document):
    """A `Document` whose `text` is read through its store's `TextCache` when first needed."""

    _plain = Document

    def __init__(
        self,
        doc_id: str,
        source: str,
        content_hash: str,
        attributes: DocumentAttributes,
        texts: TextCache,
    ) -> None:
        # Document is frozen: its fields are set the way its own __init__ sets them
        object.__setattr__(self, "doc_id", doc_id)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "content_hash", content_hash)
        object.__setattr__(self, "attributes", attributes)
        object.__setattr__(self, "_texts", texts)

    @property  # type: ignore[override]  # read-only where Document's is a field
    def text(self) -> str:
        return self._texts.get(self.doc_id)


class DocumentPassage(_TextOnDemand, Passage):
    """A `Passage` whose `text` is its span of its document's text, read when asked for: what
    a figure record keeps of its passage (a passage's text is always that span)."""

    _plain = Passage

    def __init__(self, passage: Passage, document: Document) -> None:
        for field in fields(Passage):
            if field.name != "text":
                object.__setattr__(self, field.name, getattr(passage, field.name))
        object.__setattr__(self, "_document", document)

    @property  # type: ignore[override]  # read-only where Passage's is a field
    def text(self) -> str:
        return self._document.text[self.start : self.end]


def _field_values(record: Any) -> tuple[object, ...]:
    return tuple(getattr(record, field.name) for field in fields(record))
