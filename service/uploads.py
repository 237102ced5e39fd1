"""What may enter the corpus folder and how it gets there: an uploaded file is checked by its
content (type, size, pages, decompressed size, readable text), then written under a name derived
from its content hash — never from the name the client sent — atomically, with its metadata."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from indexer.file_cost import ReadLimits, TooCostly, check_docx_cost, check_pdf_cost
from indexer.load import SIDECAR_SUFFIXES, corpus_files, doc_id_for, file_hash
from indexer.models import DocumentAttributes
from service.limits import echoed

if TYPE_CHECKING:
    from service.settings import Settings

UploadKind = Literal["pdf", "docx", "txt"]
METADATA_KEYS = tuple(field for field in DocumentAttributes.__dataclass_fields__)
STEM_CHARS = 60
# A DOCX is a zip: refuse archives that inflate beyond this, or any part that inflates more than
# this ratio (real Word parts compress 5-20x; a zip bomb compresses thousands of times).
MAX_DOCX_UNCOMPRESSED = 200_000_000
MAX_DOCX_RATIO = 200
YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")

# Uploads into one corpus folder are serialised: the duplicate check and the write are one step.
_corpus_lock = threading.Lock()


class UploadRejected(ValueError):
    """An upload that cannot be accepted; `status` is the HTTP status the edge answers with."""

    status: int = 422


class UploadTooLarge(UploadRejected):
    status = 413


class UnsupportedType(UploadRejected):
    status = 415


class DuplicateDocument(UploadRejected):
    status = 409

    def __init__(self, message: str, existing_doc_id: str) -> None:
        super().__init__(message)
        self.existing_doc_id = existing_doc_id


class DocumentNotFound(LookupError):
    pass


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 25_000_000
    max_pages: int = 2_000
    max_text_chars: int = 5_000_000
    reading: ReadLimits = ReadLimits(
        docx_xml_bytes=20_000_000,
        docx_elements=250_000,
        pdf_content_bytes=10_000_000,
        pdf_operators=600_000,
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(
            max_bytes=settings.max_upload_bytes,
            max_pages=settings.max_upload_pages,
            max_text_chars=settings.max_upload_text_chars,
            reading=ReadLimits(
                docx_xml_bytes=settings.max_upload_docx_xml_bytes,
                docx_elements=settings.max_upload_docx_elements,
                pdf_content_bytes=settings.max_upload_pdf_content_bytes,
                pdf_operators=settings.max_upload_pdf_operators,
            ),
        )


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check: its bytes, detected type and where it will be stored."""

    data: bytes
    kind: UploadKind
    content_hash: str
    stored_name: str
    text_chars: int

    @property
    def doc_id(self) -> str:
        return doc_id_for(Path(self.stored_name))


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    path: Path
    content_hash: str
    already_stored: bool = False  # in the corpus before, but missing from the index


def detect_kind(data: bytes) -> UploadKind:
    """The type by content, not by extension."""
    if not data:
        raise UploadRejected("the file is empty")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile as error:
            raise UnsupportedType(
                f"a damaged zip archive, not a Word document ({error})"
            ) from error
        raise UnsupportedType("a zip archive, but not a Word (.docx) document")
    if _decoded_text(data) is not None:
        return "txt"
    raise UnsupportedType(
        "not a PDF, a Word (.docx) document or UTF-8/UTF-16 text: convert it to one of those"
    )


