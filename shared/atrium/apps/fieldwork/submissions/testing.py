"""Sample submissions, for the tests and the bench (``atrium.kernel.testing``): a district with a signed report
waiting, a submission of it, and one sent (its job run in-process)."""

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.submissions import sending
from atrium.apps.fieldwork.testing import Caller, a_district, a_signed_report
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup

ROOT = "/v1/fieldwork"


def a_waiting_district(client: TestClient, owner: Owner) -> str:
    """A district with one signed report waiting in its queue."""
    report = client.get(f"{ROOT}/reports/{a_signed_report(client, owner)}", headers=owner.auth)
    return str(report.json()["district_id"])


def a_submission(client: TestClient, owner: Owner) -> str:
    """A submission of a new signed report, its job not run yet."""
    response = client.post(f"{ROOT}/districts/{a_waiting_district(client, owner)}/submissions", headers=owner.auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def a_sent_submission(client: TestClient, owner: Owner) -> str:
    submission_id = a_submission(client, owner)
    job_id = client.get(f"{ROOT}/submissions/{submission_id}", headers=owner.auth).json()["job_id"]
    with tenant_scope(owner.id):
        sending.send(JobContext(tenant_id=owner.id, job_id=job_id, params={"submission_id": submission_id},
                                attempt=1, report=lambda _fraction, _message: None))
    return submission_id


PATH_IDS: dict[str, IdFactory] = {"submission_id": a_submission}


def _on(param: str, make: IdFactory, body: dict[str, str] | None = None) -> RequestSetup:
    """A request on a new record named by ``param``, made by ``make``, with ``body``."""
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        return Request(path=spec.path.format(**{param: make(fixture.client, Caller(fixture))}), body=body)

    return setup


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "fieldwork.list_unsubmitted_reports": _on("district_id", a_district),
    "fieldwork.create_submission": _on("district_id", a_waiting_district),
    "fieldwork.list_submissions": _on("district_id", a_district),
    "fieldwork.get_submission": _on("submission_id", a_submission),
    "fieldwork.accept_submission": _on("submission_id", a_sent_submission, {"note": "Bench"}),
    "fieldwork.reject_submission": _on("submission_id", a_sent_submission, {"reason": "Bench"}),
}

_DISTRICT_FIRST = ("The district is read first (GetItem), so another tenant's id is a 404 and not an empty list; then "
                   "one Query per page.")
_SUBMIT = ("A consistent GetItem of the district (404), one Query of the oldest entries of its queue, then the "
           "transaction taking them with the submission and its job.")
_REJECT = ("A consistent GetItem of the submission (409 unless sent), one BatchGetItem of its reports (queued again), "
           "then the transaction.")

AWS_CALL_BUDGETS = {
    "fieldwork.list_unsubmitted_reports": CallBudget(2, _DISTRICT_FIRST),
    "fieldwork.list_submissions": CallBudget(2, _DISTRICT_FIRST),
    "fieldwork.create_submission": CallBudget(3, _SUBMIT),
    "fieldwork.create_submission + Idempotency-Key": CallBudget(5, f"{_SUBMIT} The idempotency record is claimed "
                                                                    "before the transaction and completed after it."),
    "fieldwork.accept_submission": CallBudget(2, "A consistent GetItem of the submission (409 unless sent), then the "
                                                 "transaction."),
    "fieldwork.reject_submission": CallBudget(3, _REJECT),
}
