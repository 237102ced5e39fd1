"""The embedded default's builds: one folder per build under `builds/`, a `current` symlink that is
swapped atomically, and a file lock so one builder runs at a time."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from indexer.manifest import IndexCorruptError, IndexMissingError, Manifest
from indexer.store.base import OpenIndex
from indexer.store.sqlite_faiss import SqliteFaissStore, SqliteFaissWriter

CURRENT_LINK = "current"
BUILDS_DIR = "builds"
KEEP_BUILDS = 2


def current_build(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT_LINK
    if not link.exists():
        return None
    return link.resolve()


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class FolderLocation:
    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def describe(self) -> str:
        return str(self.index_dir)

    def where(self, build_id: str) -> str:
        return build_id or self.describe()

    def build_directory(self, build_id: str) -> Path | None:
        return Path(build_id) if build_id else None  # a folder build's id is its folder

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with (self.index_dir / ".build.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current_build(self) -> str | None:
        build = current_build(self.index_dir)
        return str(build) if build else None

    def current_manifest(self) -> Manifest | None:
        build = current_build(self.index_dir)
        if build is None:
            return None
        try:
            return Manifest.read(build)
        except IndexMissingError as error:  # a `current` build without its manifest is damaged
            raise IndexCorruptError(
                f"the current build {build} has no manifest: run `healthqa index --rebuild`"
            ) from error

    def new_writer(self, dimension: int) -> SqliteFaissWriter:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        return SqliteFaissWriter(self.index_dir / BUILDS_DIR / stamp)

    def publish(self, writer: SqliteFaissWriter, manifest: Manifest) -> str:
        manifest.write(writer.directory)
        temporary = self.index_dir / f".{CURRENT_LINK}.{os.getpid()}"
        if temporary.is_symlink() or temporary.exists():
            temporary.unlink()
        temporary.symlink_to(writer.directory.relative_to(self.index_dir))
        os.replace(temporary, self.index_dir / CURRENT_LINK)  # atomic: readers see old or new
        self._remove_old_builds()
        return str(writer.directory)

    def discard(self, writer: SqliteFaissWriter) -> None:
        shutil.rmtree(writer.directory, ignore_errors=True)

    def _remove_old_builds(self) -> None:
        current = current_build(self.index_dir)
        builds = sorted((self.index_dir / BUILDS_DIR).iterdir())
        for old in builds[:-KEEP_BUILDS]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)

    def open(self, model_id: str, *, verify: bool = True) -> OpenIndex:
        build = current_build(self.index_dir)
        if build is None:
            raise IndexMissingError(f"no index in {self.index_dir}: run `healthqa index` first")
        manifest = Manifest.read(build)
        manifest.check_compatible(model_id)
        if verify:
            manifest.verify_checksums(build)
        return OpenIndex(
            build_id=str(build),
            where=str(build),
            manifest=manifest,
            store=SqliteFaissStore(build),
            directory=build,
        )

    def size_bytes(self) -> int:
        build = current_build(self.index_dir)
        return folder_bytes(build) if build else 0
