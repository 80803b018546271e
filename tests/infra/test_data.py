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


def test_signing_secret_starts_empty_and_cursor_key_is_generated(synthesized: Any) -> None:
    secrets = synthesized.resources("AWS::SecretsManager::Secret")
    assert len(secrets) == 2
    (signing,) = [s for s in secrets if "SecretString" in s.properties]
    assert json.loads(signing.properties["SecretString"]) == {"keys": []}
    (cursor,) = [s for s in secrets if "GenerateSecretString" in s.properties]
    assert cursor.properties["GenerateSecretString"]["PasswordLength"] >= 32


def test_every_function_gets_the_settings_environment(synthesized: Any) -> None:
    (table,) = synthesized.resources("AWS::DynamoDB::Table")
    (bus,) = synthesized.resources("AWS::Events::EventBus")
    secrets = synthesized.resources("AWS::SecretsManager::Secret")
    (signing,) = [s for s in secrets if "SecretString" in s.properties]
    (cursor,) = [s for s in secrets if "GenerateSecretString" in s.properties]
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
        assert len(function.properties["Layers"]) == 2
        assert all(synthesized.resolve(function.stack, layer).type == "AWS::Lambda::LayerVersion"
                   for layer in function.properties["Layers"])


def test_mail_identity_is_the_sender_domain(synthesized: Any) -> None:
    (identity,) = synthesized.resources("AWS::SES::EmailIdentity")
    assert identity.properties["EmailIdentity"] == CONTEXT["atrium:senderDomain"]
    assert CONTEXT["atrium:mailFrom"].endswith("@" + CONTEXT["atrium:senderDomain"])