def stored_name_for(original_name: str | None, content_hash: str, kind: UploadKind) -> str:
    """`../../Kế hoạch 12.docx` → `Ke-hoach-12-<hash>.docx`: a plain name with no folder, no
    dots in front, bounded length; the extension comes from the detected type."""
    base = re.split(r"[\\/]", original_name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    stem = base.rpartition(".")[0] if "." in base.lstrip(".") else base
    stem = doc_id_for(Path(f"{stem}.x")) if stem else ""
    stem = stem.strip(".-_")[:STEM_CHARS].strip(".-_") or "document"
    return f"{stem}-{content_hash[:12]}.{kind}"


def check_upload(
    data: bytes, original_name: str | None, limits: UploadLimits | None = None
) -> CheckedUpload:
    """Every check an upload must pass before it touches the corpus folder."""
    limits = limits or UploadLimits()
    if len(data) > limits.max_bytes:
        raise UploadTooLarge(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    kind = detect_kind(data)
    if kind == "pdf":
        text_chars = _pdf_text_chars(data, limits)
    elif kind == "docx":
        text_chars = _docx_text_chars(data, limits)
    else:
        text = _decoded_text(data) or ""
        text_chars = _checked_text_size(len(text.strip()), limits)
    digest = _sha256(data)
    return CheckedUpload(
        data=data,
        kind=kind,
        content_hash=digest,
        stored_name=stored_name_for(original_name, digest, kind),
        text_chars=text_chars,
    )


def parse_metadata(fields: Mapping[str, str | None]) -> dict[str, str | list[int]]:
    """Form fields → sidecar values: empty fields are dropped, `plan_years` takes `2021-2025`
    or `2021, 2022`."""
    unknown = sorted(set(fields) - set(METADATA_KEYS))
    if unknown:
        raise UploadRejected(
            f"unknown metadata field(s): {', '.join(unknown)}; known: {', '.join(METADATA_KEYS)}"
        )
    metadata: dict[str, str | list[int]] = {}
    for key, value in fields.items():
        if value is None or not value.strip():
            continue
        if "\x00" in value or len(value) > 500:
            raise UploadRejected(f"metadata {key!r}: at most 500 characters of text")
        if key == "plan_years":
            metadata[key] = _plan_years(value)
        else:
            metadata[key] = value.strip()
    return metadata


def store_upload(
    corpus_dir: Path,
    upload: CheckedUpload,
    metadata: Mapping[str, object] | None = None,
    *,
    indexed: Callable[[str], bool] | None = None,
) -> StoredDocument:
    """Write the document (and its metadata sidecar) into the corpus folder, atomically; 409 if
    the same content is already there and `indexed` (when given) says the index has it — a
    file stored by an upload whose indexing never finished is handed back to be indexed."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / upload.stored_name
    if target.resolve().parent != corpus_dir.resolve():  # stored_name_for makes this impossible
        raise UploadRejected("refusing a file name that leaves the corpus folder")
    with _corpus_lock:
        for path in corpus_files(corpus_dir):
            if file_hash(path) == upload.content_hash:
                existing = doc_id_for(path.relative_to(corpus_dir))
                if indexed is not None and not indexed(existing):
                    return StoredDocument(
                        doc_id=existing,
                        path=path,
                        content_hash=upload.content_hash,
                        already_stored=True,
                    )
                raise DuplicateDocument(
                    f"this file is already in the corpus as document {existing!r}", existing
                )
        if metadata:
            sidecar = json.dumps(dict(metadata), ensure_ascii=False, indent=2).encode()
            _write_atomically(target.with_name(target.stem + ".meta.json"), sidecar)
        _write_atomically(target, upload.data)
    return StoredDocument(doc_id=upload.doc_id, path=target, content_hash=upload.content_hash)


def find_document(corpus_dir: Path, doc_id: str) -> Path:
    """The corpus file with this id; the id is only ever compared, never used as a path."""
    for path in corpus_files(corpus_dir):
        if doc_id_for(path.relative_to(corpus_dir)) == doc_id:
            return path
    raise DocumentNotFound(
        f"no document with id {echoed(doc_id)!r} in the corpus: see /api/documents"
    )


def remove_document(corpus_dir: Path, doc_id: str) -> Path:
    """Delete a document and its sidecar from the corpus folder; returns the removed path."""
    with _corpus_lock:
        path = find_document(corpus_dir, doc_id)
        path.unlink()
        for suffix in SIDECAR_SUFFIXES:
            path.with_name(path.stem + suffix).unlink(missing_ok=True)
    return path


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)  # readers see no file or the whole file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _decoded_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM, with no NUL characters."""
    candidates: list[str] = ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return None


def _checked_text_size(chars: int, limits: UploadLimits) -> int:
    if chars == 0:
        raise UploadRejected("the file has no text to index")
    if chars > limits.max_text_chars:
        raise UploadTooLarge(
            f"the file holds over {limits.max_text_chars:,} characters of text; split it"
        )
    return chars


def _pdf_text_chars(data: bytes, limits: UploadLimits) -> int:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected("the PDF is encrypted; upload an unprotected copy")
        pages = len(reader.pages)
        if pages > limits.max_pages:
            raise UploadTooLarge(f"the PDF has {pages:,} pages; the limit is {limits.max_pages:,}")
        check_pdf_cost(reader, limits.reading)
        chars = 0
        for page in reader.pages:
            chars += len((page.extract_text() or "").strip())
            if chars > limits.max_text_chars:
                break
    except UploadRejected:
        raise
    except TooCostly as error:
        raise UploadTooLarge(str(error)) from error
    except Exception as error:  # pypdf raises many types for damaged or hostile files
        raise UploadRejected(f"cannot read this PDF ({type(error).__name__}: {error})") from error
    if chars == 0:
        raise UploadRejected("the PDF has no text layer (a scan?); OCR it first")
    return _checked_text_size(chars, limits)


def _docx_text_chars(data: bytes, limits: UploadLimits) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for entry in archive.infolist():
                total += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > 1_000_000 and ratio > MAX_DOCX_RATIO:
                    raise UploadTooLarge(
                        f"{entry.filename} inflates {ratio:,.0f} times; refusing a zip bomb"
                    )
            if total > MAX_DOCX_UNCOMPRESSED:
                raise UploadTooLarge(
                    f"the document inflates to {total:,} bytes; the limit is "
                    f"{MAX_DOCX_UNCOMPRESSED:,}"
                )
            # streamed and stopped at the limits: a small zip of empty paragraphs costs little
            chars = check_docx_cost(archive, limits.reading).text_chars
    except UploadRejected:
        raise
    except TooCostly as error:
        raise UploadTooLarge(str(error)) from error
    except Exception as error:  # zipfile/lxml raise many types
        raise UploadRejected(
            f"cannot read this Word document ({type(error).__name__}: {error})"
        ) from error
    return _checked_text_size(chars, limits)


def _plan_years(value: str) -> list[int]:
    match = YEAR_RANGE.match(value)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if not 1900 <= first <= last <= 2200 or last - first > 50:
            raise UploadRejected(f"plan_years {value!r}: a range such as 2021-2025")
        return list(range(first, last + 1))
    try:
        years = [int(part) for part in re.split(r"[,;\s]+", value.strip()) if part]
    except ValueError as error:
        raise UploadRejected(f"plan_years {value!r}: years such as 2021-2025 or 2024, 2025") from (
            error
        )
    if not years or not all(1900 <= year <= 2200 for year in years):
        raise UploadRejected(f"plan_years {value!r}: years between 1900 and 2200")
    return years


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
