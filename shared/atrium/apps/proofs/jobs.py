"""Job kinds of the proofs app."""

from atrium.apps.proofs.proofs.certificates import RENDER_CERTIFICATE

JOB_KINDS = [RENDER_CERTIFICATE]
