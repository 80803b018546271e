"""Sending a month's summary: the job ``fieldwork.send_monthly_summary``, started by the schedule on the 1st.

Like a district submission, each step records what it did before the next starts, so a retried job goes on where
the last attempt stopped: the PDF is rendered and stored with its SHA-256 (at a key of its own: a retry renders the
same bytes onto it), then each active owner and admin is emailed a link (a notification: whoever turned monthly
summaries off in their email preferences is skipped), then the summary is marked sent with its event.
"""

from typing import Any

from atrium.apps.fieldwork.events import MONTHLY_SUMMARY_SENT
from atrium.apps.fieldwork.summaries.models import SUMMARY_SK, SentSummaryItem, month_pk
from atrium.apps.fieldwork.summaries.pdf import render_pdf
from atrium.apps.fieldwork.summaries.service import monthly_summary
from atrium.identity.api import tenant_admins, tenant_name
from atrium.kernel import clock, files
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.mail.api import Category, Email, send_email

TAG = "atrium-kind=fieldwork-summary"  # kept: no lifecycle rule matches it


def _load(tenant_id: str, month: str) -> SentSummaryItem:
    return SentSummaryItem.get(month_pk(tenant_id, month), SUMMARY_SK, consistent_read=True)


def send(job: JobContext) -> dict[str, Any]:
    summary = _load(job.tenant_id, str(job.params["month"]))
    if summary.pdf is None:
        _store_pdf(summary)
        job.progress(0.5, "PDF stored")
    if summary.sent_at is None:
        _email(summary)
        _mark_sent(summary, Ref(type="job", id=job.job_id))
    return {"month": summary.month, "sent_to": list(summary.sent_to), "sha256": (summary.pdf or {}).get("sha256")}


def _store_pdf(summary: SentSummaryItem) -> None:
    body = render_pdf(monthly_summary(summary.tenant_id, summary.month), workspace=tenant_name(summary.tenant_id),
                      created_at=summary.created_at)
    key = files.tenant_key(summary.tenant_id, "fieldwork", "summaries", f"{summary.month}.pdf")
    sha256 = files.upload_bytes(key, body, content_type="application/pdf", tags=TAG)
    summary.pdf = {"key": key, "sha256": sha256, "size": len(body)}
    summary.save()  # at the version read: a concurrent attempt fails this one


def _email(summary: SentSummaryItem) -> None:
    """Each admin once; one who opted out of the ``reports`` category is skipped by the mail service."""
    pdf = summary.pdf or {}
    link = {"name": f"summary-{summary.month}.pdf", "sha256": pdf["sha256"],
            "url": files.download_url(pdf["key"], filename=f"summary-{summary.month}.pdf")}
    sent = []
    for admin in tenant_admins(summary.tenant_id):
        message_id = send_email(Email(to=admin.email, template="files", category=Category.REPORTS,
                                      user_id=admin.user_id, context={
            "headline": f"Your monthly summary for {summary.month}",
            "message": f"The backflow tests signed in {summary.month}, the pass rate by assembly type and the "
                       "assemblies overdue when the month ended: the PDF below, and GET "
                       f"/v1/fieldwork/monthly-summary?month={summary.month} as JSON.",
            "files": [link],
            "links_note": f"The link works for {files.DOWNLOAD_URL_SECONDS // 60} minutes; the API gives a fresh "
                          "one."}))
        if message_id is not None:
            sent.append(admin.email)
    summary.sent_to = sent


def _mark_sent(summary: SentSummaryItem, actor: Ref) -> None:
    summary.sent_at = clock.iso(clock.now())
    uow = UnitOfWork(summary.tenant_id, actor)
    uow.save(summary)
    data = monthly_summary(summary.tenant_id, summary.month).model_dump(mode="json", exclude={"sent"})
    uow.record(MONTHLY_SUMMARY_SENT.name, subject=Ref(type="monthly_summary", id=summary.month), data=data)
    uow.commit()


SEND_MONTHLY_SUMMARY = JobKind(
    name="fieldwork.send_monthly_summary", run=send,
    description="Render a month's summary as a PDF, store it with its SHA-256, and email it to the owners and admins.",
    permission="monthly_summaries:read",
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE, Grant.MAIL_SEND}),
    timeout_seconds=300, layers=frozenset({"pdf"}))
