"""Imports run one way: `indexer` ← question answering ← `service` and `eval` on top. Checked
statically (with `ast`, every import statement, lazy ones inside functions included), so a
forbidden import fails here even on a path no other test runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# package → the top-level packages it must never import
FORBIDDEN = {
    "indexer": {"service", "eval", "web"},
    "service": {"eval"},
}


def imported_packages(path: Path) -> set[str]:
    """Top-level names of every absolute import in a module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def violations(package: str, forbidden: set[str], root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)} imports {name}"
        for path in sorted((root / package).rglob("*.py"))
        for name in sorted(imported_packages(path) & forbidden)
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_import_only_downwards(package):
    assert violations(package, FORBIDDEN[package]) == []


def test_the_check_sees_lazy_and_dotted_imports(tmp_path):
    module = tmp_path / "service" / "late.py"
    module.parent.mkdir()
    module.write_text(
        "def run():\n    from eval.report import table\n    import eval.metrics\n",
        encoding="utf-8",
    )
    (tmp_path / "service" / "fine.py").write_text(
        "from indexer.search import Retriever\nfrom . import cli\n", encoding="utf-8"
    )
    assert violations("service", {"eval"}, tmp_path) == ["service/late.py imports eval"]
