"""Requests to the retention routes, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel.testing import CallBudget, Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "retention.update_retention": lambda fixture, spec: Request(body={"days": {"jobs.finished": 90}},
                                                                headers={"If-Match": fixture.etag(spec.path)}),
}

AWS_CALL_BUDGETS = {
    "retention.update_retention": CallBudget(2,
        "A consistent GetItem before the transaction: the choice merges into the tenant's others, the event carries "
        "the days it replaces, and a stale If-Match fails fast with 412 before any write."),
}
