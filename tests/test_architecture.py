"""The import rules of the source tree, read from the code itself with `ast` (nothing imported).

Data flows one way: bot -> nlp -> db and knowledge -> db, everything may use the text layer
(zhtext), which uses nothing of ours. The tools around the product (cli, bench, devtools) sit
on top and nothing in the product imports them. Only bot/telegram/ talks to python-telegram-bot.
No module reaches another through importlib, and no two modules import each other, directly
or in a ring: a cycle hidden behind a function-level or TYPE_CHECKING import is still a cycle
(the two modules cannot be understood, tested or replaced apart), so those imports count.
Function-level imports of our own modules are allowed only in the CLI and the bench, which
delay heavy imports for start-up time (see cli/__init__.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "nlp", "knowledge", "db", "zhtext", "scope", "cli", "bench", "devtools")
SCRIPTS = ("run_bot",)

# What each top-level package may import from the project (its own modules always).
ALLOWED: dict[str, frozenset[str]] = {
    "zhtext": frozenset(),
    # Places and periods, one model for documents and questions: like zhtext, nothing of ours.
    "scope": frozenset(),
    "db": frozenset(),
    "knowledge": frozenset({"db", "zhtext", "scope"}),
    # nlp may read the parser's record types, nothing else of knowledge (DESIGN.md).
    "nlp": frozenset({"db", "zhtext", "scope", "knowledge.records"}),
    "bot": frozenset({"nlp", "knowledge", "db", "zhtext", "scope"}),
    "devtools": frozenset(),  # the fake Bot API: standard library only
    "bench": frozenset({"bot", "nlp", "knowledge", "db", "zhtext", "scope", "devtools"}),
    "cli": frozenset({"bot", "nlp", "knowledge", "db", "zhtext", "scope", "bench"}),
    "run_bot": frozenset({"cli", "bot"}),
}
# Packages whose modules may import our own modules inside functions (start-up time).
LATE_IMPORTS_ALLOWED = frozenset({"cli", "bench"})
TELEGRAM_PACKAGE = "bot.telegram"
# The fake Bot API may speak PTB's types one day; it is a test tool, not the product.
TELEGRAM_ALSO = frozenset({"devtools"})

# Known cycles the lead is taking apart (issue 15). Each found cycle must lie inside one of
# these; an entry that no longer matches any cycle fails too, so delete it once it is fixed.
KNOWN_CYCLES: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it stands and how it is guarded."""

    source: str  # importing module, dotted
    target: str  # imported module, dotted (ours or third-party)
    line: int
    in_function: bool
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Every module of the product and its tools, by dotted name."""
    files = {name: ROOT / f"{name}.py" for name in SCRIPTS}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            files[_module_name(path)] = path
    return files


MODULES = source_files()


def _ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES or name in SCRIPTS


def _resolve(base: str, name: str | None) -> str:
    """`from base import name`: the submodule base.name when it is one, else base."""
    if name is not None and f"{base}.{name}" in MODULES:
        return f"{base}.{name}"
    return base


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    # A package's __init__ is its own anchor; a plain module's anchor is its package.
    package = module.split(".")
    if MODULES[module].name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str) -> Iterator[Import]:
    """Walk one module's tree, noting for each import whether a function or a guard holds it."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))

    def walk(node: ast.AST, in_function: bool, guarded: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, in_function, guarded)
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(module, child)
                for alias in child.names:
                    target = _resolve(base, alias.name)
                    yield Import(module, target, child.lineno, in_function, guarded)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, True, guarded)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), in_function, True)
                for stmt in child.orelse:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), in_function, guarded)
            else:
                yield from walk(child, in_function, guarded)

    yield from walk(tree, False, False)


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def _package(module: str) -> str:
    return module.split(".")[0]


def _allowed(source: str, target: str) -> bool:
    if _package(source) == _package(target):
        return True
    return any(
        target == allowed or target.startswith(f"{allowed}.")
        for allowed in ALLOWED[_package(source)]
    )


def _where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(ROOT)}:{imp.line} imports {imp.target}"


def _in_known_cycle(*modules: str) -> bool:
    return any(set(modules) <= cycle for cycle in KNOWN_CYCLES)


def test_every_import_follows_the_flow() -> None:
    wrong = [
        _where(imp)
        for imp in ALL_IMPORTS
        if _ours(imp.target) and not _allowed(imp.source, imp.target)
    ]
    assert wrong == [], "imports against bot -> nlp -> db, knowledge -> db:\n" + "\n".join(wrong)


