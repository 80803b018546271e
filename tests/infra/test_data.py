"""The table (from TABLE), the secrets, and the environment every function reads them from."""

import json
from typing import Any

from atrium.kernel.store.table import TABLE
from infra.paths import CDK_JSON

CONTEXT = json.loads(CDK_JSON.read_text())["context"]


def key_schema(pk: str, sk: str) -> list[dict[str, str]]:
    return [{"AttributeName": pk, "KeyType": "HASH"}, {"AttributeName": sk, "KeyType": "RANGE"}]


def test_table_follows_the_declaration(synthesized: Any) -> None:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    props = table.properties
    assert props["KeySchema"] == key_schema(TABLE.partition_key, TABLE.sort_key)
    assert sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        ({"AttributeName": name, "AttributeType": "S"} for name in TABLE.key_attributes()),
        key=lambda a: a["AttributeName"])
    indexes = {index["IndexName"]: index for index in props["GlobalSecondaryIndexes"]}
    assert sorted(indexes) == sorted(index.name for index in TABLE.indexes)
    for index in TABLE.indexes:
        assert indexes[index.name]["KeySchema"] == key_schema(index.partition_key, index.sort_key)
        assert indexes[index.name]["Projection"] == {"ProjectionType": "ALL"}
    assert props["TimeToLiveSpecification"] == {"AttributeName": TABLE.ttl_attribute, "Enabled": True}
    assert props["StreamSpecification"] == {"StreamViewType": TABLE.stream_view}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table.body["DeletionPolicy"] == "Retain"
    assert table.body["UpdateReplacePolicy"] == "Retain"


def _secret(synthesized: Any, name: str) -> Any:
    (secret,) = [s for s in synthesized.resources("AWS::SecretsManager::Secret") if name in s.logical_id]
    return secret


def test_signing_secret_starts_empty_and_the_keys_are_generated(synthesized: Any) -> None:
    assert len(synthesized.resources("AWS::SecretsManager::Secret")) == 7
    assert json.loads(_secret(synthesized, "SigningKeys").properties["SecretString"]) == {"keys": []}
    # Stripe issues these: placeholders until the operator puts the endpoint's secret and the API key in.
    assert _secret(synthesized, "StripeWebhookSecret").properties["SecretString"].startswith("whsec_")
    assert _secret(synthesized, "StripeApiKey").properties["SecretString"].startswith("sk_")
    for name in ("CursorKey", "AuditKey", "WebhookKey", "MfaKey"):
        assert _secret(synthesized, name).properties["GenerateSecretString"]["PasswordLength"] >= 32


def test_every_function_gets_the_settings_environment(synthesized: Any) -> None:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    (bus,) = synthesized.resources("AWS::Events::EventBus")
    signing, cursor, audit, stripe, stripe_key, webhook, mfa = (
        _secret(synthesized, name) for name in (
            "SigningKeys", "CursorKey", "AuditKey", "StripeWebhookSecret", "StripeApiKey", "WebhookKey", "MfaKey"))
    buckets = {b.logical_id: b for b in synthesized.resources("AWS::S3::Bucket")}
    functions = [f for f in synthesized.resources("AWS::Lambda::Function") if f.properties["Runtime"] == "python3.12"]
    assert functions
    for function in functions:
        env = function.properties["Environment"]["Variables"]
        assert env["ATRIUM_STAGE"] == CONTEXT["atrium:stage"]
        assert env["ATRIUM_MAIL_FROM"] == CONTEXT["atrium:mailFrom"]
        assert env["POWERTOOLS_SERVICE_NAME"] == "atrium"
        assert env["POWERTOOLS_METRICS_NAMESPACE"] == "Atrium"
        assert synthesized.resolve(function.stack, env["ATRIUM_TABLE_NAME"]) == table
        assert synthesized.resolve(function.stack, env["ATRIUM_BUS_NAME"]) == bus
        # A secret's Ref is its ARN.
        assert synthesized.resolve(function.stack, env["ATRIUM_SIGNING_SECRET_ID"]) == signing
        assert synthesized.resolve(function.stack, env["ATRIUM_CURSOR_SECRET_ID"]) == cursor
        assert synthesized.resolve(function.stack, env["ATRIUM_AUDIT_SECRET_ID"]) == audit
        assert synthesized.resolve(function.stack, env["ATRIUM_STRIPE_WEBHOOK_SECRET_ID"]) == stripe
        assert synthesized.resolve(function.stack, env["ATRIUM_STRIPE_API_KEY_SECRET_ID"]) == stripe_key
        assert synthesized.resolve(function.stack, env["ATRIUM_WEBHOOK_SECRET_ID"]) == webhook
        assert synthesized.resolve(function.stack, env["ATRIUM_MFA_SECRET_ID"]) == mfa
        # In AWS webhooks are https only and reach no private network unless an operator configures it.
        assert not {"ATRIUM_WEBHOOK_ALLOW_HTTP", "ATRIUM_WEBHOOK_ALLOWED_NETWORKS"} & set(env)
        for variable in ("ATRIUM_AUDIT_CHECKPOINT_BUCKET", "ATRIUM_FILES_BUCKET"):
            assert synthesized.resolve(function.stack, env[variable]).logical_id in buckets
        assert len(function.properties["Layers"]) >= 2  # deps, domain and a dependency group's (test_app.py)
        assert all(synthesized.resolve(function.stack, layer).type == "AWS::Lambda::LayerVersion"
                   for layer in function.properties["Layers"])


def test_mail_identity_is_the_sender_domain(synthesized: Any) -> None:
    (identity,) = synthesized.resources("AWS::SES::EmailIdentity")
    assert identity.properties["EmailIdentity"] == CONTEXT["atrium:senderDomain"]
    assert CONTEXT["atrium:mailFrom"].endswith("@" + CONTEXT["atrium:senderDomain"])
