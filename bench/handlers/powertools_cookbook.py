"""The handler a team would write in the AWS Lambda Handler Cookbook's style, answering the same requests.

Powertools' ``APIGatewayHttpResolver`` with ``enable_validation=True`` (pydantic validates the responses and
serializes them), pydantic response models, a PynamoDB model for the read, and the Powertools logger, tracer
and metrics around the handler, as the cookbook wires them. It imports nothing from Atrium: the fair peer of a
route function, which carries the same kinds of parts (a web framework, pydantic, PynamoDB, Powertools).
"""

import os
from contextlib import suppress
from datetime import UTC, datetime
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from bench.handlers.principal import permitted_principal

TENANT_READ = "tenant:read"
logger, tracer, metrics = Logger(), Tracer(), Metrics(namespace="atrium-bench")
app = APIGatewayHttpResolver(enable_validation=True)


class TenantRecord(Model):
    class Meta:
        table_name = os.environ.get("ATRIUM_TABLE_NAME", "atrium")
        region = os.environ.get("AWS_REGION", "us-east-1")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = NumberAttribute()


class TenantPublic(BaseModel):
    id: Annotated[str, Field(pattern=r"^ten_[0-9A-Za-z]+$")]
    name: str
    status: str
    created_at: str
    updated_at: str


class HealthPublic(BaseModel):
    status: str
    checked_at: str


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@app.get("/v1/tenant")
def get_tenant() -> Response[TenantPublic]:
    tenant_id = permitted_principal(app, TENANT_READ)["tenant_id"]
    try:
        record = TenantRecord.get(f"T#{tenant_id}#Tenant#{tenant_id}", "#")
    except DoesNotExist as missing:
        raise UnauthorizedError("unknown tenant") from missing
    tenant = TenantPublic(id=record.id, name=record.name, status=record.status,
                          created_at=_iso(record.created_at), updated_at=_iso(record.updated_at))
    return Response(200, content_types.APPLICATION_JSON, tenant, headers={"ETag": f'"{record.version}"'})


@app.get("/v1/health")
def health() -> HealthPublic:
    with suppress(DoesNotExist):  # reaching the table is what counts
        TenantRecord.get("G#HealthProbe#probe", "#")
    return HealthPublic(status="ok", checked_at=_iso(datetime.now(UTC)))


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
