"""The synthetic corpus speaks the seeds' vocabulary, keeps one passage per planted fact, and
its planted facts are found by the product's own search."""

from __future__ import annotations

import pytest

from eval.metrics import norm
from eval.scale import run_scale
from eval.synthetic import generate_corpus, harvest_vocabulary
from indexer.build import process
from indexer.models import SourceFile
from service.settings import Settings
from tests.conftest import CORPUS

SEED_PLACES = ("Long An", "Cần Đước", "Hậu Giang", "Lai Châu")


@pytest.fixture(scope="module")
def vocabulary():
    return harvest_vocabulary(CORPUS)


def passages_of(corpus):
    for document in corpus.documents:
        source = SourceFile(document.source[:-4], document.source, document.text, "hash")
        yield from process(source).passages


def test_the_vocabulary_comes_from_the_seeds_without_their_places(vocabulary):
    names = {indicator.name for indicator in vocabulary.indicators}
    assert {"Tỷ lệ dân số tham gia BHYT", "Tuổi thọ trung bình"} <= names
    assert len(vocabulary.places) == 63
    assert len(vocabulary.list_items) > 50 and len(vocabulary.headings) > 20
    for text in (*vocabulary.list_items, *vocabulary.headings, *names):
        assert not any(place in text for place in SEED_PLACES), text


def test_every_planted_fact_is_in_exactly_one_passage(vocabulary):
    corpus = generate_corpus(vocabulary, 400, planted=20)
    passages = list(passages_of(corpus))
    assert len(passages) == corpus.passages >= 400
    assert len(corpus.facts) == 20
    for fact in corpus.facts:
        holding = [p for p in passages if norm(fact.evidence) in norm(p.text)]
        assert len(holding) == 1, fact
        assert holding[0].doc_id == fact.source[:-4] and holding[0].kind == "table_row"
        assert str(fact.year) in fact.question


def test_a_larger_corpus_begins_with_the_documents_of_a_smaller_one(vocabulary):
    small = generate_corpus(vocabulary, 150)
    large = generate_corpus(vocabulary, 600)
    assert [d.text for d in large.documents[: len(small.documents)]] == [
        d.text for d in small.documents
    ]


def test_a_kept_corpus_folder_holds_exactly_the_corpus_written_last(vocabulary, tmp_path):
    generate_corpus(vocabulary, 600).write(tmp_path)
    small = generate_corpus(vocabulary, 150)
    small.write(tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(
        d.source for d in small.documents
    )


def test_planted_facts_are_retrieved_by_the_product(tmp_path_factory):
    """Shares its kept cache with `test_bench`: whichever runs first embeds the corpus."""
    cache_dir = tmp_path_factory.getbasetemp() / "scale-cache"
    settings = Settings(_env_file=None)
    result = run_scale(settings, 120, seed_corpus=CORPUS, cache_dir=cache_dir, planted=8)
    assert result.indexed_passages >= 120 and result.planted == 8
    assert result.recall10 >= 0.75 and result.recall5 <= result.recall10
    assert result.index_mb > 0 and result.query_p95_ms >= result.query_p50_ms > 0


def test_synth_writes_a_corpus_and_its_questions_in_the_dev_set_format(tmp_path):
    from typer.testing import CliRunner

    from eval.dataset import load_dataset
    from service.cli import app

    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--out",
            str(tmp_path),
            "--passages",
            "150",
            "--planted",
            "5",
            "--corpus",
            str(CORPUS),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "corpus").glob("syn*.txt"))) >= 5
    items = load_dataset(tmp_path / "questions.jsonl")
    assert len(items) == 5 and all(item.answer is not None and item.docs for item in items)
