"""Account items."""

from atrium.kernel.store.models import GlobalEntity


class MailThrottleItem(GlobalEntity, discriminator="MailThrottle"):
    """The last email of a kind sent; ``natural_key`` is ``<purpose>:<email or user id>``.

    ``expires_at`` ends the window, checked on read (TTL deletion is lazy), and then lets DynamoDB drop it.
    """
