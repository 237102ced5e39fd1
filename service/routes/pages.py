"""HTML pages: the chat, the documents list and viewer, the directive look-up, the staff upload
page and the 404 page.

They render from the same route functions the JSON API serves, so a page never knows more than
the API does. The chat itself is filled in by web/static/chat.js from POST /api/ask, the upload
page by web/static/upload.js from POST /api/documents and GET /api/jobs/{id}."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.admin_history import current_unit
from indexer.models import Document
from service.auth import writes_enabled
from service.cited_codes import usual_spelling
from service.dependencies import get_engine, get_pdf_pages
from service.document_view import cited_span, contents, text_runs
from service.engine import Engine
from service.errors import error_response
from service.limits import MAX_QUESTION_CHARS
from service.pdf_pages import PdfPageFinder
from service.routes import documents
from service.schemas import (
    CitedCodeOut,
    DocumentDetail,
    DocumentIdentity,
    DocumentSummary,
    ReferenceOut,
)
from service.settings import Settings

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
STATIC_DIR = WEB_DIR / "static"
TEMPLATES = Jinja2Templates(directory=WEB_DIR / "templates")  # autoescapes .html
MAX_CODE_CHARS = 100
FREQUENT_CODES = 12
EXAMPLE_KEYS = ("example_1", "example_2", "example_3", "example_4")  # in i18n.json

Language = Literal["vi", "en"]
router = APIRouter(include_in_schema=False)
EngineDependency = Annotated[Engine, Depends(get_engine)]


@cache
def interface_strings() -> dict[str, dict[str, str]]:
    """Both languages' interface strings; the same file i18n.js reads to switch in place."""
    return json.loads((STATIC_DIR / "i18n.json").read_text(encoding="utf-8"))


def page_language(lang: str | None) -> Language:
    return "en" if lang == "en" else "vi"


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    requested = request.query_params.get("lang")
    lang = page_language(requested)
    other: Language = "en" if lang == "vi" else "vi"
    switch_query = {**request.query_params, "lang": other}
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "t": interface_strings()[lang],
            "other_lang": other,
            "lang_source": "query" if requested in ("vi", "en") else "default",
            "switch_href": f"{same_site_path(request.url.path)}?{urlencode(switch_query)}",
            **context,
        },
        status_code=status_code,
    )


def same_site_path(path: str) -> str:
    """A link to this page, never off-site: `//evil.example/login` (and `/\\evil.example`, which
    browsers read alike) becomes `/evil.example/login`."""
    return "/" + path.lstrip("/\\")


def not_found_page(request: Request) -> HTMLResponse:
    return render(request, "404.html", {"active": None}, status_code=404)


async def html_not_found(request: Request, error: StarletteHTTPException) -> Response:
    """A page for a person who followed a bad link; the API keeps its JSON errors, each with its
    code (service/errors.py), and so do original files (/documents/{id}/original)."""
    path = request.url.path
    api = path.startswith(("/api/", "/static/")) or (
        path.startswith("/documents/") and path.endswith("/original")
    )
    if error.status_code == 404 and not api:
        return not_found_page(request)
    return error_response(error)


def parse_int(text: str | None) -> int | None:
    """Page parameters come from links and forms ('' for "any"): unusable means absent."""
    try:
        return int(text) if text else None
    except ValueError:
        return None


def display_date(iso_date: str | None) -> str | None:
    """'2021-09-22' → '22/09/2021', '2022-03' → '03/2022': how the documents write dates."""
    if not iso_date:
        return None
    return "/".join(reversed(iso_date.split("-")))


@dataclass(frozen=True)
class AttributeRow:
    label_key: str  # an interface string
    value: str | None
    # The interface string shown without a value: "not_written" where the document leaves the
    # field blank, "not_stated" for a number, date or issuer its text does not give, "unknown".
    missing_key: str = "unknown"
    href: str | None = None  # the value links here


IDENTITY_FIELDS = {"number": "attr_number", "date": "attr_date", "issuer": "attr_issuer"}


def identity_rows(identity: DocumentIdentity) -> list[AttributeRow]:
    """Number, date and issuer: each as found, or "không ghi" (blank or not stated)."""
    values = {
        "number": identity.number,
        "date": display_date(identity.issued_date),
        "issuer": identity.issuing_body,
    }
    return [
        AttributeRow(
            label_key,
            values[field],
            missing_key="not_written" if field in identity.left_blank else "not_stated",
        )
        for field, label_key in IDENTITY_FIELDS.items()
    ]


