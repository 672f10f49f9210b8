"""The project's architecture rules as small checks over the source's syntax trees.

Each rule takes one parsed module (`Module`) and returns its violations as short strings; the
tests in tests/test_architecture.py run every rule over every source file, and run each rule on a
small good and a small bad example so that a rule that cannot fail is noticed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = (
    "config",
    "core",
    "affairs",
    "party_building",
    "safety",
    "services",
    "governance",
    "scenarios",
)
DOMAINS = ("affairs", "party_building", "safety", "services", "governance", "scenarios")


@dataclass
class Import:
    module: str  # the imported module, absolute ("a.b" for `from a.b import c` and `import a.b`)
    names: tuple[str, ...]  # the names taken from it (`from a.b import c, d`); () for `import a.b`
    line: int
    in_function: bool  # inside a function or method: runs when called, not at import


@dataclass(frozen=True)
class Violation:
    module: str
    scope: str  # the enclosing function ("Class.method") or "<module>"
    line: int
    what: str

    @property
    def site(self) -> tuple[str, str]:
        """Where it is, stable across edits above it: (module, enclosing function)."""
        return (self.module, self.scope)

    def __str__(self) -> str:
        return f"{self.module}:{self.line} ({self.scope}) {self.what}"


@dataclass
class Module:
    name: str  # dotted: "core.api.errors"
    tree: ast.Module
    is_package: bool = False
    source: str = field(default="", repr=False)

    @classmethod
    def parse(cls, name: str, source: str, *, is_package: bool = False) -> Module:
        return cls(name=name, tree=ast.parse(source), is_package=is_package, source=source)

    @cached_property
    def imports(self) -> list[Import]:
        found: list[Import] = []

        def walk(node: ast.AST, in_function: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import):
                    found.extend(Import(a.name, (), child.lineno, in_function) for a in child.names)
                elif isinstance(child, ast.ImportFrom):
                    base = self._absolute(child.module, child.level)
                    found.append(Import(base, tuple(a.name for a in child.names), child.lineno, in_function))
                else:
                    inner = in_function or isinstance(
                        child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                    )
                    walk(child, inner)

        walk(self.tree, False)
        return found

    def _absolute(self, module: str | None, level: int) -> str:
        if not level:
            return module or ""
        package = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, module] if module else base)

    def imported_modules(self, *, module_level_only: bool = False) -> Iterator[tuple[str, int]]:
        """Every module this one imports: `from a import b` names `a` and, if b is a module, `a.b`."""
        for imp in self.imports:
            if module_level_only and imp.in_function:
                continue
            yield imp.module, imp.line
            for name in imp.names:
                yield f"{imp.module}.{name}", imp.line

    def functions(self) -> Iterator[tuple[str, ast.AST]]:
        """(enclosing function's dotted name or "<module>", node) for every node of the module."""

        def walk(node: ast.AST, scope: str) -> Iterator[tuple[str, ast.AST]]:
            for child in ast.iter_child_nodes(node):
                yield scope, child
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    inner = child.name if scope == "<module>" else f"{scope}.{child.name}"
                    yield from walk(child, inner)
                else:
                    yield from walk(child, scope)

        yield from walk(self.tree, "<module>")


def source_modules(root: Path = ROOT) -> list[Module]:
    modules = []
    for package in SOURCE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules.append(
                Module.parse(".".join(parts), path.read_text(encoding="utf-8"), is_package=is_package)
            )
    return modules


def _top(module: str) -> str:
    return module.split(".")[0]


def _unit(module: str) -> str:
    """The domain a module belongs to: its top package, or `scenarios.<key>` for a scenario."""
    parts = module.split(".")
    if parts[0] == "scenarios" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


# rule: core never imports a domain ----------------------------------------------------------


def core_imports_a_domain(module: Module) -> list[Violation]:
    if _top(module.name) != "core":
        return []
    return [
        Violation(module.name, "", line, f"imports {imported}")
        for imported, line in module.imported_modules()
        if _top(imported) in DOMAINS
    ]


# rule: domains do not import each other -----------------------------------------------------


def domain_imports_another(module: Module) -> list[Violation]:
    if _top(module.name) not in DOMAINS:
        return []
    own = _unit(module.name)
    return [
        Violation(module.name, "", line, f"imports {imported}")
        for imported, line in module.imported_modules()
        if _top(imported) in DOMAINS and _unit(imported) != own and imported != "scenarios"
    ]


# rule: no ORM writes under api/ -------------------------------------------------------------

ORM_WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
# Receivers that are not models or querysets: a dict's update, a serializer handing its data to a
# service is not an ORM write (the service does it), headers and caches.
_NOT_ORM = ("serializer", "headers", "data", "context", "params", "kwargs", "values", "fields", "cache")


def _expression_text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every node the parser makes
        return ""


def orm_write_in_api(module: Module) -> list[Violation]:
    parts = module.name.split(".")
    if "api" not in (parts if module.is_package else parts[:-1]):
        return []
    found = []
    for scope, node in module.functions():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in ORM_WRITES and not method.startswith("bulk_"):
            continue
        receiver = _expression_text(node.func.value)
        last = receiver.split(".")[-1].split("(")[0].lower()
        if any(word in last for word in _NOT_ORM) or receiver in {"dict", "super()"}:
            continue
        found.append(Violation(module.name, scope, node.lineno, f"{receiver}.{method}(...)"))
    return found


# rule: no on_commit outside core/outbox -----------------------------------------------------


def on_commit_outside_outbox(module: Module) -> list[Violation]:
    if module.name == "core.outbox" or module.name.startswith("core.outbox."):
        return []
    found = []
    for scope, node in module.functions():
        if isinstance(node, ast.Attribute) and node.attr == "on_commit":
            found.append(Violation(module.name, scope, node.lineno, _expression_text(node)))
        elif isinstance(node, ast.Name) and node.id == "on_commit":
            found.append(Violation(module.name, scope, node.lineno, "on_commit"))
        elif isinstance(node, ast.ImportFrom) and any(a.name == "on_commit" for a in node.names):
            found.append(Violation(module.name, scope, node.lineno, "imports on_commit"))
    return found


# rule: no region path split by hand ---------------------------------------------------------


def path_split_by_hand(module: Module) -> list[Violation]:
    """Every `<something path>.split("/")`: core/regions/paths.py answers ancestors, the community
    or street of a path, and is the one module that splits one."""
    if module.name == "core.regions.paths":
        return []
    found = []
    for scope, node in module.functions():
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
        ):
            continue
        if not (node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "/"):
            continue
        receiver = _expression_text(node.func.value)
        if "path" in receiver.lower():
            found.append(Violation(module.name, scope, node.lineno, f'{receiver}.split("/")'))
    return found


# rule: no module-level import cycle ---------------------------------------------------------


def import_graph(modules: list[Module], *, module_level_only: bool = True) -> dict[str, set[str]]:
    """Imports between the given modules; by default module-level ones only (imports inside
    functions run later and take no part in a cycle at import time). `from package import sub`
    is an edge to the submodule only: the package runs first as the parent of any submodule."""
    known = {m.name for m in modules}
    graph: dict[str, set[str]] = {m.name: set() for m in modules}
    for module in modules:
        for imp in module.imports:
            if module_level_only and imp.in_function:
                continue
            submodules = {f"{imp.module}.{n}" for n in imp.names} & known
            targets = (
                submodules if len(submodules) == len(imp.names) and imp.names else {imp.module} | submodules
            )
            graph[module.name].update(t for t in targets if t in known and t != module.name)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Each strongly connected group of more than one module, sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[tuple[str, ...]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(tuple(sorted(group)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)
