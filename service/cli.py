"""`healthqa`: one command line with subcommands; it parses, calls the library, prints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from indexer.build import BuildReport, build_index
from indexer.load import LoadError
from indexer.manifest import IndexProblem
from service.engine import load_engine, make_embedder, model_id_for
from service.settings import Settings

if TYPE_CHECKING:
    from eval.answers import AnswerReport

app = typer.Typer(help="healthqa: cited answers from Vietnamese health-policy documents.")
console = Console()

CorpusOption = Annotated[
    Path | None, typer.Option("--corpus", help="folder of .txt/.pdf/.docx documents")
]
IndexOption = Annotated[Path | None, typer.Option("--index-dir", help="where the index lives")]


def load_settings(
    corpus: Path | None = None, index_dir: Path | None = None, **more: object
) -> Settings:
    overrides: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if corpus is not None:
        overrides["corpus_dir"] = corpus
    if index_dir is not None:
        overrides["index_dir"] = index_dir
    return Settings(**overrides)


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=2)


@app.command()
def index(
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="rebuild even if up to date")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
) -> None:
    """Build the index if the corpus or settings changed (atomic swap; the old one stays until
    the new one is complete)."""
    settings = load_settings(corpus, index_dir)
    try:
        report = build_index(
            settings.corpus_dir,
            settings.index_dir,
            lambda: make_embedder(settings),
            model_id=model_id_for(settings),
            force=rebuild,
            progress=not quiet,
        )
    except (LoadError, IndexProblem, ValueError) as error:
        raise fail(str(error)) from error
    print_build(report)


def print_build(report: BuildReport) -> None:
    if report.status == "up-to-date":
        console.print(f"index is up to date ({report.directory})")
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
        f"{report.references} references in {report.seconds:.1f} s → {report.directory}"
    )


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="the question")],
    k: Annotated[int, typer.Option(min=1, max=50)] = 10,
    mode: Annotated[str | None, typer.Option(help="lexical, dense or hybrid")] = None,
    index_dir: IndexOption = None,
) -> None:
    """Print the passages retrieval ranks highest for a question."""
    settings = load_settings(index_dir=index_dir)
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
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the API and web chat."""
    import uvicorn

    from service.app import create_app

    settings = load_settings(corpus, index_dir, host=host, port=port)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question")],
    index_dir: IndexOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="the API's JSON answer")] = False,
) -> None:
    """Answer a question with its figure and citations, as the chat does."""
    from service.routes.ask import to_response

    settings = load_settings(index_dir=index_dir)
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


@app.command("eval")
def evaluate(
    dataset: Annotated[
        Path | None, typer.Option("--set", help="JSONL questions (default: the dev set)")
    ] = None,
    mode: Annotated[
        list[str] | None, typer.Option(help="lexical, dense, hybrid; repeat to compare")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Score retrieval on an evaluation set through the same HTTP API users call."""
    import json
    from dataclasses import asdict

    from fastapi.testclient import TestClient

    from eval.answers import evaluate_answers
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset
    from eval.retrieval import evaluate_retrieval
    from service.app import create_app

    settings = load_settings(index_dir=index_dir)
    modes = mode or [settings.search_mode]
    for chosen in modes:
        if chosen not in ("lexical", "dense", "hybrid"):
            raise fail(f"unknown mode {chosen!r}: use lexical, dense or hybrid")
    try:
        items = load_dataset(dataset or DEFAULT_SET)
        engine = load_engine(settings)
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error
    with TestClient(create_app(settings, engine)) as client:
        reports = [evaluate_retrieval(client, items, mode=chosen) for chosen in modes]
        answers = evaluate_answers(client, items)
    if as_json:
        payload = {
            "dataset": str(dataset or DEFAULT_SET),
            "retrieval": {r.mode: [asdict(s) for s in r.scores] for r in reports},
            "answers": [asdict(s) for s in answers.scores],
            "misses": {
                r.mode: [o.item.item_id for o in r.outcomes if o.rank is None or o.rank > 5]
                for r in reports
            },
            "wrong_answers": [o.item.item_id for o in answers.outcomes if not o.correct],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"retrieval on {(dataset or DEFAULT_SET).name}")
    for column in ("mode", "group", "n", "R@1", "R@5", "R@10", "MRR@10"):
        table.add_column(column)
    for report in reports:
        for s in report.scores:
            table.add_row(
                report.mode,
                s.group,
                str(s.questions),
                f"{s.r1:.3f}",
                f"{s.r5:.3f}",
                f"{s.r10:.3f}",
                f"{s.mrr10:.3f}",
            )
    console.print(table)
    print_answers(answers)
    for report in reports:
        misses = [o for o in report.outcomes if o.rank is None or o.rank > 5]
        for outcome in misses:
            console.print(
                f"[yellow]{report.mode} miss@5[/yellow] {outcome.item.item_id} "
                f"(rank {outcome.rank}): {outcome.item.question}",
                highlight=False,
            )


def print_answers(report: AnswerReport) -> None:
    table = Table(title="answers (POST /api/ask)")
    for column in ("group", "n", "figure acc.", "first citation", "abstention", "unanswerable"):
        table.add_column(column)
    for s in report.scores:
        table.add_row(
            s.group,
            str(s.questions),
            "–" if s.figure_accuracy is None else f"{s.figure_accuracy:.3f} ({s.figure_questions})",
            "–" if s.citation_accuracy is None else f"{s.citation_accuracy:.3f}",
            f"{s.abstention_accuracy:.3f}",
            f"{s.unanswerable_abstained}/{s.unanswerable} abstained",
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


@app.command()
def bench(
    dataset: Annotated[Path | None, typer.Option("--set", help="questions to time")] = None,
    rounds: Annotated[int, typer.Option(min=1, max=100)] = 3,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    index_dir: IndexOption = None,
) -> None:
    """Warm latency of /api/search and /api/ask (p50/p95/p99) over the dev questions."""
    import json
    from dataclasses import asdict

    from fastapi.testclient import TestClient

    from eval.bench import bench_endpoints
    from eval.dataset import DEFAULT_SET, DatasetError, load_dataset
    from service.app import create_app

    settings = load_settings(index_dir=index_dir)
    try:
        items = load_dataset(dataset or DEFAULT_SET)
        engine = load_engine(settings)
    except (DatasetError, IndexProblem, OSError) as error:
        raise fail(str(error)) from error
    with TestClient(create_app(settings, engine)) as client:
        stats = bench_endpoints(client, items, rounds=rounds)
    if as_json:
        typer.echo(json.dumps([asdict(s) for s in stats], indent=2))
        return
    table = Table(title=f"warm latency, in-process, {rounds} rounds")
    for column in ("endpoint", "requests", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        table.add_column(column)
    for s in stats:
        table.add_row(
            s.endpoint,
            str(s.requests),
            f"{s.mean_ms:.1f}",
            f"{s.p50_ms:.1f}",
            f"{s.p95_ms:.1f}",
            f"{s.p99_ms:.1f}",
            f"{s.max_ms:.1f}",
        )
    console.print(table)
