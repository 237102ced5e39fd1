"""POST /api/ask: a cited, extractive answer to a question, with follow-ups via history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from indexer.store.base import SearchFilters
from service.answer import Answer
from service.dependencies import get_engine
from service.engine import Engine
from service.followup import Turn
from service.routes.search import clean_question
from service.schemas import AskRequest, AskResponse, CitationOut, FigureOut

router = APIRouter()
MAX_QUESTION_CHARS = 2000


def to_response(answer: Answer) -> AskResponse:
    return AskResponse(
        answer=answer.text,
        answerable=answer.answerable,
        intent=answer.intent,
        language=answer.language,
        resolved_question=answer.resolved_question,
        figures=[
            FigureOut(**FigureOut.of(f.figure), citation=f.citation_id) for f in answer.figures
        ],
        citations=[
            CitationOut(
                id=c.passage.passage_id,
                doc_id=c.passage.doc_id,
                source=c.document.source,
                title=c.document.attributes.title,
                section=c.passage.section_label,
                text=c.passage.text,
                start=c.passage.start,
                end=c.passage.end,
                quote_start=c.quote_start,
                quote_end=c.quote_end,
                score=round(c.score, 6),
            )
            for c in answer.citations
        ],
    )


@router.post("/api/ask", response_model=AskResponse)
def ask(request: AskRequest, engine: Annotated[Engine, Depends(get_engine)]) -> AskResponse:
    question = clean_question(request.question, MAX_QUESTION_CHARS)
    filters = request.filters
    answer = engine.answerer.ask(
        question,
        history=[Turn(turn.role, turn.content) for turn in request.history],
        filters=SearchFilters(
            doc_id=filters.document, place=filters.place, year=filters.year, doc_type=filters.type
        )
        if filters
        else None,
    )
    return to_response(answer)
