"""Pydantic models at the HTTP edge."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    documents: int
    passages: int
    model_id: str
    built_at: str


class SearchResult(BaseModel):
    rank: int
    doc_id: str
    source: str
    title: str | None
    section: str
    text: str
    score: float
    start: int
    end: int
    passage_id: str


class SearchResponse(BaseModel):
    query: str
    mode: str
    results: list[SearchResult]


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskFilters(BaseModel):
    document: str | None = Field(default=None, max_length=200)
    place: str | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1900, le=2200)
    type: str | None = Field(default=None, max_length=100)


class AskRequest(BaseModel):
    question: str
    history: list[HistoryTurn] = Field(default_factory=list, max_length=20)
    filters: AskFilters | None = None


class FigureOut(BaseModel):
    label: str
    value: float
    unit: str | None
    raw: str
    comparator: str | None
    kind: str | None
    year: int | None
    scope: str | None
    value_high: float | None = None
    denominator: float | None = None
    citation: str


class CitationOut(BaseModel):
    id: str
    doc_id: str
    source: str
    title: str | None
    section: str
    text: str
    start: int
    end: int
    quote_start: int
    quote_end: int
    score: float


class AskResponse(BaseModel):
    answer: str
    answerable: bool
    intent: str
    language: str
    resolved_question: str
    figures: list[FigureOut]
    citations: list[CitationOut]
