"""Opening the current index for reading, with the checks that refuse a wrong or damaged one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.build import current_build
from indexer.manifest import IndexMissingError, Manifest
from indexer.store.sqlite_faiss import SqliteFaissStore


@dataclass(frozen=True)
class OpenIndex:
    directory: Path  # the build folder `current` pointed to when opened
    manifest: Manifest
    store: SqliteFaissStore


def open_index(index_dir: Path, model_id: str, *, verify_checksums: bool = True) -> OpenIndex:
    build = current_build(index_dir)
    if build is None:
        raise IndexMissingError(f"no index in {index_dir}: run `healthqa index` first")
    manifest = Manifest.read(build)
    manifest.check_compatible(model_id)
    if verify_checksums:
        manifest.verify_checksums(build)
    return OpenIndex(directory=build, manifest=manifest, store=SqliteFaissStore(build))
