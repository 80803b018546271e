"""Every declared resource (``manifest.resources()``) in moto, as CDK builds it in AWS, named by the values of the
settings it declares (locally, their defaults). A resource the stack kept from an earlier start is left as it is:
a secret keeps its value (the tokens signed with it stay valid), the table its items."""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from atrium.kernel.config import settings
from atrium.kernel.resources import (
    Bucket,
    Bus,
    ConfigurationSet,
    EncryptionKey,
    Generated,
    Initial,
    Issued,
    MailIdentity,
    NotificationTopic,
    Resource,
    ScheduleGroup,
    Secret,
    Table,
)
from atrium_local.environment import aws_client


@dataclass
class ProvisionedResources:
    stream_arn: str = ""  # the table's
    topics: dict[str, str] = field(default_factory=dict)  # topic name -> ARN


def _setting(field: str) -> str:
    value: str = getattr(settings(), field)
    return value


def _secret_value(secret: Secret) -> str:
    match secret.value:
        case Generated():
            return secrets.token_urlsafe(48)
        case Initial(text=text):
            return text
        case Issued(prefix=prefix, setting=setting):
            return _setting(setting) or f"{prefix}{secrets.token_urlsafe(24)}"


# What services answer to creating what exists, besides codes naming it (ResourceExistsException,
# ConfigurationSetAlreadyExistsException...).
_EXISTS = {"ResourceInUseException", "ConflictException"}


def _created(create: Callable[..., Any], **request: Any) -> bool:
    """Create a resource unless it exists; says whether it was created."""
    try:
        create(**request)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code not in _EXISTS and "Exists" not in code:
            raise
        return False
    return True


def _table(table: Table) -> str:
    dynamodb, name = aws_client("dynamodb"), _setting(table.setting)
    if _created(dynamodb.create_table, **table.spec.create_table_request(name)):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": table.spec.ttl_attribute})
    stream_arn: str = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    return stream_arn


def _bucket(bucket: Bucket) -> None:
    """A locked bucket locks every object (compliance mode), as in AWS; moto keeps the lock."""
    s3, name = aws_client("s3"), _setting(bucket.setting)
    if name in {found["Name"] for found in s3.list_buckets()["Buckets"]}:  # us-east-1 answers 200 to creating it
        return
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=bucket.locked_days is not None)
    if bucket.locked_days is not None:
        s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": bucket.locked_days}}})
    if bucket.expiry is not None:
        key, value = bucket.expiry.tag.split("=")
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [{
            "ID": "expiry", "Status": "Enabled", "Filter": {"Tag": {"Key": key, "Value": value}},
            "Expiration": {"Days": bucket.expiry.days}}]})
    if bucket.browser_uploads:
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [{
            "AllowedMethods": ["POST"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 3000}]})


def _key(key: EncryptionKey) -> None:
    """A symmetric key, rotated yearly as in AWS, under the alias the setting names (moto's KMS does the
    cryptography for real)."""
    kms, alias = aws_client("kms"), _setting(key.setting)
    if alias in {found["AliasName"] for found in kms.list_aliases()["Aliases"]}:
        return
    key_id = kms.create_key(Description=key.description, KeySpec="SYMMETRIC_DEFAULT")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)


def _provision(resource: Resource, provisioned: ProvisionedResources) -> None:
    match resource:
        case Table():
            provisioned.stream_arn = _table(resource)
        case Secret():
            _created(aws_client("secretsmanager").create_secret, Name=_setting(resource.setting),
                     SecretString=_secret_value(resource))
        case Bucket():
            _bucket(resource)
        case EncryptionKey():
            _key(resource)
        case Bus():
            _created(aws_client("events").create_event_bus, Name=_setting(resource.setting))
        case NotificationTopic():
            provisioned.topics[resource.name] = aws_client("sns").create_topic(
                Name=f"atrium-{resource.name}", Attributes={"DisplayName": resource.description})["TopicArn"]
        case MailIdentity():
            _created(aws_client("sesv2").create_email_identity, EmailIdentity=_setting(resource.setting))
        case ConfigurationSet():
            # moto keeps no event destinations: tests publish SES-shaped notifications to the topic themselves.
            _created(aws_client("sesv2").create_configuration_set, ConfigurationSetName=_setting(resource.setting))
        case ScheduleGroup():
            # moto runs no schedules (the worker fires them) and checks no role: the role's setting is only a name.
            _created(aws_client("scheduler").create_schedule_group, Name=_setting(resource.setting))
        case _:
            raise TypeError(f"resource {resource.name}: nothing provisions a {type(resource).__name__}")


def provision_resources(declared: Iterable[Resource]) -> ProvisionedResources:
    provisioned = ProvisionedResources()
    for resource in declared:
        _provision(resource, provisioned)
    return provisioned

