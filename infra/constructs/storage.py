"""S3 storage: the audit checkpoint bucket (Object Lock, compliance mode), tenants' files, the audit key the
chains are hashed and the checkpoints signed with, and the keys that seal secrets kept for reading back (webhook
signing secrets, TOTP secrets)."""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.audit.checkpoints import CHECKPOINT_RETENTION_DAYS
from atrium.audit.exports import EXPORT_RETENTION_DAYS, EXPORT_TAG
from infra.constructs.keys import generated_key

_NO_ACCESS_LOGS = NagPackSuppression(
    id="AwsSolutions-S1", reason="Objects are written only by Atrium's own functions, whose every call is in their "
                                 "logs; enable CloudTrail S3 data events for an independent access trail.")


def _private_bucket(scope: Construct, construct_id: str, **props: object) -> s3.Bucket:
    bucket = s3.Bucket(scope, construct_id, encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                       block_public_access=s3.BlockPublicAccess.BLOCK_ALL, removal_policy=RemovalPolicy.RETAIN,
                       **props)  # type: ignore[arg-type]
    NagSuppressions.add_resource_suppressions(bucket, [_NO_ACCESS_LOGS])
    return bucket


# Browsers POST uploads straight to the files bucket (kernel.files.presigned_upload) and must read S3's answer.
# Any origin: the presigned policy, not the origin, is what allows a write (one key, type and size, for a while).
UPLOAD_CORS = s3.CorsRule(allowed_methods=[s3.HttpMethods.POST], allowed_origins=["*"], allowed_headers=["*"],
                          max_age=3000)


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        # Nobody, not even the account root, deletes or overwrites a checkpoint while it is locked.
        self.checkpoints = _private_bucket(
            self, "AuditCheckpoints", versioned=True, object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(CHECKPOINT_RETENTION_DAYS)))
        tag_key, tag_value = EXPORT_TAG.split("=")
        self.files = _private_bucket(self, "Files", versioned=False, lifecycle_rules=[
            # Exports are fetched within days; retrying the job makes a new one.
            s3.LifecycleRule(tag_filters={tag_key: tag_value}, expiration=Duration.days(EXPORT_RETENTION_DAYS))],
            cors=[UPLOAD_CORS])
        self.audit_secret = generated_key(
            self, "AuditKey", description="Atrium key that links audit chains and signs their checkpoints",
            why_not_rotated="Rotating the audit key would break verification of every chain hashed with it; it is a "
                            "long-lived integrity key, kept only in Secrets Manager.")
        self.webhook_secret = generated_key(
            self, "WebhookKey", description="Atrium key that seals webhook endpoints' signing secrets",
            why_not_rotated="Rotating the webhook key would leave every sealed signing secret unreadable; endpoints "
                            "rotate their own secrets instead.")
        self.mfa_secret = generated_key(
            self, "MfaKey", description="Atrium key that seals users' TOTP secrets",
            why_not_rotated="Rotating the MFA key would leave every sealed TOTP secret unreadable and its user unable "
                            "to sign in; users re-enrol their authenticators instead.")
