"""The code's shape, held by tests: no import circle among the product's modules, and no
product module too long to read in one sitting (docs/architecture.md, issue 10).

Imports inside functions are left out on purpose: they run when called, after every module
has loaded, which is how the few deliberate late imports break what would be a circle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("booking", "blog", "practice")
MAX_LINES = 400


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


def top_level_imports(statements):
    """The import statements run when the module loads (``if TYPE_CHECKING`` aside)."""
    for node in statements:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, (ast.If, ast.Try)):
            yield from top_level_imports([*node.body, *getattr(node, "orelse", [])])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


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


def imported_at_load(name: str, path: Path, known: set[str]) -> set[str]:
    """The product modules ``name`` imports at its top level."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in top_level_imports(ast.parse(path.read_text()).body):
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
    graph = {name: imported_at_load(name, path, known) for name, path in modules.items()}
    # A package's __init__ runs before any of its modules, so a module importing its own
    # package is not a circle unless the package imports it back.
    assert find_circle(graph) is None, " -> ".join(find_circle(graph))


def test_the_circle_finder_finds_one():
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set()}) is None


def test_no_product_module_is_over_four_hundred_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in product_modules().values()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
