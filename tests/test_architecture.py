"""The layout's rules, checked on the source: who may import whom.

Every import counts, the ones inside functions too: a function-local import only
delays a cycle to the first call, it does not remove it. ``from package import
module`` ties to that module (Python runs the package's ``__init__`` first either
way, which is how a package collects its parts).

An installed package must not reach into the repository's tests folder (a city's
server has none), no two modules and no two folders import each other, even
through others, and lower layers never import the pages built on them. ``LAYERS``
is the table of ``docs/architecture.md``; a new folder goes into both.
"""
from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ckanext" / "hamm"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
TOP = "ckanext.hamm"

# The layers of docs/architecture.md, lowest first: a folder (or top-level module) may import
# only its own layer and lower ones. To add a folder, name it in its layer here and in the doc.
LAYERS: dict[str, tuple[str, ...]] = {
    "ground": ("config", "errors", "patches", "model", "net", "translations"),
    "vocabularies": ("vocabularies",),
    "index and schema": ("search", "dataset", "schemas", "migration", "page_texts"),
    "engines": ("profiles", "harvesters", "participation", "inventory", "previews", "login", "checks", "directory"),
    "the way back": ("publish",),
    "API": ("logic",),
    "pages": ("helpers", "views", "templates", "assets"),
    "wiring and processes": ("plugin", "cli", "server", "demo", "devstack"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "schemas" not in p.relative_to(PACKAGE).parts}


def imported_names(name: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """Every dotted name an import in ``source`` can load, relative ones resolved, function-local ones too."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + [node.module or ""]).strip(".") \
                if node.level else (node.module or "")
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            # "from package import module" ties to the module; "from module import name" to the module
            names.update(submodules if len(submodules) == len(node.names) else {base, *submodules})
    return names


def imports_of(path: Path) -> set[str]:
    return imported_names(module_name(path), path.read_text(encoding="utf-8"), path.name == "__init__.py",
                          set(modules()))


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module -> the package modules it imports (a name is cut back to the module that defines it)."""
    known = modules()
    edges: dict[str, frozenset[str]] = {}
    for name, path in known.items():
        targets = set()
        for imported in imports_of(path):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        edges[name] = frozenset(targets)
    return edges


def folder(module: str) -> str:
    """The first folder below the package (top-level modules are rooms of their own)."""
    return module.split(".")[2] if module.count(".") >= 2 else module


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def folder_graph() -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for source, targets in graph().items():
        edges.setdefault(folder(source), set()).update(folder(t) for t in targets if folder(t) != folder(source))
    return {key: frozenset(value) for key, value in edges.items()}


def ties_between(group: list[str]) -> list[str]:
    return sorted(f"{s} -> {t}" for s, targets in graph().items() for t in targets
                  if folder(s) in group and folder(t) in group and folder(s) != folder(t))


def layer_of(module: str) -> int:
    room = folder(module).rpartition(".")[2]
    for number, rooms in enumerate(LAYERS.values()):
        if room in rooms:
            return number
    raise AssertionError(f"{module} belongs to no layer: add its folder to LAYERS and docs/architecture.md")


def documented_layers() -> dict[str, tuple[str, ...]]:
    """The table under "## Layers": ``| 0. ground | `config.py`, `patches/` | … |`` -> {"ground": ("config", …)}."""
    rows = re.findall(r"^\| *\d+\. *([^|]+?) *\| *([^|]+?) *\|", ARCHITECTURE.read_text(encoding="utf-8"), re.M)
    return {name: tuple(re.sub(r"(\.py|/)$", "", entry) for entry in re.findall(r"`([^`]+)`", rooms))
            for name, rooms in rows}


def test_the_graph_sees_function_local_and_relative_imports():
    """The checker itself: a cycle hidden in a function or behind a relative import is found."""
    known = {"ckanext.hamm.views", "ckanext.hamm.views.form_action", "ckanext.hamm.inventory"}
    source = "def f():\n    from ckanext.hamm.views import form_action\n\nfrom .. import inventory\n"
    assert imported_names("ckanext.hamm.helpers.portal", source, False, known) == {
        "ckanext.hamm.views.form_action", "ckanext.hamm.inventory"}
    assert "ckanext.hamm.config" in graph()["ckanext.hamm.plugin"]
    assert cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset()}) \
        == [["a", "b", "c"]]


def test_no_module_cycles():
    assert cycles(graph()) == []


def test_no_folder_cycles():
    found = cycles(folder_graph())
    assert found == [], [ties_between(group) for group in found]


def test_no_installed_module_imports_the_tests_folder():
    offenders = {name: sorted(m for m in imports_of(path) if m.split(".")[0] == "tests")
                 for name, path in modules().items()}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert not [p for p in modules().values() if '"tests"' in p.read_text(encoding="utf-8")]


def test_layers_are_the_table_of_the_architecture_page():
    assert documented_layers() == LAYERS


def test_every_room_of_the_table_exists_and_every_folder_has_a_layer():
    rooms = {room for layer in LAYERS.values() for room in layer}
    missing = sorted(room for room in rooms if not (PACKAGE / room).is_dir() and not (PACKAGE / f"{room}.py").is_file())
    assert missing == []
    on_disk = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    on_disk |= {p.stem for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert sorted(on_disk - rooms) == []
    for module in graph():
        if module != TOP:
            layer_of(module)


def test_lower_layers_never_import_higher_ones():
    upward = sorted(f"{s} -> {t}" for s, targets in graph().items() for t in targets
                    if TOP not in (s, t) and layer_of(t) > layer_of(s))
    assert upward == []


def test_plugin_classes_live_in_plugin_py():
    """One home for the wiring: every plugin entry point in plugin.py, but hamm_search (it must load alone)."""
    entry_points = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    homes = {target.partition(":")[0] for target in entry_points["ckan.plugins"].values()}
    assert homes == {f"{TOP}.plugin", f"{TOP}.search.plugin"}
