"""Job kinds of the proofs app."""

from atrium.apps.proofs.proofs import certificates
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobKind

JOB_KINDS = [
    JobKind(name=certificates.RENDER_CERTIFICATE, run=certificates.render,
            description="Render a proof's approval certificate (PDF) and store it with its SHA-256.",
            permission="proofs:review",
            grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE}),
            layers=frozenset({"pdf"})),
]
