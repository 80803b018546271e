"""Sample requests of billing's Stripe routes, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel.testing import CallBudget, Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "billing.create_checkout_session": lambda _fixture, _: Request(body={"plan": "professional", "interval": "month"}),
}

_FIRST_CUSTOMER = ("A GetItem of the tenant's Stripe customer id; the first time, Stripe creates the customer and one "
                   "transaction records its id (with its audit entry).")
AWS_CALL_BUDGETS = {
    "billing.create_checkout_session": CallBudget(3, _FIRST_CUSTOMER + " A per-seat plan counts the active members "
                                                  "(one COUNT Query): the subscription's quantity."),
    "billing.create_portal_session": CallBudget(2, _FIRST_CUSTOMER),
}
