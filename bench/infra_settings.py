"""Settings of the deployed functions, read from the CDK app's source without importing it (CDK is slow to
import and the bench needs three facts): the memory size, the architecture and the authorizer's cache TTL.

Each comes back with where it was read, so the tables can say so; a setting the source no longer holds as a
literal falls back to the value ARCHITECTURE.md and the infra had when this was written, and says that.
"""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.spawn import REPO

FUNCTION_CONSTRUCT = REPO / "infra" / "constructs" / "function.py"
API_CONSTRUCT = REPO / "infra" / "constructs" / "api.py"


@dataclass(frozen=True)
class Setting:
    value: int
    source: str  # "infra/constructs/function.py MEMORY_MB", or the reason it is a stated value


def _assigned(path: Path, name: str) -> ast.expr | None:
    try:
        tree = ast.parse(path.read_text())
    except (OSError, SyntaxError):
        return None
    value: ast.expr | None
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            return value
    return None


def _literal_int(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


def _duration_seconds(node: ast.expr | None) -> int | None:
    """``Duration.seconds(60)`` or ``Duration.minutes(1)``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and len(node.args) == 1):
        return None
    amount = _literal_int(node.args[0])
    factor = {"seconds": 1, "minutes": 60}.get(node.func.attr)
    return amount * factor if amount is not None and factor else None


def _relative(path: Path) -> str:
    return str(path.relative_to(REPO))


@cache
def memory_mb() -> Setting:
    value = _literal_int(_assigned(FUNCTION_CONSTRUCT, "MEMORY_MB"))
    if value is None:
        return Setting(512, f"stated: no MEMORY_MB literal in {_relative(FUNCTION_CONSTRUCT)}")
    return Setting(value, f"{_relative(FUNCTION_CONSTRUCT)} MEMORY_MB")


@cache
def authorizer_cache_ttl_s() -> Setting:
    value = _duration_seconds(_assigned(API_CONSTRUCT, "AUTHORIZER_CACHE_TTL"))
    if value is None:
        return Setting(60, f"stated: no AUTHORIZER_CACHE_TTL literal in {_relative(API_CONSTRUCT)}")
    return Setting(value, f"{_relative(API_CONSTRUCT)} AUTHORIZER_CACHE_TTL")


@cache
def architecture() -> str:
    """``X86_64`` or ``ARM_64`` (``lambda_.Architecture.X86_64``); ``unknown`` when it is not a plain attribute."""
    node = _assigned(FUNCTION_CONSTRUCT, "ARCHITECTURE")
    return node.attr if isinstance(node, ast.Attribute) else "unknown"
