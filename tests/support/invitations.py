"""Test helpers for invitations: send one, read the token from the email, list the table's items."""

import re
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail

_TOKEN = re.compile(r"/accept-invitation\?token=(atr_inv_[A-Za-z0-9_-]+)")


def invite(client: TestClient, auth: dict[str, str], email: str, *roles: str) -> dict[str, Any]:
    grants = [{"role": role} for role in roles or ("member",)]
    response = client.post("/v1/invitations", json={"email": email, "roles": grants}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def emailed_tokens(email: str) -> list[str]:
    """Tokens from the invitation emails sent to ``email``, newest first."""
    return [match[1] for mail in sent_mail() if mail["to"] == email and (match := _TOKEN.search(mail["text"] or ""))]


def table_items(entity: str) -> list[dict[str, Any]]:
    scan = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    return [item for item in scan if item.get("entity", {}).get("S") == entity]


def event_types() -> list[str]:
    return sorted(item["event_type"]["S"] for item in table_items("Outbox"))
