"""Pydantic models at the HTTP edge."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from indexer.models import Figure
from service.limits import MAX_QUESTION_CHARS, MAX_TURN_CHARS, MAX_TURNS


def _encodable(text: str) -> str:
    """A lone surrogate (JSON allows "\\ud800") cannot be stored, logged or sent back as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)") from error
    return text


Text = Annotated[str, AfterValidator(_encodable)]


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
    content: Text = Field(max_length=MAX_TURN_CHARS)


class AskFilters(BaseModel):
    document: Text | None = Field(default=None, max_length=200)
    place: Text | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1900, le=2200)
    type: Text | None = Field(default=None, max_length=100)


class AskRequest(BaseModel):
    # Longer questions get a 422 that says how long they were (routes/ask.py).
    question: Text = Field(json_schema_extra={"maxLength": MAX_QUESTION_CHARS})
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_TURNS)
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
    indicator_url: str | None = None  # its indicator across places and years (/indicators/…)


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


class PlaceTodayOut(BaseModel):
    """The province-level unit of today a document's place lies in, after the 2025
    reorganisation (indexer/admin_history.py); worked out when read, not stored in the index."""

    unit: str  # "Tây Ninh"
    kind: str  # "tỉnh" or "thành phố"
    since: str  # ISO date the change took effect: "2025-07-01"
    change: Literal["merged", "renamed", "abolished"]
    note: str  # "tỉnh Long An cũ (nay thuộc tỉnh Tây Ninh từ 01/07/2025)"
    note_en: str  # "former Long An province (part of Tây Ninh province since 1 July 2025)"


class DocumentIdentity(BaseModel):
    """What a page shows of a document wherever it names it (its page, a source card): the
    number, date and issuer as found, and which of them the document itself leaves blank."""

    title: str  # its own title; without one, type – issuer – place; never a file name
    doc_type: str | None
    number: str | None
    issuing_body: str | None
    place: str | None  # "Thạnh Phú, Bến Tre"
    # the unit of today the place lies in; None when the place as written is still a unit of
    # today (or is not known to the history)
    place_today: PlaceTodayOut | None = None
    issued_date: str | None  # ISO: "2022-03-18", "2022-03"
    # Fields the document leaves blank for the signer to fill in ("Số:   /KH-BVĐK", "ngày   tháng
    # 03"): shown as "không ghi". A field that is None and not listed is not stated in the text.
    left_blank: list[Literal["number", "date"]]
    original_url: str  # GET /documents/{id}/original: the stored file, as uploaded
    original_type: Literal["pdf", "docx", "txt"] | None


class TableCellOut(BaseModel):
    text: str  # as written, at the document's text[start:end]; "" under an empty column
    start: int
    end: int


class TableRowOut(BaseModel):
    """A cited table row with its table's column headers (indexer/tables.py)."""

    headers: list[str]  # one per column: "TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022", …
    cells: list[TableCellOut]  # one per header, in the same order
    # the row said with its headers: "Số giường bệnh/vạn dân (giường) — Năm 2022: 30,4 · …"
    text: str
    start: int
    end: int
    cited_cell: int | None = None  # the cell holding a figure the answer gives from this row


class TableOut(BaseModel):
    """A table of the document, put back together at index time."""

    title: str | None
    headers: list[str]
    column_kinds: list[str]  # row_number, label, unit, value or note, one per header
    rows: list[list[TableCellOut]]
    start: int
    end: int


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
    table_row: TableRowOut | None = None  # when the cited span lies in a table row
    # "support": the answer rests on it (a figure points to it, or the answer quotes or restates
    # it); "related": retrieved beside it. `marker` numbers the supporting ones ([1], [2], …) in
    # the order they come here; related passages have none.
    role: Literal["support", "related"]
    marker: int | None = None
    document: DocumentIdentity
    # the page of the original PDF (from 1) where the quoted span starts, for a link to
    # `document.original_url + "#page=N"`; None for a document that is not a PDF, or not found
    original_page: int | None = None


class ReferenceOut(BaseModel):
    doc_id: str
    doc_type: str
    code: str  # the look-up key (normalize_code): "7-CTR/ĐU"
    written_code: str  # the code as the citation writes it: "07-Ctr/ĐU"
    raw: str
    number: str | None
    date: str | None
    issuer: str | None
    subject: str | None
    is_legal_basis: bool
    start: int
    end: int
    cited_doc_id: str | None  # the cited document, when it is in the corpus
    # How many citations of this code in the document this entry stands for: grouped lists (a
    # document's legal bases, the codes it mentions, a look-up's citing documents) list a code
    # once, with the fullest citation; `references_made` lists each citation (1).
    mentions: int = 1


