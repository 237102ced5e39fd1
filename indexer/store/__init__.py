"""Where an index lives: the `IndexStore` interface and its embedded SQLite + FAISS backend."""
