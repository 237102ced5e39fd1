"""What reading a file will cost, measured before it is read: a DOCX's XML (bytes and elements,
streamed and stopped at the limit) and a PDF's page content streams (decoded bytes and drawing
operators, summed over pages, since pages may share one stream and each pays to read it)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import IO, Any


class TooCostly(ValueError):
    """A file that would take too long or too much memory to read; the message says which limit."""


@dataclass(frozen=True)
class ReadLimits:
    """Limits for any corpus file; uploads are held to tighter ones (HEALTHQA_MAX_UPLOAD_*)."""

    docx_xml_bytes: int = 40_000_000
    docx_elements: int = 500_000  # python-docx reads about 50,000 a second
    pdf_content_bytes: int = 20_000_000
    pdf_operators: int = 1_200_000  # pypdf extracts text at about 130,000 a second


@dataclass(frozen=True)
class DocxCost:
    xml_bytes: int
    elements: int
    text_chars: int  # characters in the body's text runs (w:t), spaces stripped


# Literal strings are dropped before counting (their text is not operators); an operator is a
# bare keyword of 1-3 letters (`Tj`, `BT`, `re`, `T*`, `'`, `"`) between delimiters.
PDF_STRING = re.compile(rb"\((?:\\.|[^\\()])*\)", re.DOTALL)
PDF_OPERATOR = re.compile(
    rb"(?<![A-Za-z0-9_/.#+-])(?:[A-Za-z][A-Za-z0-9*]{0,2}|['\"])(?![A-Za-z0-9_#])"
)


WORD_TEXT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def check_docx_cost(archive: Any, limits: ReadLimits) -> DocxCost:
    """What a DOCX's XML parts (a `zipfile.ZipFile`) hold; `TooCostly` as soon as the bytes or
    the elements pass their limit, having read no more than that."""
    from lxml import etree

    total_bytes = 0
    elements = 0
    text_chars = 0
    for entry in archive.infolist():
        if not entry.filename.endswith(".xml"):
            continue
        with archive.open(entry) as raw:
            counted = _CountingReader(raw, limits.docx_xml_bytes - total_bytes)
            parser = etree.iterparse(
                counted, events=("end",), resolve_entities=False, no_network=True
            )
            try:
                for _, element in parser:
                    elements += 1
                    if elements > limits.docx_elements:
                        raise TooCostly(
                            f"the document's XML holds over {limits.docx_elements:,} elements "
                            "(empty paragraphs, runs, cells); save a simpler copy or split it"
                        )
                    if element.tag == WORD_TEXT and entry.filename == "word/document.xml":
                        text_chars += len((element.text or "").strip())
                    # what is parsed is dropped at once: memory stays flat however long it is
                    element.clear(keep_tail=True)
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
            except etree.XMLSyntaxError:
                if counted.over:
                    raise _docx_too_large(limits) from None
                raise
            total_bytes += counted.read_bytes
            if counted.over:
                raise _docx_too_large(limits)
    return DocxCost(xml_bytes=total_bytes, elements=elements, text_chars=text_chars)


def _docx_too_large(limits: ReadLimits) -> TooCostly:
    return TooCostly(f"the document's XML is over {limits.docx_xml_bytes:,} bytes; split it")


class _CountingReader:
    """A file-like object that stops (returns end of file) after `budget` bytes."""

    def __init__(self, raw: IO[bytes], budget: int) -> None:
        self.raw = raw
        self.budget = budget
        self.read_bytes = 0
        self.over = False

    def read(self, size: int = -1) -> bytes:
        if self.read_bytes >= self.budget:
            self.over = bool(self.raw.read(1))
            return b""
        allowed = self.budget - self.read_bytes
        data = self.raw.read(allowed if size < 0 else min(size, allowed))
        self.read_bytes += len(data)
        return data


def check_pdf_cost(reader: Any, limits: ReadLimits) -> tuple[int, int]:
    """(content bytes, operators) over every page of a `pypdf.PdfReader`, each page counting
    the streams it draws (its contents and the forms it uses); `TooCostly` past a limit."""
    total_bytes = 0
    operators = 0
    seen: dict[int, tuple[int, int]] = {}  # a stream shared by pages is decoded once
    for page in reader.pages:
        for stream in _page_streams(page):
            key = id(stream)
            if key not in seen:
                data = _decoded(stream, limits.pdf_content_bytes - total_bytes + 1)
                seen[key] = (len(data), len(PDF_OPERATOR.findall(PDF_STRING.sub(b"()", data))))
            size, count = seen[key]
            total_bytes += size
            operators += count
            if total_bytes > limits.pdf_content_bytes:
                raise TooCostly(
                    f"the PDF's pages draw over {limits.pdf_content_bytes:,} bytes of content "
                    "(pages repeating one huge stream?); print it to a new PDF or split it"
                )
            if operators > limits.pdf_operators:
                raise TooCostly(
                    f"the PDF's pages hold over {limits.pdf_operators:,} drawing operators; "
                    "print it to a new PDF or split it"
                )
    return total_bytes, operators


def _page_streams(page: Any) -> list[Any]:
    streams = []
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is not None:
        parts = contents if isinstance(contents, list) else [contents]
        streams += [part.get_object() for part in parts]
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is not None:
        for reference in xobjects.get_object().values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form":
                streams.append(xobject)
    return [stream for stream in streams if hasattr(stream, "get_data")]


def _decoded(stream: Any, budget: int) -> bytes:
    """The stream's bytes, inflating no more than `budget` (a Flate bomb stops there)."""
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
    raw = getattr(stream, "_data", b"") or b""
    if filters is None:
        return raw[:budget]
    if names == ["/FlateDecode"]:
        inflater = zlib.decompressobj()
        try:
            return inflater.decompress(raw, max(budget, 1))
        except zlib.error:
            return b""
    return stream.get_data()[:budget]  # rare filters (LZW, ASCII85): bounded by the raw size
