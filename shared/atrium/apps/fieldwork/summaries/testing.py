"""Monthly summary requests for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel import clock
from atrium.kernel.testing import CallBudget, Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "fieldwork.get_monthly_summary": lambda _fixture, spec: Request(
        path=f"{spec.path}?month={clock.now().strftime('%Y-%m')}"),
}

AWS_CALL_BUDGETS = {
    "fieldwork.get_monthly_summary": CallBudget(2, "One Query of the month's partition (a tally per assembly type, "
                                                   "the summary once sent) and, until the summary is sent, one COUNT "
                                                   "Query of the assemblies due before today (no item is returned)."),
}
