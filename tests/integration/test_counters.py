"""Fixed-window counters: at most ``most`` per window, atomically, alone or in a unit of work."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.counters import Limit, LimitReached, take, take_in
from atrium.kernel.store.guards import UniqueValue
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope

THREE_A_MINUTE = Limit("tests", 3, 60, "three a minute")


def _took(subject: str) -> bool:
    try:
        take(THREE_A_MINUTE, subject)
    except LimitReached:
        return False
    return True


def test_racing_takes_pass_the_limit_exactly(aws: Any) -> None:
    with clock.frozen(clock.now()), ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _took("a@example.com"), range(12)))
    assert results.count(True) == 3


def test_the_refusal_says_when_the_window_ends_and_a_new_window_starts_afresh(aws: Any) -> None:
    with clock.frozen(clock.now()) as advance:
        for _ in range(3):
            take(THREE_A_MINUTE, "a@example.com")
        with pytest.raises(LimitReached) as reached:
            take(THREE_A_MINUTE, "a@example.com")
        assert 0 < reached.value.retry_after_seconds <= 60
        take(THREE_A_MINUTE, "b@example.com")  # another subject counts apart
        advance(reached.value.retry_after_seconds)
        take(THREE_A_MINUTE, "a@example.com")


def test_in_a_unit_of_work_a_count_is_spent_only_if_the_change_commits(aws: Any) -> None:
    def change(value: str) -> None:
        uow = UnitOfWork("ten_a", Ref(type="user", id="usr_1"))
        uow.claim_unique("name", value, owner_id="w1", conflict=Conflict("taken"))
        take_in(uow, Limit("tests", 1, 60, "one a minute"), "w", tenant_id="ten_a")
        uow.record("widget.named", subject=Ref(type="widget", id="w1"), data={}, emit=False)
        uow.commit()

    with tenant_scope("ten_a"), clock.frozen(clock.now()):
        guard = UniqueValue(tenant_id="ten_a", field="name", value="x", owner_id="other")
        guard.save()
        with pytest.raises(Conflict):
            change("x")  # fails on the guard: nothing counted
        change("y")
        with pytest.raises(LimitReached):
            change("z")
