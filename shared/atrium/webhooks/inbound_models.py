"""Inbound hooks in the table: the tenant's hook, and the global address its public URL resolves through."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store.models import GlobalEntity, TenantEntity


class InboundHookItem(TenantEntity, discriminator="InboundHook"):
    name = UnicodeAttribute()
    public_id = UnicodeAttribute()  # the unguessable part of the hook's URL (its address item's key)
    created_by = UnicodeAttribute()


class InboundHookAddress(GlobalEntity, discriminator="InboundHookAddress"):
    """``G#InboundHookAddress#<public id>``: the public receiver has no tenant in its credentials, so the URL's id
    finds the tenant here. The signing secret is sealed (``inbound_hooks.seal``): verifying a Standard Webhooks
    signature needs the secret itself, so a hash would not do."""

    tenant_id = UnicodeAttribute()
    hook_id = UnicodeAttribute()
    sealed_secret = UnicodeAttribute()


class StripeEventSeen(GlobalEntity, discriminator="StripeEvent"):
    """``G#StripeEvent#<evt id>``: created with the event's audit entry and domain event, so each is written once."""
