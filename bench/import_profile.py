"""What dominates the route function's import: ``python -X importtime`` on its entry, once.

Also times compiling Atrium's own imported modules from source, which a cold start pays because neither
the repo nor the domain layer ships bytecode.
"""

import re
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.moto_world import MotoWorld
from bench.report import Table
from bench.spawn import REPO
from bench.stats import ms

OPERATION = "identity.get_tenant"
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)$")


@dataclass
class Imported:
    name: str
    self_s: float
    cumulative_s: float
    parent: str = ""


def parse(stderr: str, root: str) -> list[Imported]:
    """``root`` and every module it imported, ``root`` last.

    importtime prints a module after the modules it imported, indented two spaces per level, so a module's
    parent is the next line one level up; interpreter start-up imports are top-level lines of their own.
    """
    imported: list[Imported] = []
    waiting: dict[int, list[Imported]] = defaultdict(list)  # by depth: modules whose parent is not printed yet
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        module = Imported(match[4], int(match[1]) / 1e6, int(match[2]) / 1e6)
        depth = len(match[3]) // 2
        for child in waiting.pop(depth + 1, []):
            child.parent = module.name
        if depth == 0:
            if module.name == root:
                return [*imported, module]
            imported = []
        else:
            imported.append(module)
            waiting[depth].append(module)
    raise ValueError(f"importtime did not report {root}")


def _atrium_source(name: str) -> Path | None:
    if name == "api":
        return REPO / "functions" / "api.py"
    if name.split(".")[0] != "atrium":
        return None
    base = REPO / "shared" / name.replace(".", "/")
    return next((path for path in (base.with_suffix(".py"), base / "__init__.py") if path.exists()), None)


@dataclass(frozen=True)
class ImportProfile:
    modules: list[Imported]
    atrium_modules: int
    atrium_compile_s: float

    @property
    def total_s(self) -> float:
        return self.modules[-1].cumulative_s

    def by_package(self) -> list[tuple[str, float]]:
        totals: dict[str, float] = defaultdict(float)
        for module in self.modules:
            totals[module.name.split(".")[0]] += module.self_s
        return sorted(totals.items(), key=lambda item: -item[1])

    def tables(self) -> list[Table]:
        top = sorted(self.modules[:-1], key=lambda m: -m.cumulative_s)[:10]
        cumulative = Table(
            f"Import of the route function {OPERATION}: top 10 modules by cumulative import time",
            ("module", "imported by", "cumulative ms", "self ms"),
            [(m.name, m.parent, ms(m.cumulative_s), ms(m.self_s)) for m in top],
            notes=(f"python -X importtime, one run (importtime adds overhead of its own); importing the entry "
                   f"took {ms(self.total_s)} ms in all, {len(self.modules)} modules.",
                   "A module's cumulative time includes every package it happens to import first (the first "
                   "module to import pydantic pays for pydantic): the package table below is the fairer split.",
                   f"Atrium's own {self.atrium_modules} imported modules have no bytecode: compiling them from "
                   f"source takes {ms(self.atrium_compile_s)} ms of every cold start."),
        )
        packages = Table(
            "Import self time by top-level package (same run)",
            ("package", "self ms", "share"),
            [(name, ms(seconds), f"{seconds / self.total_s:.0%}") for name, seconds in self.by_package()[:10]],
        )
        return [cumulative, packages]


def run(world: MotoWorld) -> ImportProfile:
    env = world.child_env() | {"ATRIUM_ROUTE": OPERATION}
    completed = subprocess.run([sys.executable, "-X", "importtime", "-c", "import api"], cwd=REPO, env=env,
                               capture_output=True, text=True, check=True)
    modules = parse(completed.stderr, "api")
    sources = [path for path in (_atrium_source(m.name) for m in modules) if path]
    started = time.perf_counter()
    for path in sources:
        compile(path.read_text(), str(path), "exec")
    return ImportProfile(modules, len(sources), time.perf_counter() - started)
