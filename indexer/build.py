"""Corpus → index build: process every document, embed passages, write a new build folder and
swap it in atomically. A crash mid-build leaves the previous index in place."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from tqdm import tqdm

from indexer.abbreviations import abbreviations, expansions
from indexer.clean import clean_text
from indexer.deadline import Deadline, DeadlineExceeded, deadline_scope
from indexer.embed.base import Embedder
from indexer.embed.cache import EmbeddingCache, embed_cached
from indexer.embed.workers import EmbeddingWorkers
from indexer.load import LoadError, corpus_files, doc_id_for, file_hash, load_file, read_sidecar
from indexer.manifest import IndexMismatchError, Manifest, pipeline_version
from indexer.models import (
    Document,
    DocumentAttributes,
    Figure,
    FigureContext,
    Passage,
    Reference,
    SourceFile,
    Table,
)
from indexer.processed_cache import PROCESSED_CACHE_FILE, ProcessedCache, processed_key
from indexer.store.base import IndexLocation
from indexer.store.folder import (  # noqa: F401 - BUILDS_DIR, CURRENT_LINK, current_build re-exported
    BUILDS_DIR,
    CURRENT_LINK,
    current_build,
)
from indexer.store.locations import location_for
from indexer.structure import fixed_windows, structure
from indexer.tokens import LexicalFields, fold, lexical_fields
from indexer.worker_pool import start_pool

CACHE_FILE = "embedding-cache.sqlite"
# Capitalised syllable runs ("Thạnh Phú", "Sở Y tế") whose accents restore unaccented questions.
NAME_RUN = re.compile(r"\b[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹa-zđà-ỹ][\wÀ-ỹ]*){1,3}")

FIGURE_KIND_BY_TYPE = {"Báo cáo": "result"}


@dataclass(frozen=True)
class ProcessedDocument:
    document: Document
    passages: tuple[Passage, ...]
    figures: tuple[Figure, ...]
    references: tuple[Reference, ...]
    lexical: tuple[LexicalFields, ...] = ()  # per passage, of its indexed text
    tables: tuple[Table, ...] = ()  # flattened tables put back together (indexer/tables.py)
    # what names each figure, from the text around it (indexer/figure_records.py)
    contexts: tuple[FigureContext, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    status: Literal["built", "up-to-date"]
    directory: Path  # the build folder (embedded store) or the index folder (database store)
    build_id: str = ""
    where: str = ""  # for people: the build folder, or the database and its schema
    documents: int = 0
    passages: int = 0
    figures: int = 0
    references: int = 0
    tables: int = 0
    embedded: int = 0  # passages that had to be embedded (not in the cache)
    processed: int = 0  # documents that had to be processed (new or changed since last build)
    seconds: float = 0.0
    process_seconds: float = 0.0  # reading, cleaning, structure, figures, segmentation
    embed_seconds: float = 0.0  # embedding the passages not in the cache
    workers: int = 1  # worker processes the build could use (1: all in this process)
    attributes: tuple[tuple[str, DocumentAttributes], ...] = ()
    skipped: tuple[str, ...] = field(default_factory=tuple)  # files that could not be read

    @property
    def passages_per_second(self) -> float | None:
        """Passages indexed per second of the whole build (cached ones included)."""
        return self.passages / self.seconds if self.passages and self.seconds else None

    @property
    def embedded_per_second(self) -> float | None:
        """Passages embedded per second of embedding (None when all came from the cache)."""
        return self.embedded / self.embed_seconds if self.embedded and self.embed_seconds else None


def corpus_fingerprint(corpus_dir: Path) -> dict[str, str]:
    fingerprint = {}
    for path in corpus_files(corpus_dir):
        key = path.relative_to(corpus_dir).as_posix()
        try:
            sidecar = read_sidecar(path)
        except LoadError as error:  # the build skips and reports this document; others go on
            sidecar = {"unreadable": str(error)}
        fingerprint[key] = file_hash(path) + (f"+{sorted(sidecar.items())}" if sidecar else "")
    return fingerprint


def is_current(
    location: IndexLocation, corpus_dir: Path, model_id: str, chunking: Chunking = "structure"
) -> bool:
    """True when the index was built by this pipeline and model from exactly this corpus. An
    unreadable manifest is an error (IndexCorruptError), not a reason to rebuild silently."""
    manifest = location.current_manifest()
    if manifest is None:
        return False
    try:
        manifest.check_compatible(model_id)
    except IndexMismatchError:  # another model or format: this build replaces it
        return False
    return (
        manifest.pipeline_version == pipeline_version()
        and manifest.settings.get("chunking", "structure") == chunking
        and manifest.corpus == corpus_fingerprint(corpus_dir)
    )


Chunking = Literal["structure", "fixed"]


LOGGER = logging.getLogger("healthqa.build")
EXTRACTION_SECONDS = 60.0  # figure extraction budget per document


def process(source: SourceFile, chunking: Chunking = "structure") -> ProcessedDocument:
    """One document from raw text to passages, attributes, figures, references and tables."""
    from indexer.attributes import apply_overrides, extract_attributes
    from indexer.figure_records import figure_contexts
    from indexer.figures import extract_figures
    from indexer.references import extract_references
    from indexer.tables import find_tables

    cleaned = clean_text(source.raw_text).text
    attributes = extract_attributes(cleaned)
    if source.metadata:
        attributes = apply_overrides(attributes, source.metadata)
    document = Document(
        doc_id=source.doc_id,
        source=source.source,
        text=cleaned,
        content_hash=source.content_hash,
        attributes=attributes,
    )
    if chunking == "fixed":
        passages = fixed_windows(source.doc_id, cleaned).passages
    else:
        passages = structure(source.doc_id, cleaned).passages
    single_year = attributes.plan_years[0] if len(attributes.plan_years) == 1 else None
    try:
        # a budget per document: one hostile file must not hold the build (or the upload
        # worker) for minutes; its passages are still indexed and searchable
        with deadline_scope(Deadline(EXTRACTION_SECONDS)):
            figures = extract_figures(
                cleaned,
                passages,
                default_scope=attributes.place,
                default_year=single_year,
                default_kind=FIGURE_KIND_BY_TYPE.get(attributes.doc_type or "", "target"),
            )
            contexts = figure_contexts(document, passages, figures)
    except DeadlineExceeded:
        LOGGER.warning(
            "%s: figure extraction took over %g s and was skipped; its text is indexed",
            source.source,
            EXTRACTION_SECONDS,
        )
        figures, contexts = [], []
    references = extract_references(source.doc_id, cleaned)
    tables = find_tables(source.doc_id, cleaned)
    return ProcessedDocument(
        document,
        tuple(passages),
        tuple(figures),
        tuple(references),
        tables=tuple(tables),
        contexts=tuple(contexts),
    )


def indexed_text(document: Document, passage: Passage) -> str:
    """What is embedded and lexically indexed for a passage: its words with their setting."""
    attributes = document.attributes
    setting = " · ".join(
        part for part in (attributes.place, attributes.doc_type, attributes.title) if part
    )
    header = " › ".join(part for part in (setting, passage.section_label) if part)
    context = f" | {passage.context}" if passage.context else ""
    if attributes.signer and attributes.signer in passage.text:
        context += f" | Người ký: {attributes.signer}"
    long_forms = expansions(f"{passage.context} {passage.text}")
    spelled_out = f"\n({'; '.join(long_forms)})" if long_forms else ""
    framing = f"{header}{context}\n" if header or context else ""
    return f"{framing}{passage.text}{spelled_out}"


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder_factory: Callable[[], Embedder],
    *,
    model_id: str,
    force: bool = False,
    progress: bool = True,
    chunking: Chunking = "structure",
    store: str | None = None,
    workers: int = 1,
) -> BuildReport:
    """Build the index for `corpus_dir` unless the current one is already up to date. Builds go
    into `index_dir` (embedded SQLite + FAISS) or, with `store` (a postgresql:// URL), into that
    database; the embedding cache lives in `index_dir` either way.

    With `workers` > 1, documents are processed and passages embedded in that many processes
    (each making its own embedder with `embedder_factory`, which must then pickle); the index is
    the same as with one, in corpus order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    embedding_workers = EmbeddingWorkers(embedder_factory, workers)
    embedding_workers.check()  # before any work: a factory workers cannot use fails at once
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    location = location_for(index_dir, store)
    with location.lock():
        if not force and is_current(location, corpus_dir, model_id, chunking):
            build_id = location.current_build() or ""
            return BuildReport(
                status="up-to-date",
                directory=location.build_directory(build_id) or index_dir,
                build_id=build_id,
                where=location.where(build_id),
            )
        fingerprint = corpus_fingerprint(corpus_dir)
        processing_started = time.perf_counter()
        processed, skipped, fresh = _process_corpus(
            corpus_dir,
            fingerprint,
            ProcessedCache(index_dir / PROCESSED_CACHE_FILE),
            progress,
            chunking,
            workers,
        )
        process_seconds = time.perf_counter() - processing_started
        embedder = embedder_factory()
        writer = location.new_writer(embedder.dimension)
        try:
            texts = []
            for item in processed:
                writer.add_document(
                    item.document,
                    item.passages,
                    item.lexical,
                    item.figures,
                    item.references,
                    tables=item.tables,
                    contexts=item.contexts,
                )
                texts.extend(indexed_text(item.document, p) for p in item.passages)
            writer.add_names(_name_forms(item.document.text for item in processed))
            cache = EmbeddingCache(index_dir / CACHE_FILE)
            embedding_started = time.perf_counter()
            with tqdm(
                total=len(texts), desc="embedding passages", unit="passage", disable=not progress
            ) as bar:
                vectors, embedded = embed_cached(
                    embedder, texts, cache, on_progress=bar.update, workers=embedding_workers
                )
            embed_seconds = time.perf_counter() - embedding_started
            cache.close()
            writer.finish(vectors)
            counts = {
                "documents": len(processed),
                "passages": len(texts),
                "figures": sum(len(item.figures) for item in processed),
                "references": sum(len(item.references) for item in processed),
                "tables": sum(len(item.tables) for item in processed),
            }
            manifest = Manifest(
                embedder_backend=embedder.backend,
                model_id=embedder.model_id,
                dimension=embedder.dimension,
                corpus=fingerprint,
                counts=counts,
                checksums=writer.checksums(),
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                build_seconds=round(time.perf_counter() - started, 2),
                settings={"chunking": chunking},
                pipeline_version=pipeline_version(),
            )
            build_id = location.publish(writer, manifest)
        except BaseException:
            location.discard(writer)
            raise
    return BuildReport(
        status="built",
        directory=location.build_directory(build_id) or index_dir,
        build_id=build_id,
        where=location.where(build_id),
        documents=counts["documents"],
        passages=counts["passages"],
        figures=counts["figures"],
        references=counts["references"],
        tables=counts["tables"],
        embedded=embedded,
        processed=fresh,
        seconds=time.perf_counter() - started,
        process_seconds=process_seconds,
        embed_seconds=embed_seconds,
        workers=workers,
        attributes=tuple((item.document.source, item.document.attributes) for item in processed),
        skipped=tuple(skipped),
    )


def _process_corpus(
    corpus_dir: Path,
    fingerprint: dict[str, str],
    cache: ProcessedCache,
    progress: bool,
    chunking: Chunking,
    workers: int = 1,
) -> tuple[list[ProcessedDocument], list[str], int]:
    """Every readable document processed (from the cache when unchanged), the files skipped with
    the reason, and how many documents had to be processed now. Files are read here, in corpus
    order (a file that cannot be read gives its id to the next of the same name, as before);
    what they need processing goes to `workers` processes and comes back in that order."""
    slots: list[ProcessedDocument | None] = []  # in corpus order; None: processed below
    waiting: list[tuple[int, str, SourceFile]] = []  # slot, cache key, source to process
    skipped: list[str] = []
    used: list[str] = []
    seen_ids: Counter[str] = Counter()
    try:
        paths = corpus_files(corpus_dir)
        with tqdm(
            total=len(paths), desc="processing documents", unit="doc", disable=not progress
        ) as bar:
            for path in paths:
                relative = path.relative_to(corpus_dir).as_posix()
                doc_id = doc_id_for(Path(relative))
                # "a.txt" and "a.pdf" side by side: the second is "a-2"
                occurrence = seen_ids[doc_id] + 1
                final_id = doc_id if occurrence == 1 else f"{doc_id}-{occurrence}"
                key = processed_key(relative, fingerprint.get(relative, ""), final_id, chunking)
                item = cache.get(key)
                if item is None:
                    try:
                        source = load_file(path, corpus_dir)
                    except LoadError as error:
                        skipped.append(str(error))
                        bar.update(1)
                        continue
                    waiting.append((len(slots), key, replace(source, doc_id=final_id)))
                else:
                    bar.update(1)
                seen_ids[doc_id] += 1
                used.append(key)
                slots.append(item)
            for (slot, key, _), item in zip(
                waiting,
                _processed_in_order([s for _, _, s in waiting], chunking, workers),
                strict=True,
            ):
                cache.put(key, item)
                slots[slot] = item
                bar.update(1)
        cache.keep_only(used)
    finally:
        cache.close()
    processed = [item for item in slots if item is not None]
    return processed, skipped, len(waiting)


def _processed_in_order(
    sources: list[SourceFile], chunking: Chunking, workers: int
) -> Iterator[ProcessedDocument]:
    """`process_source` over the sources, here or in up to `workers` processes, in order."""
    count = min(workers, len(sources))
    if count <= 1:
        yield from (process_source(source, chunking) for source in sources)
        return
    pool = start_pool(count)
    try:
        yield from pool.map(process_source, sources, [chunking] * len(sources))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def process_source(source: SourceFile, chunking: Chunking = "structure") -> ProcessedDocument:
    """One read document fully processed, its lexical fields included (what the cache keeps)."""
    return with_lexical_fields(process(source, chunking))


def with_lexical_fields(item: ProcessedDocument) -> ProcessedDocument:
    """The passages' lexical fields (underthesea segmentation: the slow part of processing)."""
    lexical = tuple(lexical_fields(indexed_text(item.document, p)) for p in item.passages)
    return replace(item, lexical=lexical)


def _name_forms(texts: Iterator[str]) -> dict[str, tuple[str, int]]:
    """Folded form → most frequent accented form of capitalised names in the corpus."""
    counts: Counter[str] = Counter()
    for text in texts:
        for match in NAME_RUN.finditer(text):
            syllables = match.group(0).split()
            # Names capitalise every syllable ("Thạnh Phú", "Sóc Trăng"); a sentence-initial
            # "Tỷ lệ" or a run into an all-capitals title ("CHỈ THỊ Tăng") is not one.
            for n in range(2, len(syllables) + 1):
                prefix = syllables[:n]
                if not all(s[0].isupper() for s in prefix) or any(
                    len(s) > 1 and s.isupper() and s not in abbreviations() for s in prefix
                ):
                    break
                counts[" ".join(prefix)] += 1
    best: dict[str, tuple[str, int]] = {}
    for form, count in counts.items():
        key = fold(form)
        if key != form.lower() and (key not in best or count > best[key][1]):
            best[key] = (form, count)
    return best
