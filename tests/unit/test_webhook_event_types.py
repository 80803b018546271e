"""The event catalog offered to webhook endpoints: every deliverable type, each with a valid example."""

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, EmailStr, Field

from atrium import manifest
from atrium.kernel.events.catalog import EventType
from atrium.webhooks import event_types

INTERNAL = {"audit.entries_written", "billing.requests_counted", "job.queued", "job.retried",
            "account.email_verification_requested", "account.password_reset_requested",
            "account.email_change_requested", "account.email_changed", "plugin.notification_requested"}


def test_internal_signals_are_not_deliverable() -> None:
    names = {t.name for t in event_types.deliverable()}
    assert names == {t.name for t in manifest.event_types()} - INTERNAL
    assert {t.name for t in manifest.event_types() if not t.deliverable} == INTERNAL


@pytest.mark.parametrize("event_type", manifest.event_types(), ids=lambda t: t.name)
def test_every_example_validates_against_its_model(event_type: EventType) -> None:
    example = event_types.example(event_type)
    assert event_type.data.model_validate(example).model_dump(mode="json", exclude_unset=True) == example


class _Grant(BaseModel):
    role: Literal["viewer", "member"]
    expires_at: str | None


class _Constrained(BaseModel):
    email: EmailStr
    code: Annotated[str, Field(min_length=12)]
    count: Annotated[int, Field(gt=3)]
    ratio: Annotated[float, Field(ge=0.5)]
    grants: Annotated[list[_Grant], Field(min_length=2)]
    flag: bool
    optional: str = "kept out"


def test_a_model_without_examples_gets_a_minimal_valid_instance() -> None:
    constrained = EventType("test.constrained", _Constrained, "A test type.", read_permission="tests:read")
    built = event_types.example(constrained)
    assert _Constrained.model_validate(built) and "optional" not in built
    assert len(built["grants"]) == 2


def test_a_declared_example_is_used_as_is() -> None:
    declared = next(t for t in event_types.deliverable() if t.name == "webhook_endpoint.created")
    assert event_types.example(declared)["url"] == "https://example.com/webhooks"


def test_a_deliverable_type_declares_the_permission_that_reads_its_data() -> None:
    with pytest.raises(ValueError, match="read_permission"):
        EventType("test.unguarded", _Constrained, "A test type.")
    assert EventType("test.signal", _Constrained, "An internal signal.", deliverable=False).read_permission is None
    assert all(t.read_permission for t in event_types.deliverable())
