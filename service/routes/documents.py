"""Look-ups: documents with their attributes, identity, sections, legal bases, references and
figures, and their original files; which documents cite a code, whatever way it is typed; figure
search."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse

from indexer.admin_history import belongs_today, current_unit, note
from indexer.models import Document, DocumentAttributes, Figure, Reference
from indexer.references import normalize_code
from indexer.search import matching_documents
from indexer.store.base import SearchFilters
from indexer.structure import structure
from indexer.tokens import fold, syllables
from service.cited_codes import CitedCode, cited_codes, usual_spelling, written_code
from service.dependencies import get_engine
from service.engine import Engine
from service.errors import ApiError, ErrorCode, error_response
from service.limits import echoed
from service.lookup import resolve_codes
from service.schemas import (
    AttributesOut,
    CitedCodeOut,
    CitingDocument,
    CitingDocuments,
    DocumentDetail,
    DocumentIdentity,
    DocumentList,
    DocumentSummary,
    FigureList,
    FigureRecord,
    PlaceTodayOut,
    ReferenceOut,
    SectionOut,
)
from service.settings import Settings
from service.table_rows import document_tables
from service.uploads import DocumentNotFound, find_document

router = APIRouter()
EngineDependency = Annotated[Engine, Depends(get_engine)]

# How a document leaves its own number or day blank for the signer to fill in (seeds 000, 001):
# "Số:   /KH-BVĐK", "Quyết định số   /QĐ-BVĐK"; "ngày   tháng 03 năm 2022", "ngày   /   /2022".
BLANK_NUMBER = re.compile(r"(?<!\w)(?i:số)[ \t]*:?[ \t]*/[ \t]*[A-ZĐ]")
BLANK_DAY = re.compile(r"(?<!\w)ngày[ \t]*(?:tháng|/)")
HEADER_CHARS = 3000  # where a document's own number and date are written

OriginalType = Literal["pdf", "docx", "txt"]
ORIGINAL_TYPES: dict[str, OriginalType] = {".pdf": "pdf", ".docx": "docx", ".txt": "txt"}
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attributes_out(attributes: DocumentAttributes) -> AttributesOut:
    """Every attribute field, as the dataclass declares it (no list typed twice)."""
    return AttributesOut(**asdict(attributes))


def display_title(attributes: AttributesOut, doc_id: str) -> str:
    """The document's title; without one, what it is, who issued it and where ("Báo cáo – Sở Y
    tế tỉnh Sóc Trăng"), never its file name; the id only when nothing at all is known."""
    if attributes.title:
        return attributes.title
    parts = [p for p in (attributes.doc_type, attributes.issuing_body) if p]
    issuer = (attributes.issuing_body or "").casefold()
    parts += [
        place
        for place in (attributes.district, attributes.province)
        if place and place.casefold() not in issuer
    ]
    return " – ".join(parts) or doc_id


def left_blank(attributes: AttributesOut, text: str) -> list[Literal["number", "date"]]:
    """The identity fields the document's head leaves blank to be filled in when signed."""
    header = text[:HEADER_CHARS]
    blank: list[Literal["number", "date"]] = []
    if not attributes.number and BLANK_NUMBER.search(header):
        blank.append("number")
    if not attributes.issued_date and BLANK_DAY.search(header):
        blank.append("date")
    return blank


def original_url(doc_id: str) -> str:
    return f"/documents/{quote(doc_id, safe='')}/original"


def place_today(province: str | None, district: str | None) -> PlaceTodayOut | None:
    """Where a place as the document writes it lies today: documents keep the units of their
    day (a 2024 plan of tỉnh Long An), readers work in today's (tỉnh Tây Ninh)."""
    change = current_unit(province, district)
    if change is None or change.change == "unchanged":
        return None
    return PlaceTodayOut(
        unit=change.new_unit,
        kind=change.new_kind,
        since=change.effective.isoformat(),
        change=change.change,
        note=note(change, "vi"),
        note_en=note(change, "en"),
    )


def document_identity(
    document: Document, attributes: AttributesOut | None = None
) -> DocumentIdentity:
    attributes = attributes or attributes_out(document.attributes)
    place = ", ".join(p for p in (attributes.district, attributes.province) if p)
    return DocumentIdentity(
        title=display_title(attributes, document.doc_id),
        doc_type=attributes.doc_type,
        number=attributes.number,
        issuing_body=attributes.issuing_body,
        place=place or None,
        place_today=place_today(attributes.province, attributes.district),
        issued_date=attributes.issued_date,
        left_blank=left_blank(attributes, document.text),
        original_url=original_url(document.doc_id),
        original_type=ORIGINAL_TYPES.get(Path(document.source).suffix.lower()),
    )


