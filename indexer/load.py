"""Reading corpus files (.txt, .pdf, .docx) and their optional sidecar metadata; a file whose
reading would cost too much (see `file_cost`) is refused before it is parsed."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from indexer.file_cost import ReadLimits, TooCostly, check_docx_cost, check_pdf_cost
from indexer.models import SourceFile

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")
SIDECAR_SUFFIXES = (".meta.toml", ".meta.json")


class LoadError(ValueError):
    """A corpus file that cannot be read; the message names the file and what to do."""


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every supported document under the folder, in a stable order."""
    if not corpus_dir.is_dir():
        raise LoadError(f"corpus folder {corpus_dir} does not exist")
    return sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not path.name.startswith(".")
        and not path.name.endswith(SIDECAR_SUFFIXES)
    )


def doc_id_for(relative: Path) -> str:
    """A stable, URL-safe id from the file's path inside the corpus: `Kế hoạch.pdf` → `Ke-hoach`.

    Accents are dropped so the id needs no escaping in a URL and is the same whether the file
    system hands out composed (NFC) or decomposed (NFD, macOS) names.
    """
    stem = relative.with_suffix("").as_posix().replace("/", "__")
    stem = stem.replace("đ", "d").replace("Đ", "D")
    stem = "".join(ch for ch in unicodedata.normalize("NFD", stem) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-") or "document"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_file(path: Path, corpus_dir: Path) -> SourceFile:
    relative = path.relative_to(corpus_dir)
    raw = read_text(path)
    return SourceFile(
        doc_id=doc_id_for(relative),
        source=relative.as_posix(),
        raw_text=raw,
        content_hash=file_hash(path),
        metadata=read_sidecar(path),
    )


def load_corpus(corpus_dir: Path) -> Iterator[SourceFile]:
    for path in corpus_files(corpus_dir):
        yield load_file(path, corpus_dir)


def read_text(path: Path, limits: ReadLimits | None = None) -> str:
    suffix = path.suffix.lower()
    limits = limits or ReadLimits()
    try:
        if suffix == ".pdf":
            return _read_pdf(path, limits)
        if suffix == ".docx":
            return _read_docx(path, limits)
        return _read_plain(path)
    except LoadError:
        raise
    except TooCostly as error:
        raise LoadError(f"{path.name}: {error}") from error
    except Exception as error:  # the libraries raise many types for a corrupt file
        raise LoadError(f"{path.name}: cannot read this {suffix} file ({error})") from error


def _read_plain(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(f"{path.name}: not UTF-8, UTF-16 or Windows-1258 text")


def _read_pdf(path: Path, limits: ReadLimits) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        raise LoadError(f"{path.name}: the PDF is encrypted; add an unprotected copy")
    check_pdf_cost(reader, limits)
    pages = [page.extract_text() or "" for page in reader.pages]
    if not any(page.strip() for page in pages):
        raise LoadError(f"{path.name}: the PDF has no text layer (a scan?); OCR it first")
    return "\n\n".join(pages)


def _read_docx(path: Path, limits: ReadLimits) -> str:
    import zipfile

    import docx

    with zipfile.ZipFile(path) as archive:
        check_docx_cost(archive, limits)
    document = docx.Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines.append("")
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if not cells or cell.text != cells[-1]:  # merged cells repeat their text
                    cells.append(cell.text)
            lines.append(" ".join(cells))
    return "\n".join(lines)


def read_sidecar(path: Path) -> dict[str, str | int | list[int]]:
    """`NAME.meta.toml` or `NAME.meta.json` next to a document overrides extracted attributes."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if not sidecar.exists():
            continue
        try:
            if suffix.endswith("toml"):
                return tomllib.loads(sidecar.read_text(encoding="utf-8"))
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
            raise LoadError(f"{sidecar.name}: invalid metadata ({error})") from error
        if not isinstance(data, dict):
            raise LoadError(f"{sidecar.name}: metadata must be a table of fields")
        return data
    return {}
