"""Look-ups: documents with their attributes, sections, legal bases, references and figures;
which documents cite a code, whatever way it is typed; figure search."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from indexer.models import Document, Figure, Reference
from indexer.references import normalize_code
from indexer.search import matching_documents
from indexer.store.base import SearchFilters
from indexer.structure import structure
from indexer.tokens import fold, syllables
from service.cited_codes import CitedCode, cited_codes, usual_spelling, written_code
from service.dependencies import get_engine
from service.engine import Engine
from service.limits import echoed
from service.lookup import resolve_codes
from service.schemas import (
    AttributesOut,
    CitedCodeOut,
    CitingDocument,
    CitingDocuments,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    FigureList,
    FigureRecord,
    ReferenceOut,
    SectionOut,
)

router = APIRouter()
EngineDependency = Annotated[Engine, Depends(get_engine)]


def summary(engine: Engine, document: Document) -> DocumentSummary:
    counts = engine.index.store.document_counts()
    attributes = document.attributes
    return DocumentSummary(
        doc_id=document.doc_id,
        source=document.source,
        attributes=AttributesOut(
            doc_type=attributes.doc_type,
            number=attributes.number,
            issuing_body=attributes.issuing_body,
            issued_date=attributes.issued_date,
            signer=attributes.signer,
            province=attributes.province,
            district=attributes.district,
            plan_years=list(attributes.plan_years),
            title=attributes.title,
        ),
        passages=counts["passages"].get(document.doc_id, 0),
        figures=counts["figures"].get(document.doc_id, 0),
        references=counts["references"].get(document.doc_id, 0),
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
            places = [figure.scope, document.attributes.province, document.attributes.district]
            if not any(p and fold(place.strip()) in fold(p) for p in places):
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
