"""Requests of tenant deletion, for the tests and the bench (``atrium.kernel.testing``): each on a new tenant, as
asking for a deletion suspends the tenant."""

from atrium.compliance.backups.testing import run_job
from atrium.compliance.offboarding.routes import DELETION_PATH
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup


def _owner_of_a_new_tenant(fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request(body={}, headers=fixture.step_up(fixture.new_user()[1]))


def _deletion_requested(fixture: Fixture, _spec: RouteSpec) -> Request:
    owner = fixture.step_up(fixture.new_user()[1])
    fixture.client.post(DELETION_PATH, json={}, headers=owner).raise_for_status()
    return Request(headers=owner)


def _final_backup_written(fixture: Fixture, _spec: RouteSpec) -> Request:
    signed_up, auth = fixture.new_user()
    owner = fixture.step_up(auth)
    deletion = fixture.client.post(DELETION_PATH, json={}, headers=owner).json()
    backup = fixture.client.get(f"/v1/backups/{deletion['final_backup_id']}", headers=owner).json()
    run_job(signed_up["tenant"]["id"], backup["job_id"], "compliance.backup", backup["created_by"])
    return Request(headers=owner)


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "offboarding.request_deletion": _owner_of_a_new_tenant,
    "offboarding.get_deletion": _deletion_requested,
    "offboarding.cancel_deletion": _deletion_requested,
    "offboarding.download_final_export": _final_backup_written,
}

_READS = ("A consistent GetItem of the tenant's deletion (its status decides) and of the tenant (its status, which the "
          "transaction changes at the version read), before the transaction.")
AWS_CALL_BUDGETS = {
    "offboarding.request_deletion": CallBudget(3, _READS),
    "offboarding.request_deletion + Idempotency-Key": CallBudget(5,
        "The reads and the transaction of request_deletion, plus the idempotency record claimed before and completed "
        "after."),
    "offboarding.cancel_deletion": CallBudget(3, _READS),
    "offboarding.download_final_export": CallBudget(2,
        "A GetItem of the tenant's deletion, then of its final backup (its export's key and whether it is written)."),
}
