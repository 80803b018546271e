"""Sample fieldwork records, for the tests and the bench (``atrium.kernel.testing``): a customer, its site, a water
district and an assembly on the site reporting to it, a gauge, and a certification of the tenant's owner made a
tester, all through the API."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup

ADDRESS = {"line1": "12 Harbour Road", "city": "Springfield", "region": "OR", "postal_code": "97477"}
NEW_CUSTOMER = {"name": "Harbour Bakery", "billing_contact": {"name": "Dana Reyes", "email": "dana@harbour.example"},
                "service_address": ADDRESS}
NEW_SITE = {"name": "Main shop", "address": ADDRESS}
NEW_DISTRICT = {"name": "Springfield Utility Board", "submission_email": "backflow@sub.example",
                "submission_deadline_days": 10}
_serials = iter(range(1, 10**9))


def new_assembly(district_id: str, **changes: Any) -> dict[str, Any]:
    """An RP assembly's body with a serial not used before in this process."""
    return {"district_id": district_id, "type": "RP", "make": "Watts", "model": "909", "serial": f"S{next(_serials)}",
            "size_inches": 0.75, "hazard": "high"} | changes


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> str:
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def a_customer(client: TestClient, owner: Owner) -> str:
    return _post(client, owner.auth, "/v1/fieldwork/customers", NEW_CUSTOMER)


def a_site(client: TestClient, owner: Owner) -> str:
    return _post(client, owner.auth, f"/v1/fieldwork/customers/{a_customer(client, owner)}/sites", NEW_SITE)


def a_district(client: TestClient, owner: Owner) -> str:
    return _post(client, owner.auth, "/v1/fieldwork/districts", NEW_DISTRICT)


def an_assembly(client: TestClient, owner: Owner) -> str:
    site_id = a_site(client, owner)
    return _post(client, owner.auth, f"/v1/fieldwork/sites/{site_id}/assemblies",
                 new_assembly(a_district(client, owner)))


NEW_GAUGE = {"make": "Mid-West Instrument", "model": "845-5", "calibration_expires_on": "2099-01-15"}
NEW_CERTIFICATION = {"number": "BAT-20931", "certifying_body": "Oregon Health Authority", "expires_on": "2099-06-30"}


def new_gauge(**changes: Any) -> dict[str, Any]:
    """A gauge's body with a serial not used before in this process."""
    return NEW_GAUGE | {"serial": f"G{next(_serials)}"} | changes


def made_tester(client: TestClient, auth: dict[str, str], user_id: str) -> str:
    """``user_id`` holding the tester role besides its own (as the caller, who may change roles)."""
    path = f"/v1/users/{user_id}"
    read = client.get(path, headers=auth)
    roles = [grant["role"] for grant in read.json()["roles"]]
    if "tester" not in roles:
        response = client.patch(path, json={"roles": [{"role": role} for role in [*roles, "tester"]]},
                                headers=auth | {"If-Match": read.headers["etag"]})
        assert response.status_code == 200, response.text
    return user_id


def a_certification(client: TestClient, owner: Owner) -> str:
    body = NEW_CERTIFICATION | {"user_id": made_tester(client, owner.auth, owner.user_id)}
    return _post(client, owner.auth, "/v1/fieldwork/certifications", body)


def a_gauge(client: TestClient, owner: Owner) -> str:
    return _post(client, owner.auth, "/v1/fieldwork/gauges", new_gauge())


