"""Sending a submission: the job ``fieldwork.send_submission``, started with the submission.

Each step records what it did on the submission before the next one starts, so a retried job goes on where the
last attempt stopped and does nothing twice:

1. Files: each report's PDF in the district's form and the batch's CSV summary, stored at
   ``tenants/<tenant>/fieldwork/submissions/<submission id>/<name>`` (S3 checks each SHA-256), then recorded on the
   submission with their SHA-256. An attempt that stops before the record renders again onto the same keys.
2. Email: the district's submission email gets a download link for each file (mail has no attachments) with its
   SHA-256; the message id is recorded. Only an attempt that dies between SES taking the email and that one write
   would send it again.
3. Sent: one transaction marks every report submitted (with the submission's id) and the submission sent, with the
   event ``fieldwork.submission.sent``.

A skipped email (a suppressed address, or the workspace's mail held until its owner verifies their address) fails
the attempt: the reports stay in the submission, and the job can be retried once that is resolved.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.certifications.models import CertificationItem
from atrium.apps.fieldwork.customers.models import CustomerItem, SiteItem
from atrium.apps.fieldwork.districts.models import DistrictItem
from atrium.apps.fieldwork.districts.schemas import ReportField
from atrium.apps.fieldwork.districts.service import load_district
from atrium.apps.fieldwork.events import SUBMISSION_SENT
from atrium.apps.fieldwork.gauges.models import GaugeItem
from atrium.apps.fieldwork.reports.models import ReportItem
from atrium.apps.fieldwork.submissions import store
from atrium.apps.fieldwork.submissions.forms import FormReport, render_csv, render_pdf
from atrium.apps.fieldwork.submissions.models import PREPARING, SENT, SubmissionItem
from atrium.identity.api import active_members
from atrium.kernel import clock, files
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.mail.api import Category, Email, send_email

E = TypeVar("E", bound=TenantEntity)
SUMMARY = "summary.csv"
TAG = "atrium-kind=fieldwork-submission"  # kept: no lifecycle rule matches it
TEMPLATE = "files"


class EmailNotSent(Exception):
    """The mail service skipped the district's email; the attempt fails and the job may be retried."""


def send(job: JobContext) -> dict[str, Any]:
    submission = store.load(job.tenant_id, str(job.params["submission_id"]), consistent=True)
    if submission.status == PREPARING:
        district = load_district(job.tenant_id, submission.district_id)
        if not submission.files:
            _store_files(submission, district)
            job.progress(0.5, "files stored")
        if submission.message_id is None:
            _email(submission, district)
            job.progress(0.8, "district emailed")
        _mark_sent(submission, Ref(type="job", id=job.job_id))
    return {"submission_id": submission.id, "reports": len(submission.report_ids), "files": len(submission.files),
            "sent_to": submission.sent_to}


def _store_files(submission: SubmissionItem, district: DistrictItem) -> None:
    forms = _forms(submission.tenant_id, store.reports_of(submission))
    layout = [ReportField(field) for field in district.form_fields]
    documents: list[tuple[str, str | None, bytes]] = [
        (f"{form.report_id}.pdf", form.report_id, render_pdf(form, layout, district=district.name,
                                                             submission_id=submission.id,
                                                             created_at=submission.created_at))
        for form in forms]
    documents.append((SUMMARY, None, render_csv(forms, layout)))
    submission.files = [_upload(submission, name, report_id, body) for name, report_id, body in documents]
    submission.save()  # at the version read: a concurrent change fails the attempt


def _upload(submission: SubmissionItem, name: str, report_id: str | None, body: bytes) -> dict[str, Any]:
    key = files.tenant_key(submission.tenant_id, "fieldwork", "submissions", submission.id, name)
    content_type = "text/csv" if name == SUMMARY else "application/pdf"
    sha256 = files.upload_bytes(key, body, content_type=content_type, tags=TAG)
    return {"name": name, "report_id": report_id, "key": key, "content_type": content_type, "size": len(body),
            "sha256": sha256}


def _read(tenant_id: str, wanted: Iterable[tuple[type[TenantEntity], str]]) -> dict[str, TenantEntity]:
    """Records by id (ids are prefixed by kind), in BatchGetItems; a missing one is left out."""
    item_keys = sorted({(keys.entity_pk(tenant_id, model.type_name(), item_id), keys.ENTITY_SK)
                        for model, item_id in wanted})
    return {item.id: item for item in Item.batch_get(item_keys) if isinstance(item, TenantEntity)}


