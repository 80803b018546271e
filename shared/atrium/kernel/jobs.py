"""Job kinds: work a user waits on, declared by the context that owns the work in its ``jobs.py``
(``JOB_KINDS``). Each kind gets its own queue, DLQ and consumer (``atrium.jobs.runner``); callers start
one with ``atrium.jobs.api.enqueue`` inside their unit of work, passing the kind itself (reached by import).

This module holds only the declaration types, so a context declares a kind without importing the jobs
context's models."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from atrium.kernel.grants import Grant


@dataclass(frozen=True)
class JobContext:
    """What a kind's ``run`` gets: the job, its parameters, and a way to report progress."""

    tenant_id: str
    job_id: str
    params: dict[str, Any]
    attempt: int
    report: Callable[[float, str | None], None]

    def progress(self, fraction: float, message: str | None = None) -> None:
        """Persist how far the job is (0.0 to 1.0, clamped) and, optionally, what it is doing."""
        self.report(min(max(fraction, 0.0), 1.0), message)


@dataclass(frozen=True)
class JobKind:
    """``run`` returns the job's result (a JSON object, or None) or raises; an exception's message is
    what the job shows as its error, and the attempt is retried until ``max_attempts``. ``on_failed`` is told
    when the last attempt failed (with that error), so the record the job was writing can say so too."""

    name: str
    run: Callable[[JobContext], dict[str, Any] | None]
    description: str
    # Who may start or retry a job of this kind (and read one they did not start).
    permission: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    timeout_seconds: int = 60
    max_attempts: int = 3
    # Dependency groups (pyproject.toml) only this kind's function needs; each ships as a layer of its own.
    layers: frozenset[str] = field(default_factory=frozenset)
    on_failed: Callable[[JobContext, str], None] | None = None

    def __post_init__(self) -> None:
        if "." not in self.name:
            raise ValueError(f"job kind {self.name!r} is <context>.<name>")
        if ":" not in self.permission:
            raise ValueError(f"job kind {self.name}: a permission is resource:action")
