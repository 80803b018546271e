"""Job kind declarations and the context a kind's run gets."""

import pytest

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
