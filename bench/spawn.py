"""Run a bench module in a fresh Python process and collect what it measured."""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


class ChildFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class ChildRun:
    wall_seconds: float  # spawn, interpreter start-up, the child's work and its exit
    result: dict[str, Any]


def run_child(module: str, job: Mapping[str, Any], env: Mapping[str, str],
              python_flags: Sequence[str] = (), python: str = sys.executable) -> ChildRun:
    """``python -m module`` with ``BENCH_JOB``; the child writes its JSON result to ``BENCH_RESULT``."""
    fd, result_path = tempfile.mkstemp(prefix="atrium-bench-", suffix=".json")
    os.close(fd)
    try:
        started = time.perf_counter()
        # stdout is the handlers' log stream (Powertools logs there): discard it, as CloudWatch would keep it.
        completed = subprocess.run(
            [python, *python_flags, "-m", module], cwd=REPO, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, check=False,
            env={**env, "BENCH_JOB": json.dumps(job), "BENCH_RESULT": result_path},
        )
        wall = time.perf_counter() - started
        if completed.returncode != 0:
            raise ChildFailed(f"python -m {module} ({job.get('mode', '')} {job.get('module', '')}) failed:\n"
                              f"{completed.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(Path(result_path).read_text())
        return ChildRun(wall, result)
    finally:
        os.unlink(result_path)
