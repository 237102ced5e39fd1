"""What counts as a relevant passage: the dev set's evidence rule, or a public set's gold document.

A judge also says how many relevant passages the index holds for a question (the denominator of
MAP and nDCG), by applying the same rule to every passage of the served index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from eval.dataset import EvalItem
from eval.metrics import norm
from indexer.store.base import IndexStore


@dataclass(frozen=True)
class ReturnedPassage:
    """One result of GET /api/search, as the judge and the reports see it."""

    passage_id: str
    doc_id: str
    source: str
    section: str
    text: str


class Judge(Protocol):
    def relevant(self, item: EvalItem, passage: ReturnedPassage) -> bool: ...

    def relevant_total(self, item: EvalItem) -> int | None: ...


class EvidenceJudge:
    """The README rule: relevant when `norm(evidence)` is inside `norm(passage text)`."""

    def __init__(self, store: IndexStore | None = None) -> None:
        self._store = store
        self._normalised: list[str] | None = None
        self._totals: dict[str, int] = {}

    def relevant(self, item: EvalItem, passage: ReturnedPassage) -> bool:
        haystack = norm(passage.text)
        return any(norm(e) in haystack for e in item.evidence if e.strip())

    def relevant_total(self, item: EvalItem) -> int | None:
        if self._store is None:
            return None
        if self._normalised is None:
            self._normalised = [
                norm(passage.text)
                for document in self._store.documents()
                for passage in self._store.passages_of(document.doc_id)
            ]
        if item.item_id not in self._totals:
            needles = [norm(e) for e in item.evidence if e.strip()]
            self._totals[item.item_id] = sum(
                1 for text in self._normalised if any(needle in text for needle in needles)
            )
        return self._totals[item.item_id]


class DocumentJudge:
    """Public retrieval sets: relevant when the passage comes from a gold context's document.

    `gold_of` maps the index's document id to the dataset's own document id; `item.docs` holds
    the gold ids of each question.
    """

    def __init__(self, gold_of: Mapping[str, str], store: IndexStore) -> None:
        self._gold_of = dict(gold_of)
        passages_of = store.document_counts().get("passages", {})
        self._passages_in: dict[str, int] = {}
        for doc_id, gold in self._gold_of.items():
            found = passages_of.get(doc_id, 0)
            self._passages_in[gold] = self._passages_in.get(gold, 0) + found

    def relevant(self, item: EvalItem, passage: ReturnedPassage) -> bool:
        return self._gold_of.get(passage.doc_id) in item.docs

    def relevant_total(self, item: EvalItem) -> int | None:
        return sum(self._passages_in.get(gold, 0) for gold in item.docs)
