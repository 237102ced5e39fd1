"""Corpus → passages, attributes, figures and references → a searchable index."""