def test_only_the_telegram_package_imports_telegram() -> None:
    outside = [
        _where(imp)
        for imp in ALL_IMPORTS
        if _package(imp.target) == "telegram"
        and not (imp.source == TELEGRAM_PACKAGE or imp.source.startswith(f"{TELEGRAM_PACKAGE}."))
        and _package(imp.source) not in TELEGRAM_ALSO
    ]
    assert outside == [], "telegram imported outside bot/telegram/:\n" + "\n".join(outside)


# What of SQLAlchemy the product may touch outside db/: handles, sessions and errors. Building
# a statement (select, func, text, Select ...) is db/'s job alone (issue 15).
SQL_HANDLES = {"sqlalchemy": {"Engine"}, "sqlalchemy.orm": {"Session", "sessionmaker"}}


def sqlalchemy_names(module: str) -> Iterator[tuple[int, str, str]]:
    """(line, module, name) of every name a module takes from SQLAlchemy; errors left out."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _package(alias.name) == "sqlalchemy" and alias.name != "sqlalchemy.exc":
                    yield node.lineno, alias.name, "*"
        elif isinstance(node, ast.ImportFrom) and _package(node.module or "") == "sqlalchemy":
            source = node.module or ""
            for alias in node.names if source != "sqlalchemy.exc" else ():
                yield node.lineno, source, alias.name


def test_sql_is_written_only_in_db() -> None:
    statements = {
        module: [
            f"{MODULES[module].relative_to(ROOT)}:{line} takes {name} from {source}"
            for line, source, name in sqlalchemy_names(module)
            if name not in SQL_HANDLES.get(source, set())
        ]
        for module in MODULES
    }
    outside = [
        hit for module, hits in statements.items() if _package(module) != "db" for hit in hits
    ]
    assert outside == [], "SQL built outside db/:\n" + "\n".join(outside)
    assert statements["db.queries"], "the check must see db/queries.py build its statements"


def test_no_importlib() -> None:
    # importlib.resources and importlib.metadata read installed files; loading modules by
    # name is what is out.
    reading = {"importlib.resources", "importlib.metadata"}
    found = [
        _where(imp)
        for imp in ALL_IMPORTS
        if _package(imp.target) == "importlib" and imp.target not in reading
    ]
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} calls __import__")
    assert found == [], "modules must be imported by name:\n" + "\n".join(found)


def test_late_imports_of_our_modules_only_in_the_cli_and_bench() -> None:
    late = [
        _where(imp)
        for imp in ALL_IMPORTS
        if imp.in_function
        and not imp.type_checking
        and _ours(imp.target)
        and _package(imp.source) not in LATE_IMPORTS_ALLOWED
        and not _in_known_cycle(imp.source, imp.target)
    ]
    assert late == [], "function-level imports of project modules:\n" + "\n".join(late)


def module_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports, however the import is guarded."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in ALL_IMPORTS:
        if imp.target in MODULES and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative: every set of modules that import each other in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


CYCLES = strongly_connected(module_graph())


def test_no_import_cycles() -> None:
    unknown = [sorted(c) for c in CYCLES if not _in_known_cycle(*c)]
    assert unknown == [], f"modules importing each other: {unknown}"


@pytest.mark.parametrize("known", KNOWN_CYCLES, ids=lambda c: min(c))
def test_known_cycles_still_exist(known: frozenset[str]) -> None:
    assert any(c & known for c in CYCLES), f"{sorted(known)} is no cycle any more: delete it"


def test_the_checks_see_what_they_check() -> None:
    """Guard the walker itself: it must find imports of every kind it rules on."""
    assert len(MODULES) > 80
    assert any(imp.type_checking for imp in ALL_IMPORTS)
    assert any(imp.in_function and _ours(imp.target) for imp in ALL_IMPORTS)
    assert any(_package(imp.target) == "telegram" for imp in ALL_IMPORTS)
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        {"a", "b", "c"}
    ]
    assert not _allowed("db.writes", "knowledge.records")
    assert not _allowed("nlp.router", "bot.services")
    assert not _allowed("zhtext.width", "nlp.normalize")
    assert not _allowed("bot.handlers", "cli.ask")
    assert _allowed("knowledge.ingest", "db.writes") and _allowed("nlp.kb", "knowledge.records")
