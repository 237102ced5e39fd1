"""At scale the embedded store takes its lexical candidates from tantivy and ranks them as the full
FTS5 bm25 query ranks them: on a synthetic store large enough to prune (the threshold lowered),
the top 10 ids and scores equal the full query's; a document filter holds; a build without the
tantivy folder still answers through FTS5 alone; building writes the folder."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pytest

from indexer.models import Document, DocumentAttributes, Passage
from indexer.store import tantivy_lexical
from indexer.store.base import LexicalQuery
from indexer.store.fts5_top_k import EXTRA, Fts5TopK, query_phrases
from indexer.store.sqlite_faiss import DATABASE_FILE, SqliteFaissStore, SqliteFaissWriter
from indexer.store.tantivy_lexical import LEXICAL_FOLDER, TantivyTopK
from indexer.tokens import LexicalFields, fold

COMMON = ["tỷ lệ", "năm", "y tế", "người dân", "kế hoạch", "thực hiện"]
RARE = ["bến tre", "cà mau", "trà vinh", "an giang", "long an", "kiên giang", "sóc trăng"]
TOPICS = ["tiêm chủng", "bảo hiểm", "suy dinh dưỡng", "sốt xuất huyết", "lao phổi", "trạm y tế"]
YEARS = [str(year) for year in range(2018, 2027)]
DOCUMENTS = 20
PASSAGES_PER_DOCUMENT = 150


def sentence(rng: random.Random) -> str:
    """Common phrases in most passages, topics in some, provinces and years in few."""
    parts = rng.sample(COMMON, rng.randint(1, 4))
    parts += rng.sample(TOPICS, rng.randint(0, 2))
    if rng.random() < 0.3:
        parts.append(rng.choice(RARE))
    if rng.random() < 0.4:
        parts.append(f"năm {rng.choice(YEARS)}")
    parts += rng.choices(COMMON + TOPICS, k=rng.randint(0, 12))  # lengths vary
    rng.shuffle(parts)
    return " ".join(parts)


def lexical(text: str) -> LexicalFields:
    words = text
    for phrase in COMMON + TOPICS + RARE:
        words = words.replace(phrase, phrase.replace(" ", "_"))
    return LexicalFields(
        syllables=text,
        words=" ".join(word for word in words.split() if "_" in word),
        folded=fold(text),
    )


def write_synthetic_build(directory) -> SqliteFaissWriter:
    """3000 passages in 20 documents, zero vectors: only the lexical side is searched."""
    return write_synthetic(SqliteFaissWriter(directory))


def write_synthetic(writer):
    """The synthetic passages through any store's writer: the same rows in every store."""
    rng = random.Random(15)
    for number in range(DOCUMENTS):
        doc_id = f"doc-{number:02d}"
        texts = [sentence(rng) for _ in range(PASSAGES_PER_DOCUMENT)]
        document = Document(doc_id, f"{doc_id}.txt", "\n".join(texts), doc_id, DocumentAttributes())
        passages, offset = [], 0
        for ordinal, text in enumerate(texts):
            passages.append(
                Passage(
                    f"{doc_id}:{ordinal}",
                    doc_id,
                    ordinal,
                    "prose",
                    (),
                    offset,
                    offset + len(text),
                    text,
                )
            )
            offset += len(text) + 1
        writer.add_document(document, passages, [lexical(t) for t in texts], (), ())
    writer.finish(np.zeros((DOCUMENTS * PASSAGES_PER_DOCUMENT, 4), dtype=np.float32))
    return writer


def questions(count: int) -> list[LexicalQuery]:
    """Queries like the retriever's: a few syllable phrases, their words, their folded forms."""
    rng = random.Random(7)
    found = [
        LexicalQuery(syllables=("tỷ lệ", "năm"), words=("tỷ_lệ",), folded=("ty le", "nam")),
        LexicalQuery(syllables=("năm",)),
        LexicalQuery(syllables=("không", "có", "trong", "kho")),
        LexicalQuery(syllables=('"năm"', "?!")),
    ]
    while len(found) < count:
        phrases = rng.sample(COMMON + TOPICS + RARE + YEARS, rng.randint(1, 6))
        found.append(
            LexicalQuery(
                syllables=tuple(phrases),
                words=tuple(p.replace(" ", "_") for p in phrases if " " in p),
                folded=tuple(fold(p) for p in phrases if fold(p) != p),
            )
        )
    return found


QUESTIONS = questions(40)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tantivy") / "build"
    write_synthetic_build(directory)
    return directory


