"""API Gateway HTTP API (payload format 2.0) events, as a route function receives them."""

from typing import Any

from atrium.kernel.http.dependencies import AUTHORIZER_CONTEXT_KEY
from atrium.kernel.http.routing import RouteSpec

SOURCE_IP = "203.0.113.7"
USER_AGENT = "atrium-bench"


def http_api_event(spec: RouteSpec, *, access_token: str, principal: str) -> dict[str, Any]:
    """The event for ``spec`` with no body; authenticated routes carry the Lambda authorizer's context."""
    headers = {"accept": "application/json", "host": "api.example.com", "user-agent": USER_AGENT,
               "x-forwarded-for": SOURCE_IP, "x-forwarded-port": "443", "x-forwarded-proto": "https"}
    route_key = f"{spec.method} {spec.path}"
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "bench",
        "domainName": "api.example.com",
        "domainPrefix": "api",
        "http": {"method": spec.method, "path": spec.path, "protocol": "HTTP/1.1", "sourceIp": SOURCE_IP,
                 "userAgent": USER_AGENT},
        "requestId": "bench-request",
        "routeKey": route_key,
        "stage": "$default",
        "time": "01/Jan/2026:00:00:00 +0000",
        "timeEpoch": 1767225600000,
    }
    if not spec.is_public:
        headers["authorization"] = f"Bearer {access_token}"
        context["authorizer"] = {"lambda": {AUTHORIZER_CONTEXT_KEY: principal}}
    return {"version": "2.0", "routeKey": route_key, "rawPath": spec.path, "rawQueryString": "", "headers": headers,
            "requestContext": context, "isBase64Encoded": False}
