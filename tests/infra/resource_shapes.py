"""Every declared resource as each runtime built it, in one shape: locally, read back from moto under the names its
settings hold; deployed, the template's resource that every function's environment names (the parity test compares
the two)."""

import json
from typing import Any

from botocore.exceptions import ClientError

from atrium import manifest
from atrium.kernel.config import PREFIX, settings
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
from atrium_local.provision import Provisioned

RANDOM_KEY_LENGTH = 32  # a generated key is at least this long


def _secret_value(declared: Generated | Initial | Issued, value: str, length: int) -> str:
    """What a secret holds: the declared initial text, the issuer's prefix, or a random key."""
    match declared:
        case Initial():
            return value
        case Issued(prefix=prefix):
            return prefix if value.startswith(prefix) else value
        case Generated():
            return "random" if length >= RANDOM_KEY_LENGTH else value


def _bucket_shape(lock: dict[str, Any] | None, rules: list[dict[str, Any]],
                  cors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"lock": lock, "expiry": rules, "cors": sorted(method for rule in cors for method in rule["AllowedMethods"])}


def _absent(call: Any, **request: Any) -> Any:
    """The answer, or None when S3 says the bucket has no such configuration."""
    try:
        return call(**request)
    except ClientError:
        return None


def _first_value(secret_id: str) -> str:
    """The value the secret was created with (the code may have put newer ones: a rotation ran on deploy)."""
    secrets = aws_client("secretsmanager")
    versions = secrets.list_secret_version_ids(SecretId=secret_id)["Versions"]
    first = min(versions, key=lambda version: version["CreatedDate"])
    value: str = secrets.get_secret_value(SecretId=secret_id, VersionId=first["VersionId"])["SecretString"]
    return value


def _local_bucket(name: str) -> dict[str, Any]:
    s3 = aws_client("s3")
    lock = _absent(s3.get_object_lock_configuration, Bucket=name)
    lifecycle = _absent(s3.get_bucket_lifecycle_configuration, Bucket=name)
    cors = _absent(s3.get_bucket_cors, Bucket=name)
    return _bucket_shape(
        # moto also answers the unset period as 0 ("Years": 0); CloudFormation names only the one set.
        {key: value for key, value in lock["ObjectLockConfiguration"]["Rule"]["DefaultRetention"].items() if value}
        if lock else None,
        [{"tag": f"{rule['Filter']['Tag']['Key']}={rule['Filter']['Tag']['Value']}",
          "days": rule["Expiration"]["Days"]} for rule in lifecycle["Rules"]] if lifecycle else [],
        cors["CORSRules"] if cors else [])


def _local(resource: Resource, aws: Provisioned) -> dict[str, Any]:
    """What the local stack built, under the CloudFormation type of what it stands for."""
    name = getattr(settings(), resource.settings()[0]) if resource.settings() else resource.name
    match resource:
        case Table():
            aws_client("dynamodb").describe_table(TableName=name)
            return {"type": "AWS::DynamoDB::Table"}
        case Secret():
            value = _first_value(name)
            return {"type": "AWS::SecretsManager::Secret", "value": _secret_value(resource.value, value, len(value))}
        case Bucket():
            return {"type": "AWS::S3::Bucket", **_local_bucket(name)}
        case EncryptionKey():
            kms = aws_client("kms")
            key_id = kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"]
            rotation = kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
            return {"type": "AWS::KMS::Key", "rotation": rotation}
        case Bus():
            aws_client("events").describe_event_bus(Name=name)
            return {"type": "AWS::Events::EventBus"}
        case NotificationTopic():
            attributes = aws_client("sns").get_topic_attributes(TopicArn=aws.topics[name])["Attributes"]
            return {"type": "AWS::SNS::Topic", "display_name": attributes["DisplayName"]}
        case MailIdentity():
            aws_client("sesv2").get_email_identity(EmailIdentity=name)
            return {"type": "AWS::SES::EmailIdentity", "sends_from": True}
        case ConfigurationSet():
            aws_client("sesv2").get_configuration_set(ConfigurationSetName=name)
            return {"type": "AWS::SES::ConfigurationSet"}
        case ScheduleGroup():
            aws_client("scheduler").get_schedule_group(Name=name)
            # moto checks no role: locally the setting's default only has to look like one.
            role = getattr(settings(), resource.role_setting)
            return {"type": "AWS::Scheduler::ScheduleGroup", "role": "AWS::IAM::Role" if ":role/" in role else role}
    raise TypeError(f"no local shape for {type(resource).__name__}")


def local_resources(aws: Provisioned) -> dict[str, Any]:
    return {resource.name: _local(resource, aws) for resource in manifest.resources()}


def _environment(synthesized: Any) -> dict[str, tuple[str, Any]]:
    """Each resource setting's environment variable as one function holds it (stack, value); every function holds
    it, naming the same resource (nested stacks through a parameter) or the same value."""
    functions = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Runtime"] == "python3.12"]
    found: dict[str, tuple[str, Any]] = {}
    for setting in (setting for resource in manifest.resources() for setting in resource.settings()):
        variable = f"{PREFIX}{setting.upper()}"
        held = [(f.stack, f.properties["Environment"]["Variables"][variable]) for f in functions]
        meanings = {json.dumps(value) if resolved is None else resolved.logical_id
                    for resolved, (_, value) in ((synthesized.resolve(*pair), pair) for pair in held)}
        assert len(meanings) == 1, f"functions name {variable} differently: {meanings}"
        found[setting] = held[0]
    return found


def _deployed(resource: Resource, synthesized: Any, environment: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """The template's resource the functions' environment names (a topic, named by none, by its display name)."""
    if isinstance(resource, NotificationTopic):
        (topic,) = [t for t in synthesized.resources("AWS::SNS::Topic")
                    if t.properties.get("DisplayName") == resource.description]
        return {"type": topic.type, "display_name": topic.properties["DisplayName"]}
    stack, value = environment[resource.settings()[0]]
    match resource:
        case MailIdentity():  # functions name the sender address; the identity is its domain
            domains = {i.properties["EmailIdentity"] for i in synthesized.resources("AWS::SES::EmailIdentity")}
            return {"type": "AWS::SES::EmailIdentity", "sends_from": value.rpartition("@")[2] in domains}
        case ScheduleGroup():  # named, not referenced: its schedules' ARNs are built from the name
            (group,) = [g for g in synthesized.resources("AWS::Scheduler::ScheduleGroup")
                        if g.properties["Name"] == value]
            return {"type": group.type, "role": synthesized.resolve(*environment[resource.role_setting]).type}
    named = synthesized.resolve(stack, value)
    props = named.properties
    match resource:
        case Secret():
            text = props.get("SecretString", "")
            length = props.get("GenerateSecretString", {}).get("PasswordLength", len(text))
            return {"type": named.type, "value": _secret_value(resource.value, text, length)}
        case Bucket():
            return {"type": named.type, **_bucket_shape(
                props.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention"),
                [{"tag": f"{tag['Key']}={tag['Value']}", "days": rule["ExpirationInDays"]}
                 for rule in props.get("LifecycleConfiguration", {}).get("Rules", []) for tag in rule["TagFilters"]],
                props.get("CorsConfiguration", {}).get("CorsRules", []))}
        case EncryptionKey():
            return {"type": named.type, "rotation": props.get("EnableKeyRotation", False)}
    return {"type": named.type}


def deployed_resources(synthesized: Any) -> dict[str, Any]:
    environment = _environment(synthesized)
    return {resource.name: _deployed(resource, synthesized, environment) for resource in manifest.resources()}
