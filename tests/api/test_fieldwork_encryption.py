"""The fieldwork app's personal fields (customers' names, contacts, addresses and notes, sites' addresses and access
notes, invoices' bill-to copies) are ciphertext in the table, and plaintext through the API
(docs/encryption.md)."""

import json
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.invoices.testing import a_draft_invoice
from atrium.apps.fieldwork.testing import ADDRESS, NEW_CUSTOMER
from atrium.kernel.config import settings
from tests.api.conftest import Tenant

PERSONAL = {"Customer": ("name", "billing_contact", "service_address", "notes"),
            "Site": ("address", "access_notes"), "Invoice": ("customer_name", "bill_to", "billing_address")}
VALUES = (str(NEW_CUSTOMER["name"]), "Dana Reyes", "dana@harbour.example", ADDRESS["line1"])


def _items(entity: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", region_name=settings().region)
    found: list[dict[str, Any]] = client.scan(TableName=settings().table_name, FilterExpression="entity = :e",
                                              ExpressionAttributeValues={":e": {"S": entity}})["Items"]
    return found


def test_personal_fields_are_ciphertext_in_the_table_and_plaintext_through_the_api(
        client: TestClient, tenant_a: Tenant) -> None:
    invoice_id = a_draft_invoice(client, tenant_a)
    for entity, fields in PERSONAL.items():
        (item,) = _items(entity)
        assert all(item[name]["S"].startswith("fe1:") for name in fields if name in item), (entity, item)
        assert not [value for value in VALUES if value in json.dumps(item)], (entity, item)

    invoice = client.get(f"/v1/fieldwork/invoices/{invoice_id}", headers=tenant_a.auth).json()
    assert (invoice["customer_name"], invoice["bill_to"]["email"], invoice["billing_address"]["line1"]) == (
        NEW_CUSTOMER["name"], "dana@harbour.example", ADDRESS["line1"])
