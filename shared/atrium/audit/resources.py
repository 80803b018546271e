"""Audit's resources: the key the chains are hashed and their checkpoints signed with, and the bucket that keeps
the checkpoints."""

from atrium.audit.checkpoints import CHECKPOINT_RETENTION_DAYS
from atrium.kernel.grants import Grant
from atrium.kernel.resources import Access, Bucket, Generated, Secret

RESOURCES = [
    Secret(name="audit-key", description="Atrium key that links audit chains and signs their checkpoints",
           setting="audit_secret_id", value=Generated(), grants={Grant.AUDIT_KEY_READ: Access.READ},
           not_rotated="Rotating the audit key would break verification of every chain hashed with it; it is a "
                       "long-lived integrity key, kept only in Secrets Manager."),
    # Checkpoints are read (listed and fetched) and added; no grant can delete one (Object Lock refuses anyway).
    Bucket(name="audit-checkpoints", description="Signed checkpoints of the audit chains",
           setting="audit_checkpoint_bucket", locked_days=CHECKPOINT_RETENTION_DAYS,
           grants={Grant.AUDIT_CHECKPOINTS_READ: Access.READ | Access.LIST,
                   Grant.AUDIT_CHECKPOINTS_WRITE: Access.WRITE}),
]
