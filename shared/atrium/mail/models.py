"""The mail context's items: a tenant's branding, a user's preferences, the global suppression list, and the
mark of a tenant whose owner has not verified their address."""

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import GlobalEntity, TenantEntity


class BrandingItem(TenantEntity, discriminator="EmailBranding"):
    """One per tenant (``id`` is the tenant id); absent until the tenant brands its mail."""

    sender_name = UnicodeAttribute(null=True)
    brand_color = UnicodeAttribute(null=True)
    logo_url = UnicodeAttribute(null=True)


class UnverifiedOwnerItem(TenantEntity, discriminator="UnverifiedOwner"):
    """The tenant's owner (``owner_user_id``) has not verified their email: its mail to others is held to a daily
    number (``unverified_owner``). One per tenant (``id`` is the tenant id); gone once the owner verifies."""

    owner_user_id = UnicodeAttribute()


class PreferencesItem(TenantEntity, discriminator="EmailPreferences"):
    """One per user and tenant (``id`` is the user id); absent means every category is on."""

    opted_out = ListAttribute[str](default=list)


class SuppressionItem(GlobalEntity, discriminator="EmailSuppression"):
    """An address SES told us not to mail again. ``natural_key`` is the normalized address.

    Global: a hard bounce or a complaint is about the mailbox, whichever tenant's mail caused it."""

    reason = UnicodeAttribute()  # bounce | complaint
    feedback_id = UnicodeAttribute()
    suppressed_at = UTCDateTimeAttribute()
    # The durable record of skipped sends (logs and metrics say when; this says how many, per address).
    skipped_sends = NumberAttribute(default=0)
    last_skipped_at = UTCDateTimeAttribute(null=True)
