"""A declared S3 bucket: private, encrypted, TLS-only and kept; optionally locked (Object Lock, compliance mode),
expiring tagged objects, or open to browsers' presigned uploads."""

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.kernel.resources import Access, Bucket
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement

_NO_ACCESS_LOGS = NagPackSuppression(
    id="AwsSolutions-S1", reason="Objects are written only by Atrium's own functions, whose every call is in their "
                                 "logs; enable CloudTrail S3 data events for an independent access trail.")
# Browsers POST uploads straight to the bucket (kernel.files.presigned_upload) and must read S3's answer. Any
# origin: the presigned policy, not the origin, is what allows a write (one key, type and size, for a while).
UPLOAD_CORS = s3.CorsRule(allowed_methods=[s3.HttpMethods.POST], allowed_origins=["*"], allowed_headers=["*"],
                          max_age=3000)
# On the bucket's objects (under its prefix); listing is on the bucket.
_OBJECT_ACTIONS = {Access.READ: "s3:GetObject", Access.WRITE: "s3:PutObject", Access.TAG: "s3:PutObjectTagging",
                   Access.DELETE: "s3:DeleteObject"}


class BuiltBucket:
    def __init__(self, scope: Construct, construct_id: str, declaration: Bucket, deployment: Deployment) -> None:
        self.declaration = declaration
        props: dict[str, Any] = {"versioned": False}
        if declaration.locked_days is not None:
            props = {"versioned": True, "object_lock_enabled": True, "object_lock_default_retention":
                     s3.ObjectLockRetention.compliance(Duration.days(declaration.locked_days))}
        if declaration.expiry is not None:
            tag_key, tag_value = declaration.expiry.tag.split("=")
            props["lifecycle_rules"] = [s3.LifecycleRule(tag_filters={tag_key: tag_value},
                                                         expiration=Duration.days(declaration.expiry.days))]
        if declaration.browser_uploads:
            props["cors"] = [UPLOAD_CORS]
        self.bucket = s3.Bucket(scope, construct_id, encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                                removal_policy=RemovalPolicy.RETAIN, **props)
        NagSuppressions.add_resource_suppressions(self.bucket, [_NO_ACCESS_LOGS])

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.bucket.bucket_name}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.LIST | Access.READ | Access.WRITE | Access.TAG | Access.DELETE)
        actions = tuple(action for flag, action in _OBJECT_ACTIONS.items() if flag in access)
        resources = ((self.bucket.bucket_arn,) if Access.LIST in access else ()) + (
            (self.bucket.arn_for_objects(f"{self.declaration.prefix}*"),) if actions else ())
        return [Statement(actions + (("s3:ListBucket",) if Access.LIST in access else ()), resources)]
