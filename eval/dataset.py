"""Evaluation questions in the JSONL format of the shared dev set, validated line by line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from indexer.glossary import is_english
from indexer.tokens import has_diacritics

DEFAULT_SET = Path(__file__).parent / "datasets" / "dev.jsonl"
UNTYPED = "untyped"  # the kind of items written before kinds existed (no `kind` field)


class DatasetError(ValueError):
    """A malformed evaluation file; the message names the line."""


@dataclass(frozen=True)
class ExpectedFigure:
    value: float
    unit: str | None


@dataclass(frozen=True)
class Trap:
    """The tempting wrong figure of a scope-trap item (other site, level, year, or the plan
    instead of the result)."""

    value: float
    note: str = ""


@dataclass(frozen=True)
class EvalItem:
    item_id: str
    question: str
    turns: tuple[str, ...]  # all user turns, the question last; one turn when not a follow-up
    evidence: tuple[str, ...]
    answer: ExpectedFigure | None
    answerable: bool
    docs: tuple[str, ...] = ()
    kind: str = UNTYPED
    must_mention: tuple[str, ...] = ()  # strings the answer text or its citations must contain
    trap: Trap | None = None

    @property
    def fold(self) -> str | None:
        """The document an item is held out with in cross-validation: its first `docs` entry."""
        return self.docs[0] if self.docs else None

    @property
    def language(self) -> str:
        if is_english(self.question):
            return "en"
        return "vi" if has_diacritics(self.question) else "vi-unaccented"


def load_dataset(path: Path, *, allow_review: bool = False) -> list[EvalItem]:
    """Items in file order. Candidates still marked `"review": true` (from `healthqa
    feedback-to-eval`) are refused unless `allow_review`, so nobody scores against unchecked
    evidence by accident."""
    items = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not allow_review and isinstance(record, dict) and record.get("review"):
                raise ValueError(
                    f"item {record.get('id')!r} is an unreviewed candidate: check its question, "
                    'evidence and answer, then remove "review": true'
                )
            item = _item(record)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise DatasetError(f"{path.name} line {number}: {error}") from error
        if item.item_id in seen:
            raise DatasetError(f"{path.name} line {number}: duplicate id {item.item_id!r}")
        seen.add(item.item_id)
        items.append(item)
    return items


def _item(record: dict) -> EvalItem:
    if not isinstance(record, dict):
        raise TypeError("each line must be a JSON object")
    question = record["question"]
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' must be a non-empty string")
    answerable = bool(record.get("answerable", True))
    evidence = tuple(record.get("evidence") or ())
    if answerable and not evidence:
        raise ValueError("an answerable question needs 'evidence'")
    answer = record.get("answer")
    expected = None
    if answer is not None:
        expected = ExpectedFigure(value=float(answer["value"]), unit=answer.get("unit"))
    turns = tuple(record.get("turns") or (question,))
    if turns[-1] != question:
        raise ValueError("the last of 'turns' must be the 'question'")
    kind = record.get("kind") or UNTYPED
    if not isinstance(kind, str):
        raise ValueError("'kind' must be a string")
    must_mention = record.get("must_mention") or []
    if not isinstance(must_mention, list) or not all(isinstance(m, str) for m in must_mention):
        raise ValueError("'must_mention' must be a list of strings")
    trap = record.get("trap")
    return EvalItem(
        item_id=str(record["id"]),
        question=question,
        turns=turns,
        evidence=evidence,
        answer=expected,
        answerable=answerable,
        docs=tuple(record.get("docs") or ()),
        kind=kind,
        must_mention=tuple(must_mention),
        trap=Trap(float(trap["value"]), str(trap.get("note", ""))) if trap is not None else None,
    )
