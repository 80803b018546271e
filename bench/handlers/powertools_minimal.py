"""The baseline: the smallest sensible Powertools handler answering the same requests as Atrium's route functions.

It imports nothing from Atrium and reads the same items with a plain boto3 client, so the gap between it and
a route function is what Atrium's stack (FastAPI, Mangum, pydantic models, PynamoDB) costs. It keeps the checks
that make the answers equivalent: the principal from the authorizer context, the permission, the ETag.
"""

import json
import os
from datetime import UTC, datetime
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.typing import LambdaContext

from bench.handlers.principal import permitted_principal

TABLE_NAME = os.environ.get("ATRIUM_TABLE_NAME", "atrium")
TENANT_READ = "tenant:read"

app = APIGatewayHttpResolver()
# Created at init, as Lambda guidance says; Atrium's PynamoDB client is created on the first call instead.
dynamodb = boto3.client("dynamodb")


def _iso(stored: str) -> str:
    """PynamoDB stores ``2026-01-01T00:00:00.123456+0000``; the API shows milliseconds and ``Z``."""
    return stored[:23] + "Z"


def _get_item(pk: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = dynamodb.get_item(TableName=TABLE_NAME, Key={"pk": {"S": pk}, "sk": {"S": "#"}}).get(
        "Item")
    return item


@app.get("/v1/tenant")
def get_tenant() -> Response[str]:
    tenant_id = permitted_principal(app, TENANT_READ)["tenant_id"]
    item = _get_item(f"T#{tenant_id}#Tenant#{tenant_id}")  # Atrium's key scheme, written out by hand
    if item is None:
        raise UnauthorizedError("unknown tenant")
    body = {"id": item["id"]["S"], "name": item["name"]["S"], "status": item["status"]["S"],
            "created_at": _iso(item["created_at"]["S"]), "updated_at": _iso(item["updated_at"]["S"])}
    return Response(200, content_types.APPLICATION_JSON, json.dumps(body, separators=(",", ":")),
                    headers={"ETag": f'"{item["version"]["N"]}"'})


@app.get("/v1/health")
def health() -> dict[str, str]:
    _get_item("G#HealthProbe#probe")
    return {"status": "ok", "checked_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"}


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
