"""The layout's invariants (ARCHITECTURE.md), read from the source: data flows one way.

Every import counts, at the top of a module or inside a function: a deferred import is still a
dependency. A package's own submodules are nodes of their own (quotes.search.ranking), and the
package entrance (quotes/search/__init__.py) is the node `quotes.search`.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "quotes"

# Which layers may import which (a prefix matches the module and everything under it). Every
# module of the app belongs to exactly one layer; migrations may import what they run.
LAYERS = {
    "quotes.extraction": set(),
    "quotes.models": {"quotes.extraction", "quotes.indexes"},
    "quotes.indexes": set(),
    "quotes.selectors": {"quotes.models", "quotes.exports", "quotes.extraction"},
    "quotes.exports": {"quotes.models"},
    "quotes.search": {"quotes.models", "quotes.selectors", "quotes.extraction"},
    "quotes.ingest": {"quotes.models", "quotes.extraction"},
    "quotes.curation": {"quotes.models", "quotes.extraction"},
    "quotes.backup": {"quotes.models", "quotes.extraction", "quotes.ingest", "quotes.exports"},
    "quotes.web": {"quotes.models", "quotes.selectors", "quotes.search", "quotes.curation", "quotes.exports",
                   "quotes.extraction"},
    "quotes.api": {"quotes.models", "quotes.selectors", "quotes.search", "quotes.web"},
    "quotes.admin": {"quotes.models", "quotes.selectors", "quotes.search", "quotes.curation", "quotes.ingest",
                     "quotes.extraction", "quotes.web"},
    "quotes.management": {"quotes.models", "quotes.selectors", "quotes.search", "quotes.ingest", "quotes.backup",
                          "quotes.exports", "quotes.extraction", "quotes.web", "quotes.curation"},
    "quotes.migrations": {"quotes.search", "quotes.models", "quotes.indexes"},
    "quotes.apps": {"quotes.models", "quotes.search", "quotes.selectors"},
    "quotes.urls": {"quotes.web", "quotes.api"},
}
WRITERS = ("quotes.ingest", "quotes.curation", "quotes.backup")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, here: str | None = None, modules: frozenset = frozenset()) -> set[str]:
    """Every module `path` (the module `here`) imports, absolute names (relative imports
    resolved); `modules` are the app's module names, to tell a submodule from a name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = here or module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules
            # `from pkg import module` depends on the module; `from module import name` on it.
            found.update(submodules or {base})
    return found


def app_modules() -> dict[str, set[str]]:
    known = {module_name(p): p for p in APP.rglob("*.py")}
    # The bare `quotes` package is empty: `from quotes import search` counts as quotes.search.
    names = frozenset(known)
    return {name: {m for m in imports_of(path, modules=names) if m in known and m not in (name, "quotes")}
            for name, path in known.items()}


def layer_of(module: str) -> str | None:
    matches = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


GRAPH = app_modules()


def test_every_module_belongs_to_a_layer():
    assert [m for m in GRAPH if m != "quotes" and layer_of(m) is None] == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_follow_the_layers(module):
    layer = layer_of(module)
    if layer is None:
        return
    allowed = LAYERS[layer] | {layer}
    wrong = sorted(m for m in GRAPH[module] if layer_of(m) not in allowed)
    assert wrong == [], f"{module} ({layer}) may not import {wrong}"


def test_extraction_imports_no_django():
    for path in (APP / "extraction").rglob("*.py"):
        assert not any(m == "django" or m.startswith("django.") for m in imports_of(path)), path


def test_selectors_import_no_writer():
    assert not [m for m in GRAPH["quotes.selectors"] if m.startswith(WRITERS)]


def cycles_in(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of `graph`: its strongly connected components of two or more modules
    (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycles():
    """No module reaches itself through the modules it imports."""
    assert cycles_in(GRAPH) == []


def test_the_checker_sees_a_forbidden_import_and_a_cycle(tmp_path):
    """The rules above are not vacuous: a deferred Django import and a cycle are caught."""
    bad = tmp_path / "quotes" / "extraction" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from django.db import models\n")
    assert "django.db" in imports_of(bad, "quotes.extraction.bad")
    assert cycles_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def test_modules_and_functions_stay_short_enough_to_read():
    """One room per concern: no module of the app over 400 lines, no function over 60
    (migrations excepted: they are generated)."""
    too_long = []
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []
