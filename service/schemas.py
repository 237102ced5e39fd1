"""Pydantic models at the HTTP edge."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from indexer.models import Figure


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


class FigureFields(BaseModel):
    """What every figure carries on the wire."""

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

    @staticmethod
    def of(figure: Figure) -> dict[str, object]:
        return {name: getattr(figure, name) for name in FigureFields.model_fields}


class FigureOut(FigureFields):
    citation: str  # the id of the citation whose span contains the figure


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


class AttributesOut(BaseModel):
    doc_type: str | None
    number: str | None
    issuing_body: str | None
    issued_date: str | None
    signer: str | None
    province: str | None
    district: str | None
    plan_years: list[int]
    title: str | None


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    attributes: AttributesOut
    passages: int
    figures: int
    references: int


class SectionOut(BaseModel):
    heading: str
    path: str
    start: int
    end: int


class ReferenceOut(BaseModel):
    doc_id: str
    doc_type: str
    code: str
    raw: str
    number: str | None
    date: str | None
    issuer: str | None
    subject: str | None
    is_legal_basis: bool
    start: int
    end: int
    cited_doc_id: str | None  # the cited document, when it is in the corpus


class FigureRecord(FigureFields):
    doc_id: str
    passage_id: str
    start: int
    end: int


class DocumentDetail(DocumentSummary):
    text: str
    sections: list[SectionOut]
    legal_bases: list[ReferenceOut]
    references_made: list[ReferenceOut]
    figures_found: list[FigureRecord]


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class CitingDocuments(BaseModel):
    code: str
    documents: list[DocumentSummary]
    references: list[ReferenceOut]


class FigureList(BaseModel):
    figures: list[FigureRecord]


PassageId = Annotated[str, Field(min_length=1, max_length=200)]


class FeedbackIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(max_length=20_000)
    citations: list[PassageId] = Field(default_factory=list, max_length=50)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)


class FeedbackCreated(BaseModel):
    id: int


class FeedbackOut(BaseModel):
    id: int
    created_at: str
    question: str
    answer: str
    citations: list[str]
    rating: Literal["up", "down"]
    comment: str | None


class FeedbackList(BaseModel):
    feedback: list[FeedbackOut]


class DocumentChangeAccepted(BaseModel):
    """A document stored in (or removed from) the corpus; the index follows in a job."""

    doc_id: str
    job_id: str
    job_url: str
    source: str | None = None  # the stored file name inside the corpus folder


class JobOut(BaseModel):
    job_id: str
    description: str
    state: Literal["queued", "running", "done", "failed"]
    message: str
    result: dict[str, str | int | float | None] = Field(default_factory=dict)
    error: str | None = None
    created_at: str
    finished_at: str | None = None
