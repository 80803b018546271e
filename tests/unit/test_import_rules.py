"""The import rules of the house, in one place, held against every module of ``shared/atrium``:

1. The kernel imports no context, no app and not the manifest.
2. No platform context imports an app; the platform names no app (``tests/unit/test_roles.py``).
3. A context imports another context only through that context's public face, its ``api`` module.
4. Contexts import each other without cycles.
5. Only ``testing`` modules import a ``testing`` module at run time: the Lambda layer ships none of them.
6. The domain imports no test and no bench code, and no test imports the bench (shared helpers live in
   ``tests/support``, which the bench may use).

Every import counts: at the top, inside functions, under ``TYPE_CHECKING`` (but for rule 5), and ``lazy_modules``
names. A context's public face holds functions and the read models they return, never its stored models (rule 3
would mean little if ``api`` handed them out).
"""

import ast
from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path

import pytest

from atrium import manifest
from atrium.kernel.store.models import Item

PACKAGE = Path(manifest.__file__).parent
TESTS = PACKAGE.parents[1] / "tests"
KERNEL, MANIFEST = "atrium.kernel", "atrium.manifest"

def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent / Path(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_of(name: str) -> str:
    """``atrium.identity.models.UserItem`` -> ``atrium.identity.models``."""
    while not _is_module(name):
        name = name.rpartition(".")[0]
    return name


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The nodes inside ``if TYPE_CHECKING:`` blocks (by id): imports there never run."""
    blocks = [node for node in ast.walk(tree)
              if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"]
    return {id(inner) for block in blocks for statement in block.body for inner in ast.walk(statement)}


def _imported(path: Path, *, at_run_time_only: bool = False) -> Iterator[str]:
    tree = ast.parse(path.read_text())
    skipped = _type_checking_only(tree) if at_run_time_only else set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_modules":
            package, *names = [str(arg.value) for arg in node.args if isinstance(arg, ast.Constant)]
            yield from (f"{package}.{name}" for name in names)


def _owner(module: str) -> str:
    """The context that owns ``module`` (the longest package match), the kernel, or the module itself."""
    owners = [(len(package), context) for context, package in manifest.CONTEXTS.items()
              if module == package or module.startswith(f"{package}.")]
    return max(owners)[1] if owners else KERNEL if module.startswith(KERNEL) else module


IMPORTS = sorted({(_name(path), _module_of(name)) for path in PACKAGE.rglob("*.py") for name in _imported(path)
                  if name.startswith("atrium.")})
APPS = {context for context, package in manifest.CONTEXTS.items() if package.startswith("atrium.apps.")}


def test_the_kernel_imports_no_context_and_not_the_manifest() -> None:
    assert [(a, b) for a, b in IMPORTS if _owner(a) == KERNEL and _owner(b) != KERNEL] == []


def test_no_platform_context_imports_an_app() -> None:
    assert [(a, b) for a, b in IMPORTS if _owner(a) not in APPS and _owner(b) in APPS] == []


def test_contexts_import_each_other_through_their_public_face() -> None:
    crossings = {(_owner(a), b) for a, b in IMPORTS
                 if _owner(a) in manifest.CONTEXTS and _owner(b) in manifest.CONTEXTS and _owner(a) != _owner(b)
                 and b != f"{manifest.CONTEXTS[_owner(b)]}.api"}
    assert sorted(crossings) == [], "import the other context's api module instead"


@pytest.mark.parametrize("context", [c for c, package in manifest.CONTEXTS.items() if find_spec(f"{package}.api")])
def test_a_public_face_hands_out_no_stored_model(context: str) -> None:
    face = import_module(f"{manifest.CONTEXTS[context]}.api")
    exported = [getattr(face, name) for name in face.__all__]
    assert [value for value in exported if isinstance(value, type) and issubclass(value, Item)] == []


def _cycles(edges: set[tuple[str, str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one context (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while (member := stack.pop()) != node:
                group.add(member)
            group.add(node)
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_contexts_import_each_other_without_cycles() -> None:
    edges = {(_owner(a), _owner(b)) for a, b in IMPORTS
             if _owner(a) in manifest.CONTEXTS and _owner(b) in manifest.CONTEXTS and _owner(a) != _owner(b)}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_cycles() -> None:
    ring = {(a, b) for a, b in pairwise(["a", "b", "c", "a"])}
    assert _cycles(ring | {("c", "d")}) == [frozenset({"a", "b", "c"})]
    assert _cycles({("a", "b"), ("b", "c")}) == []


def _is_testing(module: str) -> bool:
    return module.rpartition(".")[2] == "testing"


def test_only_testing_modules_import_testing_modules() -> None:
    importing = {(_name(path), _module_of(name)) for path in PACKAGE.rglob("*.py")
                 for name in _imported(path, at_run_time_only=True) if name.startswith("atrium.")}
    assert [(a, b) for a, b in sorted(importing) if _is_testing(b) and not _is_testing(a)] == []


def _imports_of(root: Path, top_level: set[str]) -> list[tuple[str, str]]:
    """(file, imported name) for each import by a file under ``root`` of a name in the ``top_level`` packages."""
    return sorted({(str(path.relative_to(root.parent)), name) for path in root.rglob("*.py") for name in _imported(path)
                   if name.split(".", 1)[0] in top_level})


def test_the_domain_imports_no_test_or_bench_code() -> None:
    assert _imports_of(PACKAGE, {"tests", "bench"}) == []


def test_no_test_imports_the_bench() -> None:
    assert TESTS.is_dir() and _imports_of(TESTS, {"bench"}) == []
