"""Audit job kinds (``JOB_KINDS``): user-visible jobs started by a route."""


from atrium.audit.exports import EXPORT_KIND, run_export
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobKind

JOB_KINDS = [
    JobKind(
        name=EXPORT_KIND,
        run=run_export,
        description="Write a time range of the tenant's audit log to a file (JSON Lines or CSV) with its SHA-256.",
        permission="audit:export",
        grants=frozenset({Grant.TABLE_READ, Grant.FILES_READ, Grant.FILES_WRITE}),
        timeout_seconds=300,
    ),
]
