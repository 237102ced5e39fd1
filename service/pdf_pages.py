"""Which page of a document's original PDF holds a cited passage, so a link can open the browser's
own PDF viewer there (`#page=N`). The index keeps no pages: each PDF's pages are read again here,
once, within a cost limit, and matched by their words."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from indexer.file_cost import ReadLimits, TooCostly, check_pdf_cost
from indexer.tokens import fold, syllables

# The words a passage starts with, searched for as they run on a page: enough to be told apart
# from a heading repeated on every page, few enough that they seldom cross onto the next page.
FIRST_WORDS = 8
# When those words are on several pages, more of them tell the pages apart.
MORE_WORDS = 40
# A passage cut by a page break: at least this many of its first words end a page.
MIN_WORDS = 4
# What may follow them at the foot of a page: its number ("- 2 -", "Trang 2"), which the
# indexer's cleaning takes out of the text.
PAGE_FOOT = re.compile(r"(?: trang)? \d{1,4} $")
# Text after the cited point that is read for those words.
CITED_CHARS = 600
# Without the first words on any page (text the indexer's cleaning changed), the page sharing the
# most of the passage's distinct words, when it shares at least this share of them.
MIN_SHARED = 0.6


@dataclass(frozen=True)
class PageWords:
    """A page's words, accent- and case-folded, once as they run and once as a set."""

    running: str  # " tỷ lệ bảo hiểm … " folded, space-separated, with a space at each end
    distinct: frozenset[str]


@dataclass(frozen=True)
class PdfPages:
    """The pages of one PDF, in order; none when it could not be read within the limits."""

    pages: tuple[PageWords, ...]


NO_PAGES = PdfPages(pages=())


def page_words(text: str) -> PageWords:
    words = syllables(fold(text))
    return PageWords(running=f" {' '.join(words)} ", distinct=frozenset(words))


def read_pages(path: Path, *, limits: ReadLimits, max_pages: int) -> PdfPages:
    """Each page's words as pypdf extracts them (as the indexer read the file); no pages for an
    encrypted file, one with more than `max_pages` pages or past `limits`, or one that cannot
    be read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(path)
        if reader.is_encrypted or len(reader.pages) > max_pages:
            return NO_PAGES
        check_pdf_cost(reader, limits)
        return PdfPages(pages=tuple(page_words(page.extract_text() or "") for page in reader.pages))
    except TooCostly:
        return NO_PAGES
    except Exception:  # pypdf raises many types for a damaged file; the link opens at page 1
        return NO_PAGES


def page_of(pdf: PdfPages, text: str) -> int | None:
    """The page (from 1) where `text` — a document's text from a cited point on — starts: the
    first page holding its first words, told apart by more of them when several do; else the
    page ending with some of them (a page break within them); else the page sharing most of its
    words; None when no page shares enough of them."""
    words = syllables(fold(text))
    if not words or not pdf.pages:
        return None
    holding = _holding(pdf, words[:FIRST_WORDS], range(len(pdf.pages)))
    for count in range(FIRST_WORDS + 1, min(len(words), MORE_WORDS) + 1):
        if len(holding) < 2:
            break
        holding = _holding(pdf, words[:count], holding) or holding[:1]
    if holding:
        return holding[0] + 1
    for count in range(min(len(words), FIRST_WORDS) - 1, MIN_WORDS - 1, -1):
        if ending := _ending_with(pdf, words[:count]):
            return ending[0] + 1
    return _most_shared(pdf, words[:MORE_WORDS])


def _holding(pdf: PdfPages, words: list[str], candidates: range | list[int]) -> list[int]:
    running = f" {' '.join(words)} "
    return [index for index in candidates if running in pdf.pages[index].running]


def _ending_with(pdf: PdfPages, words: list[str]) -> list[int]:
    running = f" {' '.join(words)} "
    return [
        index
        for index, page in enumerate(pdf.pages)
        if page.running.endswith(running) or PAGE_FOOT.sub(" ", page.running).endswith(running)
    ]


def _most_shared(pdf: PdfPages, words: list[str]) -> int | None:
    wanted = set(words)
    shares = [len(wanted & page.distinct) / len(wanted) for page in pdf.pages]
    best = max(range(len(shares)), key=lambda index: (shares[index], -index))
    return best + 1 if shares[best] >= MIN_SHARED else None


def cited_text(document_text: str, start: int) -> str:
    """The document's text from a cited offset on, as much as `page_of` reads."""
    start = max(0, min(start, len(document_text)))
    return document_text[start : start + CITED_CHARS]


def original_pdf(corpus_dir: Path, source: str) -> Path | None:
    """A document's original file when it is a PDF inside the corpus folder (a symbolic link
    out of it is not read)."""
    path = (corpus_dir / source).resolve()
    if path.suffix.lower() != ".pdf" or not path.is_relative_to(corpus_dir.resolve()):
        return None
    return path if path.is_file() else None


class PdfPageFinder:
    """Pages of the most recently used PDFs, each read once per version of its file (path,
    modification time and size), at most `max_documents` held."""

    def __init__(self, *, limits: ReadLimits, max_pages: int, max_documents: int = 16) -> None:
        self.limits = limits
        self.max_pages = max_pages
        self.max_documents = max_documents
        self._held: OrderedDict[tuple[str, int, int], PdfPages] = OrderedDict()
        self._lock = threading.Lock()
        # one reader per file version: a second request for it waits instead of reading too
        self._reading: dict[tuple[str, int, int], threading.Lock] = {}

    def pages(self, path: Path) -> PdfPages:
        try:
            stat = path.stat()
        except OSError:
            return NO_PAGES
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if (held := self._held.get(key)) is not None:
                self._held.move_to_end(key)
                return held
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:
            with self._lock:
                if (held := self._held.get(key)) is not None:
                    return held
            pdf = read_pages(path, limits=self.limits, max_pages=self.max_pages)
            with self._lock:
                self._held[key] = pdf
                while len(self._held) > self.max_documents:
                    self._held.popitem(last=False)
                self._reading.pop(key, None)
        return pdf

    def page_of(self, corpus_dir: Path, source: str, document_text: str, start: int) -> int | None:
        """The page of the document's original PDF holding its text at `start`; None for a
        document that is not a PDF, or a page not found."""
        path = original_pdf(corpus_dir, source)
        if path is None:
            return None
        return page_of(self.pages(path), cited_text(document_text, start))
