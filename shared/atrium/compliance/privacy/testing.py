"""Requests to the privacy routes, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel.testing import CallBudget, Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "privacy.update_settings": lambda fixture, spec: Request(body={"pii_mode": "flag", "phone_region": "GB"},
                                                             headers={"If-Match": fixture.etag(spec.path)}),
}

AWS_CALL_BUDGETS = {
    "privacy.update_settings": CallBudget(2,
        "A consistent GetItem before the transaction: the event carries the settings it replaces, and a stale If-Match "
        "fails fast with 412 before any write."),
}
