"""GET /api/search: ranked passages for a question."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from indexer.models import Hit
from indexer.store.base import SearchFilters
from service.dependencies import get_engine, get_request_workers, get_settings
from service.engine import Engine
from service.errors import ApiError, ErrorCode
from service.limits import MAX_SEARCH_CHARS, bound_question
from service.schemas import SearchResponse, SearchResult
from service.settings import Settings
from service.time_budget import RequestWorkers

router = APIRouter()
BUDGET_RESPONSES: dict[int | str, dict[str, object]] = {
    429: {
        "description": "too many requests from this browser, token or address (`code`: "
        "rate_limited per minute, daily_limit per day); see Retry-After"
    },
    503: {"description": "over the time budget (HEALTHQA_REQUEST_SECONDS); abandoned (timeout)"},
}


def clean_question(text: str, limit: int) -> str:
    stripped = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
    if not stripped:
        raise ApiError(
            422, ErrorCode.QUESTION_EMPTY, "the question is empty: type a few words to search for"
        )
    if len(text) > limit:
        raise ApiError(
            422,
            ErrorCode.QUESTION_TOO_LONG,
            f"the question is {len(text)} characters; the limit is {limit}",
            length=len(text),
            limit=limit,
        )
    return stripped


def result(rank: int, hit: Hit) -> SearchResult:
    passage = hit.passage
    return SearchResult(
        rank=rank,
        doc_id=passage.doc_id,
        source=hit.source,
        title=hit.document_title,
        section=passage.section_label,
        text=passage.text,
        score=round(hit.score, 6),
        start=passage.start,
        end=passage.end,
        passage_id=passage.passage_id,
    )


@router.get("/api/search", response_model=SearchResponse, responses=BUDGET_RESPONSES)
def search(
    engine: Annotated[Engine, Depends(get_engine)],
    workers: Annotated[RequestWorkers, Depends(get_request_workers)],
    settings: Annotated[Settings, Depends(get_settings)],
    q: Annotated[str, Query(description="the question, 1 to 1,000 characters")],
    k: Annotated[int, Query(ge=1, le=50, description="how many passages, 1 to 50")] = 10,
    mode: Annotated[Literal["lexical", "dense", "hybrid"] | None, Query()] = None,
    document: Annotated[str | None, Query(max_length=200)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    type: Annotated[str | None, Query(max_length=100)] = None,  # noqa: A002 - API field name
) -> SearchResponse:
    question = clean_question(q, MAX_SEARCH_CHARS)
    chosen_mode = mode or engine.default_mode
    filters = SearchFilters(doc_id=document, place=place, year=year, doc_type=type)
    analysed = bound_question(question)
    hits = workers.run(
        lambda: engine.retriever.search(analysed, k=k, mode=chosen_mode, filters=filters),
        seconds=settings.request_seconds,
    )
    return SearchResponse(
        query=question,
        mode=chosen_mode,
        results=[result(rank, hit) for rank, hit in enumerate(hits, start=1)],
    )
