"""Webhooks items."""

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.protection import credential

# Outbound


class SealedSecret(MapAttribute[str, object]):
    """A signing secret, sealed (``endpoint_secrets``); ``valid_until`` is set when a rotation replaces it."""

    sealed = UnicodeAttribute()
    valid_until = UTCDateTimeAttribute(null=True)


class WebhookEndpointItem(TenantEntity, discriminator="WebhookEndpoint"):
    """A URL that receives the tenant's events. ``event_types`` empty means every deliverable type. The last
    of ``secrets`` is the current one; at most one other (in its grace period) also signs."""

    url = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    event_types = ListAttribute[str](default=list)
    enabled = BooleanAttribute(default=True)
    rate_limit_per_second = NumberAttribute(null=True)
    secrets = credential(ListAttribute(of=SealedSecret, default=list))
