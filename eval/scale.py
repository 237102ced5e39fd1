"""Scale benchmark: a synthetic corpus of N passages (`eval/synthetic.py`) indexed by the
product's own indexer and searched through `create_app` + TestClient, reporting build time, index
size on disk, query latency, peak memory and recall of the planted facts; and, for the embedded
store, its lexical top 50 three ways side by side (`eval/lexical_paths.py`) over the planted
questions and the dev set.

Each size keeps its corpus and index under `<cache dir>/scale-<N>/`, and every size shares one
embedding cache (`<cache dir>/embedding-cache.sqlite`), so a rerun, or a larger size after a
smaller one, embeds only passages never seen before. Each size runs in a child process of its
own so that its peak memory is its own.
"""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from eval.dataset import DEFAULT_SET, load_dataset
from eval.kept_cache import KEPT_CACHE_FILE, build_throwaway_index
from eval.latency import bench_endpoints
from eval.lexical_paths import LexicalPathResult, compare_lexical_paths
from eval.memory import peak_rss_mb
from eval.retrieval import evaluate_retrieval
from eval.stand_in import StandInEmbedder, StandInFactory, containing_any
from eval.synthetic import generate_corpus, harvest_vocabulary
from eval.throughput import TimedEmbedder
from indexer.store.locations import location_for
from service.app import create_app
from service.engine import embedder_factory, load_engine, make_embedder
from service.settings import Settings

MIN_TIMED_QUERIES = 50
MIN_PLANTED_PASSAGES = 100


@dataclass(frozen=True)
class ScaleResult:
    passages: int  # asked for
    indexed_passages: int  # what the indexer made of the synthetic documents
    documents: int
    planted: int
    build_seconds: float
    embedded: int  # passages embedded in this run; the others came from the kept cache
    embed_seconds: float
    embed_passages_per_second: float | None
    index_mb: float
    queries: int
    query_p50_ms: float
    query_p95_ms: float
    # of the planted facts; None where the corpus holds none (see `run_scale`)
    recall5: float | None
    recall10: float | None
    mrr10: float | None
    peak_rss_mb: float  # of the process that built and searched this size alone
    # filler passages had stand-in vectors, not the model's (`--stand-in-vectors`): recall is
    # then measured among meaningless neighbours, and build time leaves out embedding
    stand_in_vectors: bool = False
    # the embedded store's lexical top 50: full FTS5 query, pruned FTS5, tantivy candidates
    lexical_paths: tuple[LexicalPathResult, ...] = ()


def scale_folder(cache_dir: Path, passages: int, *, stand_in: bool = False) -> Path:
    """Where one size keeps its corpus and index; an index with stand-in vectors has a folder
    of its own, so its vectors never mix with real ones."""
    return cache_dir / (f"scale-{passages}-stand-in" if stand_in else f"scale-{passages}")


