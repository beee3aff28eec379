"""Layering rules (STYLE.md), checked on the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = [
    "analytics", "domain", "interchange", "charts", "network", "voc", "sentiment", "config",
    "grid", "canvas", "metrics", "summary", "exports",
]  # fmt: skip


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[Path]:
    return sorted((ROOT / "cxmap").glob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.stem)
def test_only_ui_modules_import_streamlit(path: Path) -> None:
    if path.stem == "ui" or path.stem.startswith("ui_"):
        return
    assert not any(n.split(".")[0] == "streamlit" for n in imports_of(path)), path.name


@pytest.mark.parametrize("name", [n for n in PURE if (ROOT / "cxmap" / f"{n}.py").exists()])
def test_pure_modules_touch_no_database(name: str) -> None:
    path = ROOT / "cxmap" / f"{name}.py"
    banned = {"sqlmodel", "sqlalchemy", "streamlit", "cxmap.repository", "cxmap.db", "cxmap.models"}
    found = {n for n in imports_of(path) if n.split(".")[0] in banned or n in banned}
    assert not found, f"{name}.py imports {found}"


def test_only_the_repository_queries() -> None:
    query_words = {
        "sqlalchemy.select",
        "sqlalchemy.update",
        "sqlalchemy.delete",
        "sqlalchemy.insert",
    }
    for path in _modules():
        if path.stem == "repository":
            continue
        assert not (imports_of(path) & query_words), f"{path.name} builds queries"


def test_pages_call_services_not_the_repository() -> None:
    pages = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    for path in pages:
        found = {
            n
            for n in imports_of(path)
            if "repository" in n or n.startswith(("sqlmodel", "sqlalchemy"))
        }
        assert not found, f"{path.name} imports {found}"
