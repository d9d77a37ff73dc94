"""The layout's rules, checked on the source: who may import whom.

An installed package must not reach into the repository's tests folder (a city's
server has none), and lower layers must not import the pages built on them.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ckanext" / "hamm"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative: resolve against the module's package
                package = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts[:-node.level]
                names.add(".".join([*package, node.module]))
            else:
                names.add(node.module)
    return names


def modules_under(folder: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / folder).rglob("*.py") if "schemas" not in p.parts)


def test_no_installed_module_imports_the_tests_folder():
    offenders = {str(p.relative_to(PACKAGE)): sorted(m for m in imported_modules(p) if m.split(".")[0] == "tests")
                 for p in modules_under(".")}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert not [p for p in modules_under(".") if '"tests"' in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("layer", ["helpers", "logic", "vocabularies", "dataset", "search", "profiles"])
def test_lower_layers_never_import_views(layer):
    offenders = {str(p.relative_to(PACKAGE)): sorted(m for m in imported_modules(p) if m.startswith("ckanext.hamm.views"))
                 for p in modules_under(layer)}
    assert {k: v for k, v in offenders.items() if v} == {}