@dataclass(frozen=True)
class PlaceTodayView:
    """Today's unit as a page writes it beside the place as written: "— nay thuộc tỉnh Tây Ninh
    từ 01/07/2025" (the connecting words are interface strings)."""

    relation_key: str  # "place_now_part_of", or "place_now_named" for a renamed unit
    unit: str  # "tỉnh Tây Ninh"
    since: str  # "01/07/2025"

    @property
    def label(self) -> str:
        return f"{self.unit} ({self.since})"


def place_today_view(identity: DocumentIdentity) -> PlaceTodayView | None:
    today = identity.place_today
    if today is None:
        return None
    return PlaceTodayView(
        relation_key="place_now_named" if today.change == "renamed" else "place_now_part_of",
        unit=f"{today.kind} {today.unit}",
        since=display_date(today.since) or today.since,
    )


def place_rows(identity: DocumentIdentity) -> list[AttributeRow]:
    """The place as written and, when it is no longer a unit of today, the unit it lies in."""
    rows = [AttributeRow("attr_place", identity.place)]
    if (today := place_today_view(identity)) is not None:
        rows.append(AttributeRow("attr_place_today", today.label))
    return rows


def attribute_rows(detail: DocumentDetail) -> list[AttributeRow]:
    attributes = detail.attributes
    years = ", ".join(str(year) for year in attributes.plan_years)
    number, date, issuer = identity_rows(detail.identity)
    return [
        number,
        AttributeRow("attr_type", attributes.doc_type),
        issuer,
        date,
        AttributeRow("attr_signer", attributes.signer),
        *place_rows(detail.identity),
        AttributeRow("attr_years", years or None),
        AttributeRow("attr_source", detail.source, href=detail.identity.original_url),
    ]


@dataclass(frozen=True)
class OriginalAtCited:
    """The link from a cited span to the original PDF, at the page holding it when found."""

    href: str  # "/documents/{id}/original#page=3"
    page: int | None


def original_at_cited(
    detail: DocumentDetail,
    cited: tuple[int, int] | None,
    pdf_pages: PdfPageFinder,
    corpus_dir: Path,
) -> OriginalAtCited | None:
    if cited is None or detail.identity.original_type != "pdf":
        return None
    page = pdf_pages.page_of(corpus_dir, detail.source, detail.text, cited[0])
    href = detail.identity.original_url + (f"#page={page}" if page else "")
    return OriginalAtCited(href=href, page=page)


@dataclass(frozen=True)
class FilterOptions:
    places: list[str]
    years: list[int]
    types: list[str]


def filter_options(all_documents: list[Document]) -> FilterOptions:
    places: set[str] = set()
    years: set[int] = set()
    types: set[str] = set()
    for document in all_documents:
        attributes = document.attributes
        places.update(p for p in (attributes.province, attributes.district) if p)
        # the province of today too: choosing it lists the former units' documents
        if today := current_unit(attributes.province, attributes.district):
            places.add(today.new_unit)
        years.update(attributes.plan_years)
        if attributes.doc_type:
            types.add(attributes.doc_type)
    return FilterOptions(places=sorted(places), years=sorted(years), types=sorted(types))


@dataclass(frozen=True)
class CitingDocument:
    summary: DocumentSummary
    title: str
    citation: ReferenceOut  # the code once, with its mentions


@dataclass(frozen=True)
class FoundCode:
    """One code a look-up reached, and the documents citing it."""

    code: CitedCodeOut
    citing: list[CitingDocument]


@dataclass(frozen=True)
class FrequentCode:
    code: str  # the look-up key
    written: str  # as the citing documents most often write it
    citing: int  # how many documents cite it


def frequent_codes(engine: Engine) -> list[FrequentCode]:
    citations = engine.index.store.references()
    citing = Counter(code for code, _ in {(r.code, r.doc_id) for r in citations})
    ranked = sorted(citing.items(), key=lambda item: (-item[1], item[0]))
    frequent = [(code, count) for code, count in ranked[:FREQUENT_CODES] if count > 1]
    return [
        FrequentCode(code, usual_spelling(r for r in citations if r.code == code) or code, count)
        for code, count in frequent
    ]


@dataclass(frozen=True)
class DocumentOption:
    doc_id: str
    title: str


