"""Requests of the payment account's routes, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.billing.payments.schemas import EXAMPLE_ACCOUNT
from atrium.kernel.testing import CallBudget, Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "billing.set_payment_account": lambda _fixture, _spec: Request(body={"stripe_account_id": EXAMPLE_ACCOUNT}),
}

AWS_CALL_BUDGETS = {
    "billing.set_payment_account": CallBudget(2, "Stripe confirms the account first; then a consistent GetItem of "
                                                 "the tenant's payment account (the one it replaces, for the event) "
                                                 "and the transaction."),
}
