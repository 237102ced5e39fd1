"""What an index records about how it was built, and the checks that refuse a mismatch."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent
# What does not shape how a document is processed (reading an index, searching it, storing it);
# everything else in the package, and every data file, goes into the pipeline version. Leaving a
# module in costs a needless re-processing at worst; leaving one out would reuse stale results.
NOT_PROCESSING = frozenset(
    {"manifest.py", "processed_cache.py", "reader.py", "search.py", "query.py"}
)
NOT_PROCESSING_DIRS = frozenset({"store", "embed", "__pycache__"})


def pipeline_files(root: Path) -> list[Path]:
    """The modules and data files whose content decides what processing makes of a document."""
    chosen = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or NOT_PROCESSING_DIRS.intersection(relative.parts[:-1]):
            continue
        if relative.parts[0] == "data":
            if not path.name.startswith("."):
                chosen.append(path)
        elif path.suffix == ".py" and relative.as_posix() not in NOT_PROCESSING:
            chosen.append(path)
    return chosen


def hash_pipeline(root: Path) -> str:
    """sha256 over the names and contents of `pipeline_files(root)` (first 16 hex digits)."""
    digest = hashlib.sha256()
    for path in pipeline_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def pipeline_version() -> str:
    """The version of cleaning, structure and extraction: a hash of their code and data, so any
    change to them re-processes documents (no hand-bumped number to forget)."""
    return hash_pipeline(PACKAGE_DIR)


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
    pipeline_version: str = field(default_factory=pipeline_version)
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