def summary(engine: Engine, document: Document) -> DocumentSummary:
    counts = engine.index.store.document_counts()
    attributes = attributes_out(document.attributes)
    return DocumentSummary(
        doc_id=document.doc_id,
        source=document.source,
        attributes=attributes,
        passages=counts["passages"].get(document.doc_id, 0),
        figures=counts["figures"].get(document.doc_id, 0),
        references=counts["references"].get(document.doc_id, 0),
        identity=document_identity(document, attributes),
    )


def reference_out(engine: Engine, reference: Reference) -> ReferenceOut:
    return ReferenceOut(
        doc_id=reference.doc_id,
        doc_type=reference.doc_type,
        code=reference.code,
        written_code=written_code(reference),
        raw=reference.raw,
        number=reference.number,
        date=reference.date,
        issuer=reference.issuer,
        subject=reference.subject,
        is_legal_basis=bool(reference.is_legal_basis),
        start=reference.start,
        end=reference.end,
        cited_doc_id=_corpus_document_for(engine, reference.code),
    )


def cited_code_out(engine: Engine, cited: CitedCode) -> ReferenceOut:
    """A code listed once for a document: its fullest citation, a basis when any is."""
    return reference_out(engine, cited.citation).model_copy(
        update={
            "written_code": cited.written,
            "is_legal_basis": cited.is_legal_basis,
            "mentions": cited.mentions,
        }
    )


def _corpus_document_for(engine: Engine, code: str) -> str | None:
    for document in engine.index.store.documents():
        number = document.attributes.number
        if number and normalize_code(number) == code:
            return document.doc_id
    return None


def figure_record(figure: Figure) -> FigureRecord:
    return FigureRecord(
        **FigureRecord.of(figure),
        doc_id=figure.doc_id,
        passage_id=figure.passage_id,
        start=figure.start,
        end=figure.end,
    )


@router.get("/api/documents", response_model=DocumentList)
def list_documents(
    engine: EngineDependency,
    place: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    type: Annotated[str | None, Query(max_length=100)] = None,  # noqa: A002 - API field name
) -> DocumentList:
    documents = engine.index.store.documents()
    chosen = matching_documents(documents, SearchFilters(place=place, year=year, doc_type=type))
    return DocumentList(
        documents=[summary(engine, d) for d in documents if chosen is None or d.doc_id in chosen]
    )


@router.get("/api/documents/{doc_id}", response_model=DocumentDetail)
def document_detail(doc_id: str, engine: EngineDependency) -> DocumentDetail:
    store = engine.index.store
    document = store.document(doc_id)
    if document is None:
        raise HTTPException(404, f"no document with id {echoed(doc_id)!r}: see /api/documents")
    references = store.references(doc_id=doc_id)
    grouped = cited_codes(references)
    sections = structure(doc_id, document.text).sections
    return DocumentDetail(
        **summary(engine, document).model_dump(),
        text=document.text,
        sections=[
            SectionOut(heading=s.heading, path=" › ".join(s.path), start=s.start, end=s.end)
            for s in sections
        ],
        legal_bases=[cited_code_out(engine, c) for c in grouped if c.is_legal_basis],
        other_references=[cited_code_out(engine, c) for c in grouped if not c.is_legal_basis],
        references_made=[reference_out(engine, r) for r in references],
        figures_found=[figure_record(f) for f in store.figures(doc_id=doc_id)],
        tables=document_tables(store, doc_id),
    )


def _text_media_type(path: Path) -> str:
    """The charset the indexer read the file in (indexer/load.py tries these, in this order)."""
    data = path.read_bytes()
    for encoding, charset in (("utf-8-sig", "utf-8"), ("utf-16", "utf-16")):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return f"text/plain; charset={charset}"
    return "text/plain; charset=windows-1258"


def _no_original(doc_id: str) -> JSONResponse:
    return error_response(
        ApiError(
            404,
            ErrorCode.NOT_FOUND,
            f"no original file for document {echoed(doc_id)!r}: see /api/documents",
        )
    )


