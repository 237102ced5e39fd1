"""Measuring the product: dev-set retrieval and answer metrics through the API's own code path."""