PASSING_RP = {"check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.8}


def a_draft_report(client: TestClient, owner: Owner) -> str:
    """A passed report of a new RP assembly by the owner, made a certified tester, with a calibrated gauge."""
    a_certification(client, owner)
    body = {"gauge_id": a_gauge(client, owner), "tested_on": "2026-12-01", "readings": PASSING_RP}
    return _post(client, owner.auth, f"/v1/fieldwork/assemblies/{an_assembly(client, owner)}/reports", body)


def a_signed_report(client: TestClient, owner: Owner) -> str:
    report_id = a_draft_report(client, owner)
    client.post(f"/v1/fieldwork/reports/{report_id}/sign", headers=owner.auth).raise_for_status()
    return report_id


PATH_IDS: dict[str, IdFactory] = {
    "customer_id": a_customer,
    "site_id": a_site,
    "district_id": a_district,
    "assembly_id": an_assembly,
    "certification_id": a_certification,
    "gauge_id": a_gauge,
    "report_id": a_signed_report,  # signed: changing or signing it again is a 409 for whoever may
}


def _with(param: str, body: Callable[[Fixture], dict[str, Any] | None] = lambda _fixture: None,
          if_match: bool = False) -> RequestSetup:
    """A request on a new record named by ``param`` (made by its PATH_IDS factory), with ``body``, and its ETag in
    If-Match when ``if_match``."""
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        path = spec.path.format(**{param: PATH_IDS[param](fixture.client, Caller(fixture))})
        return Request(path=path, body=body(fixture), headers={"If-Match": fixture.etag(path)} if if_match else {})

    return setup


class Caller:
    """The fixture's owner, as the PATH_IDS factories take it."""

    def __init__(self, fixture: Fixture) -> None:
        self.id, self.auth = fixture.tenant_id, fixture.auth
        self.user_id = str(fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"])


def _draft(fixture: Fixture, spec: RouteSpec) -> Request:
    """A request on a new draft report of the fixture's owner (its tester)."""
    path = spec.path.format(report_id=a_draft_report(fixture.client, Caller(fixture)))
    return Request(path=path, body={"notes": "Bench"} if spec.method == "PATCH" else None,
                   headers={"If-Match": fixture.etag(path)} if spec.method == "PATCH" else {})


def _report_body(fixture: Fixture) -> dict[str, Any]:
    return {"gauge_id": a_gauge(fixture.client, Caller(fixture)), "tested_on": "2026-12-01", "readings": PASSING_RP}


def _certification_body(fixture: Fixture) -> dict[str, Any]:
    caller = Caller(fixture)
    return NEW_CERTIFICATION | {"user_id": made_tester(fixture.client, caller.auth, caller.user_id)}


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "fieldwork.create_customer": lambda _fixture, _spec: Request(body=NEW_CUSTOMER),
    "fieldwork.get_customer": _with("customer_id"),
    "fieldwork.update_customer": _with("customer_id", lambda _f: {"notes": "Bench"}, if_match=True),
    "fieldwork.delete_customer": _with("customer_id"),
    "fieldwork.create_site": _with("customer_id", lambda _f: NEW_SITE),
    "fieldwork.list_sites": _with("customer_id"),
    "fieldwork.get_site": _with("site_id"),
    "fieldwork.update_site": _with("site_id", lambda _f: {"access_notes": "Bench"}, if_match=True),
    "fieldwork.delete_site": _with("site_id"),
    "fieldwork.create_district": lambda _fixture, _spec: Request(body=NEW_DISTRICT),
    "fieldwork.get_district": _with("district_id"),
    "fieldwork.update_district": _with("district_id", lambda _f: {"submission_deadline_days": 14}, if_match=True),
    "fieldwork.delete_district": _with("district_id"),
    "fieldwork.create_assembly": _with("site_id", lambda f: new_assembly(a_district(f.client, Caller(f)))),
    "fieldwork.list_assemblies": _with("site_id"),
    "fieldwork.list_customer_assemblies": _with("customer_id"),
    "fieldwork.get_assembly": _with("assembly_id"),
    "fieldwork.update_assembly": _with("assembly_id", lambda _f: {"serial": f"S{next(_serials)}"}, if_match=True),
    "fieldwork.delete_assembly": _with("assembly_id"),
    "fieldwork.create_certification": lambda fixture, _spec: Request(body=_certification_body(fixture)),
    "fieldwork.get_certification": _with("certification_id"),
    "fieldwork.update_certification": _with("certification_id", lambda _f: {"expires_on": "2100-06-30"},
                                            if_match=True),
    "fieldwork.delete_certification": _with("certification_id"),
    "fieldwork.create_gauge": lambda _fixture, _spec: Request(body=new_gauge()),
    "fieldwork.get_gauge": _with("gauge_id"),
    "fieldwork.update_gauge": _with("gauge_id", lambda _f: {"calibration_expires_on": "2100-01-15"}, if_match=True),
    "fieldwork.delete_gauge": _with("gauge_id"),
    "fieldwork.create_report": _with("assembly_id", _report_body),
    "fieldwork.list_reports": _with("assembly_id"),
    "fieldwork.get_report": _with("report_id"),
    "fieldwork.update_report": _draft,
    "fieldwork.delete_report": _draft,
    "fieldwork.sign_report": _draft,
}

_IDEMPOTENT = ("The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, "
               "so a retry replays the stored response.")
_READ_FIRST = ("A consistent GetItem before the transaction: a stale If-Match fails fast with 412, and the record as "
               "read (with its count of children) is what the transaction writes at that version.")
_PARENT_FIRST = ("The parent is read first (GetItem), so another tenant's id is a 404 and not an empty list; then one "
                 "Query per page.")
_SITE_AND_DISTRICT = ("One BatchGetItem of the site (404 when missing; its customer is copied) and the district (422 "
                      "when missing; its test interval gives the next due date), then the transaction.")

_TESTER = ("One BatchGetItem of the membership (the tester must be an active member holding the tester role), then "
           "the transaction.")

_REPORT = ("The assembly is read first (GetItem; with the amended report, one BatchGetItem): its type says which "
           "readings the report takes; then the transaction, which counts the report on the assembly.")
_SIGN = ("The report (consistent GetItem: a signed one is a 409), then one BatchGetItem of its gauge, assembly and "
         "district (calibration, the dates a pass moves, the interval), one Query of the tester's certifications, and "
         "the transaction with the report and, on a pass, the assembly.")

AWS_CALL_BUDGETS = {
    "fieldwork.create_report": CallBudget(2, _REPORT),
    "fieldwork.create_report + Idempotency-Key": CallBudget(4, f"{_REPORT} {_IDEMPOTENT}"),
    "fieldwork.list_reports": CallBudget(2, _PARENT_FIRST),
    "fieldwork.update_report": CallBudget(2, _READ_FIRST),
    "fieldwork.delete_report": CallBudget(2, _READ_FIRST),
    "fieldwork.sign_report": CallBudget(4, _SIGN),
    "fieldwork.sign_report + Idempotency-Key": CallBudget(6, f"{_SIGN} {_IDEMPOTENT}"),
    "fieldwork.update_report + Idempotency-Key": CallBudget(4, f"{_READ_FIRST} {_IDEMPOTENT}"),
    "fieldwork.create_customer + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "fieldwork.create_gauge + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "fieldwork.create_certification": CallBudget(2, _TESTER),
    "fieldwork.create_certification + Idempotency-Key": CallBudget(4, f"{_TESTER} {_IDEMPOTENT}"),
    "fieldwork.create_site + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "fieldwork.create_district + Idempotency-Key": CallBudget(3, _IDEMPOTENT),
    "fieldwork.create_assembly": CallBudget(2, _SITE_AND_DISTRICT),
    "fieldwork.create_assembly + Idempotency-Key": CallBudget(4, f"{_SITE_AND_DISTRICT} {_IDEMPOTENT}"),
    **{f"fieldwork.{change}_{record}": CallBudget(2, _READ_FIRST)
       for change in ("update", "delete")
       for record in ("customer", "site", "district", "assembly", "certification", "gauge")},
    "fieldwork.list_sites": CallBudget(2, _PARENT_FIRST),
    "fieldwork.list_assemblies": CallBudget(2, _PARENT_FIRST),
    "fieldwork.list_customer_assemblies": CallBudget(2, _PARENT_FIRST),
    **{f"fieldwork.list_{which}_assemblies": CallBudget(1, "One Query per page of gsi1, where the tenant's assemblies "
                                                           "are ordered by next due date; nothing else is read.")
       for which in ("due", "overdue")},
}
