"""POST /api/ask: a cited, extractive answer to a question, with follow-ups via history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from indexer.store.base import SearchFilters
from service.dependencies import get_engine, get_request_workers, get_settings
from service.engine import Engine
from service.limits import MAX_QUESTION_CHARS, bound_question, bound_turn
from service.qa.answer import Answer
from service.qa.followup import Turn
from service.routes.search import BUDGET_RESPONSES, clean_question
from service.schemas import AskRequest, AskResponse, CitationOut, FigureOut
from service.settings import Settings
from service.time_budget import RequestWorkers

router = APIRouter()


def to_response(answer: Answer) -> AskResponse:
    return AskResponse(
        answer=answer.text,
        answerable=answer.answerable,
        intent=answer.intent,
        language=answer.language,
        resolved_question=answer.resolved_question,
        confidence=round(answer.confidence, 6),
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


@router.post("/api/ask", response_model=AskResponse, responses=BUDGET_RESPONSES)
def ask(
    request: AskRequest,
    engine: Annotated[Engine, Depends(get_engine)],
    workers: Annotated[RequestWorkers, Depends(get_request_workers)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> AskResponse:
    # Bounded before any analysis: the question, and each turn a follow-up may borrow from.
    question = bound_question(clean_question(request.question, MAX_QUESTION_CHARS))
    history = [Turn(turn.role, bound_turn(turn.content)) for turn in request.history]
    filters = request.filters
    search_filters = (
        SearchFilters(
            doc_id=filters.document, place=filters.place, year=filters.year, doc_type=filters.type
        )
        if filters
        else None
    )
    answer = workers.run(
        lambda: engine.answerer.ask(question, history=history, filters=search_filters),
        seconds=settings.request_seconds,
    )
    return to_response(answer)
