"""POST /api/ask: a cited, extractive answer to a question, with follow-ups via history. Each
citation says whether the answer rests on it (numbered [1], [2], …) or was only retrieved beside
it, and names its document (with the page of its original PDF where the quote starts); codes
written in the answer come with their look-up keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends

from indexer.references import CODE, normalize_code
from indexer.store.base import IndexStore, SearchFilters
from service.cited_codes import cited_codes
from service.dependencies import get_engine, get_pdf_pages, get_request_workers, get_settings
from service.engine import Engine
from service.limits import MAX_QUESTION_CHARS, bound_question, bound_turn
from service.pdf_pages import PdfPageFinder
from service.qa.answer import Answer, Citation
from service.qa.followup import Turn
from service.routes.documents import cited_code_out, document_identity
from service.routes.indicators import with_indicator_links
from service.routes.search import BUDGET_RESPONSES, clean_question
from service.schemas import AnswerCode, AskRequest, AskResponse, CitationOut, FigureOut
from service.settings import Settings
from service.table_rows import cited_table_row
from service.time_budget import RequestWorkers

router = APIRouter()

# Answers about documents restate what their citations say (a code, a name) instead of quoting.
DOCUMENT_INTENTS = frozenset({"signer", "legal_basis", "reference", "document"})
# A list answer's items: "\n1. Sốt xuất huyết …"
LIST_ITEM = re.compile(r"^\d+\.[ ]+(?P<item>.+)$", re.MULTILINE)
# Shorter quotes ("Lưu VT.") could be in an answer by chance.
MIN_QUOTE_CHARS = 12
MIN_ITEM_CHARS = 6


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _codes_in(text: str) -> set[str]:
    return {normalize_code(match[0]) for match in CODE.finditer(text)}


def supporting(answer: Answer) -> list[bool]:
    """Which citations the answer rests on, in their order.

    A figure answer rests on the citations its figures point to. Any other answer is read from
    its first citation (the quoted passage, the list, the signature, the header, the legal
    bases), and rests as well on each citation whose quoted sentence it quotes, whose code it
    names (an answer about documents) or whose passage holds one of its items (a list). An
    abstention rests on none, except one saying which field a document leaves blank, shown from
    the document's header."""
    citations = answer.citations
    if answer.figures:
        pointed = {figure.citation_id for figure in answer.figures}
        return [c.passage.passage_id in pointed for c in citations]
    if not citations or (not answer.answerable and answer.intent != "document"):
        return [False] * len(citations)
    text = _squeezed(answer.text)
    codes = _codes_in(answer.text) if answer.intent in DOCUMENT_INTENTS else set()
    items = [
        _squeezed(match["item"])
        for match in LIST_ITEM.finditer(answer.text)
        if answer.intent == "list" and len(match["item"].strip()) >= MIN_ITEM_CHARS
    ]
    return [index == 0 or _restated(c, text, codes, items) for index, c in enumerate(citations)]


def _restated(citation: Citation, answer_text: str, codes: set[str], items: list[str]) -> bool:
    quote = citation.document.text[citation.quote_start : citation.quote_end]
    squeezed = _squeezed(quote)
    if len(squeezed) >= MIN_QUOTE_CHARS and squeezed in answer_text:
        return True
    if codes and _codes_in(quote) & codes:
        return True
    if items:
        passage = _squeezed(" ".join((*citation.passage.section, citation.passage.text)))
        return any(item in passage for item in items)
    return False


def answer_codes(text: str) -> list[AnswerCode]:
    """The document codes the answer writes, found as the indexer finds them."""
    return [
        AnswerCode(
            start=match.start(), end=match.end(), written=match[0], code=normalize_code(match[0])
        )
        for match in CODE.finditer(text)
    ]


def with_legal_bases(response: AskResponse, engine: Engine) -> AskResponse:
    """A legal-basis answer with the legal bases of the document it is about, as that
    document's page and GET /api/documents/{id} list them."""
    if response.intent != "legal_basis" or not response.answerable:
        return response
    doc_id = next((c.doc_id for c in response.citations if c.role == "support"), None)
    if doc_id is None:
        return response
    grouped = cited_codes(engine.index.store.references(doc_id=doc_id))
    bases = [cited_code_out(engine, cited) for cited in grouped if cited.is_legal_basis]
    return response.model_copy(update={"legal_bases": bases})


def original_page(
    citation: Citation, pdf_pages: PdfPageFinder | None, corpus_dir: Path | None
) -> int | None:
    """The page of the document's original PDF where the quoted span starts."""
    if pdf_pages is None or corpus_dir is None:
        return None
    document = citation.document
    return pdf_pages.page_of(corpus_dir, document.source, document.text, citation.quote_start)


def to_response(
    answer: Answer,
    store: IndexStore | None = None,
    *,
    pdf_pages: PdfPageFinder | None = None,
    corpus_dir: Path | None = None,
) -> AskResponse:
    roles = supporting(answer)
    markers = iter(range(1, len(roles) + 1))
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
                table_row=cited_table_row(store, c, answer.figures),
                role="support" if supports else "related",
                marker=next(markers) if supports else None,
                document=document_identity(c.document),
                original_page=original_page(c, pdf_pages, corpus_dir),
            )
            for c, supports in zip(answer.citations, roles, strict=True)
        ],
        codes=answer_codes(answer.text),
    )


@router.post("/api/ask", response_model=AskResponse, responses=BUDGET_RESPONSES)
def ask(
    request: AskRequest,
    engine: Annotated[Engine, Depends(get_engine)],
    workers: Annotated[RequestWorkers, Depends(get_request_workers)],
    settings: Annotated[Settings, Depends(get_settings)],
    pdf_pages: Annotated[PdfPageFinder, Depends(get_pdf_pages)],
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
    response = to_response(
        answer, engine.index.store, pdf_pages=pdf_pages, corpus_dir=settings.corpus_dir
    )
    response = with_indicator_links(response, answer, engine)
    return with_legal_bases(response, engine)
