"""What the tenant uses of its plan's webhook endpoints (``atrium.manifest.usage_counts``)."""

from atrium.billing.api import Limit
from atrium.kernel.store import keys
from atrium.webhooks.models import WebhookEndpointItem


def count_endpoints(tenant_id: str) -> int:
    """One Query (COUNT) of the tenant's endpoints, enabled or not."""
    return WebhookEndpointItem.gsi1.count(keys.collection_pk(tenant_id, WebhookEndpointItem.type_name()))


USAGE_COUNTS = {Limit.WEBHOOK_ENDPOINTS.value: count_endpoints}