class AnswerCode(BaseModel):
    """A document code written in the answer text, where the chat links it to its look-up."""

    start: int  # offsets in the answer, in characters (code points)
    end: int
    written: str  # as the answer writes it
    code: str  # the look-up key (normalize_code)


class AskResponse(BaseModel):
    answer: str
    answerable: bool
    intent: str
    language: str
    resolved_question: str
    figures: list[FigureOut]
    citations: list[CitationOut]
    # the figure ranker's calibrated probability for a figure answer (what abstention thresholds);
    # 1 for other answers, and what the best candidate reached when abstained
    confidence: float = Field(ge=0, le=1)
    codes: list[AnswerCode] = Field(default_factory=list)
    # A legal-basis answer: the legal bases of the document it answers about, each code once with
    # its mentions — the list GET /api/documents/{id} and the document page give.
    legal_bases: list[ReferenceOut] = Field(default_factory=list)


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    attributes: AttributesOut
    passages: int
    figures: int
    references: int
    identity: DocumentIdentity


class SectionOut(BaseModel):
    heading: str
    path: str
    start: int
    end: int


class FigureRecord(FigureFields):
    doc_id: str
    passage_id: str
    start: int
    end: int


class DocumentDetail(DocumentSummary):
    text: str
    sections: list[SectionOut]
    legal_bases: list[ReferenceOut]  # one per code cited as a basis, with its mentions
    other_references: list[ReferenceOut]  # one per code cited, never as a basis
    references_made: list[ReferenceOut]  # every citation, in text order
    figures_found: list[FigureRecord]
    tables: list[TableOut] = Field(default_factory=list)


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class CitingDocument(BaseModel):
    document: DocumentSummary
    citation: ReferenceOut  # the code listed once for this document, with its mentions


class CitedCodeOut(BaseModel):
    code: str  # the look-up key
    written_code: str  # as the citing documents most often write it
    doc_type: str
    cited_doc_id: str | None  # the cited document, when it is in the corpus
    citing: list[CitingDocument]


class CitingDocuments(BaseModel):
    query: str  # as typed
    code: str | None  # the first fitting code's key; None when no code in the index fits
    codes: list[CitedCodeOut]  # every code the index holds that fits the query
    documents: list[DocumentSummary]  # every document citing one of them
    references: list[ReferenceOut]  # each of their citations


class FigureList(BaseModel):
    figures: list[FigureRecord]


PassageId = Annotated[Text, Field(min_length=1, max_length=200)]


class FeedbackIn(BaseModel):
    question: Text = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: Text = Field(max_length=20_000)
    citations: list[PassageId] = Field(default_factory=list, max_length=50)
    rating: Literal["up", "down"]
    comment: Text | None = Field(default=None, max_length=2000)
    # the conversation's turns before this question, as /api/ask was sent them
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_TURNS)


class FeedbackCreated(BaseModel):
    id: int
    # Keep it to change the rating or the comment later (PATCH /api/feedback/{id}); it is given
    # only once.
    edit_key: str


class FeedbackChange(BaseModel):
    """A later change of one's own rating: a field left out stays as it was."""

    edit_key: str = Field(min_length=1, max_length=100)
    rating: Literal["up", "down"] | None = None
    comment: Text | None = Field(default=None, max_length=2000)


class FeedbackChanged(BaseModel):
    id: int
    rating: Literal["up", "down"]
    comment: str | None
    updated_at: str | None


class FeedbackOut(BaseModel):
    id: int
    created_at: str
    question: str
    answer: str
    citations: list[str]
    rating: Literal["up", "down"]
    comment: str | None
    history: list[HistoryTurn] = Field(default_factory=list)
    updated_at: str | None = None


class FeedbackList(BaseModel):
    feedback: list[FeedbackOut]
    # The next page: `?before=<next_before>`; None on the last page.
    next_before: int | None = None


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
    # Why a job failed: an error, its document deleted by an administrator before it was
    # indexed, or the service stopping while it ran (start-up indexes the corpus again).
    reason: Literal["error", "deleted", "interrupted"] | None = None
    message: str
    result: dict[str, str | int | float | None] = Field(default_factory=dict)
    error: str | None = None
    created_at: str
    finished_at: str | None = None
