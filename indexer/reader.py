"""Opening the current index for reading, with the checks that refuse a wrong or damaged one."""

from __future__ import annotations

from pathlib import Path

from indexer.store.base import OpenIndex
from indexer.store.locations import location_for

__all__ = ["OpenIndex", "open_index"]


def open_index(
    index_dir: Path, model_id: str, *, verify_checksums: bool = True, store: str | None = None
) -> OpenIndex:
    """The current build in `index_dir`, or in the database `store` names."""
    return location_for(index_dir, store).open(model_id, verify=verify_checksums)
