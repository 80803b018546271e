"""What both Powertools peers do first on an authenticated route, as Atrium's route functions do: take the
principal from the Lambda authorizer's context and check the permission against its role patterns
(``*``, ``tenant:*``, ``*:read``)."""

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.exceptions import ForbiddenError, UnauthorizedError


def _allows(patterns: list[str], permission: str) -> bool:
    resource, _, action = permission.partition(":")
    for pattern in patterns:
        want_resource, _, want_action = pattern.partition(":")
        if pattern == "*" or (want_resource in ("*", resource) and want_action in ("*", action)):
            return True
    return False


def permitted_principal(app: APIGatewayHttpResolver, permission: str) -> dict[str, Any]:
    raw = app.current_event.request_context.authorizer.get_lambda.get("principal")
    if not raw:
        raise UnauthorizedError("missing or invalid credentials")
    principal: dict[str, Any] = json.loads(raw)
    if not _allows(principal["permissions"], permission):
        raise ForbiddenError(f"this action needs the permission {permission}")
    return principal
