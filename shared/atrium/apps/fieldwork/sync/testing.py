"""The field sync, for the tests and the bench (``atrium.kernel.testing``): the sync of the fixture's owner, made a
tester and assigned a scheduled order."""

from atrium.apps.fieldwork.testing import Caller
from atrium.apps.fieldwork.workorders.testing import a_scheduled_work_order
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup


def _assigned(fixture: Fixture, _spec: RouteSpec) -> Request:
    a_scheduled_work_order(fixture.client, Caller(fixture))
    return Request()


BENCH_REQUESTS: dict[str, RequestSetup] = {"fieldwork.sync_field_work": _assigned}

AWS_CALL_BUDGETS = {
    "fieldwork.sync_field_work": CallBudget(3, "One Query of the caller's open orders (gsi1), then one consistent "
                                               "BatchGetItem of the orders and their assemblies and one of the "
                                               "assemblies' sites and last reports; a page stays within 100 keys "
                                               "each (sync/service.py)."),
}
