"""The API requests the rate limiter counted, as metering's source: no write of its own on the request path.

Each request adds one to its tenant's window item (``kernel/http/rate_limits.py``), so the table stream carries the
window's count after every request. The relay reads those records with the outbox's and, per tenant and stream
batch, puts one event on the bus: the highest count it saw of each window. A window's count only grows, so the
highest count seen is how many requests were counted in it up to then, whatever the batch, order or repetition
of the records; metering adds only what passes the count it already holds (``billing/metering/api_requests.py``).
"""

from typing import Any

RATE_WINDOW_ENTITY = "RateWindow"  # the entity of a tenant's window (TenantRateWindow)
TENANT_COUNT = "requests"  # the window's attribute that counts the tenant's requests
REQUESTS_COUNTED = "billing.requests_counted"
# The stream filter that lets the windows' records reach the relay (besides its own).
REQUESTS_FILTER: dict[str, Any] = {
    "eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"entity": {"S": [RATE_WINDOW_ENTITY]}}},
}


def window_count(record: dict[str, Any]) -> tuple[str, int, int] | None:
    """The tenant, window start (epoch seconds) and count a window's record carries; None for any other record."""
    if record.get("eventName") not in ("INSERT", "MODIFY"):
        return None
    image = record.get("dynamodb", {}).get("NewImage", {})
    if image.get("entity", {}).get("S") != RATE_WINDOW_ENTITY or TENANT_COUNT not in image:
        return None
    _, tenant_id, _, start = image["pk"]["S"].split("#")  # T#<tenant>#RateWindow#<start>
    return tenant_id, int(start), int(image[TENANT_COUNT]["N"])


def highest_counts(records: list[dict[str, Any]]) -> dict[str, dict[int, int]]:
    """Per tenant, the highest count each of its windows reached in ``records``."""
    found: dict[str, dict[int, int]] = {}
    for record in records:
        if (counted := window_count(record)) is not None:
            tenant_id, start, count = counted
            windows = found.setdefault(tenant_id, {})
            windows[start] = max(windows.get(start, 0), count)
    return found
