"""Test report routes."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Header, Response

from atrium.apps.fieldwork.reports.schemas import ReportCreate, ReportList, ReportOut, ReportUpdate
from atrium.apps.fieldwork.routing import (
    ASSEMBLY_PATH,
    CREATED,
    NOT_FOUND,
    READ_ONE,
    REPORT_PATH,
    REPORTS_PATH,
    UPDATED,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import (
    CurrentPrincipal,
    CurrentRequest,
    ExpectedVersion,
    etag,
    expected_version,
)
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.reports import service as reports
    from atrium.apps.fieldwork.reports import signing
else:
    reports, signing = lazy_modules("atrium.apps.fieldwork.reports", "service", "signing")

router = ContextRouter("fieldwork")
SIGNED = {409: {"description": "The report is signed: it does not change (amend it with a new report)"}}


@router.post(f"{ASSEMBLY_PATH}/reports", name="create_report", permission="test_reports:create", status_code=201,
             idempotent=True, grants=WRITE,
             responses={**CREATED, **NOT_FOUND,
                        422: {"description": "Readings not of the assembly's type; a retest of a passed test or "
                                             "without repairs; an amended report that is not a signed report of "
                                             "this assembly"}})
def create_report(assembly_id: str, body: ReportCreate, principal: CurrentPrincipal, info: CurrentRequest,
                  response: Response) -> ReportOut:
    """A draft test report of the assembly by the caller, its tester: the readings of the assembly's type, whose
    result (passed or failed, and what failed) is computed from them. A failed first test may be followed by
    ``repairs`` and ``retest_readings``, whose result is the one that counts. ``amends`` names the signed report it
    corrects."""
    report, version = reports.create_report(principal, assembly_id, body, info)
    response.headers["Location"] = f"{REPORTS_PATH}/{report.id}"
    response.headers["ETag"] = etag(version)
    return report


@router.get(f"{ASSEMBLY_PATH}/reports", name="list_reports", scoped=True, permission="test_reports:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_reports(assembly_id: str, principal: CurrentPrincipal, paging: Paging) -> ReportList:
    """The assembly's test reports, oldest first (amendments beside the reports they correct)."""
    return reports.list_reports(principal, assembly_id, limit=paging.limit, cursor=paging.cursor)


@router.get(REPORT_PATH, name="get_report", permission="test_reports:read",
            scoped=True, grants=READ, responses=READ_ONE)
def get_report(report_id: str, principal: CurrentPrincipal, response: Response) -> ReportOut:
    """A test report. The ETag header is the version to send in If-Match."""
    report, version = reports.get_report(principal, report_id)
    response.headers["ETag"] = etag(version)
    return report


@router.patch(REPORT_PATH, name="update_report", permission="test_reports:update", idempotent=True, grants=WRITE,
              responses={**UPDATED, **SIGNED, 422: {"description": "Readings not of the assembly's type; a retest of a "
                                                                     "passed test or without repairs"}})
def update_report(report_id: str, body: ReportUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                  info: CurrentRequest, response: Response) -> ReportOut:
    """Change a draft's gauge, test day, readings, repairs and retest (the results are computed again) or notes.
    Requires If-Match."""
    report, new_version = reports.update_report(principal, report_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return report


@router.delete(REPORT_PATH, name="delete_report", permission="test_reports:delete", status_code=204, grants=WRITE,
               responses={**NOT_FOUND, **SIGNED, 403: {"description": "Not the report's tester"}})
def delete_report(report_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete a draft report, as its tester (a signed report stays: amend it)."""
    reports.delete_report(principal, report_id, info)


@router.post(f"{REPORT_PATH}/sign", name="sign_report", permission="test_reports:sign", idempotent=True, grants=WRITE,
             responses={200: {"headers": ETAG_HEADER}, **NOT_FOUND, **SIGNED,
                        403: {"description": "Not the report's tester"},
                        412: {"description": "If-Match (when sent) does not match: the report changed since"},
                        422: {"description": "The tester's certification expired, or the gauge was out of "
                                             "calibration on the test day (the errors name which)"}})
def sign_report(report_id: str, principal: CurrentPrincipal, info: CurrentRequest, response: Response,
                if_match: Annotated[str | None, Header(description="The ETag of the report as the tester last saw "
                                                                   "it: a report changed since is not signed "
                                                                   "(412)")] = None) -> ReportOut:
    """Sign the report as its tester: it no longer changes. A passed report moves the assembly's last test to its
    test day and its next due date to the district's interval after it."""
    version = None if if_match is None else expected_version(if_match)
    report, new_version = signing.sign_report(principal, report_id, version, info)
    response.headers["ETag"] = etag(new_version)
    return report
