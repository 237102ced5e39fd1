"""Kept embedding caches seed throw-away indexes and take back what they embedded."""

from __future__ import annotations

import numpy as np

from eval.kept_cache import keep_index_cache, merge_cache, seed_index_cache
from indexer.build import CACHE_FILE
from indexer.embed.cache import EmbeddingCache


def cache_with(path, keys):
    cache = EmbeddingCache(path)
    cache.put("model", {key: np.ones(3, dtype=np.float32) for key in keys})
    cache.close()


def keys_in(path):
    cache = EmbeddingCache(path)
    found = set(cache.get("model", ["a", "b", "c", "d"]))
    cache.close()
    return found


def test_an_index_is_seeded_from_every_kept_cache_and_gives_back_what_it_added(tmp_path):
    cache_with(tmp_path / "served.sqlite", ["a"])
    cache_with(tmp_path / "kept.sqlite", ["b"])
    index_dir = tmp_path / "index"
    held = seed_index_cache(
        index_dir, [tmp_path / "served.sqlite", tmp_path / "kept.sqlite", tmp_path / "none"]
    )
    assert held == 2 and keys_in(index_dir / CACHE_FILE) == {"a", "b"}
    cache_with(index_dir / CACHE_FILE, ["c"])  # what a build embedded
    assert keep_index_cache(index_dir, tmp_path / "kept.sqlite") == 3
    assert keys_in(tmp_path / "kept.sqlite") == {"a", "b", "c"}


def test_merging_into_a_missing_cache_creates_it(tmp_path):
    cache_with(tmp_path / "source.sqlite", ["d"])
    merge_cache(tmp_path / "source.sqlite", tmp_path / "new" / "target.sqlite")
    assert keys_in(tmp_path / "new" / "target.sqlite") == {"d"}
