"""`healthqa`: one command line with subcommands; it parses, calls the library, prints.

Other packages add sub-commands through the `healthqa.commands` entry point group (each names a
`register(app)` function): the evaluation commands (`eval`, `bench`, `load`, …) come from
`eval/cli.py` that way, so the serving package never imports its own test harness."""

from __future__ import annotations

from dataclasses import fields
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.table import Table

from indexer.build import BuildReport, build_index
from indexer.load import LoadError
from indexer.manifest import IndexProblem
from indexer.models import DocumentAttributes
from indexer.search import SearchMode
from service.cli_options import (
    CorpusOption,
    IndexOption,
    StoreOption,
    console,
    fail,
    load_settings,
)
from service.engine import embedder_factory, load_engine, make_embedder, model_id_for
from service.settings import Settings

app = typer.Typer(help="healthqa: cited answers from Vietnamese health-policy documents.")
PLUGIN_GROUP = "healthqa.commands"
MODES: tuple[str, ...] = get_args(SearchMode)


@app.command()
def index(
    corpus: CorpusOption = None,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="rebuild even if up to date")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bars")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="processes that process documents and embed passages "
            "(default: HEALTHQA_WORKERS, else one per core; 1: all in this process)",
        ),
    ] = None,
) -> None:
    """Build the index if the corpus or settings changed (atomic swap; the old one stays until
    the new one is complete)."""
    settings = load_settings(corpus, index_dir, store=store, workers=workers)
    try:
        report = build_index(
            settings.corpus_dir,
            settings.index_dir,
            embedder_factory(settings),
            model_id=model_id_for(settings),
            force=rebuild,
            progress=not quiet,
            store=settings.store,
            workers=settings.workers,
        )
    except (LoadError, IndexProblem, ValueError) as error:
        raise fail(str(error)) from error
    print_build(report)


def attribute_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def print_build(report: BuildReport) -> None:
    if report.status == "up-to-date":
        console.print(f"index is up to date ({report.where})")
        return
    table = Table(title="documents")
    names = [f.name for f in fields(DocumentAttributes)]
    for column in ("source", *names):
        table.add_column(column)
    for source, attributes in report.attributes:
        table.add_row(source, *(attribute_text(getattr(attributes, name)) for name in names))
    console.print(table)
    for problem in report.skipped:
        console.print(f"[yellow]skipped:[/yellow] {problem}")
    console.print(
        f"built {report.documents} documents, {report.passages} passages "
        f"({report.embedded} embedded, the rest from cache), {report.figures} figures, "
        f"{report.references} references in {report.seconds:.1f} s → {report.where}"
    )
    console.print(build_speed(report), highlight=False)


def build_speed(report: BuildReport) -> str:
    """Passages per second of the build, and of its embedding, with the workers it used."""
    workers = "1 process" if report.workers == 1 else f"{report.workers} worker processes"
    overall = report.passages_per_second
    line = f"{overall:.1f} passages/s" if overall else "no passages"
    line += f" ({workers}: processing {report.process_seconds:.1f} s"
    embedding = report.embedded_per_second
    if embedding:
        line += f", embedding {report.embed_seconds:.1f} s at {embedding:.1f} passages/s"
    return line + ")"


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
    if mode is not None and mode not in MODES:
        raise fail(f"unknown mode {mode!r}: use {', '.join(MODES)}")
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
    from service.server import serve as run_server

    run_server(load_settings(corpus, index_dir, host=host, port=port, store=store))


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
        typer.echo(to_response(answer, engine.index.store).model_dump_json(indent=2))
        return
    style = "green" if answer.answerable else "yellow"
    console.print(f"[{style}]{answer.text}[/{style}]", highlight=False)
    for number, citation in enumerate(answer.citations, start=1):
        console.print(
            f"[dim][{number}] {citation.document.source} › {citation.passage.section_label}[/dim]",
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


def register_plugins(target: typer.Typer) -> None:
    """Let every installed `healthqa.commands` entry point add its sub-commands."""
    for entry in entry_points(group=PLUGIN_GROUP):
        entry.load()(target)


register_plugins(app)
