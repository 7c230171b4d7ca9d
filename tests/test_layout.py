"""The code's shape, held by tests: no import circle among the product's modules, counting
every import (those inside functions too), and no product function too tangled to follow
(docs/code-style.md says when to split a module; issues 10 and 32).

A function-level import is still an edge: it runs later, but the two modules depend on each
other all the same, and a late import is how a loop hides. ``if TYPE_CHECKING`` blocks are
left out: they never run.
"""

import ast
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("booking", "blog", "practice", "demo")

# radon's grade B at most: a function's branches, loops, ``except``s and boolean operators
# (each ``and``/``or``), plus one. ruff's C901 (pyproject.toml) leaves the ``and``/``or`` out,
# which is where long conditions hide. Over it, split the function by meaning: name the
# question each part answers (docs/code-style.md).
MOST_COMPLEX = 10


def product_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def every_import(tree: ast.AST):
    """Every import statement in the module, inside functions and classes too (an
    ``if TYPE_CHECKING:`` block aside)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from every_import(ast.Module(body=node.orelse, type_ignores=[]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        else:
            yield from every_import(node)


def import_targets(node: ast.Import | ast.ImportFrom, package: str, known: set[str]):
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    for alias in node.names:
        full = f"{base}.{alias.name}"
        yield full if full in known else base


def imported_by(name: str, path: Path, known: set[str]) -> set[str]:
    """The product modules ``name`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in every_import(ast.parse(path.read_text())):
        for target in import_targets(node, package, known):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    trail: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state and (circle := walk(nxt)):
                return circle
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state and (circle := walk(node)):
            return circle
    return None


def test_no_import_circle_among_the_product_modules():
    modules = product_modules()
    known = set(modules)
    graph = {name: imported_by(name, path, known) for name, path in modules.items()}
    # A package's __init__ runs before any of its modules, so a module importing its own
    # package is not a circle unless the package imports it back.
    assert find_circle(graph) is None, " -> ".join(find_circle(graph))


def test_the_project_package_imports_the_apps_only_in_its_urls():
    """``practice`` is the project and the site-wide pages: the apps import it, and it names
    them only where it puts their addresses together (bakerydemo's and djangoproject.com's
    shape). The demo imports everything; nothing imports the demo."""
    modules = product_modules()
    known = set(modules)
    graph = {name: imported_by(name, path, known) for name, path in modules.items()}
    reaching = {
        (name, target)
        for name, targets in graph.items()
        for target in targets
        if name.split(".")[0] == "practice" and target.split(".")[0] in {"booking", "blog", "demo"}
    }
    assert {name for name, _ in reaching} <= {"practice.urls"}, sorted(reaching)
    assert not [
        (name, target)
        for name, targets in graph.items()
        for target in targets
        if target.split(".")[0] == "demo" and name.split(".")[0] != "demo"
    ]


def test_the_circle_finder_finds_one():
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


def test_imports_inside_functions_count_and_type_checking_ones_do_not():
    source = """
from typing import TYPE_CHECKING
import booking.a
if TYPE_CHECKING:
    import booking.b
else:
    import booking.c
def late():
    from . import d
class Panel:
    def render(self):
        from booking import e
"""
    known = {f"booking.{name}" for name in "abcde"}
    names = {
        target
        for node in every_import(ast.parse(source))
        for target in import_targets(node, "booking", known)
    }
    assert names == {"typing", "booking.a", "booking.c", "booking.d", "booking.e"}


def functions_over(limit: int) -> dict[str, int]:
    """Every product function and method whose complexity is over ``limit``, by
    ``path:Class.name``."""
    over = {}
    for path in product_modules().values():
        for block in cc_visit(path.read_text()):
            if isinstance(block, Function) and block.complexity > limit:
                over[f"{path.relative_to(ROOT)}:{block.fullname}"] = block.complexity
    return over


def test_no_product_function_is_over_grade_b():
    assert functions_over(MOST_COMPLEX) == {}


def test_boolean_operators_count():
    source = """
def f(a, b, c, d):
    if a and b and c or d:
        return 1
    return 2
"""
    [block] = cc_visit(source)
    assert block.complexity == 5  # the if, and its three boolean operators
