"""Privacy job kinds (``JOB_KINDS``)."""

from atrium.compliance.privacy.exports import EXPORT

JOB_KINDS = [EXPORT]
