"""What an answer says when the question named a province of today and the documents speak of a
former unit it absorbed: whose figures they are, and since when that unit is part of another
("Số liệu của tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)."), so a former
province's figure is never read as the new province's total."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from indexer.admin_history import Language, note, successor
from indexer.models import Document
from indexer.scope import QueryScope
from indexer.tokens import fold

if TYPE_CHECKING:
    from service.qa.answer import Answer

LEADS = {
    "vi": {
        "figures": "Số liệu của",
        "text": "Văn bản nói về",
        "searched": "Đã tìm trong tài liệu của",
    },
    "en": {
        "figures": "Figures of",
        "text": "The document speaks of",
        "searched": "Searched the documents of",
    },
}


def with_place_history(answer: Answer, scope: QueryScope) -> Answer:
    """The answer with the note on the former units it is drawn from, before its text (after it
    when abstaining: the documents searched); unchanged when the question named no unit of today
    that stands for former ones."""
    if not scope.resolved:
        return answer
    language: Language = "en" if answer.language == "en" else "vi"
    leads = LEADS[language]
    if not answer.answerable:
        notes = _notes((former for _, former in scope.resolved), language)
        return replace(answer, text=f"{answer.text} {leads['searched']} {notes}.")
    formers = {fold(former): former for _, former in scope.resolved}
    drawn_from = [
        formers[key]
        for document in _answering_documents(answer)
        if (key := fold(document.attributes.province or "")) in formers
    ]
    if not drawn_from:
        return answer
    lead = leads["figures"] if answer.figures else leads["text"]
    return replace(answer, text=f"{lead} {_notes(drawn_from, language)}. {answer.text}")


def _answering_documents(answer: Answer) -> list[Document]:
    """The documents the answer is drawn from: a figure's, else its first citation's."""
    if answer.figures:
        pointed = {figure.citation_id for figure in answer.figures}
        return [c.document for c in answer.citations if c.passage.passage_id in pointed]
    return [answer.citations[0].document] if answer.citations else []


def _notes(formers: Iterable[str], language: Language) -> str:
    changes = [change for former in dict.fromkeys(formers) if (change := successor(former))]
    return "; ".join(note(change, language) for change in changes)
