"""What an index records about how it was built, and the checks that refuse a mismatch."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
# Bump when cleaning, structure or extraction changes what an index holds.
PIPELINE_VERSION = "2026.11.23-2"


class IndexProblem(RuntimeError):
    """Base for index problems a user can fix by rebuilding."""


class IndexMissingError(IndexProblem):
    pass


class IndexMismatchError(IndexProblem):
    pass


class IndexCorruptError(IndexProblem):
    pass


@dataclass(frozen=True)
class Manifest:
    embedder_backend: str
    model_id: str
    dimension: int
    corpus: dict[str, str]  # source → content hash (sidecars included)
    counts: dict[str, int]
    checksums: dict[str, str]  # file in the build folder → sha256
    created_at: str
    build_seconds: float
    format_version: int = FORMAT_VERSION
    pipeline_version: str = PIPELINE_VERSION
    settings: dict[str, str | int | float] = field(default_factory=dict)

    def write(self, directory: Path) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)
        (directory / MANIFEST_FILE).write_text(text, encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST_FILE
        if not path.exists():
            raise IndexMissingError(f"no index at {directory}: run `healthqa index`")
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as error:
            raise IndexCorruptError(
                f"{path} is unreadable ({error}): run `healthqa index --rebuild`"
            ) from error

    def check_compatible(self, model_id: str) -> None:
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index format {self.format_version}, this code reads {FORMAT_VERSION}: "
                "run `healthqa index --rebuild`"
            )
        if self.model_id != model_id:
            raise IndexMismatchError(
                f"index built with model {self.model_id}, settings ask for {model_id}: "
                "run `healthqa index --rebuild` (or set HEALTHQA_EMBEDDER back)"
            )

    def verify_checksums(self, directory: Path) -> None:
        for name, expected in self.checksums.items():
            path = directory / name
            if not path.exists() or sha256_file(path) != expected:
                raise IndexCorruptError(
                    f"{path} is missing or damaged: run `healthqa index --rebuild`"
                )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
