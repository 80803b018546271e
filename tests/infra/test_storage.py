"""Buckets: the audit checkpoints are locked in compliance mode; every bucket is private and TLS-only."""

import json
from typing import Any

from atrium.audit.checkpoints import CHECKPOINT_RETENTION_DAYS
from atrium.audit.exports import EXPORT_RETENTION_DAYS, EXPORT_TAG
from atrium.audit.models import MAX_RETENTION_DAYS


def _bucket(synthesized: Any, name: str) -> Any:
    (bucket,) = [b for b in synthesized.resources("AWS::S3::Bucket") if name in b.logical_id]
    return bucket


def test_checkpoints_are_locked_in_compliance_mode_beyond_the_longest_retention(synthesized: Any) -> None:
    props = _bucket(synthesized, "AuditCheckpoints").properties
    assert props["ObjectLockEnabled"] is True
    retention = props["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert retention["Mode"] == "COMPLIANCE" and retention["Days"] == CHECKPOINT_RETENTION_DAYS > MAX_RETENTION_DAYS
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}


def test_buckets_are_private_encrypted_and_kept(synthesized: Any) -> None:
    for name in ("AuditCheckpoints", "Files"):
        bucket = _bucket(synthesized, name)
        assert bucket.properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True}
        assert bucket.properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert bucket.body["DeletionPolicy"] == "Retain"


def test_no_function_may_delete_a_checkpoint(synthesized: Any) -> None:
    """Deleting is granted on tenants' files only (a deleted proof's); never on the checkpoint bucket."""
    checkpoints = _bucket(synthesized, "AuditCheckpoints").logical_id
    deleting = []
    for policy in synthesized.resources("AWS::IAM::Policy"):
        for statement in policy.properties["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if [a for a in actions if a.startswith(("s3:Delete", "s3:PutObjectRetention"))]:
                deleting.append(json.dumps(statement["Resource"]))
    assert deleting and not [resource for resource in deleting if checkpoints in resource]
    assert all("tenants/*" in resource for resource in deleting)


def test_exports_expire_from_the_files_bucket_by_their_tag(synthesized: Any) -> None:
    (rule,) = _bucket(synthesized, "Files").properties["LifecycleConfiguration"]["Rules"]
    key, value = EXPORT_TAG.split("=")
    assert rule["TagFilters"] == [{"Key": key, "Value": value}]
    assert rule["ExpirationInDays"] == EXPORT_RETENTION_DAYS and rule["Status"] == "Enabled"


def test_browsers_may_post_uploads_to_the_files_bucket(synthesized: Any) -> None:
    (rule,) = _bucket(synthesized, "Files").properties["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"] and rule["AllowedOrigins"] == ["*"]
    assert "CorsConfiguration" not in _bucket(synthesized, "AuditCheckpoints").properties
