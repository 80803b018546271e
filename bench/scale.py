"""How much the bench measures: the full run (``make bench``) or the smoke run (``make bench BENCH_SMOKE=1``,
and a test of the suite), which takes every section through a handful of requests once so none can rot.

BENCH_ROUNDS (default 7) sets the cold-start rounds, BENCH_INVOCATIONS (default 200) the warm invocations,
BENCH_OUTPUT where the report goes (docs/benchmarks.md; build/bench-smoke.md for the smoke run).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from bench.spawn import REPO

# What the smoke run sends to every per-operation section: a public write, a read, a conditional update, a
# list, and a create with its Idempotency-Key row.
SMOKE_OPERATIONS = ("identity.signup", "identity.get_tenant", "identity.update_tenant", "proofs.create_proof",
                    "proofs.list_proofs")


@dataclass(frozen=True)
class Scale:
    smoke: bool
    rounds: int  # cold-start rounds per case
    invocations: int  # warm invocations per process
    repeats: int  # requests per operation in the AWS-calls section
    operations: tuple[str, ...] | None  # the AWS-calls section's operation ids (None: every one)
    routes: tuple[str, ...]  # the requests of the cold-start and warm sections
    warm_processes: int  # processes of the sync vs async warm comparison
    webhook_messages: int  # messages per round of the webhook delivery section
    webhook_rounds: int
    stack_window: float  # seconds the local stack's CPU share is measured over, idle and under load
    stack_settle: float  # seconds with nothing to do before the idle window and each write after idling
    stack_events: int  # writes timed to their consumer right after one another
    stack_idle_events: int  # writes timed to their consumer after idling
    results: Path  # where the report goes

    @property
    def timed_rounds(self) -> int:
        """Cold-start rounds after round 0 (which checks the answers): none in the smoke run, whose round 0 is
        timed too (its numbers mean nothing), so the smoke run starts each case's process once."""
        return 0 if self.smoke else self.rounds


def _setting(name: str, default: int) -> int:
    value = int(os.environ.get(name, default))
    if value < 1:
        raise SystemExit(f"{name} must be at least 1")
    return value


def _output(default: Path) -> Path:
    return Path(os.environ["BENCH_OUTPUT"]).resolve() if os.environ.get("BENCH_OUTPUT") else default


def from_environment() -> Scale:
    if os.environ.get("BENCH_SMOKE", "") not in ("", "0"):
        return Scale(smoke=True, rounds=1, invocations=5, repeats=1, operations=SMOKE_OPERATIONS,
                     routes=("identity.get_tenant",), warm_processes=1, webhook_messages=10, webhook_rounds=1,
                     stack_window=2, stack_settle=1, stack_events=2, stack_idle_events=1,
                     results=_output(REPO / "build" / "bench-smoke.md"))
    return Scale(smoke=False, rounds=_setting("BENCH_ROUNDS", 7), invocations=_setting("BENCH_INVOCATIONS", 200),
                 repeats=11, operations=None, routes=("identity.get_tenant", "system.health"), warm_processes=3,
                 webhook_messages=100, webhook_rounds=3, stack_window=30, stack_settle=20, stack_events=5,
                 stack_idle_events=3, results=_output(REPO / "docs" / "benchmarks.md"))