# The page gives up on an answer a little after the server would have (its 503 at the time
# budget), so a server that never answers cannot keep the page waiting forever.
CLIENT_TIMEOUT_MARGIN_SECONDS = 5


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, engine: EngineDependency, q: str = "") -> HTMLResponse:
    settings: Settings = request.app.state.settings
    listed = documents.list_documents(engine, place=None, year=None, type=None).documents
    return render(
        request,
        "chat.html",
        {
            "active": "chat",
            "question": q[:MAX_QUESTION_CHARS],
            "examples": EXAMPLE_KEYS,
            # the chat's filters, sent as `filters` with each question (AskFilters)
            "options": filter_options(engine.index.store.documents()),
            "document_options": sorted(
                (DocumentOption(d.doc_id, d.identity.title) for d in listed),
                key=lambda option: option.title.casefold(),
            ),
            "timeout_ms": round((settings.request_seconds + CLIENT_TIMEOUT_MARGIN_SECONDS) * 1000),
            "feedback_max_bytes": settings.max_feedback_body_bytes,
        },
    )


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request,
    engine: EngineDependency,
    place: str | None = None,
    year: str | None = None,
    type: str | None = None,  # noqa: A002 - the API's parameter name
) -> HTMLResponse:
    chosen_year = parse_int(year)
    listed = documents.list_documents(
        engine, place=place or None, year=chosen_year, type=type or None
    )
    return render(
        request,
        "documents.html",
        {
            "active": "documents",
            "documents": [
                (d, d.identity.title, identity_rows(d.identity), place_today_view(d.identity))
                for d in listed.documents
            ],
            "options": filter_options(engine.index.store.documents()),
            "place": place or "",
            "year": chosen_year,
            "type": type or "",
            "filtered": bool(place or chosen_year or type),
        },
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    doc_id: str,
    engine: EngineDependency,
    pdf_pages: Annotated[PdfPageFinder, Depends(get_pdf_pages)],
    start: str | None = None,
    end: str | None = None,
) -> HTMLResponse:
    try:
        detail = documents.document_detail(doc_id, engine)
    except HTTPException as error:
        if error.status_code == 404:
            return not_found_page(request)
        raise
    cited = cited_span(len(detail.text), parse_int(start), parse_int(end))
    settings: Settings = request.app.state.settings
    return render(
        request,
        "document.html",
        {
            "active": "documents",
            "document": detail,
            "title": detail.identity.title,
            "identity": detail.identity,
            "attributes": attribute_rows(detail),
            "contents": contents([(s.heading, s.path, s.start) for s in detail.sections]),
            "runs": text_runs(detail.text, [s.start for s in detail.sections], cited),
            "cited": cited is not None,
            "original_at_cited": original_at_cited(detail, cited, pdf_pages, settings.corpus_dir),
            "legal_bases": detail.legal_bases,
            "other_references": detail.other_references,
        },
    )


@router.get("/references", response_class=HTMLResponse)
def references_page(request: Request, engine: EngineDependency, code: str = "") -> HTMLResponse:
    code = code.strip()
    too_long = len(code) > MAX_CODE_CHARS
    context: dict[str, Any] = {
        "active": "references",
        "code": code[:MAX_CODE_CHARS],
        "too_long": too_long,
        "searched": bool(code) and not too_long,
        "frequent": frequent_codes(engine),
        "found": [],
    }
    if context["searched"]:
        found = documents.citing_documents(engine, code)
        context["found"] = [
            FoundCode(
                code=cited,
                citing=[
                    CitingDocument(
                        summary=entry.document,
                        title=entry.document.identity.title,
                        citation=entry.citation,
                    )
                    for entry in cited.citing
                ],
            )
            for cited in found.codes
        ]
    return render(request, "references.html", context)


@dataclass(frozen=True)
class UploadField:
    """One optional metadata field of POST /api/documents, as the upload form asks for it."""

    name: str  # the form field the API takes
    label_key: str  # an interface string
    input_type: Literal["text", "date"] = "text"
    hint_key: str | None = None


UPLOAD_FIELDS = (
    UploadField("title", "attr_title"),
    UploadField("doc_type", "attr_type"),
    UploadField("number", "attr_number"),
    UploadField("issuing_body", "attr_issuer"),
    UploadField("issued_date", "attr_date", input_type="date"),
    UploadField("signer", "attr_signer"),
    UploadField("province", "attr_province"),
    UploadField("district", "attr_district"),
    UploadField("plan_years", "attr_years", hint_key="plan_years_hint"),
)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.3g}"


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    return render(
        request,
        "upload.html",
        {
            "active": "upload",
            "writes_enabled": writes_enabled(settings),
            "fields": UPLOAD_FIELDS,
            "max_upload_bytes": settings.max_upload_bytes,
            "max_upload_mb": megabytes(settings.max_upload_bytes),
        },
    )
