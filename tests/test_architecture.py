"""Layering rules (docs/architecture.md), checked on the import statements of every module.

Each package of ``cxmap`` is a room with a purpose; these tests fail when code reaches into a
room it must not: pure layers touching the database or Streamlit, pages talking to the store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cxmap"
DATABASE = ("sqlalchemy", "sqlmodel", "alembic", "psycopg", "cxmap.store")
# package -> what its modules may not import (prefixes)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": ("streamlit", *DATABASE, "cxmap.services", "cxmap.formats", "cxmap.analysis",
             "cxmap.render", "cxmap.app", "cxmap.cli"),
    "analysis": ("streamlit", *DATABASE, "cxmap.services", "cxmap.formats", "cxmap.render",
                 "cxmap.app", "cxmap.cli"),
    "formats": ("streamlit", *DATABASE, "cxmap.services", "cxmap.render", "cxmap.app",
                "cxmap.cli"),
    "render": ("streamlit", *DATABASE, "cxmap.services", "cxmap.app", "cxmap.cli"),
    "store": ("streamlit", "cxmap.services", "cxmap.formats", "cxmap.analysis", "cxmap.render",
              "cxmap.app", "cxmap.cli"),
    "services": ("streamlit", "cxmap.app", "cxmap.cli"),
    "app": ("cxmap.store", "sqlalchemy", "sqlmodel", "cxmap.cli"),
    # python -m cxmap is another front end: the same services as the app, no store
    "cli": ("streamlit", *DATABASE, "cxmap.app"),
}  # fmt: skip
QUERY_BUILDERS = {"sqlalchemy.select", "sqlalchemy.update", "sqlalchemy.delete",
                  "sqlalchemy.insert", "sqlalchemy.text", "sqlmodel.select"}  # fmt: skip


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str | None = None) -> list[Path]:
    base = PACKAGE / package if package else PACKAGE
    return sorted(p for p in base.rglob("*.py") if "migrations" not in p.parts)


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_every_module_lives_in_a_package() -> None:
    loose = sorted(
        p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")
    )
    assert not loose, f"modules outside the packages: {loose}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_may(package: str) -> None:
    broken = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imports_of(path) if _matches(n, FORBIDDEN[package])
        )
        for path in _modules(package)
    }
    broken = {path: names for path, names in broken.items() if names}
    assert not broken, f"{package} reaches beyond its layer: {broken}"


def test_only_the_app_package_imports_streamlit() -> None:
    outside = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if "app" not in path.relative_to(PACKAGE).parts[:1]
        and any(_matches(n, ("streamlit",)) for n in imports_of(path))
    ]
    assert not outside, f"streamlit imported outside cxmap/app: {outside}"


def test_only_the_store_builds_queries() -> None:
    for path in _modules():
        if path.relative_to(PACKAGE).parts[0] == "store":
            continue
        assert not (imports_of(path) & QUERY_BUILDERS), f"{path.relative_to(ROOT)} builds queries"


def test_pages_call_the_app_package_only() -> None:
    pages = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    for path in pages:
        found = {
            n for n in imports_of(path) if n.startswith("cxmap") and not n.startswith("cxmap.app")
        }
        found |= {n for n in imports_of(path) if _matches(n, ("sqlalchemy", "sqlmodel"))}
        assert not found, f"{path.name} imports {found}"


def test_the_rules_see_every_package() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(FORBIDDEN), "a new package needs its layering rule here"


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import streamlit as st\nfrom cxmap.store import db\n", encoding="utf-8")
    assert {n for n in imports_of(module) if _matches(n, FORBIDDEN["analysis"])} == {
        "streamlit",
        "cxmap.store",
        "cxmap.store.db",
    }


# A module that outgrows this holds more than one concern; a page module does layout only.
MODULE_LINES = 600
PAGE_LINES = 100


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_outgrows_one_concern() -> None:
    large = {str(p.relative_to(ROOT)): _lines(p) for p in _modules() if _lines(p) > MODULE_LINES}
    assert not large, f"modules over {MODULE_LINES} lines (split them by concern): {large}"


def test_pages_stay_thin() -> None:
    pages = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    large = {p.name: _lines(p) for p in pages if _lines(p) > PAGE_LINES}
    assert not large, f"pages over {PAGE_LINES} lines (move the work into cxmap/app): {large}"
