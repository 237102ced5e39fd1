"""What every `healthqa` command shares, the built-in ones and those plugins register: the
--corpus/--index-dir/--store options, settings built from them, the console and the error exit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from service.settings import Settings

console = Console()
# Progress goes to stderr, and nowhere with --json, so the JSON can be read as it comes.
progress_console = Console(stderr=True)

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


def fail(message: str) -> typer.Exit:
    """Print the message and return the exit (status 2) for the caller to raise."""
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=2)


def say(message: str, *, quiet: bool) -> None:
    """A progress line on stderr, unless quiet (as with --json)."""
    if not quiet:
        progress_console.print(message, highlight=False)


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
