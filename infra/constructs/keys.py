"""A generated key in Secrets Manager: 64 random characters, created once and never rotated by Secrets
Manager (each key says why, for cdk-nag)."""

from aws_cdk import aws_secretsmanager as secretsmanager
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct


def generated_key(scope: Construct, construct_id: str, *, description: str,
                  why_not_rotated: str) -> secretsmanager.Secret:
    key = secretsmanager.Secret(
        scope, construct_id, description=description,
        generate_secret_string=secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True))
    NagSuppressions.add_resource_suppressions(key, [NagPackSuppression(id="AwsSolutions-SMG4",
                                                                       reason=why_not_rotated)])
    return key