def run_scale(
    settings: Settings,
    passages: int,
    *,
    seed_corpus: Path,
    cache_dir: Path,
    planted: int = 100,
    seed: int = 0,
    progress: bool = False,
    stand_in_vectors: bool = False,
    lexical_questions: int | None = None,
) -> ScaleResult:
    """Generate, index and search one size in this process. With `stand_in_vectors` only the
    planted facts' passages (and the questions) are embedded by the model (`eval/stand_in.py`),
    and the kept embedding cache is neither read nor written."""
    corpus = generate_corpus(harvest_vocabulary(seed_corpus), passages, planted=planted, seed=seed)
    if not corpus.facts and passages < MIN_PLANTED_PASSAGES:
        raise ValueError(
            f"{passages} passages hold no plan to plant a fact in: ask for at least "
            f"{MIN_PLANTED_PASSAGES} passages"
        )
    folder = scale_folder(cache_dir, passages, stand_in=stand_in_vectors)
    corpus_dir, index_dir = folder / "corpus", folder / "index"
    corpus.write(corpus_dir)
    model = make_embedder(settings)
    stand_in = (
        StandInFactory(
            embedder_factory(settings), containing_any([f.evidence for f in corpus.facts])
        )
        if stand_in_vectors
        else None
    )
    # stand-in builds process and embed in the settings' worker processes; a build that embeds
    # everything with the model runs in this one, so that its embedding time is measured here
    embedder = TimedEmbedder(StandInEmbedder(model, stand_in.is_real) if stand_in else model)
    build = build_throwaway_index(
        corpus_dir,
        index_dir,
        embedder,
        keep_into=None if stand_in else cache_dir / KEPT_CACHE_FILE,
        progress=progress,
        store=settings.store,
        workers=settings.workers,
        worker_embedder=stand_in,
    )
    scale_settings = settings.model_copy(update={"corpus_dir": corpus_dir, "index_dir": index_dir})
    engine = load_engine(scale_settings, embedder=model)
    items = corpus.eval_items()
    dev_questions = [item.question for item in load_dataset(DEFAULT_SET)]
    # In a corpus so large that the generator's places × years repeat dozens of times (1M
    # passages), every indicator of a place and year stands in several documents: no fact is
    # stated by one passage alone, so search is timed on the dev set's questions and recall is
    # not measured.
    questions = [item.question for item in items] or dev_questions
    report = None
    try:
        with TestClient(create_app(scale_settings, engine)) as client:
            latency = bench_endpoints(
                client,
                questions,
                requests=max(MIN_TIMED_QUERIES, len(questions)),
                endpoints=("/api/search",),
            )[0]
            if items:
                report = evaluate_retrieval(
                    client,
                    items,
                    mode=engine.default_mode,
                    store=engine.index.store,
                    per_document=False,
                )
        lexical_paths: list[LexicalPathResult] = []
        if engine.index.directory is not None:
            asked = [*(item.question for item in items), *dev_questions][:lexical_questions]
            lexical_paths = compare_lexical_paths(
                engine.index.directory, [engine.retriever.analyze(q).lexical for q in asked]
            )
    finally:
        engine.close()
    overall = report.group("all") if report is not None else None
    return ScaleResult(
        passages=passages,
        indexed_passages=build.passages,
        documents=build.documents,
        planted=len(items),
        build_seconds=round(build.seconds, 2),
        embedded=build.embedded,
        embed_seconds=round(embedder.seconds, 2),
        embed_passages_per_second=(
            round(embedder.passages / embedder.seconds, 1) if embedder.seconds else None
        ),
        index_mb=round(location_for(index_dir, settings.store).size_bytes() / 2**20, 2),
        queries=latency.requests,
        query_p50_ms=latency.p50_ms,
        query_p95_ms=latency.p95_ms,
        recall5=overall.r5 if overall else None,
        recall10=overall.r10 if overall else None,
        mrr10=overall.mrr10 if overall else None,
        peak_rss_mb=peak_rss_mb(),
        stand_in_vectors=stand_in is not None,
        lexical_paths=tuple(lexical_paths),
    )


def run_scale_isolated(
    settings: Settings,
    passages: int,
    *,
    seed_corpus: Path,
    cache_dir: Path,
    planted: int = 100,
    seed: int = 0,
    progress: bool = False,
    stand_in_vectors: bool = False,
    lexical_questions: int | None = None,
) -> ScaleResult:
    """`run_scale` in a fresh child process, so the peak memory reported is this size's."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(
            _run_scale_in_child,
            settings,
            passages,
            seed_corpus=seed_corpus,
            cache_dir=cache_dir,
            planted=planted,
            seed=seed,
            progress=progress,
            stand_in_vectors=stand_in_vectors,
            lexical_questions=lexical_questions,
        )
        return future.result()


def _run_scale_in_child(settings: Settings, passages: int, **options: object) -> ScaleResult:
    """`run_scale`, a failure the parent cannot rebuild (httpx's errors carry their request and
    response) sent back as a plain error, instead of the parent reporting only that the child
    died."""
    try:
        return run_scale(settings, passages, **options)  # type: ignore[arg-type]
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            raise ScaleRunError(f"scale {passages}: {type(error).__name__}: {error}") from None
        raise


class ScaleRunError(RuntimeError):
    pass