@pytest.fixture
def store(build, monkeypatch):
    """The store over the synthetic build, taking tantivy candidates from its first row."""
    monkeypatch.setattr(tantivy_lexical, "CANDIDATES_FROM_ROWS", 0)
    opened = SqliteFaissStore(build)
    yield opened
    opened.close()


def full_query(build, query: LexicalQuery, k: int, doc_ids=None) -> list[tuple[str, float]]:
    """What one FTS5 query scoring every matching row returns, as (passage id, score)."""
    db = sqlite3.connect(build / DATABASE_FILE)
    allowed = None
    if doc_ids is not None:
        marks = ", ".join("?" for _ in doc_ids)
        sql = f"SELECT rowid FROM passages WHERE doc_id IN ({marks})"
        allowed = {rowid for (rowid,) in db.execute(sql, doc_ids)}
    fields = (query.syllables, query.words, query.folded)
    found = Fts5TopK().full_search(db.cursor(), fields, k, allowed)
    ids = dict(db.execute("SELECT rowid, passage_id FROM passages"))
    db.close()
    return [(ids[rowid], score) for rowid, score in found]


def test_building_writes_the_tantivy_folder_and_checksums_its_files(tmp_path):
    writer = write_synthetic_build(tmp_path / "build")
    folder = tmp_path / "build" / LEXICAL_FOLDER
    assert (folder / "meta.json").is_file()
    data = {f"{LEXICAL_FOLDER}/{p.name}" for p in folder.iterdir() if p.suffix != ".lock"}
    checksummed = {name for name in writer.checksums() if name.startswith(LEXICAL_FOLDER)}
    assert checksummed == data  # tantivy's empty lock files are not the index


def test_the_store_takes_tantivy_candidates_once_the_corpus_is_large(store):
    assert isinstance(store._lexical, TantivyTopK)


@pytest.mark.parametrize("query", QUESTIONS)
def test_tantivy_candidates_rank_the_top_10_as_the_full_query(build, store, query):
    """Ids, order and scores equal, bit for bit, on every question of the set."""
    assert store.lexical_search(query, k=10) == full_query(build, query, 10)


def test_tantivy_names_every_row_of_the_full_querys_top_10_among_its_candidates(build):
    tantivy = TantivyTopK(build / LEXICAL_FOLDER, Fts5TopK(), from_rows=0)
    db = sqlite3.connect(build / DATABASE_FILE)
    answered = 0
    for query in QUESTIONS:
        fields = (query.syllables, query.words, query.folded)
        expected = {rowid for rowid, _ in Fts5TopK().full_search(db.cursor(), fields, 10)}
        candidates = tantivy.candidates(query_phrases(fields), 10 + EXTRA)
        assert expected <= set(candidates), query
        answered += bool(expected)
    assert answered >= len(QUESTIONS) - 2  # all but the two questions nothing matches
    db.close()


def test_the_top_50_of_the_retriever_equals_the_full_query_too(build, store):
    for query in QUESTIONS:
        assert store.lexical_search(query, k=50) == full_query(build, query, 50), query


def test_a_document_filter_restricts_the_rows_not_the_statistics(build, store):
    doc_ids = ["doc-03", "doc-11"]
    for query in QUESTIONS[:10]:
        found = store.lexical_search(query, k=10, doc_ids=doc_ids)
        assert found == full_query(build, query, 10, doc_ids), query
        assert {passage_id.split(":")[0] for passage_id, _ in found} <= set(doc_ids)


def test_no_document_allowed_finds_nothing(store):
    assert store.lexical_search(QUESTIONS[0], k=10, doc_ids=[]) == []


def test_below_the_threshold_fts5_alone_answers(build, monkeypatch):
    monkeypatch.setattr(tantivy_lexical, "CANDIDATES_FROM_ROWS", 10**9)
    opened = SqliteFaissStore(build)
    try:
        for query in QUESTIONS[:5]:
            assert opened.lexical_search(query, k=10) == full_query(build, query, 10)
    finally:
        opened.close()


def test_a_build_without_the_tantivy_folder_answers_through_fts5(tmp_path, monkeypatch):
    """A build made before the candidates were written."""
    import shutil

    monkeypatch.setattr(tantivy_lexical, "CANDIDATES_FROM_ROWS", 0)
    write_synthetic_build(tmp_path / "build")
    shutil.rmtree(tmp_path / "build" / LEXICAL_FOLDER)
    opened = SqliteFaissStore(tmp_path / "build")
    try:
        assert isinstance(opened._lexical, Fts5TopK)
        for query in QUESTIONS[:5]:
            assert opened.lexical_search(query, k=10) == full_query(tmp_path / "build", query, 10)
    finally:
        opened.close()
