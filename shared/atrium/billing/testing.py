"""Requests of the billing context, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel.testing import CallBudget

AWS_CALL_BUDGETS = {
    "billing.get_subscription": CallBudget(5,
        "A GetItem of the subscription, and one COUNT Query per usage counted now: the active members (seats) and "
        "the webhook endpoints; then metering's counters: the month's proofs (one Query of the day counters) and the "
        "bytes stored (a GetItem of the running total)."),
}