@router.get(
    "/documents/{doc_id}/original",
    response_class=FileResponse,
    response_model=None,
    responses={
        200: {
            "content": {"application/pdf": {}, "text/plain": {}, DOCX_MEDIA_TYPE: {}},
            "description": "the stored file; a PDF or text file is shown in the browser (inline)",
        },
        404: {"description": "no such document, or its file is no longer in the corpus"},
    },
)
def original_file(
    doc_id: str, request: Request, engine: EngineDependency
) -> FileResponse | JSONResponse:
    """The document's file as stored in the corpus folder (an upload as it was sent). The id is
    only compared with the corpus files' ids, never used as a path, and a file that resolves
    outside the corpus folder (a symbolic link) is not served."""
    settings: Settings = request.app.state.settings
    if engine.index.store.document(doc_id) is None:
        return _no_original(doc_id)
    try:
        path = find_document(settings.corpus_dir, doc_id)
    except (DocumentNotFound, OSError, ValueError):
        return _no_original(doc_id)
    resolved = path.resolve()
    kind = ORIGINAL_TYPES.get(resolved.suffix.lower())
    if kind is None or not resolved.is_relative_to(settings.corpus_dir.resolve()):
        return _no_original(doc_id)
    if kind == "pdf":
        media_type = "application/pdf"
    elif kind == "txt":
        media_type = _text_media_type(resolved)
    else:
        media_type = DOCX_MEDIA_TYPE
    return FileResponse(
        resolved,
        media_type=media_type,
        filename=path.name,
        # the browser's own PDF viewer and text view; a DOCX is a download
        content_disposition_type="attachment" if kind == "docx" else "inline",
    )


@router.get("/api/references", response_model=CitingDocuments)
def citing_documents(
    engine: EngineDependency,
    code: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="a code or what people type for it: 25-CT/TW, 25/CT-TW, Chỉ thị 25, CT 25",
        ),
    ],
) -> CitingDocuments:
    store = engine.index.store
    every_citation = store.references()
    # most cited first, so a look-up that fits several codes lists the likeliest first
    citing_count = Counter(key for key, _ in {(r.code, r.doc_id) for r in every_citation})
    held = sorted(citing_count, key=lambda key: (-citing_count[key], key))
    keys = resolve_codes(code, held)
    summaries: dict[str, DocumentSummary] = {}
    found_codes: list[CitedCodeOut] = []
    references: list[Reference] = []
    for key in keys:
        citations = [r for r in every_citation if r.code == key]
        references.extend(citations)
        citing = []
        for cited in cited_codes(citations):
            doc_id = cited.citation.doc_id
            if doc_id not in summaries and (document := store.document(doc_id)) is not None:
                summaries[doc_id] = summary(engine, document)
            if doc_id in summaries:
                citing.append(
                    CitingDocument(
                        document=summaries[doc_id], citation=cited_code_out(engine, cited)
                    )
                )
        doc_types = Counter(r.doc_type for r in citations)
        found_codes.append(
            CitedCodeOut(
                code=key,
                written_code=usual_spelling(citations) or key,
                doc_type=doc_types.most_common(1)[0][0],
                cited_doc_id=_corpus_document_for(engine, key),
                citing=citing,
            )
        )
    return CitingDocuments(
        query=code,
        code=keys[0] if keys else None,
        codes=found_codes,
        documents=list(summaries.values()),
        references=[reference_out(engine, r) for r in references],
    )


@router.get("/api/figures", response_model=FigureList)
def search_figures(
    engine: EngineDependency,
    q: Annotated[str | None, Query(max_length=1000)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FigureList:
    store = engine.index.store
    wanted = set(syllables(fold(q or "")))
    documents = {d.doc_id: d for d in store.documents()}
    scored = []
    for figure in store.figures():
        document = documents.get(figure.doc_id)
        if place is not None and document is not None:
            attributes = document.attributes
            places = [figure.scope, attributes.province, attributes.district]
            if not any(p and fold(place.strip()) in fold(p) for p in places) and not (
                belongs_today(place, attributes.province, attributes.district)
            ):
                continue
        if year is not None:
            plan_years = document.attributes.plan_years if document else ()
            years = (figure.year,) if figure.year else plan_years
            if years and year not in years:
                continue
        overlap = len(wanted & set(syllables(fold(figure.label)))) if wanted else 1
        if overlap:
            scored.append((overlap, figure))
    scored.sort(key=lambda item: -item[0])
    return FigureList(figures=[figure_record(f) for _, f in scored[:limit]])
