"""The one table (from ``atrium.kernel.store.table.TABLE``) and the two secrets."""

import json

from aws_cdk import RemovalPolicy, SecretValue
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_secretsmanager as secretsmanager
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.kernel.store.table import TABLE
from infra.constructs.keys import generated_key


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self, "Table",
            partition_key=_string_key(TABLE.partition_key), sort_key=_string_key(TABLE.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            stream=dynamodb.StreamViewType[TABLE.stream_view],
            time_to_live_attribute=TABLE.ttl_attribute,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in TABLE.indexes:
            self.table.add_global_secondary_index(
                index_name=index.name, partition_key=_string_key(index.partition_key),
                sort_key=_string_key(index.sort_key), projection_type=dynamodb.ProjectionType.ALL,
            )

        # The rotation job (identity.rotate_signing_keys) owns the value after creation;
        # CloudFormation writes this empty key set once and never again while it is unchanged.
        self.signing_secret = secretsmanager.Secret(
            self, "SigningKeys", description="Atrium JWT signing keys (managed by identity.rotate_signing_keys)",
            secret_string_value=SecretValue.unsafe_plain_text(json.dumps({"keys": []})),
        )
        self.cursor_secret = generated_key(
            self, "CursorKey", description="Atrium HMAC key that authenticates pagination cursors",
            why_not_rotated="The cursor key has no credential to rotate against. Rotating it invalidates outstanding "
                            "pagination cursors and unsubscribe links, and leaves inbound hooks' sealed secrets "
                            "unreadable, so it is rotated by hand, with those re-sealed.")
        # Stripe issues the value (the endpoint's signing secret): replace the placeholder after deploying.
        self.stripe_webhook_secret = secretsmanager.Secret(
            self, "StripeWebhookSecret", description="Stripe's webhook signing secret (whsec_...) for /v1/hooks/stripe",
            secret_string_value=SecretValue.unsafe_plain_text("whsec_replace_me"),
        )
        NagSuppressions.add_resource_suppressions(self.stripe_webhook_secret, [NagPackSuppression(
            id="AwsSolutions-SMG4", reason="Stripe issues and rolls the signing secret in its dashboard; the new "
                                           "value is put here by hand, so there is nothing for a rotation "
                                           "Lambda to do.")])
        NagSuppressions.add_resource_suppressions(self.signing_secret, [NagPackSuppression(
            id="AwsSolutions-SMG4", reason="Rotated by the scheduled job identity.rotate_signing_keys (EventBridge "
                                           "Scheduler), which keeps old keys published for overlap; a Secrets "
                                           "Manager rotation Lambda would bypass that overlap logic.")])
