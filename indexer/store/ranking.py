"""Ranking constants every store shares, so both rank a question alike: BM25 as SQLite FTS5
computes it (its k1 and b are fixed inside FTS5; PostgreSQL's lexical search reproduces them),
the weight of each lexical field, and how an HNSW graph is built and searched."""

from __future__ import annotations

# Okapi BM25 parameters of FTS5's bm25() (not settable there; PostgreSQL uses the same).
K1 = 1.2
B = 0.75
# BM25 weight of the syllables, words and accent-folded fields, in that order.
FIELD_WEIGHTS = (1.0, 1.0, 0.6)
# Candidates an HNSW search keeps per query (FAISS efSearch, pgvector hnsw.ef_search): above the
# retriever's 50 candidates, so the graph walk is not what limits recall.
HNSW_EF_SEARCH = 100
# How an HNSW graph is built (FAISS M and efConstruction, pgvector m and ef_construction): the
# same in both stores, so a corpus switched from one to the other finds the same neighbours.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
