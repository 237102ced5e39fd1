"""Ablation study: the full hybrid retriever against variants with one part switched off.

Each variant is an Engine over the loaded store and embedder with its own `Retriever` (or, for
fixed windows, over a throw-away index built with `chunking="fixed"`), served by
`create_app(settings, engine)` and scored through GET /api/search with a TestClient: the same
code path the API answers users with, only the retriever's switches differ.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from fastapi.testclient import TestClient

from eval.dataset import EvalItem
from eval.kept_cache import build_throwaway_index
from eval.retrieval import RetrievalReport, RetrievalScores, evaluate_retrieval
from indexer.build import CACHE_FILE, Chunking
from indexer.search import Fusion, Retriever, SearchMode
from service.app import create_app
from service.engine import Engine, load_engine
from service.settings import Settings


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    mode: SearchMode = "hybrid"
    fusion: Fusion | None = None  # None: as the served retriever
    expand: bool = True
    folding: bool = True
    scope: bool = True
    chunking: Chunking = "structure"


VARIANTS: tuple[Variant, ...] = (
    Variant("hybrid", "full hybrid (as served)"),
    Variant("lexical", "lexical only", mode="lexical"),
    Variant("dense", "dense only", mode="dense"),
    Variant("no-folding", "hybrid without accent folding", folding=False),
    Variant("no-glossary", "hybrid without glossary expansion", expand=False),
    Variant("rrf", "hybrid, RRF instead of weighted fusion", fusion="rrf"),
    Variant("no-scope", "hybrid without scope rescoring", scope=False),
    Variant("fixed-windows", "hybrid over fixed 60-word windows", chunking="fixed"),
)


@dataclass(frozen=True)
class AblationRow:
    variant: str
    description: str
    passages: int  # in the index the variant searched
    overall: RetrievalScores
    report: RetrievalReport = field(repr=False)


def variant_retriever(base: Retriever, variant: Variant) -> Retriever:
    """The served retriever's settings with the variant's switches applied."""
    return Retriever(
        base.store,
        base.embedder,
        base.glossary,
        weights=base.weights,
        scope_weights=base.scope_weights if variant.scope else None,
        fusion=variant.fusion or base.fusion,
        expand=base.expand and variant.expand,
        folding=base.folding and variant.folding,
    )


def fixed_window_engine(
    settings: Settings,
    engine: Engine,
    index_dir: Path,
    *,
    kept_cache: Path | None = None,
    progress: bool = False,
) -> Engine:
    """Index `settings.corpus_dir` as fixed windows into `index_dir`, embedding only windows that
    neither the served index's cache nor the kept cache hold (and keeping those it embeds)."""
    build_throwaway_index(
        settings.corpus_dir,
        index_dir,
        engine.embedder,
        seeds=[settings.index_dir / CACHE_FILE],
        keep_into=kept_cache,
        chunking="fixed",
        progress=progress,
    )
    fixed_settings = settings.model_copy(update={"index_dir": index_dir})
    return load_engine(fixed_settings, embedder=engine.embedder)


def run_ablation(
    settings: Settings,
    engine: Engine,
    items: Sequence[EvalItem],
    *,
    variants: Sequence[Variant] = VARIANTS,
    kept_cache: Path | None = None,
    work_dir: Path | None = None,
    progress: bool = False,
    on_variant: Callable[[Variant], None] | None = None,
) -> list[AblationRow]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="healthqa-ablation-", dir=work_dir) as temporary:
        for variant in variants:
            if on_variant:
                on_variant(variant)
            if variant.chunking == "fixed":
                served = fixed_window_engine(
                    settings,
                    engine,
                    Path(temporary) / "fixed-index",
                    kept_cache=kept_cache,
                    progress=progress,
                )
                retriever = variant_retriever(served.retriever, variant)
            else:
                served = engine
                retriever = variant_retriever(engine.retriever, variant)
            # the served answerer's class over the variant's retriever
            answerer = type(served.answerer)(retriever, served.index.store)
            variant_engine = replace(served, retriever=retriever, answerer=answerer)
            passages = served.index.store.passage_count()
            try:
                with TestClient(create_app(settings, variant_engine)) as client:
                    report = evaluate_retrieval(
                        client, items, mode=variant.mode, store=served.index.store
                    )
            finally:
                if served is not engine:
                    served.close()
            overall = report.group("all")
            assert overall is not None
            rows.append(
                AblationRow(
                    variant=variant.name,
                    description=variant.description,
                    passages=passages,
                    overall=overall,
                    report=replace(report, mode=variant.name),
                )
            )
    return rows
