"""Rebuilding the index after the corpus changed and swapping it into the running service: the
old engine answers until the new one is loaded; the embedder already in memory is reused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.build import build_index
from service.engine import EngineHolder, load_engine, model_id_for
from service.jobs import JobCancelled
from service.settings import Settings
from service.uploads import DocumentNotFound, find_document, remove_document


class DocumentNotIndexed(RuntimeError):
    pass


def rebuild_and_swap(
    settings: Settings,
    engines: EngineHolder,
    report: Callable[[str], None],
    *,
    added_doc_id: str | None = None,
) -> dict[str, object]:
    """Build the index for the corpus as it is now and make it current. If the document just
    added cannot be indexed, it is taken out of the corpus again and the job fails."""
    embedder = engines.current.embedder
    if added_doc_id is not None:
        _still_in_corpus(settings.corpus_dir, added_doc_id)
    report("building the index")
    try:
        build = build_index(
            settings.corpus_dir,
            settings.index_dir,
            lambda: embedder,
            model_id=model_id_for(settings),
            progress=False,
            store=settings.store,
        )
        unchanged = build.build_id == engines.current.index.build_id
        if not unchanged:
            report("loading the new index")
        engine = engines.current if unchanged else load_engine(settings, embedder=embedder)
    except Exception:
        if added_doc_id is not None:
            _take_back(settings.corpus_dir, added_doc_id)
        raise
    if not unchanged:
        engines.swap(engine)  # the new build is current on disk either way
    if added_doc_id is not None and engine.index.store.document(added_doc_id) is None:
        _still_in_corpus(settings.corpus_dir, added_doc_id)
        _take_back(settings.corpus_dir, added_doc_id)
        raise DocumentNotIndexed(
            f"document {added_doc_id!r} could not be indexed "
            f"({'; '.join(build.skipped) or 'no text'}); it was removed from the corpus"
        )
    return {
        "status": build.status,
        "documents": engine.index.manifest.counts.get("documents", 0),
        "passages": engine.index.manifest.counts.get("passages", 0),
        "embedded": build.embedded,
        "seconds": round(build.seconds, 2),
    }


def _still_in_corpus(corpus_dir: Path, doc_id: str) -> None:
    """An upload deleted by an administrator before its job ran is not a failure to index."""
    try:
        find_document(corpus_dir, doc_id)
    except DocumentNotFound as error:
        raise JobCancelled(
            f"document {doc_id!r} was deleted by an administrator before it was indexed"
        ) from error


def _take_back(corpus_dir: Path, doc_id: str) -> None:
    try:
        remove_document(corpus_dir, doc_id)
    except LookupError:
        pass