def _of(found: dict[str, TenantEntity], model: type[E], item_id: str | None) -> E | None:
    item = found.get(item_id or "")
    return item if isinstance(item, model) else None


def _address(site: SiteItem | None) -> str:
    if site is None:
        return ""
    address = site.address
    locality = " ".join(part for part in (address.get("region", ""), address.get("postal_code", "")) if part)
    return ", ".join(part for part in (address.get("line1", ""), address.get("line2", ""), address.get("city", ""),
                                       locality) if part)


def _forms(tenant_id: str, reports: list[ReportItem]) -> list[FormReport]:
    """What the forms show of each report, read as the records stand now: its assembly, certification and gauge,
    then the assemblies' sites and customers, and the testers."""
    found = _read(tenant_id, [*((AssemblyItem, r.assembly_id) for r in reports),
                              *((GaugeItem, r.gauge_id) for r in reports),
                              *((CertificationItem, r.certification_id) for r in reports if r.certification_id)])
    assemblies = {r.id: _of(found, AssemblyItem, r.assembly_id) for r in reports}
    found |= _read(tenant_id, [pair for a in assemblies.values() if a for pair in (
        (SiteItem, a.site_id), (CustomerItem, a.customer_id))])
    testers = active_members(tenant_id, {r.tester_id for r in reports})
    forms = []
    for report in reports:
        assembly = assemblies[report.id]
        assert assembly is not None  # an assembly with reports is not deleted
        customer = _of(found, CustomerItem, assembly.customer_id)
        certification = _of(found, CertificationItem, report.certification_id)
        gauge = _of(found, GaugeItem, report.gauge_id)
        tester = testers.get(report.tester_id)
        forms.append(FormReport(
            report_id=report.id, signed_at=report.signed_at or "", amends=report.amends,
            customer=customer.name if customer else "", site_address=_address(_of(found, SiteItem, assembly.site_id)),
            assembly_type=report.assembly_type, make=assembly.make, model=assembly.model, serial=assembly.serial,
            size_inches=float(assembly.size_inches), location=assembly.location, hazard=assembly.hazard,
            readings=dict(report.readings), result=report.result, failures=list(report.failures),
            tested_on=report.tested_on, tester=tester.email if tester else report.tester_id,
            certification=(f"{certification.number} ({certification.certifying_body}, valid through "
                           f"{certification.expires_on})") if certification else report.certification_id or "",
            gauge=(f"{gauge.serial} ({gauge.make} {gauge.model}, calibrated through {gauge.calibration_expires_on})"
                   if gauge else report.gauge_id)))
    return forms


def _email(submission: SubmissionItem, district: DistrictItem) -> None:
    count = len(submission.report_ids)
    links = [{"name": file["name"], "sha256": file["sha256"],
              "url": files.download_url(file["key"], filename=file["name"])} for file in submission.files]
    message_id = send_email(Email(to=district.submission_email, template=TEMPLATE, category=Category.DOCUMENTS,
                                  context={
        "headline": f"Backflow test reports for {district.name}: {count}",
        "message": f"Submission {submission.id}: {count} signed backflow assembly test report(s) in your form "
                   "(one PDF each) and a CSV summary of them.",
        "files": links,
        "links_note": f"The links work for {files.DOWNLOAD_URL_SECONDS // 60} minutes. Each file's SHA-256 lets you "
                      "check the file you downloaded."}))
    if message_id is None:
        raise EmailNotSent(f"the email to {district.submission_email} was not sent: the address is suppressed, or "
                           "the workspace's mail is held until its owner verifies their address; retry the job once "
                           "that is resolved")
    submission.sent_to, submission.message_id = district.submission_email, message_id
    submission.save()


def _mark_sent(submission: SubmissionItem, actor: Ref) -> None:
    now = clock.iso(clock.now())
    uow = UnitOfWork(submission.tenant_id, actor)
    for report in store.reports_of(submission):
        report.submission_id, report.submitted_at = submission.id, now
        uow.save(report)
    submission.status, submission.sent_at = SENT, now
    store.write(uow, submission, SUBMISSION_SENT)


# Declared beside the code that runs it; ``service`` starts it, ``jobs.py`` lists it.
SEND_SUBMISSION = JobKind(
    name="fieldwork.send_submission", run=send,
    description="Render a district submission's reports (PDF, in the district's form) and CSV summary, store them "
                "with their SHA-256, email the district, and mark the reports submitted.",
    permission="submissions:create",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE, Grant.MAIL_SEND}),
    timeout_seconds=300, layers=frozenset({"pdf"}))
