"""An idle local stack sleeps (its worker backs off to the longest wait between looks) and still wakes at once for
a write: moto's server rings the worker. How long the wake-up takes is measured in ``bench/local_stack.py``."""

import time

import httpx

from atrium_local.alarm import Backoff
from tests.e2e.local_stack import LocalStack

# Well under the backoff's longest wait: an event that waited for the worker's next look would be later.
WAKE_DEADLINE = 5.0


def _backed_off_fully() -> float:
    """Seconds of finding no work after which the worker waits the longest between looks."""
    backoff, waited = Backoff(), 0.0
    while (wait := backoff.after(0)) < backoff.cap:
        waited += wait
    assert backoff.cap > 2 * WAKE_DEADLINE
    return waited


def _sign_up(stack: LocalStack, name: str) -> None:
    response = httpx.post(f"{stack.base}/v1/signup", json={"tenant_name": name, "email": f"{name}@example.com",
                                                           "password": "correct horse battery staple"})
    assert response.status_code == 201, response.text


def _mails(stack: LocalStack, count: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    with httpx.Client() as http:  # one for all the polls: making one costs tens of milliseconds of CPU
        while time.monotonic() < deadline:
            if len(http.get(f"{stack.base}/_local/mail").json()) >= count:
                return True
            time.sleep(0.05)
    return False


def test_a_write_reaches_its_consumer_after_the_worker_idled(stack: LocalStack) -> None:
    _sign_up(stack, "first")
    assert _mails(stack, 1, timeout=20)
    time.sleep(_backed_off_fully() + 1)  # nothing to do: the worker now waits the longest between looks
    _sign_up(stack, "second")
    assert _mails(stack, 2, timeout=WAKE_DEADLINE), "the welcome email waited for the worker's next look"
