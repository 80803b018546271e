"""Job kind declarations and the context a kind's run gets."""

import pkgutil
from importlib import import_module
from types import ModuleType

import pytest

from atrium import manifest
from atrium.kernel.jobs import JobContext, JobKind


def test_progress_is_reported_as_a_fraction_between_0_and_1() -> None:
    reported: list[tuple[float, str | None]] = []
    job = JobContext(tenant_id="ten_1", job_id="job_1", params={}, attempt=1,
                     report=lambda fraction, message: reported.append((fraction, message)))
    job.progress(0.25, "a quarter")
    job.progress(-1)
    job.progress(7)
    assert reported == [(0.25, "a quarter"), (0.0, None), (1.0, None)]


@pytest.mark.parametrize(("name", "permission", "error"), [
    ("export", "audit:export", "is <context>.<name>"),
    ("audit.export", "audit", "a permission is resource:action"),
])
def test_a_kind_is_named_after_its_context_and_needs_a_permission(name: str, permission: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        JobKind(name=name, run=lambda job: None, description="d", permission=permission)


def test_every_kind_a_context_can_start_is_declared() -> None:
    """``enqueue`` takes the kind itself, so a kind missing from ``JOB_KINDS`` would queue jobs no consumer runs:
    every kind a context's modules hold is listed."""
    held = {value.name for package in manifest.CONTEXTS.values() for module in _modules_of(package)
            for value in vars(module).values() if isinstance(value, JobKind)}
    assert held
    assert held <= {kind.name for kind in manifest.job_kinds()}


def _modules_of(package: str) -> list[ModuleType]:
    root = import_module(package)
    return [root, *(import_module(info.name) for info in pkgutil.walk_packages(root.__path__, f"{package}."))]
