"""Helpers for the account tests: TOTP codes, emailed links, audit entries."""

import re
from datetime import datetime, timedelta
from typing import Any

import boto3
import pyotp
from fastapi.testclient import TestClient

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from tests.support.step_up import stepped_up


def code_at(secret: str, at: datetime | None = None) -> str:
    return pyotp.TOTP(secret).at(at or clock.now())


def next_code(secret: str) -> str:
    """The code of the next 30 s step: accepted (valid window 1) and not yet used."""
    return code_at(secret, clock.now() + timedelta(seconds=30))


def enable_mfa(client: TestClient, auth: dict[str, str]) -> tuple[str, list[str]]:
    """Step up, enrol and confirm; returns the secret and the recovery codes."""
    secret = client.post("/v1/me/mfa/totp", headers=stepped_up(client, auth)).json()["secret"]
    response = client.post("/v1/me/mfa/totp/confirm", json={"code": code_at(secret)}, headers=auth)
    assert response.status_code == 200, response.text
    return secret, response.json()["recovery_codes"]


def emailed_token(to: str, prefix: str) -> str:
    """The token in the newest email to ``to`` with a ``prefix`` link (from its link's fragment)."""
    for mail in sent_mail():
        if mail["to"] == to and (match := re.search(rf"#token=({prefix}[\w-]+)", mail["text"])):
            return match[1]
    raise AssertionError(f"no email with a {prefix} link to {to}")


def mails_to(to: str) -> int:
    return sum(1 for mail in sent_mail() if mail["to"] == to)


def audit_entries() -> list[dict[str, Any]]:
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    return [item for item in items if item.get("entity", {}).get("S") == "Audit"]


def audited(action: str) -> list[str]:
    """The tenant (from the key) of each audit entry with ``action``."""
    return [item["pk"]["S"].split("#")[1] for item in audit_entries() if item["action"]["S"] == action]
